import Foundation
import Hummingbird
import HummingbirdTesting
import MasarCore
import MasarStore
import Testing
@testable import MasarWeb

/// Signs a new staff account in, straight through the store; returns its sign-in token.
private func signedIn(_ lab: WebLab, name: String, role: LabRole, institution: String? = nil) async throws -> String {
    let account = try await lab.db.createAccount(name: name, role: role, institution: institution, passwordHash: "x",
                                                 by: officeMember)
    let token = "token-\(name)"
    try await lab.db.startSignIn(tokenHash: Tokens.hash(token), for: .staff(account), expiresAt: Date().addingTimeInterval(3600))
    return token
}

@Suite("The lab's rules on the web: the same functions decide what is offered and what is refused")
struct RulesOnTheWebTests {
    @Test("A facilitator of another lab is offered nothing on this one, and refused in Arabic if they post anyway")
    func otherFacilitator() async throws {
        let lab = try await WebLab()
        let hamed = try await signedIn(lab, name: "Hamed", role: .facilitator)
        try await lab.app().test(.router) { client in
            let page = try await client.execute(uri: "/manage/services/burial-permit", method: .get, headers: lab.browser(session: hamed))
            #expect(page.status == .ok)
            #expect(!page.text.contains("id=\"advance\""))
            let own = try await client.execute(uri: "/manage/services/burial-permit", method: .get, headers: lab.browser(.facilitator))
            #expect(own.text.contains("id=\"advance\""))
            let posted = try await client.execute(uri: "/manage/votes/\(lab.vote)/close", method: .post, headers: lab.browser(session: hamed),
                                                  body: lab.form(session: hamed))
            #expect(posted.status == .unprocessableContent)
            #expect(posted.text.contains("Hamed ليس ميسّرًا لمختبر &#39;Lab&#39;؛ يعيّن مكتب البرنامج ميسّريه"))
        }
        #expect(try await lab.db.vote(lab.vote).closedAt == nil)
    }

    @Test("A facilitator of no lab in the phase cannot read the codes just given out there")
    func codesOfAnotherPhase() async throws {
        let lab = try await WebLab()
        let hamed = try await signedIn(lab, name: "Hamed", role: .facilitator)
        try await lab.app().test(.router) { client in
            let page = try await client.execute(uri: "/manage/participants/registered?phase=1&from=1&to=99", method: .get,
                                                headers: lab.browser(session: hamed))
            #expect(page.status == .unprocessableContent)
            for code in lab.codes { #expect(!page.text.contains(code)) }
        }
    }

    @Test("A facilitator of no lab in a phase is not shown its unverified registrations and their codes")
    func unverifiedOfAnotherPhase() async throws {
        let lab = try await WebLab()
        let huda = try await lab.db.registerOnline(phase: "P1", name: "Huda", track: .digital,
                                                    passwordHash: try await Passwords.hash(password), civilID: nil)
        let hamed = try await signedIn(lab, name: "Hamed", role: .facilitator)
        try await lab.app().test(.router) { client in
            let theirs = try await client.execute(uri: "/manage/participants/unverified", method: .get, headers: lab.browser(session: hamed))
            #expect(theirs.status == .ok)
            #expect(!theirs.text.contains(huda.code))
            let own = try await client.execute(uri: "/manage/participants/unverified", method: .get, headers: lab.browser(.facilitator))
            #expect(own.text.contains(huda.code))
        }
    }

    @Test("The vote window's bounds hold on the web as in the store: 91 days is refused")
    func voteWindow() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let refused = try await client.execute(uri: "/manage/services/burial-permit/votes", method: .post,
                                                   headers: lab.browser(.facilitator),
                                                   body: lab.form([("mode", "support"), ("question-en", "First?"),
                                                                   ("closes", MuscatTime.field(Date().addingTimeInterval(91 * 86_400))),
                                                                   ("limit", "1")], as: .facilitator))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("يبقى التصويت مفتوحًا 90 يومًا على الأكثر"))
        }
        #expect(try await lab.db.votes(service: "burial-permit").count == 1)
    }

    @Test("What does not exist answers 404 with its code, never by reading a message; an unknown phase too")
    func notFound() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let report = try await client.execute(uri: "/api/v1/report?phase=P9", method: .get)
            #expect(report.status == .notFound)
            #expect(report.text.contains("\"code\":\"notFound\""))
            let service = try await client.execute(uri: "/api/v1/services/nowhere", method: .get,
                                                   headers: [.acceptLanguage: "en"])
            #expect(service.status == .notFound)
            #expect(service.text.contains("\"message\":\"no service 'nowhere'\""))
            let page = try await client.execute(uri: "/services/nowhere", method: .get)
            #expect(page.status == .notFound)
            #expect(page.text.contains("لم يُعثر على خدمة &#39;nowhere&#39;"))
        }
    }
}
