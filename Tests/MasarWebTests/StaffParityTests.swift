import Foundation
import Hummingbird
import HummingbirdTesting
import MasarCore
import MasarStore
import Testing
@testable import MasarWeb

/// A `multipart/form-data` body as a browser sends a form with a file input.
struct MultipartBody {
    static let boundary = "----MasarTestBoundary7MA4YWxkTrZu0gW"

    var fields: [(String, String)]
    var file: (name: String, filename: String, data: Data)?

    var buffer: ByteBuffer {
        var bytes = Data()
        for (name, value) in fields {
            bytes += Data("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            bytes += Data("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            bytes += file.data + Data("\r\n".utf8)
        }
        bytes += Data("--\(Self.boundary)--\r\n".utf8)
        return ByteBuffer(bytes: bytes)
    }
}

extension WebLab {
    /// A browser's headers for a multipart form, signed in as `visitor`.
    func multipartBrowser(_ visitor: Visitor) -> HTTPFields {
        var headers = browser(visitor)
        headers[.contentType] = "multipart/form-data; boundary=\(MultipartBody.boundary)"
        return headers
    }

    /// The form token `visitor`'s pages carry.
    func token(_ visitor: Visitor) -> String { formToken(session: tokens["\(visitor)"]) }
}

/// A small BPMN model: fill in, check, and either go back or finish (the importer warns that the
/// check can end the process or go on).
let applyBPMN = """
    <?xml version="1.0" encoding="UTF-8"?>
    <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
    <process id="p" name="Apply for a permit"><startEvent id="s"/><task id="fill" name="Fill in the form"/>
      <task id="check" name="Check the form"/><exclusiveGateway id="g" name="Complete?"/>
      <endEvent id="done" name="Form accepted"/>
      <sequenceFlow id="f1" sourceRef="s" targetRef="fill"/><sequenceFlow id="f2" sourceRef="fill" targetRef="check"/>
      <sequenceFlow id="f3" sourceRef="check" targetRef="g"/>
      <sequenceFlow id="f4" sourceRef="g" targetRef="fill" name="no"/>
      <sequenceFlow id="f5" sourceRef="g" targetRef="done" name="yes"/></process>
    </definitions>
    """

@Suite("Staff at parity with the CLI")
struct StaffParityTests {
    // MARK: Accounts

    @Test("The programme office creates an account on the web; a facilitator trying is turned away and nothing is created")
    func createAccount() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let page = try await client.execute(uri: "/manage/accounts", method: .get, headers: lab.browser(.programmeOffice))
            #expect(page.status == .ok && page.text.contains("id=\"create-account\""))
            let fields = [("name", "Aisha"), ("role", "facilitator"), ("password", "a long enough pass")]
            let attack = try await client.execute(uri: "/manage/accounts", method: .post, headers: lab.browser(.facilitator),
                                                  body: lab.form(fields, as: .facilitator))
            #expect(attack.status == .forbidden)
            #expect(try await lab.db.account(named: "Aisha") == nil)

            let created = try await client.execute(uri: "/manage/accounts", method: .post, headers: lab.browser(.programmeOffice),
                                                   body: lab.form(fields, as: .programmeOffice))
            #expect(created.status == .seeOther)
            #expect(created.headers[.location] == "/manage/accounts?notice=accountCreated")
            let account = try #require(try await lab.db.account(named: "Aisha"))
            #expect(account.role == .facilitator)
            #expect(try await lab.db.auditLog().last?.action == "create account")
            // The new account signs in with the password typed.
            let signIn = try await client.execute(uri: "/staff/signin", method: .post, headers: lab.browser(.nobody),
                                                  body: lab.form([("name", "Aisha"), ("password", "a long enough pass")], as: .nobody))
            #expect(signIn.status == .seeOther && signIn.headers[.location] == "/dashboard")
        }
    }

    @Test("A password of 9 characters is refused in the page's language, and no account is made")
    func createAccountShortPassword() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let refused = try await client.execute(uri: "/manage/accounts", method: .post, headers: lab.browser(.programmeOffice),
                                                   body: lab.form([("name", "Aisha"), ("role", "facilitator"), ("password", "123456789")],
                                                                  as: .programmeOffice))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains(Refusal(.passwordTooShort, ["limit": "10"]).message(in: .arabic)))
        }
        #expect(try await lab.db.account(named: "Aisha") == nil)
    }

    @Test("A reset password signs the account's holder out at once, the new one signs in, and the reset is in the audit log")
    func resetPassword() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            // The facilitator is signed in, and their page answers.
            let before = try await client.execute(uri: "/dashboard", method: .get, headers: lab.browser(.facilitator))
            #expect(before.status == .ok)
            let reset = try await client.execute(uri: "/manage/accounts/password", method: .post, headers: lab.browser(.programmeOffice),
                                                 body: lab.form([("name", "facilitator"), ("password", "a brand new password")],
                                                                as: .programmeOffice))
            #expect(reset.status == .seeOther)
            #expect(reset.headers[.location] == "/manage/accounts?notice=passwordReset")
            // The old sign-in has ended: the dashboard sends them to sign in again.
            let after = try await client.execute(uri: "/dashboard", method: .get, headers: lab.browser(.facilitator))
            #expect(after.status == .seeOther && after.headers[.location]?.hasPrefix("/staff/signin") == true)
            func signIn(_ password: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/staff/signin", method: .post, headers: lab.browser(.nobody),
                                         body: lab.form([("name", "facilitator"), ("password", password)], as: .nobody)).status
            }
            #expect(try await signIn(password) == .unauthorized)
            #expect(try await signIn("a brand new password") == .seeOther)
        }
        let entry = try #require(try await lab.db.auditLog().last { $0.action == "reset password" })
        #expect(entry.who == "programme-office" && entry.note == "facilitator (facilitator)")
    }

    @Test("A reset is refused to a facilitator, to a forged form, and for an account that does not exist")
    func resetPasswordAttacks() async throws {
        let lab = try await WebLab()
        let fields = [("name", "programme-office"), ("password", "taken over, I hope")]
        try await lab.app().test(.router) { client in
            let byFacilitator = try await client.execute(uri: "/manage/accounts/password", method: .post,
                                                         headers: lab.browser(.facilitator), body: lab.form(fields, as: .facilitator))
            #expect(byFacilitator.status == .forbidden)
            // The office's own browser, but the form does not carry its token (another site made it).
            let forged = try await client.execute(uri: "/manage/accounts/password", method: .post, headers: lab.browser(.programmeOffice),
                                                  body: ByteBuffer(string: "name=facilitator&password=taken+over%2C+I+hope"))
            #expect(forged.status == .forbidden)
            let nobody = try await client.execute(uri: "/manage/accounts/password", method: .post, headers: lab.browser(.programmeOffice),
                                                  body: lab.form([("name", "nobody"), ("password", "a long enough pass")], as: .programmeOffice))
            #expect(nobody.status == .notFound)
            // Every account still signs in with its old password.
            for name in ["programme-office", "facilitator"] {
                let signIn = try await client.execute(uri: "/staff/signin", method: .post, headers: lab.browser(.nobody),
                                                      body: lab.form([("name", name), ("password", password)], as: .nobody))
                #expect(signIn.status == .seeOther, "\(name)")
            }
        }
        #expect(try await lab.db.auditLog().contains { $0.action == "reset password" } == false)
    }

    // MARK: The participant list

    @Test("The programme office reads a phase's codes, one card each, printable without the navigation")
    func participantList() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let page = try await client.execute(uri: "/manage/participants?phase=P1", method: .get, headers: lab.browser(.programmeOffice))
            #expect(page.status == .ok)
            #expect(page.text.components(separatedBy: "class=\"code-card\"").count - 1 == 2)
            for code in lab.codes { #expect(page.text.contains("<bdi class=\"code\" dir=\"ltr\">\(code)</bdi>")) }
            #expect(page.text.contains("Salim") && page.text.contains("Maryam"))
            let css = try await client.execute(uri: "/assets/masar.css", method: .get)
            let print = try #require(css.text.range(of: "@media print {"))
            #expect(css.text[print.upperBound...].hasPrefix("\n  header.top, nav, footer"))
            // The facilitator of the phase's lab reads it too.
            let facilitator = try await client.execute(uri: "/manage/participants?phase=P1", method: .get, headers: lab.browser(.facilitator))
            #expect(facilitator.status == .ok && facilitator.text.contains(lab.codes[0]))
        }
    }

    @Test("Codes are shown to nobody else: not a participant, not a reviewer, not a facilitator of another phase")
    func participantListAttacks() async throws {
        let lab = try await WebLab()
        try await lab.db.createPhase(name: "P2", startsOn: "2026-04-01", sectors: [], by: officeMember)
        let other = try await lab.db.registerParticipant(phase: "P2", name: "Zainab", track: .inPerson, kind: .community, by: officeMember)
        try await lab.app().test(.router) { client in
            let participant = try await client.execute(uri: "/manage/participants?phase=P1", method: .get, headers: lab.browser(.participant))
            #expect(participant.status == .forbidden && !participant.text.contains(lab.codes[1]))
            let reviewer = try await client.execute(uri: "/manage/participants?phase=P1", method: .get, headers: lab.browser(.qualityReviewer))
            #expect(reviewer.status == .forbidden && !reviewer.text.contains(lab.codes[1]))
            // The facilitator runs no lab of P2.
            let facilitator = try await client.execute(uri: "/manage/participants?phase=P2", method: .get, headers: lab.browser(.facilitator))
            #expect(facilitator.status == .unprocessableContent)
            #expect(!facilitator.text.contains(other.code))
        }
    }

    // MARK: Uploads

    @Test("A map file uploaded from a file input is imported into the lab, and the page after it links to the service")
    func uploadMap() async throws {
        let lab = try await WebLab()
        let yaml = try Data(contentsOf: URL(fileURLWithPath: servicesFolder + "/death-registration.yaml"))
        try await lab.app().test(.router) { client in
            let body = MultipartBody(fields: [("_form", lab.token(.facilitator))], file: ("file", "death-registration.yaml", yaml))
            let upload = try await client.execute(uri: "/manage/labs/1/upload", method: .post, headers: lab.multipartBrowser(.facilitator),
                                                  body: body.buffer)
            #expect(upload.status == .seeOther, "\(upload.text)")
            let location = try #require(upload.headers[.location])
            #expect(location.hasPrefix("/manage/uploads/"))
            let page = try await client.execute(uri: location, method: .get, headers: lab.browser(.facilitator))
            #expect(page.text.contains("href=\"/manage/services/death-registration\""))
            // Only the uploader reads what their upload did.
            let office = try await client.execute(uri: location, method: .get, headers: lab.browser(.programmeOffice))
            #expect(office.status == .forbidden)
        }
        #expect(try await lab.db.services(lab: 1).contains("death-registration"))
    }

    @Test("A BPMN model goes through the importer, and its warnings are shown")
    func uploadBPMN() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let body = MultipartBody(fields: [("_form", lab.token(.facilitator))], file: ("file", "apply.bpmn", Data(applyBPMN.utf8)))
            let upload = try await client.execute(uri: "/manage/labs/1/upload", method: .post, headers: lab.multipartBrowser(.facilitator),
                                                  body: body.buffer)
            #expect(upload.status == .seeOther, "\(upload.text)")
            let page = try await client.execute(uri: try #require(upload.headers[.location]), method: .get, headers: lab.browser(.facilitator))
            // The default page is Arabic, and so are the importer's warnings on it.
            #expect(page.text.contains("قد تُنهي العملية أو تستمر"))
            #expect(page.text.contains("<li lang=\"ar\" dir=\"rtl\">Apply for a permit: "))
        }
        #expect(try await lab.db.services(lab: 1).count == 2)
    }

    @Test("An upload that is neither YAML nor BPMN, a forged one, and malformed bodies change nothing")
    func uploadAttacks() async throws {
        let lab = try await WebLab()
        let yaml = try Data(contentsOf: URL(fileURLWithPath: servicesFolder + "/death-registration.yaml"))
        try await lab.app().test(.router) { client in
            func post(_ body: ByteBuffer, contentType: String = "multipart/form-data; boundary=\(MultipartBody.boundary)",
                      as visitor: Visitor = .facilitator) async throws -> TestResponse {
                var headers = lab.browser(visitor)
                headers[.contentType] = contentType
                return try await client.execute(uri: "/manage/labs/1/upload", method: .post, headers: headers, body: body)
            }
            let token = [("_form", lab.token(.facilitator))]
            let png = try await post(MultipartBody(fields: token, file: ("file", "photo.png", Data([0x89, 0x50, 0x4E, 0x47]))).buffer)
            #expect(png.status == .badRequest && png.text.contains("الملف ليس خريطة خدمة"))
            // Named .yaml, but not a map: refused with what is wrong, nothing imported.
            let notAMap = try await post(MultipartBody(fields: token, file: ("file", "evil.yaml", Data("just: [words".utf8))).buffer)
            #expect(notAMap.status == .unprocessableContent)
            let notBPMN = try await post(MultipartBody(fields: token, file: ("file", "evil.bpmn", Data("<html></html>".utf8))).buffer)
            #expect(notBPMN.status == .unprocessableContent)
            // A map without the form token: another site's form.
            let forged = try await post(MultipartBody(fields: [], file: ("file", "death-registration.yaml", yaml)).buffer)
            #expect(forged.status == .forbidden)
            // No boundary named, no closing boundary, a body over the upload limit.
            let noBoundary = try await post(MultipartBody(fields: token, file: ("file", "d.yaml", yaml)).buffer,
                                            contentType: "multipart/form-data")
            #expect(noBoundary.status == .badRequest)
            var unclosed = MultipartBody(fields: token, file: ("file", "d.yaml", yaml)).buffer
            unclosed.moveWriterIndex(to: unclosed.writerIndex - "--\(MultipartBody.boundary)--\r\n".utf8.count - 2)
            #expect(try await post(unclosed).status == .badRequest)
            let huge = try await post(MultipartBody(fields: token, file: ("file", "d.yaml", Data(count: 65 * 1024))).buffer)
            #expect(huge.status == .contentTooLarge)
            // A reviewer may not import at all.
            let reviewer = try await post(MultipartBody(fields: [("_form", lab.token(.qualityReviewer))],
                                                        file: ("file", "death-registration.yaml", yaml)).buffer, as: .qualityReviewer)
            #expect(reviewer.status == .forbidden)
        }
        #expect(try await lab.db.services(lab: 1) == ["burial-permit"])
    }

    // MARK: Downloads

    @Test("The programme report downloads as CSV, Markdown and HTML, each with its type and a file name")
    func reportDownloads() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let expectations: [(String, String, String, String)] = [
                ("csv", "text/csv; charset=utf-8", "programme-report.csv", "section,group,figure,value\n"),
                ("markdown", "text/markdown; charset=utf-8", "programme-report.md", "# "),
                ("html", "text/html; charset=utf-8", "programme-report.html", "<!doctype html>"),
            ]
            for (format, type, file, start) in expectations {
                let response = try await client.execute(uri: "/report/download?format=\(format)", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == type)
                #expect(response.headers[.contentDisposition] == "attachment; filename=\"\(file)\"")
                #expect(response.text.lowercased().hasPrefix(start.lowercased()), "\(format): \(response.text.prefix(40))")
            }
            // One phase: the CSV's overall line names it; burial permit, 1 targeted.
            let phase = try await client.execute(uri: "/report/download?format=csv&phase=P1", method: .get)
            #expect(phase.text.contains("overall,P1,targeted,1\n"))
            #expect(try await client.execute(uri: "/report/download?format=pdf", method: .get).status == .badRequest)
            #expect(try await client.execute(uri: "/report/download?format=csv&phase=P9", method: .get).status == .notFound)
        }
    }

    @Test("The lab document downloads as Markdown for staff; a participant is turned away")
    func documentMarkdown() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let document = try await client.execute(uri: "/manage/services/burial-permit/document.md", method: .get,
                                                    headers: lab.browser(.qualityReviewer))
            #expect(document.status == .ok)
            #expect(document.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(document.headers[.contentDisposition] == "attachment; filename=\"burial-permit.md\"")
            #expect(document.text.hasPrefix("# ") && document.text.contains("Burial permit"))
            let participant = try await client.execute(uri: "/manage/services/burial-permit/document.md", method: .get,
                                                       headers: lab.browser(.participant))
            #expect(participant.status == .forbidden)
        }
    }

    // MARK: Facilitators, closing times, paper ballots

    @Test("The programme office assigns a lab's facilitator; a facilitator cannot, nor can a reviewer's account be assigned")
    func assignFacilitator() async throws {
        let lab = try await WebLab()
        try await lab.db.createLab(name: "Lab 2", phase: "P1", sectors: [], facilitators: [], by: officeMember)
        try await lab.app().test(.router) { client in
            let attack = try await client.execute(uri: "/manage/labs/2/facilitators", method: .post, headers: lab.browser(.facilitator),
                                                  body: lab.form([("account", "facilitator")], as: .facilitator))
            #expect(attack.status == .forbidden)
            let reviewer = try await client.execute(uri: "/manage/labs/2/facilitators", method: .post, headers: lab.browser(.programmeOffice),
                                                    body: lab.form([("account", "quality-reviewer")], as: .programmeOffice))
            #expect(reviewer.status == .unprocessableContent)
            #expect(try await lab.db.labs().first { $0.id == 2 }?.facilitators == [])
            let assigned = try await client.execute(uri: "/manage/labs/2/facilitators", method: .post, headers: lab.browser(.programmeOffice),
                                                    body: lab.form([("account", "facilitator")], as: .programmeOffice))
            #expect(assigned.status == .seeOther)
        }
        #expect(try await lab.db.labs().first { $0.id == 2 }?.facilitators == ["facilitator"])
    }

    @Test("A vote closes at the minute typed, read as Muscat time (UTC+04:00); a time that is not one names the field")
    func closingTime() async throws {
        let lab = try await WebLab()
        // Three days from now, at 18:30 in Muscat: 14:30 UTC that day.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Muscat")!
        let day = calendar.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(3 * 86_400))
        let date = String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!)
        try await lab.app().test(.router) { client in
            func open(_ closes: String) async throws -> TestResponse {
                try await client.execute(uri: "/manage/services/burial-permit/votes", method: .post, headers: lab.browser(.facilitator),
                                         body: lab.form([("mode", "support"), ("question-en", "First?"), ("closes", closes), ("limit", "1")],
                                                        as: .facilitator))
            }
            let bad = try await open("in three days")
            // Shown again as typed, the refusal in Arabic naming the field by its label.
            #expect(bad.status == .unprocessableContent && bad.text.contains("value=\"in three days\""))
            #expect(bad.text.contains("حقل «يُغلق في (بتوقيت مسقط)» يحتاج إلى تاريخ ووقت"))
            let opened = try await open("\(date)T18:30")
            #expect(opened.status == .seeOther)
        }
        let vote = try #require(try await lab.db.votes(service: "burial-permit").first { $0.question == "First?" })
        #expect(LabRules.instant(vote.closesAt) == "\(date)T14:30:00Z")
    }

    @Test("A facilitator replaces and withdraws a recorded paper ballot, audit-logged; never a ballot cast online")
    func paperBallots() async throws {
        let lab = try await WebLab()
        let ids = lab.improvements, vote = lab.vote
        try await lab.db.castBallot(vote: vote, participant: lab.codes[1], choices: [ids[2]: 1], origin: .online,
                                    by: try #require(try await lab.db.member(named: lab.codes[1])))
        try await lab.app().test(.router) { client in
            func record(_ choices: [(String, String)]) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/manage/votes/\(vote)/ballots", method: .post, headers: lab.browser(.facilitator),
                                         body: lab.form([("code", lab.codes[0])] + choices, as: .facilitator)).status
            }
            #expect(try await record([("choice-\(ids[0])", "3")]) == .seeOther)
            #expect(try await record([("choice-\(ids[1])", "2")]) == .seeOther)
            #expect(try await lab.db.ballot(vote: vote, participant: lab.codes[0]) == [ids[1]: 2])
            func withdraw(_ code: String, as visitor: Visitor = .facilitator) async throws -> TestResponse {
                try await client.execute(uri: "/manage/votes/\(vote)/ballots/withdraw", method: .post, headers: lab.browser(visitor),
                                         body: lab.form([("code", code)], as: visitor))
            }
            // Maryam's own online ballot is hers alone to withdraw.
            let online = try await withdraw(lab.codes[1])
            #expect(online.status == .unprocessableContent)
            #expect(online.text.contains(Refusal(.ballotCastOnline, ["code": lab.codes[1], "vote": String(vote)]).message(in: .arabic)))
            #expect(try await withdraw(lab.codes[0], as: .qualityReviewer).status == .forbidden)
            let withdrawn = try await withdraw(lab.codes[0].lowercased())
            #expect(withdrawn.status == .seeOther)
            #expect(withdrawn.headers[.location] == "/manage/services/burial-permit?notice=ballotWithdrawnForThem")
        }
        #expect(try await lab.db.ballot(vote: vote, participant: lab.codes[0]) == nil)
        #expect(try await lab.db.ballot(vote: vote, participant: lab.codes[1]) == [ids[2]: 1])
        let actions = try await lab.db.auditLog(service: "burial-permit").map(\.action).suffix(3)
        #expect(Array(actions) == ["record ballot", "record ballot", "withdraw ballot"])
    }
}
