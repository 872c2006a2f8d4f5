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
        try await db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits, severity: 4,
                            source: .community, text: "<script>alert('x')</script> | **bold** # زيارة ثانية",
                            by: Member(name: "Salim <b>", role: .community, phase: 1))
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
