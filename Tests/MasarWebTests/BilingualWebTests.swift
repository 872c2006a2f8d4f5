import Foundation
import Hummingbird
import HummingbirdTesting
import MasarCore
import MasarStore
import Testing
@testable import MasarWeb

@Suite("Texts in English and Arabic on the web: forms take both, pages show the page's language and mark the other")
struct BilingualWebTests {
    @Test("A pain point given in Arabic only is shown as Arabic on both pages, marked 'Arabic only' on the English one")
    func otherLanguageMarked() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let added = try await client.execute(uri: "/manage/services/burial-permit/pain-points", method: .post,
                                                 headers: lab.browser(.facilitator),
                                                 body: lab.form([("step", "verify-documents"), ("category", "waiting"), ("severity", "3"),
                                                                 ("source", "survey"), ("text-ar", "انتظار طويل"), ("text-en", "  ")],
                                                                as: .facilitator))
            #expect(added.status == .seeOther)
            #expect(try await lab.db.painPoints(service: "burial-permit").last?.text == LocalizedText(ar: "انتظار طويل"))
            let arabic = try await client.execute(uri: "/services/burial-permit", method: .get).text
            #expect(arabic.contains("<span lang=\"ar\" dir=\"auto\">انتظار طويل</span></td>"))
            // The improvements of the lab were written in English only: marked so on the Arabic page.
            #expect(arabic.contains("<span lang=\"en\" dir=\"auto\">Hospital reports the death</span> <small class=\"only-in\">بالإنجليزية فقط</small>"))
            let english = try await client.execute(uri: "/services/burial-permit", method: .get, headers: [.cookie: "masar_lang=en"]).text
            #expect(english.contains("<span lang=\"ar\" dir=\"auto\">انتظار طويل</span> <small class=\"only-in\">Arabic only</small>"))
            #expect(english.contains("<span lang=\"en\" dir=\"auto\">Hospital reports the death</span></span>"))
        }
    }

    @Test("A text in both languages shows the page's own, with no mark")
    func bothLanguages() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let proposed = try await client.execute(uri: "/manage/services/burial-permit/improvements", method: .post,
                                                    headers: lab.browser(.facilitator),
                                                    body: lab.form([("text-en", "Permit by SMS"), ("text-ar", "التصريح برسالة نصية")],
                                                                   as: .facilitator))
            #expect(proposed.status == .seeOther)
            let arabic = try await client.execute(uri: "/services/burial-permit", method: .get).text
            #expect(arabic.contains("<span lang=\"ar\" dir=\"auto\">التصريح برسالة نصية</span></span>"))
            #expect(!arabic.contains("Permit by SMS"))
            let english = try await client.execute(uri: "/services/burial-permit", method: .get, headers: [.cookie: "masar_lang=en"]).text
            #expect(english.contains("<span lang=\"en\" dir=\"auto\">Permit by SMS</span></span>"))
            #expect(!english.contains("التصريح برسالة نصية"))
        }
    }

    @Test("A form with neither language is refused with the rule's words, and stores nothing")
    func neitherRefused() async throws {
        let lab = try await WebLab()
        let before = try await lab.db.improvements(service: "burial-permit").count
        try await lab.app().test(.router) { client in
            let refused = try await client.execute(uri: "/manage/services/burial-permit/improvements", method: .post,
                                                   headers: lab.browser(.facilitator),
                                                   body: lab.form([("text-en", ""), ("text-ar", " ")], as: .facilitator))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("نص التحسين فارغ؛ اكتبه بالعربية أو بالإنجليزية أو بكلتيهما"))
        }
        #expect(try await lab.db.improvements(service: "burial-permit").count == before)
    }

    @Test("A poll opened on the web takes its question and options in both languages, paired line by line; the API answers both")
    func pollInBothLanguages() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let opened = try await client.execute(uri: "/manage/services/burial-permit/votes", method: .post, headers: lab.browser(.facilitator),
                                                  body: lab.form([("mode", "poll"), ("closes", MuscatTime.field(Date().addingTimeInterval(7 * 86_400))), ("question-ar", "أي يوم؟"),
                                                                  ("question-en", "Which day?"), ("options-ar", "الأحد\r\nالاثنين"),
                                                                  ("options-en", "Sunday")], as: .facilitator))
            #expect(opened.status == .seeOther)
            let poll = try #require(try await lab.db.votes(service: "burial-permit").first { $0.mode == .poll })
            #expect(poll.question == LocalizedText(en: "Which day?", ar: "أي يوم؟"))
            #expect(try await lab.db.choices(vote: poll.id!).map(\.text) == [LocalizedText(en: "Sunday", ar: "الأحد"), LocalizedText(ar: "الاثنين")])
            let results = try await client.execute(uri: "/api/v1/votes/\(lab.vote)/results", method: .get).text
            #expect(results.contains("\"question\":{\"en\":\"Which first?\"}"))
            #expect(results.contains("\"text\":{\"en\":\"Hospital reports the death\"}") || results.contains("\"lines\":[]"))
        }
    }

    @Test("The public service page links an open vote to its ballot, and a closed one only to its results")
    func ballotFromServicePage() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let open = try await client.execute(uri: "/services/burial-permit", method: .get).text
            #expect(open.contains("<a href=\"/votes/\(lab.vote)\" class=\"to-ballot\">"))
            _ = try await client.execute(uri: "/manage/votes/\(lab.vote)/close", method: .post, headers: lab.browser(.facilitator),
                                         body: lab.form(as: .facilitator))
            let closed = try await client.execute(uri: "/services/burial-permit", method: .get).text
            #expect(!closed.contains("class=\"to-ballot\"") && closed.contains("<a href=\"/votes/\(lab.vote)/results\">"))
        }
    }
}
