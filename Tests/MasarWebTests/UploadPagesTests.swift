import Foundation
import Hummingbird
import HummingbirdTesting
import MasarCore
import Testing
@testable import MasarWeb

/// The BPMN importer's warnings and refusals read in the page's language, marked with it.
@Suite("UploadPages in the page's language")
struct UploadPagesTests {
    /// The upload, then the page it redirects to, from a browser whose pages are in `language`.
    private func upload(_ bpmn: String, in language: Language, lab: WebLab,
                        client: some TestClientProtocol) async throws -> (upload: TestResponse, page: TestResponse?) {
        var post = lab.multipartBrowser(.facilitator)
        var get = lab.browser(.facilitator)
        if language == .english {
            post[.cookie] = post[.cookie]! + "; masar_lang=en"
            get[.cookie] = get[.cookie]! + "; masar_lang=en"
        }
        let body = MultipartBody(fields: [("_form", lab.token(.facilitator))], file: ("file", "apply.bpmn", Data(bpmn.utf8)))
        let upload = try await client.execute(uri: "/manage/labs/1/upload", method: .post, headers: post, body: body.buffer)
        guard let location = upload.headers[.location] else { return (upload, nil) }
        return (upload, try await client.execute(uri: location, method: .get, headers: get))
    }

    @Test("An Arabic page shows the importer's warnings in Arabic, marked right-to-left; an English page in English")
    func warningsInThePagesLanguage() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let arabic = try #require(try await upload(applyBPMN, in: .arabic, lab: lab, client: client).page)
            #expect(arabic.text.contains("<li lang=\"ar\" dir=\"rtl\">Apply for a permit: "), "\(arabic.text)")
            #expect(arabic.text.contains("قد تُنهي العملية أو تستمر، وخطوة النهاية"))
            #expect(!arabic.text.contains("can end the process or go on"))

            let english = try #require(try await upload(applyBPMN, in: .english, lab: lab, client: client).page)
            #expect(english.text.contains("<li lang=\"en\" dir=\"ltr\">Apply for a permit: "), "\(english.text)")
            #expect(english.text.contains("can end the process or go on"))
            #expect(!english.text.contains("قد تُنهي العملية"))
        }
    }

    @Test("A BPMN file the importer refuses is refused in Arabic on an Arabic page, in English on an English one")
    func refusalsInThePagesLanguage() async throws {
        let lab = try await WebLab()
        let loop = applyBPMN.replacingOccurrences(of: "targetRef=\"done\"", with: "targetRef=\"fill\"")
        try await lab.app().test(.router) { client in
            let arabic = try await upload(loop, in: .arabic, lab: lab, client: client).upload
            #expect(arabic.status == .unprocessableContent)
            #expect(arabic.text.contains("لا يبلغ التدفق من"), "\(arabic.text)")
            let english = try await upload(loop, in: .english, lab: lab, client: client).upload
            #expect(english.status == .unprocessableContent)
            #expect(english.text.contains("the flow never reaches an end"), "\(english.text)")
        }
        #expect(try await lab.db.services(lab: 1) == ["burial-permit"])
    }
}
