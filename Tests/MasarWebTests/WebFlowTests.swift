import Foundation
import Hummingbird
import HummingbirdTesting
import MasarCore
import MasarStore
import Testing
@testable import MasarWeb

@Suite("Lab work on the web")
struct WebFlowTests {
    @Test("A participant registers online, votes with dots, sees the dots left, changes and withdraws; overspending is refused")
    func participantVotes() async throws {
        let lab = try await WebLab()
        let vote = lab.vote, ids = lab.improvements
        try await lab.app().test(.router) { client in
            let registered = try await client.execute(uri: "/register", method: .post, headers: lab.browser(.nobody),
                                                      body: lab.form([("name", "Huda"), ("phase", "P1"), ("track", "digital"),
                                                                      ("password", "a long enough pass")], as: .nobody))
            #expect(registered.status == .seeOther)
            let token = try #require(cookie("masar_session", in: registered))
            let headers = lab.browser(session: token)
            let home = try await client.execute(uri: "/me", method: .get, headers: headers)
            #expect(home.text.contains("Huda"))
            let code = try #require(try await lab.db.participants(phase: "P1").first { $0.name == "Huda" }?.code)
            #expect(home.text.contains(code))
            // Registered online in a phase without an eligibility list: her ballot is refused until a
            // facilitator verifies her at a session.
            #expect(home.text.contains("id=\"unverified\""))
            let early = try await client.execute(uri: "/votes/\(vote)/ballot", method: .post, headers: headers,
                                                 body: lab.form([("dots-\(ids[0])", "3")], session: token))
            #expect(early.status == .unprocessableContent && early.text.contains("لم يُتحقق منه بعد"))
            try await lab.db.verifyParticipant(code: code, by: facilitatorMember)

            // 3 dots on the first improvement, 0 on the second, 2 on the third: 5 of 5 used... then changed to 2 + 1.
            let cast = try await client.execute(uri: "/votes/\(vote)/ballot", method: .post, headers: headers,
                                                body: lab.form([("dots-\(ids[0])", "3"), ("dots-\(ids[1])", "0"), ("dots-\(ids[2])", "2")], session: token))
            #expect(cast.status == .seeOther)
            #expect(try await lab.db.ballot(vote: vote, participant: code) == [ids[0]: 3, ids[2]: 2])
            _ = try await client.execute(uri: "/votes/\(vote)/ballot", method: .post, headers: headers,
                                         body: lab.form([("dots-\(ids[0])", "2"), ("dots-\(ids[1])", "1")], session: token))
            #expect(try await lab.db.ballot(vote: vote, participant: code) == [ids[0]: 2, ids[1]: 1])
            // 5 − (2 + 1) = 2 dots left, shown on the ballot page.
            let page = try await client.execute(uri: "/votes/\(vote)", method: .get, headers: headers)
            #expect(page.text.contains("<strong id=\"dots-left\">2</strong>"))

            // 3 + 3 = 6 dots is over the budget of 5: refused with the rule, the ballot as it was.
            let over = try await client.execute(uri: "/votes/\(vote)/ballot", method: .post, headers: headers,
                                                body: lab.form([("dots-\(ids[0])", "3"), ("dots-\(ids[1])", "3")], session: token))
            #expect(over.status == .unprocessableContent)
            // The page is in Arabic, and so is the rule that refused.
            #expect(over.text.contains("6 نقاط أكثر من المتاح وهو 5"))
            #expect(try await lab.db.ballot(vote: vote, participant: code) == [ids[0]: 2, ids[1]: 1])

            _ = try await client.execute(uri: "/votes/\(vote)/withdraw", method: .post, headers: headers, body: lab.form(session: token))
            #expect(try await lab.db.ballot(vote: vote, participant: code) == nil)
        }
    }

    @Test("A digital participant needs their password; an in-person one signs in with the code alone")
    func participantSignIn() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            func signIn(_ code: String, _ password: String) async throws -> TestResponse {
                try await client.execute(uri: "/signin", method: .post, headers: lab.browser(.nobody),
                                         body: lab.form([("code", code), ("password", password)], as: .nobody))
            }
            let inPerson = try await signIn(lab.codes[0].lowercased(), "")
            #expect(inPerson.status == .seeOther)
            let noPassword = try await signIn(lab.codes[1], "")
            #expect(noPassword.status == .unauthorized)
            let wrong = try await signIn(lab.codes[1], "not the password")
            #expect(wrong.status == .unauthorized)
            let ok = try await signIn(lab.codes[1], password)
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/me")
        }
    }

    @Test("A facilitator records a paper ballot and a show of hands, closes the vote, and the public results show both apart")
    func facilitatorRunsVote() async throws {
        let lab = try await WebLab()
        let vote = lab.vote, ids = lab.improvements
        try await lab.app().test(.router) { client in
            let facilitator = lab.browser(.facilitator)
            let paper = try await client.execute(uri: "/manage/votes/\(vote)/ballots", method: .post, headers: facilitator,
                                                 body: lab.form([("code", lab.codes[0]), ("choice-\(ids[1])", "3")], as: .facilitator))
            #expect(paper.status == .seeOther)
            _ = try await client.execute(uri: "/manage/votes/\(vote)/tallies", method: .post, headers: facilitator,
                                         body: lab.form([("choice", "\(ids[1])"), ("count", "7"), ("place", "Sohar")], as: .facilitator))
            _ = try await client.execute(uri: "/manage/votes/\(vote)/close", method: .post, headers: facilitator, body: lab.form(as: .facilitator))
            // The same participant online after the close: refused.
            let late = try await client.execute(uri: "/votes/\(vote)/ballot", method: .post, headers: lab.browser(.participant),
                                                body: lab.form([("dots-\(ids[0])", "1")], as: .participant))
            #expect(late.status == .unprocessableContent)
            let results = try await client.execute(uri: "/votes/\(vote)/results", method: .get)
            // One ballot: no split is shown, so that nobody can tell what Salim chose.
            let text = results.text
            #expect(text.contains("id=\"withheld\"") && !text.contains("<td class=\"ballots\">"))
            // Secret ballot: the results name no participant.
            #expect(!text.contains(lab.codes[0]) && !text.contains("Salim"))
        }
        #expect(try await lab.db.vote(vote).closedAt != nil)
    }

    @Test("A service goes through the document, review and every director-general's sign-off from the web")
    func reviewAndSignOff() async throws {
        let lab = try await WebLab()
        let hash = try await Passwords.hash(password)
        // burial-permit's future path is owned by Muscat Municipality and Royal Oman Police.
        var signIns: [String: String] = [:]
        for institution in ["Muscat Municipality", "Royal Oman Police"] {
            let account = try await lab.db.createAccount(name: "dg " + institution, role: .directorGeneral, institution: institution,
                                                   passwordHash: hash, by: officeMember)
            let token = "dg-token-\(institution)"
            try await lab.db.startSignIn(tokenHash: Tokens.hash(token), for: .staff(account), expiresAt: Date().addingTimeInterval(600))
            signIns[institution] = token
        }
        let directors = signIns
        try await lab.app().test(.router) { client in
            let facilitator = lab.browser(.facilitator)
            _ = try await client.execute(uri: "/manage/services/burial-permit/document", method: .post, headers: facilitator, body: lab.form(as: .facilitator))
            _ = try await client.execute(uri: "/manage/services/burial-permit/advance", method: .post, headers: facilitator, body: lab.form(as: .facilitator))
            #expect(try await lab.stage() == .review)
            let document = try await client.execute(uri: "/manage/services/burial-permit/document", method: .get,
                                                    headers: lab.browser(.directorGeneral))
            #expect(document.status == .ok && document.text.contains("Burial permit"))
            // Signing off before the quality team approves is refused with the rule.
            let dg = directors["Royal Oman Police"]!
            let early = try await client.execute(uri: "/manage/services/burial-permit/sign-off", method: .post,
                                                 headers: lab.browser(session: dg), body: lab.form(session: dg))
            #expect(early.status == .unprocessableContent)
            #expect(early.text.contains("يحتاج الاعتماد إلى موافقة فريق الجودة"))
            _ = try await client.execute(uri: "/manage/services/burial-permit/review", method: .post,
                                         headers: lab.browser(.qualityReviewer), body: lab.form([("verdict", "approve")], as: .qualityReviewer))
            for token in directors.values {
                let headers = lab.browser(session: token)
                let signed = try await client.execute(uri: "/manage/services/burial-permit/sign-off", method: .post,
                                                      headers: headers, body: lab.form(session: token))
                #expect(signed.status == .seeOther)
            }
        }
        #expect(try await lab.stage() == .signedOff)
        #expect(Set(try await lab.db.documentContent(service: "burial-permit").signOffs.map(\.institution)) == ["Muscat Municipality", "Royal Oman Police"])
    }

    @Test("The public page shows the report's completion and progress")
    func programmeFigures() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let page = try await client.execute(uri: "/", method: .get).text
            // One targeted service, in future-design: completion 0 ÷ 1 = 0.0%, progress 0.5 = 50.0%.
            #expect(page.contains("<span class=\"value\" id=\"completion\">0.0%</span>"))
            #expect(page.contains("<span class=\"value\" id=\"progress\">50.0%</span>"))
            let json = try JSONSerialization.jsonObject(with: Data(buffer: try await client.execute(uri: "/api/v1/report", method: .get).body)) as! [String: Any]
            let overall = json["overall"] as! [String: Any]
            #expect(overall["completion"] as? Double == 0)
            #expect(overall["progress"] as? Double == 0.5)
        }
    }

    @Test("Pages are Arabic and right-to-left by default, English and left-to-right on request")
    func languages() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let arabic = try await client.execute(uri: "/services", method: .get).text
            #expect(arabic.contains("<html lang=\"ar\" dir=\"rtl\">"))
            #expect(arabic.contains("الخدمات"))
            let english = try await client.execute(uri: "/services", method: .get, headers: [.cookie: "masar_lang=en"]).text
            #expect(english.contains("<html lang=\"en\" dir=\"ltr\">"))
            #expect(english.contains(">Services<"))
        }
    }

    @Test("Every fixed word of the pages has an Arabic and an English text")
    func wordsComplete() {
        for (key, texts) in Words.table {
            #expect(!texts.ar.isEmpty && !texts.en.isEmpty, "\(key)")
            #expect(texts.ar.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } || key == "masar", "\(key) has no Arabic")
        }
        for stage in Stage.allCases { #expect(Words.table["stage." + stage.rawValue] != nil) }
        for mode in VoteMode.allCases { #expect(Words.table["mode." + mode.rawValue] != nil) }
    }

    @Test("The API: a participant signs in with their code, casts and reads their own ballot; results are public")
    func api() async throws {
        let lab = try await WebLab()
        let vote = lab.vote, ids = lab.improvements
        try await lab.app().test(.router) { client in
            let session = try await client.execute(uri: "/api/v1/sessions", method: .post, headers: [.contentType: "application/json"],
                                                   body: ByteBuffer(string: "{\"code\": \"\(lab.codes[1])\", \"password\": \"\(password)\"}"))
            #expect(session.status == .created)
            let token = try #require((try JSONSerialization.jsonObject(with: Data(buffer: session.body)) as? [String: Any])?["token"] as? String)
            let headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(token)"]
            let cast = try await client.execute(uri: "/api/v1/votes/\(vote)/ballot", method: .post, headers: headers,
                                                body: ByteBuffer(string: "{\"choices\": {\"\(ids[2])\": 3, \"\(ids[0])\": 2}}"))
            #expect(cast.status == .ok)
            let mine = try await client.execute(uri: "/api/v1/votes/\(vote)/ballot", method: .get, headers: headers)
            #expect(mine.text == "{\"choices\":{\"\(ids[0])\":2,\"\(ids[2])\":3}}")
            let refused = try await client.execute(uri: "/api/v1/votes/\(vote)/ballot", method: .post, headers: headers,
                                                   body: ByteBuffer(string: "{\"choices\": {\"\(ids[2])\": 4}}"))
            #expect(refused.status == .unprocessableContent)
            // The API answers with the rule's code and its message in the request's language (Arabic unless asked).
            #expect(refused.text.contains("\"code\":\"dotsOverCap\""))
            #expect(refused.text.contains("\"message\":\"3 نقاط على الأكثر لتحسين واحد\""))
            var english = headers
            english[.acceptLanguage] = "en-GB,en;q=0.9,ar;q=0.5"
            let inEnglish = try await client.execute(uri: "/api/v1/votes/\(vote)/ballot", method: .post, headers: english,
                                                     body: ByteBuffer(string: "{\"choices\": {\"\(ids[2])\": 4}}"))
            #expect(inEnglish.text.contains("\"message\":\"at most 3 dots on one improvement\""))
            let results = try await client.execute(uri: "/api/v1/votes/\(vote)/results", method: .get)
            #expect(results.text.contains("\"ballotsCast\":1"))
        }
    }

    @Test("Ballots sent together share a transaction, and a refused one leaves the others recorded")
    func groupCommit() async throws {
        let lab = try await WebLab()
        let people = try await lab.db.registerParticipants((1...40).map { NewParticipant(name: "P\($0)", track: .digital, kind: .community) },
                                                     phase: "P1", by: facilitatorMember)
        let box = BallotBox(store: lab.db)
        let vote = lab.vote, first = lab.improvements[0]
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for (index, person) in people.enumerated() {
                // The 7th asks for 4 dots on one improvement, over the cap of 3.
                let choices: [Int64: Int] = [first: index == 6 ? 4 : 1]
                group.addTask {
                    (try? await box.cast(OnlineBallot(vote: vote, participant: person.code, choices: choices))) != nil
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 39)
        let results = try await lab.db.results(vote: vote)
        #expect(results.ballotsCast == 39)
        #expect(results.lines.first { $0.choice == first }?.ballots == 39)
    }
}

@Suite("Setting up labs on the web")
struct ProgrammeWebTests {
    @Test("Staff record a session, register a participant and import a map; a broken map is refused with its line and imports nothing")
    func setUp() async throws {
        let lab = try await WebLab()
        let yaml = try String(contentsOfFile: servicesFolder + "/death-registration.yaml", encoding: .utf8)
        try await lab.app().test(.router) { client in
            let facilitator = lab.browser(.facilitator)
            let session = try await client.execute(uri: "/manage/labs/1/sessions", method: .post, headers: facilitator,
                                                   body: lab.form([("heldOn", "2026-02-14"), ("place", "Nizwa"),
                                                                   ("representatives", "4"), ("community", "11")], as: .facilitator))
            #expect(session.status == .seeOther)
            let person = try await client.execute(uri: "/manage/participants", method: .post, headers: facilitator,
                                                  body: lab.form([("name", "Khalid"), ("phase", "P1"), ("track", "in-person"),
                                                                  ("kind", "institution"), ("institution", "Royal Oman Police")], as: .facilitator))
            // Post/redirect/get: the codes are on a page of their own, which a reload shows again.
            #expect(person.status == .seeOther)
            let codes = try #require(person.headers[.location])
            #expect(codes.hasPrefix("/manage/participants/registered?phase=1&from="))
            let code = try #require(try await lab.db.participants(phase: "P1").first { $0.name == "Khalid" }?.code)
            for _ in 0..<2 {
                #expect(try await client.execute(uri: codes, method: .get, headers: facilitator).text.contains(code))
            }
            #expect(try await lab.db.participants(phase: "P1").filter { $0.name == "Khalid" }.count == 1)
            // Nobody else reads them: a participant is turned away at the door.
            #expect(try await client.execute(uri: codes, method: .get, headers: lab.browser(.participant)).status == .forbidden)
            let broken = try await client.execute(uri: "/manage/labs/1/services", method: .post, headers: facilitator,
                                                  body: lab.form([("yaml", "id: broken\ntitle: {en: Broken}\n")], as: .facilitator))
            #expect(broken.status == .unprocessableContent)
            #expect(broken.text.contains("map.yaml:"))
            // In the page's language: Arabic by default, the file and line as written.
            #expect(broken.text.contains("السطر 1 من map.yaml: &#39;entity&#39; مفقود (الجهة المالكة للخدمة)"), "\(broken.text)")
            let imported = try await client.execute(uri: "/manage/labs/1/services", method: .post, headers: facilitator,
                                                    body: lab.form([("yaml", yaml)], as: .facilitator))
            #expect(imported.headers[.location]?.hasPrefix("/manage/services/death-registration") == true)
        }
        #expect(try await lab.db.sessions(lab: "Lab").map(\.place) == ["Nizwa"])
        #expect(Set(try await lab.db.statuses().map(\.service)) == ["burial-permit", "death-registration"])
    }

    @Test("Sheets pasted on the web: participants and paper ballots, every bad row named by its line, all or none")
    func sheets() async throws {
        let lab = try await WebLab()
        let ids = lab.improvements
        try await lab.app().test(.router) { client in
            let facilitator = lab.browser(.facilitator)
            let bad = try await client.execute(uri: "/manage/participants/sheet", method: .post, headers: facilitator,
                                               body: lab.form([("phase", "P1"), ("sheet", "name,track,kind,institution\nNoura,in-person,community,\nBadr,by-post,community,\n")], as: .facilitator))
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("sheet.csv:3: track &#39;by-post&#39; is not in-person or digital") || bad.text.contains("sheet.csv:3: track 'by-post'"))
            #expect(try await lab.db.participants(phase: "P1").count == 2)
            let good = try await client.execute(uri: "/manage/participants/sheet", method: .post, headers: facilitator,
                                                body: lab.form([("phase", "P1"), ("sheet", "name,track,kind,institution\nNoura,in-person,community,\nBadr,digital,community,\n")], as: .facilitator))
            #expect(good.status == .seeOther)
            let page = try await client.execute(uri: try #require(good.headers[.location]), method: .get, headers: facilitator)
            let people = try await lab.db.participants(phase: "P1").filter { ["Noura", "Badr"].contains($0.name) }
            #expect(people.count == 2)
            for person in people { #expect(page.text.contains(person.code)) }
            // Only the two just registered, not the phase's earlier participants.
            for code in lab.codes { #expect(!page.text.contains(code)) }

            // Two paper ballots, one over the cap of 3: neither is recorded.
            let sheet = "code,choices\n\(people[0].code),\(ids[0])=2;\(ids[1])=1\n\(people[1].code),\(ids[2])=4\n"
            let refused = try await client.execute(uri: "/manage/votes/\(lab.vote)/sheet", method: .post, headers: facilitator,
                                                   body: lab.form([("sheet", sheet)], as: .facilitator))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("البند 2: 3 نقاط على الأكثر لتحسين واحد"))
            #expect(try await lab.db.results(vote: lab.vote).ballotsCast == 0)
            let fixed = sheet.replacingOccurrences(of: "=4", with: "=3")
            let recorded = try await client.execute(uri: "/manage/votes/\(lab.vote)/sheet", method: .post, headers: facilitator,
                                                    body: lab.form([("sheet", fixed)], as: .facilitator))
            #expect(recorded.status == .seeOther)
            #expect(try await lab.db.results(vote: lab.vote).ballotsCast == 2)
        }
    }
}
