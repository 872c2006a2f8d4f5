import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import MasarCore
import MasarStore
import Testing
@testable import MasarWeb

@Suite("Trust on the web, tried as an outsider")
struct TrustOnTheWebTests {
    @Test("30 sock puppets registered from one browser, each voting, do not move the result")
    func sockPuppets() async throws {
        let lab = try await WebLab()
        let vote = lab.vote, ids = lab.improvements
        let before = try await lab.db.results(vote: vote)
        try await lab.app().test(.router) { client in
            for n in 1...30 {
                let registered = try await client.execute(uri: "/register", method: .post, headers: lab.browser(session: nil),
                                                          body: lab.form([("name", "Puppet \(n)"), ("phase", "P1"),
                                                                          ("track", "in-person")], session: nil))
                #expect(registered.status == .seeOther)
                let session = try #require(cookie("masar_session", in: registered))
                let ballot = try await client.execute(uri: "/votes/\(vote)/ballot", method: .post, headers: lab.browser(session: session),
                                                      body: lab.form([("dots-\(ids[1])", "3")], session: session))
                #expect(ballot.status == .unprocessableContent)
            }
            // Staff see them all, waiting to be verified.
            let list = try await client.execute(uri: "/manage/participants/unverified", method: .get, headers: lab.browser(.facilitator))
            #expect(list.text.contains("Puppet 30"))
        }
        #expect(try await lab.db.results(vote: vote) == before)
        #expect(try await lab.db.unverifiedParticipants(phase: "P1").count == 30)
    }

    @Test("A phase's eligibility list, pasted by the programme office: a match on the web verifies, a second use of the civil ID does not")
    func eligibilityOnTheWeb() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let refused = try await client.execute(uri: "/manage/phases/eligibility", method: .post, headers: lab.browser(.facilitator),
                                                   body: lab.form([("phase", "P1"), ("list", "civil_id,birth_year\n12345678,1990\n")],
                                                                  as: .facilitator))
            #expect(refused.status == .forbidden)
            let loaded = try await client.execute(uri: "/manage/phases/eligibility", method: .post, headers: lab.browser(.programmeOffice),
                                                  body: lab.form([("phase", "P1"), ("list", "civil_id,birth_year\n12345678,1990\n")],
                                                                 as: .programmeOffice))
            #expect(loaded.status == .seeOther)
            func register(_ name: String, _ civilID: String, _ year: String) async throws -> TestResponse {
                try await client.execute(uri: "/register", method: .post, headers: lab.browser(session: nil),
                                         body: lab.form([("name", name), ("phase", "P1"), ("track", "in-person"),
                                                         ("civilID", civilID), ("birthYear", year)], session: nil))
            }
            let wrongYear = try await register("Noura", "12345678", "1991")
            #expect(wrongYear.status == .unprocessableContent && wrongYear.text.contains("لا يوجد في قائمة المؤهلين"))
            #expect(try await register("Noura", "١٢٣٤٥٦٧٨", "١٩٩٠").status == .seeOther) // Arabic-Indic digits are the same number
            let again = try await register("Noura again", "12 345 678", "1990")
            #expect(again.status == .unprocessableContent && again.text.contains("مسجّل في هذه المرحلة مسبقًا"))
        }
        let noura = try #require(try await lab.db.participants(phase: "P1").first { $0.name == "Noura" })
        #expect(noura.verification == .eligibilityList)
    }

    @Test("Hidden results are hidden from the lab's own facilitator, on the manage page and in the API")
    func hiddenFromStaff() async throws {
        let lab = try await WebLab()
        let hidden = try await lab.db.openVote(service: "burial-permit", mode: .support, question: "Hidden?",
                                               opensAt: Date().addingTimeInterval(-60), closesAt: Date().addingTimeInterval(3600),
                                               supportLimit: 1, by: facilitatorMember).id!
        try await lab.db.castBallot(vote: hidden, participant: lab.codes[0], choices: [lab.improvements[0]: 1], origin: .inPerson,
                                    by: facilitatorMember)
        try await lab.app().test(.router) { client in
            let api = try await client.execute(uri: "/api/v1/votes/\(hidden)/results", method: .get, headers: lab.apiClient(.facilitator))
            #expect(api.status != .ok && api.text.contains("\"code\":\"resultsHidden\"") && !api.text.contains("ballotsCast"))
            let page = try await client.execute(uri: "/votes/\(hidden)/results", method: .get, headers: lab.browser(.facilitator))
            #expect(page.text.contains("مخفية") && !page.text.contains("class=\"ballots\""))
        }
    }

    @Test("The audit page names a rewritten entry")
    func auditPage() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let intact = try await client.execute(uri: "/manage/audit", method: .get, headers: lab.browser(.qualityReviewer))
            #expect(intact.status == .ok && intact.text.contains("id=\"audit-intact\""))
        }
        // A forger with the owner's rights drops the rule (on PostgreSQL, grants back the right it lacks).
        if TestDatabase.postgres == nil {
            try await TestDatabase.raw(lab.db, "DROP TRIGGER auditEntry_append_only_update")
        } else {
            try await TestDatabase.raw(lab.db, "GRANT UPDATE ON auditEntry TO CURRENT_USER", "DROP TRIGGER auditEntry_append_only ON auditEntry")
        }
        try await TestDatabase.raw(lab.db, "UPDATE auditEntry SET who = 'Mallory' WHERE id = 1")
        try await lab.app().test(.router) { client in
            let forged = try await client.execute(uri: "/manage/audit", method: .get, headers: lab.browser(.qualityReviewer))
            #expect(forged.status == .conflict && forged.text.contains("قيد السجل #1 غُيّر بعد كتابته"))
        }
    }
}
