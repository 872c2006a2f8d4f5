import Foundation
import Hummingbird
import HummingbirdTesting
import MasarCore
import Testing
@testable import MasarWeb

@Suite("Phone: diagrams in a phone form and charts that scale, each with a text alternative")
struct PhoneTests {
    @Test("The service page holds the drawn diagram and its phone form, both in the page's language")
    func servicePage() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let arabic = try await client.execute(uri: "/services/burial-permit", method: .get).text
            // burial permit: five current steps, four future ones
            #expect(arabic.contains("<figure class=\"diagram diagram-wide\" dir=\"ltr\" tabindex=\"0\"><svg role=\"img\" aria-label=\"المسار الحالي: الخطوات 5، "))
            #expect(arabic.contains("؛ المسار المستقبلي: الخطوات 4، "))
            #expect(arabic.contains("<div class=\"sl\">"))
            #expect(arabic.contains("<h3><bdi lang=\"ar\" dir=\"rtl\">المسار الحالي</bdi></h3>"))
            for title in ["طلب تصريح الدفن من البلدية", "التحقق من البلاغ ومكان الوفاة", "استقبال البلدية بلاغ الوفاة من المستشفى"] {
                #expect(arabic.contains("<b lang=\"ar\" dir=\"rtl\">\(title)</b>"), "\(title)")
            }
            #expect(arabic.components(separatedBy: "<li class=\"sl-step").count - 1 == 9)
            let english = try await client.execute(uri: "/services/burial-permit", method: .get,
                                                   headers: [.cookie: "masar_lang=en"]).text
            #expect(english.contains("<svg role=\"img\" aria-label=\"Current path: Steps 5, "))
            #expect(english.contains("<b lang=\"en\" dir=\"ltr\">Apply for the burial permit at the municipality</b>"))
            #expect(!english.contains("<b lang=\"ar\""))
        }
    }

    @Test("The stylesheet switches to the phone form below 48rem")
    func stylesheet() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let css = try await client.execute(uri: "/assets/masar.css", method: .get).text
            #expect(css.contains("header.top {")) // the site's own rules, then the phone form's
            #expect(css.contains("@media screen and (max-width:47.99rem){.sl{display:block}.diagram-wide{display:none}}"))
        }
    }

    @Test("The home page's charts scale (viewBox, full width) and say their figures in the page's language")
    func charts() async throws {
        let lab = try await WebLab()
        try await lab.app().test(.router) { client in
            let arabic = try await client.execute(uri: "/", method: .get).text
            #expect(arabic.contains("viewBox=\"0 0 360 47\" width=\"100%\""))
            #expect(arabic.contains("aria-label=\"الإنجاز حسب المرحلة: P1 0.0%\""))
            #expect(arabic.contains(">تصميم المسار المستقبلي</text>")) // the legend's stage names
            let english = try await client.execute(uri: "/", method: .get, headers: [.cookie: "masar_lang=en"]).text
            #expect(english.contains("aria-label=\"Completion by phase: P1 0.0%\""))
        }
    }
}
