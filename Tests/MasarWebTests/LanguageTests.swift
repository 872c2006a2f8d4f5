import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MasarCore
import MasarStore
import Testing
@testable import MasarWeb

/// Every message in the page's language, forms kept after a refusal, and no dead ends.
@Suite("One language per page")
struct LanguageTests {
    @Test("Every lab term a page names has both languages: categories, sources, statuses, roles, tracks, audit actions")
    func terms() {
        let kinds: [(String, [String])] = [
            ("category", PainPointCategory.allCases.map(\.rawValue)), ("source", PainPointSource.allCases.map(\.rawValue)),
            ("status", ImprovementStatus.allCases.map(\.rawValue)), ("role", LabRole.allCases.map(\.rawValue)),
            ("track", Track.allCases.map(\.rawValue)), ("audit", AuditAction.allCases.map(\.rawValue)),
        ]
        for (kind, values) in kinds {
            for value in values {
                #expect(Words.table[kind + "." + value] != nil, "\(kind).\(value)")
                #expect(Language.arabic.name(kind, value) != value, "\(kind).\(value) in Arabic")
            }
        }
        // A sector Masar does not know is shown as the map writes it.
        #expect(Language.arabic.name("sector", "space-travel") == "space-travel")
        #expect(Language.arabic.name("sector", "health") == "الصحة")
    }

    @Test("Times are Muscat's (UTC+4), with Western digits in both languages")
    func times() {
        let midnightUTC = Date(timeIntervalSince1970: 86_400 * 365)  // 1971-01-01 00:00 UTC = 04:00 in Muscat
        let english = Language.english.time(midnightUTC)
        #expect(english.contains("4:00") && english.contains("Jan"), "\(english)")
        #expect(english.contains("1971"))
        let arabic = Language.arabic.time(midnightUTC)
        #expect(arabic.contains("يناير"), "\(arabic)")
        #expect(arabic.contains("1971") && arabic.contains("4:00"), "\(arabic)")
        #expect(!arabic.unicodeScalars.contains { (0x0660...0x0669).contains($0.value) })
    }

    @Test("An Arabic page shows no Arabic-Indic digit and no raw term: the manage page names categories and audit actions in Arabic")
    func arabicManagePage() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let page = try await client.execute(uri: "/manage/services/burial-permit", method: .get, headers: lab.browser(.facilitator))
            #expect(page.status == .ok)
            #expect(page.text.contains("<td>الزيارات</td>"))  // the pain point's category, "visits"
            #expect(page.text.contains("اقتراح تحسين"))  // the audit action "propose improvement"
            #expect(page.text.contains("(<bdi>ميسّر</bdi>)"))
            #expect(!page.text.contains(">propose improvement<"))
            for path in ["/", "/services", "/services/burial-permit", "/manage/services/burial-permit", "/votes/\(lab.vote)/results"] {
                let text = try await client.execute(uri: path, method: .get, headers: lab.browser(.facilitator)).text
                #expect(!text.unicodeScalars.contains { (0x0660...0x0669).contains($0.value) }, "\(path)")
            }
        }
    }

    @Test("A refused pain point comes back as typed, its refusal in Arabic beside the field, and nothing is stored")
    func keptPainPoint() async throws {
        let lab = try await WebLab()
        let before = try await lab.db.painPoints(service: "burial-permit").count
        try await lab.app().test(.router) { client in
            let refused = try await client.execute(
                uri: "/manage/services/burial-permit/pain-points", method: .post, headers: lab.browser(.facilitator),
                body: lab.form([("step", "verify-documents"), ("category", "fees"), ("severity", "9"), ("source", "survey"),
                                ("text-ar", "ثلاث زيارات للمكتب")], as: .facilitator))
            #expect(refused.status == .unprocessableContent)
            // The typed text, the chosen category and source, and the severity typed.
            #expect(refused.text.contains("lang=\"ar\" dir=\"rtl\">ثلاث زيارات للمكتب</textarea>"))
            #expect(refused.text.contains("<option value=\"fees\" selected>"))
            #expect(refused.text.contains("<option value=\"survey\" selected>"))
            #expect(refused.text.contains("name=\"severity\" type=\"number\" inputmode=\"numeric\" min=\"1\" max=\"5\" value=\"9\""))
            // The refusal, in Arabic, right after the severity field, which names it for a screen reader.
            let severity = try #require(refused.text.range(of: "value=\"9\" aria-describedby=\"pp-severity-hint pp-severity-error\" aria-invalid=\"true\">"))
            let after = refused.text[severity.upperBound...].prefix(300)
            #expect(after.contains("class=\"problem\""), "\(after)")
            #expect(after.contains("الشدة"), "\(after)")
            #expect(!refused.text.contains("severity must be"))
        }
        #expect(try await lab.db.painPoints(service: "burial-permit").count == before)
    }

    @Test("A ballot over the dots budget comes back with the dots as typed and the refusal in Arabic")
    func keptBallot() async throws {
        let lab = try await WebLab()
        let (first, second) = (lab.improvements[0], lab.improvements[1])
        try await lab.app().test(.router) { client in
            let refused = try await client.execute(
                uri: "/votes/\(lab.vote)/ballot", method: .post, headers: lab.browser(.participant),
                body: lab.form([("dots-\(first)", "3"), ("dots-\(second)", "3")], as: .participant))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("id=\"dots-\(first)\" name=\"dots-\(first)\" type=\"number\" inputmode=\"numeric\" min=\"0\" max=\"3\" value=\"3\""))
            #expect(refused.text.contains("id=\"dots-\(second)\" name=\"dots-\(second)\" type=\"number\" inputmode=\"numeric\" min=\"0\" max=\"3\" value=\"3\""))
            // 3 + 3 = 6 typed against a budget of 5: one over, shown as −1 left.
            #expect(refused.text.contains("<strong id=\"dots-left\">-1</strong>"))
            #expect(refused.text.contains("problem-summary"))
            #expect(!refused.text.contains("is more than the budget"))
        }
        #expect(try await lab.db.ballot(vote: lab.vote, participant: lab.codes[0]) == nil)
    }

    @Test("The framework's words never reach a page: a vote that is not a number is «not found» in Arabic")
    func frameworkErrors() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            for uri in ["/votes/abc/results", "/votes/12abc", "/api/v1/votes/x/results"] {
                let response = try await client.execute(uri: uri, method: .get, headers: lab.browser(.participant))
                #expect(response.status == .notFound, "\(uri)")
                #expect(!response.text.contains("Parameter") && !response.text.contains("Int64"), "\(uri)")
                #expect(response.text.contains("لم يُعثر على تصويت"), "\(uri): \(response.text.prefix(300))")
            }
            // An API client asking in English gets English, with a code.
            let english = try await client.execute(uri: "/api/v1/votes/x/results", method: .get, headers: [.acceptLanguage: "en"])
            #expect(english.text.contains("\"code\":\"notFound\"") && english.text.contains("no vote #x"))
            // A form field missing is named by its Arabic label, beside the field.
            let missing = try await client.execute(uri: "/manage/services/burial-permit/votes", method: .post,
                                                   headers: lab.browser(.facilitator),
                                                   body: lab.form([("question-en", "Which?"), ("closes", "2030-01-01T10:00")], as: .facilitator))
            #expect(missing.status == .unprocessableContent || missing.status == .badRequest)
            #expect(missing.text.contains("حقل «الطريقة» مطلوب."), "\(missing.text.prefix(400))")
        }
    }

    @Test("An error page keeps the staff header and links back to the page the visitor came from")
    func errorPages() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            var headers = lab.browser(.facilitator)
            headers[.referer] = "http://localhost/manage/services/burial-permit"
            let missing = try await client.execute(uri: "/services/nowhere", method: .get, headers: headers)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("action=\"/signout\""))  // still signed in, as the header shows
            #expect(missing.text.contains("<a href=\"/manage/services/burial-permit\">رجوع</a>"))
            // From another site, the back link is the staff member's own start page.
            headers[.referer] = "https://evil.example/x"
            let foreign = try await client.execute(uri: "/services/nowhere", method: .get, headers: headers)
            #expect(foreign.text.contains("<a href=\"/dashboard\">"))
            #expect(!foreign.text.contains("evil.example"))
        }
    }

    @Test("After a POST the language switch and a sign-in return to the form's page, not to the POST's address")
    func noDeadEnds() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            var headers = lab.browser(.facilitator)
            headers[.referer] = "http://localhost/manage/services/burial-permit"
            let refused = try await client.execute(uri: "/manage/services/burial-permit/votes", method: .post, headers: headers,
                                                   body: lab.form([("mode", "support"), ("question", "Q?"), ("days", "91"),
                                                                   ("limit", "1")], as: .facilitator))
            #expect(refused.text.contains("/language?to=en&amp;back=/manage/services/burial-permit\""))
            // A ballot sent after the sign-in expired: signing in returns to the ballot's page.
            var expired = lab.browser(session: "expired-token")
            expired[.referer] = "http://localhost/votes/\(lab.vote)"
            let sent = try await client.execute(uri: "/votes/\(lab.vote)/ballot", method: .post, headers: expired,
                                                body: lab.form([("dots-1", "1")], session: nil))
            #expect(sent.status == .seeOther)
            #expect(sent.headers[.location] == "/signin?next=/votes/\(lab.vote)")
            // The favicon browsers ask for.
            let icon = try await client.execute(uri: "/favicon.ico", method: .get)
            #expect(icon.status == .movedPermanently && icon.headers[.location] == "/assets/favicon.svg")
            let svg = try await client.execute(uri: "/assets/favicon.svg", method: .get)
            #expect(svg.headers[.contentType] == "image/svg+xml" && svg.text.hasPrefix("<svg"))
        }
    }
}
