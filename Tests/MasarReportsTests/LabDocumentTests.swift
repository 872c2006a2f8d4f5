import Foundation
import MasarCore
import Testing
@testable import MasarReports
@testable import MasarStore

private let servicesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Services").path

@Suite("The lab output document")
struct LabDocumentTests {
    /// Burial permit in review, with a hostile pain point and a requested amendment behind it.
    func content() async throws -> LabDocumentContent {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
        let db = try SQLiteLabStore.open(path: path)
        let facilitator = Member(name: "Aisha", role: .facilitator)
        try await db.createPhase(name: "P1", startsOn: "2023-01-01", sectors: [], by: facilitator)
        try await db.createLab(name: "Lab", phase: "P1", sectors: [], by: facilitator)
        try await db.importService(yaml: try String(contentsOfFile: "\(servicesFolder)/burial-permit.yaml", encoding: .utf8),
                             file: "burial-permit.yaml", lab: "Lab", by: facilitator)
        try await db.advance(service: "burial-permit", by: facilitator)
        let point = try await db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits, severity: 4,
                                              source: .community, text: "<script>alert('x')</script> | **bold** # زيارة ثانية",
                                              by: Member(name: "Salim <b>", role: .community, phase: 1))
        try await db.moderate(.painPoint(point.id!), publish: true, by: facilitator)
        try await db.advance(service: "burial-permit", by: facilitator)
        try await db.recordDocument(service: "burial-permit", revision: 1, sha256: "v1", by: facilitator)
        try await db.advance(service: "burial-permit", by: facilitator)
        try await db.review(service: "burial-permit", verdict: .amend, reasons: "Name the system", by: Member(name: "QC", role: .qualityReviewer))
        return try await db.documentContent(service: "burial-permit")
    }

    @Test("It holds every section reviewers read, in English and Arabic")
    func sections() async throws {
        let document = try LabDocument.make(try await content())
        let markdown = document.markdown
        for heading in ["## Who took part · المشاركون", "## Current path · المسار الحالي", "## Pain points · نقاط الألم",
                        "## Improvements · التحسينات", "## Future path · المسار المستقبلي", "## Before and after · قبل وبعد",
                        "## Review history · سجل المراجعة", "## Sign-offs · الاعتماد"] {
            #expect(markdown.contains(heading), "missing \(heading)")
        }
        #expect(markdown.contains("| Name the system |"))
        // the future path's institutions still to sign
        #expect(markdown.contains("| Muscat Municipality | awaiting · بانتظار الاعتماد |  |"))
        let html = document.html
        #expect(html.components(separatedBy: "<svg").count - 1 == 2) // the current path and the comparison
        #expect(html.contains("<span lang=\"ar\" dir=\"rtl\">المسار الحالي</span>"))
    }

    @Test("Text from forms cannot become markup in either format")
    func escaping() async throws {
        let document = try LabDocument.make(try await content())
        #expect(!document.html.contains("<script>"))
        #expect(document.html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(!document.html.contains("Salim <b>"))
        #expect(!document.markdown.contains("<script>"))
        #expect(document.markdown.contains("\\| \\*\\*bold\\*\\* # زيارة ثانية"))
    }
}

@Suite("The lab output document on a phone and on A4")
struct LabDocumentFormTests {
    @Test("It declares its language and direction, English left to right, with Arabic runs marked")
    func languageAndDirection() async throws {
        let html = try LabDocument.make(try await LabDocumentTests().content()).html
        #expect(html.contains("<html lang=\"en\" dir=\"ltr\">"))
        #expect(html.contains("<body>\n<main>\n<h1>")) // one landmark holds the content
        #expect(html.contains("<th>Name · <span lang=\"ar\" dir=\"rtl\">الاسم</span></th>"))
        #expect(html.contains("<td><span lang=\"ar\" dir=\"rtl\">طلب تصريح الدفن من البلدية</span></td>"))
        // the hostile pain point: its Arabic run marked, its markup still text
        #expect(html.contains("| **bold** # <span lang=\"ar\" dir=\"rtl\">زيارة ثانية</span>"))
    }

    @Test("Arabic runs: whole words, with the digits and punctuation between them, nothing of the English")
    func marking() {
        #expect(Document.marked("awaiting · بانتظار الاعتماد") == "awaiting · <span lang=\"ar\" dir=\"rtl\">بانتظار الاعتماد</span>")
        #expect(Document.marked("مستندات: 3 — لدى الشرطة and more") == "<span lang=\"ar\" dir=\"rtl\">مستندات: 3 — لدى الشرطة</span> and more")
        #expect(Document.marked("Steps 3 · 5") == "Steps 3 · 5")
        #expect(Document.marked("<عربي> & x") == "<span lang=\"ar\" dir=\"rtl\">&lt;عربي&gt;</span> &amp; x")
    }

    @Test("Each diagram has its phone form and a text alternative with the headline figures")
    func phoneForm() async throws {
        let content = try await LabDocumentTests().content()
        let html = try LabDocument.make(content).html
        #expect(html.components(separatedBy: "<div class=\"sl\">").count - 1 == 2) // the current path and the comparison
        #expect(html.components(separatedBy: "<div class=\"diagram-wide\" tabindex=\"0\"><svg role=\"img\" aria-label=\"Current path: Steps ").count - 1 == 2)
        for step in content.map.current.steps {
            #expect(html.contains("<b lang=\"en\" dir=\"ltr\">\(step.title.en!.htmlEscaped)</b>"), "\(step.id)")
        }
        // the phone form shows the pain-point badge the drawn diagram shows
        #expect(html.contains("<span class=\"sl-badge\"><bdi lang=\"en\" dir=\"ltr\">⚑ 1 pain point</bdi>"))
        #expect(html.contains("@media screen and (max-width:47.99rem){.sl{display:block}.diagram-wide{display:none}}"))
    }

    @Test("It prints on A4: page size and margins, no table row or figure split, diagrams fitted to the page")
    func print() async throws {
        let html = try LabDocument.make(try await LabDocumentTests().content()).html
        #expect(html.contains("@page{size:A4;margin:14mm 12mm}"))
        #expect(html.contains("figure,tr,li{break-inside:avoid}"))
        #expect(html.contains(".diagram-wide svg{width:100%;height:auto;max-height:240mm}"))
        #expect(html.contains("<div class=\"scroll\" tabindex=\"0\"><table>"))
        // burial permit's comparison is wider than tall: it prints on a landscape page
        #expect(html.contains("@page landscape{size:A4 landscape;margin:12mm}"))
        #expect(html.components(separatedBy: "<figure class=\"landscape\">").count - 1 == 1)
        #expect(Document.isWide(Data("<svg width=\"900pt\" height=\"400pt\"".utf8)))
        #expect(!Document.isWide(Data("<svg width=\"300pt\" height=\"400pt\"".utf8)))
        #expect(!Document.isWide(Data("<svg viewBox=\"0 0 360 40\"".utf8)))
    }
}
