import Foundation
import Hummingbird
import HummingbirdTesting
import MasarCore
import MasarStore
import Testing
@testable import MasarWeb

// A participant raises a pain point and proposes an improvement from the service page; the
// lab's facilitator publishes or declines it from the manage page. The web lab's service is in
// future-design; Salim (the `.participant` visitor) takes part in its phase.

private let raise = "/services/burial-permit/pain-points"

@Suite("Participants raise and propose on the web; the facilitator moderates")
struct ContributionWebTests {
    @Test("An Arabic participant raises a pain point: unseen by the public until the facilitator publishes it, shown to them as theirs meanwhile")
    func raiseAndPublish() async throws {
        let lab = try await WebLab()
        let arabic = "المكتب يطلب شهادة الوفاة مرتين"
        try await lab.app().test(.router) { client in
            let page = try await client.execute(uri: "/services/burial-permit", method: .get, headers: lab.browser(.participant)).text
            #expect(page.contains("action=\"/services/burial-permit/pain-points\""))
            #expect(page.contains("action=\"/services/burial-permit/improvements\""))
            // A community member's pain point is their own: no source to choose.
            #expect(!page.contains("name=\"source\""))
            let raised = try await client.execute(uri: raise, method: .post, headers: lab.browser(.participant),
                                                  body: lab.form([("step", "verify-documents"), ("category", "documents"), ("severity", "4"),
                                                                  ("text-ar", arabic), ("source", "mystery-shopper")], as: .participant))
            #expect(raised.status == .seeOther)
            #expect(raised.headers[.location] == "/services/burial-permit?notice=contributionAwaits")
            let point = try #require(try await lab.db.unpublished(service: "burial-permit", for: facilitatorMember).painPoints.first)
            #expect(point.source == .community && point.moderation == .pending && point.text == LocalizedText(ar: arabic))

            let anonymous = try await client.execute(uri: "/services/burial-permit", method: .get).text
            #expect(!anonymous.contains(arabic))
            // A visitor is asked to sign in, and comes back here after it.
            #expect(anonymous.contains("<a href=\"/signin?next=/services/burial-permit\">سجّل الدخول لتطرح نقطة ألم أو تقترح تحسينًا</a>"))
            #expect(!(try await client.execute(uri: "/api/v1/services/burial-permit", method: .get).text.contains(arabic)))
            let own = try await client.execute(uri: "/services/burial-permit?notice=contributionAwaits", method: .get,
                                               headers: lab.browser(.participant)).text
            #expect(own.contains("شكرًا لك. سيقرأ ميسّر المختبر مشاركتك قبل نشرها."))
            #expect(own.contains("مشاركاتك التي لم تُنشر") && own.contains(arabic) && own.contains("بانتظار الموافقة على النشر"))

            let manage = try await client.execute(uri: "/manage/services/burial-permit", method: .get, headers: lab.browser(.facilitator)).text
            #expect(manage.contains("action=\"/manage/pain-points/\(point.id!)/moderation\""))
            let published = try await client.execute(uri: "/manage/pain-points/\(point.id!)/moderation", method: .post,
                                                     headers: lab.browser(.facilitator),
                                                     body: lab.form([("service", "burial-permit"), ("decision", "publish")], as: .facilitator))
            #expect(published.status == .seeOther)
            #expect(try await client.execute(uri: "/services/burial-permit", method: .get).text.contains(arabic))
            let entry = try #require(try await lab.db.auditLog().last)
            #expect(entry.action == "publish" && entry.who == "facilitator")
            let log = try await client.execute(uri: "/manage/services/burial-permit", method: .get, headers: lab.browser(.facilitator)).text
            #expect(log.contains("نشر مشاركة"))
        }
    }

    @Test("A refused pain point comes back in Arabic beside its field, with everything typed kept, and nothing stored")
    func refusalKeepsInput() async throws {
        let lab = try await WebLab()
        let typed = "انتظرت ثلاث ساعات"
        try await lab.app().test(.router) { client in
            let refused = try await client.execute(uri: raise, method: .post, headers: lab.browser(.participant),
                                                   body: lab.form([("step", "verify-documents"), ("category", "waiting"), ("severity", "9"),
                                                                   ("text-ar", typed)], as: .participant))
            #expect(refused.status == .unprocessableContent)
            let page = refused.text
            #expect(page.contains("<p class=\"problem\" id=\"pp-severity-error\" dir=\"auto\">الشدة من 1 إلى 5، لا 9</p>"))
            #expect(page.contains(">\(typed)</textarea>"))
            #expect(page.contains("<option value=\"waiting\" selected>"))
            #expect(page.contains("value=\"9\""))
            #expect(page.contains("<details open id=\"raise\">"))
        }
        #expect(try await lab.db.unpublished(service: "burial-permit", for: facilitatorMember).painPoints.isEmpty)
    }

    @Test("A proposal waits too, is declined from the manage page, and is never put to the public or to a vote")
    func proposalDeclined() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let proposed = try await client.execute(uri: "/services/burial-permit/improvements", method: .post,
                                                    headers: lab.browser(.participant),
                                                    body: lab.form([("text-en", "Free parking at the office")], as: .participant))
            #expect(proposed.status == .seeOther)
            let item = try #require(try await lab.db.unpublished(service: "burial-permit", for: facilitatorMember).improvements.first?.improvement)
            let declined = try await client.execute(uri: "/manage/improvements/\(item.id!)/moderation", method: .post,
                                                    headers: lab.browser(.facilitator),
                                                    body: lab.form([("service", "burial-permit"), ("decision", "decline")], as: .facilitator))
            #expect(declined.status == .seeOther)
            #expect(!(try await client.execute(uri: "/services/burial-permit", method: .get).text.contains("Free parking")))
            let own = try await client.execute(uri: "/services/burial-permit", method: .get, headers: lab.browser(.participant)).text
            #expect(own.contains("Free parking") && own.contains("لم تُنشر"))
            #expect(!(try await lab.db.improvements(service: "burial-permit").contains { $0.improvement.id == item.id }))
        }
    }

    @Test("Attacks: a participant moderating, another phase's participant raising, a form from another browser, another's contributions")
    func attacks() async throws {
        let lab = try await WebLab()
        try await lab.db.createPhase(name: "P2", startsOn: "2027-01-01", sectors: [], by: facilitatorMember)
        let muna = try await lab.db.registerParticipant(phase: "P2", name: "Muna", track: .inPerson, kind: .community, by: officeMember)
        try await lab.db.startSignIn(tokenHash: Tokens.hash("token-muna"), for: .participant(muna), expiresAt: Date().addingTimeInterval(3600))
        let point = try await lab.db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .fees, severity: 2,
                                                  source: .community, text: "Salim's secret complaint",
                                                  by: try #require(try await lab.db.member(named: lab.codes[0])))
        try await lab.app().test(.router) { client in
            // A participant may not moderate, even their own.
            let moderated = try await client.execute(uri: "/manage/pain-points/\(point.id!)/moderation", method: .post,
                                                     headers: lab.browser(.participant),
                                                     body: lab.form([("service", "burial-permit"), ("decision", "publish")], as: .participant))
            #expect(moderated.status == .forbidden || moderated.status == .seeOther && moderated.headers[.location]?.hasPrefix("/staff/signin") == true)
            // Another phase's participant sees no form, and a form posted anyway is refused in Arabic.
            let page = try await client.execute(uri: "/services/burial-permit", method: .get, headers: lab.browser(session: "token-muna")).text
            #expect(!page.contains("action=\"/services/burial-permit/pain-points\""))
            #expect(page.contains("Muna مسجّل في مرحلة غير &#39;P1&#39;"))
            #expect(!page.contains("Salim's secret complaint"))
            let other = try await client.execute(uri: raise, method: .post, headers: lab.browser(session: "token-muna"),
                                                 body: lab.form([("step", "verify-documents"), ("category", "fees"), ("severity", "2"),
                                                                 ("text-en", "x")], session: "token-muna"))
            #expect(other.status == .unprocessableContent)
            // A form whose token is another browser's is refused before it is read.
            let forged = try await client.execute(uri: raise, method: .post, headers: lab.browser(.participant),
                                                  body: lab.form([("step", "verify-documents"), ("category", "fees"), ("severity", "2"),
                                                                  ("text-en", "forged")], as: .facilitator))
            #expect(forged.status == .forbidden)
            // Another participant of the same phase does not see Salim's unpublished pain point.
            let maryam = try #require(try await lab.db.participants(phase: "P1").first { $0.code == lab.codes[1] })
            try await lab.db.startSignIn(tokenHash: Tokens.hash("token-maryam"), for: .participant(maryam), expiresAt: Date().addingTimeInterval(3600))
            let hers = try await client.execute(uri: "/services/burial-permit", method: .get, headers: lab.browser(session: "token-maryam")).text
            #expect(hers.contains("action=\"/services/burial-permit/pain-points\""))
            #expect(!hers.contains("Salim's secret complaint"))
        }
        #expect(try await lab.db.unpublished(service: "burial-permit", for: facilitatorMember).painPoints.map(\.id) == [point.id])
        #expect(try await lab.db.painPoints(service: "burial-permit").count == 1)
    }
}
