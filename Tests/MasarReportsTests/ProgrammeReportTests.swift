import Foundation
import MasarCore
import GRDB
import Testing
@testable import MasarReports
@testable import MasarStore

private let servicesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Services").path
private let facilitator = Member(name: "Aisha", role: .facilitator)

/// Phase 1 targets four services: burial permit signed off, death registration in pain-points,
/// work permit in mapping, and one not imported yet. Phase 2 targets marriage registration,
/// in future-design.
private func programme() async throws -> SQLLabStore {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
    let db = try SQLiteLabStore.open(path: path)
    try await db.createPhase(name: "Phase 1", startsOn: "2023-01-01", sectors: [],
                       targets: ["burial-permit", "death-registration", "work-permit", "not-yet-mapped"], by: facilitator)
    try await db.createPhase(name: "Phase 2", startsOn: "2023-05-01", sectors: [], targets: ["marriage-contract-registration"],
                       by: facilitator)
    try await db.createLab(name: "L1", phase: "Phase 1", sectors: [], by: facilitator)
    try await db.createLab(name: "L2", phase: "Phase 2", sectors: [], by: facilitator)
    func load(_ id: String) async throws -> (yaml: String, file: String) {
        (try String(contentsOfFile: "\(servicesFolder)/\(id).yaml", encoding: .utf8), id)
    }
    try await db.importServices([try load("burial-permit"), try load("death-registration"), try load("work-permit")], lab: "L1", by: facilitator)
    try await db.importServices([try load("marriage-contract-registration")], lab: "L2", by: facilitator)
    for id in ["burial-permit", "death-registration", "marriage-contract-registration"] {
        try await db.advance(service: id, by: facilitator)
    }
    for id in ["burial-permit", "marriage-contract-registration"] {
        let step = try await db.latestMap(service: id).current.steps[0].id
        try await db.addPainPoint(service: id, step: step, category: .visits, severity: 3, source: .survey, text: "x", by: facilitator)
        try await db.advance(service: id, by: facilitator)
    }
    try await db.recordDocument(service: "burial-permit", revision: 1, sha256: "d", by: facilitator)
    try await db.advance(service: "burial-permit", by: facilitator)
    try await db.review(service: "burial-permit", verdict: .approve, reasons: "", by: Member(name: "QC", role: .qualityReviewer))
    for institution in ["Muscat Municipality", "Royal Oman Police"] {
        try await db.signOff(service: "burial-permit", institution: institution, by: Member(name: "DG", role: .directorGeneral, institution: institution))
    }
    try await db.registerParticipants([NewParticipant(name: "A", track: .inPerson, kind: .community),
                                 NewParticipant(name: "B", track: .digital, kind: .community),
                                 NewParticipant(name: "C", track: .digital, kind: .community),
                                 NewParticipant(name: "D", track: .inPerson, kind: .institution, institution: "Ministry of Health"),
                                 NewParticipant(name: "E", track: .inPerson, kind: .institution, institution: "Ministry of Health")],
                                phase: "Phase 1", by: facilitator)
    try await db.recordSession(lab: "L1", heldOn: "2023-01-15", place: "Muscat", institutionRepresentatives: 2, communityMembers: 1,
                         by: facilitator)
    return db
}

@Suite("The programme report")
struct ProgrammeReportTests {
    @Test("Completion and progress as DESIGN defines them, by phase")
    func figures() async throws {
        let report = ProgrammeReport.make(try await programme().programmeSnapshot())
        // 5 targeted, 1 signed off: completion 1/5 = 20%.
        // weights: signed-off 1, pain-points 0.25, mapping 0, not imported 0, future-design 0.5 → 1.75 / 5 = 35%
        #expect(report.overall.targeted == 5 && report.overall.signedOff == 1)
        #expect(report.overall.completion == 0.2)
        #expect(abs(report.overall.progress - 0.35) < 1e-12)
        let phase1 = try #require(report.byPhase.first { $0.name == "Phase 1" })
        // Phase 1: 1 of 4 signed off; (1 + 0.25 + 0 + 0) / 4 = 31.25%
        #expect(phase1.stages.completion == 0.25 && phase1.stages.progress == 0.3125)
        #expect(report.bySector.map(\.name).contains("not yet mapped"))
        #expect(report.participation == .init(institutionRepresentatives: 2, communityInPerson: 1, communityDigital: 2,
                                              institutions: 1, sessions: 1))
        // only burial permit is signed off: steps 5 → 4
        let steps = try #require(report.improvements.first { $0.metric == "steps" })
        #expect(steps.before == 5 && steps.after == 4 && steps.relative == -0.2)
        let onlyPhase2 = ProgrammeReport.make(try await programme().programmeSnapshot(), phase: "Phase 2")
        #expect(onlyPhase2.overall.targeted == 1 && onlyPhase2.overall.progress == 0.5)
    }

    @Test("Every format shows the same figures")
    func sameEverywhere() async throws {
        let report = ProgrammeReport.make(try await programme().programmeSnapshot())
        let markdown = report.document.markdown, html = report.html, csv = report.csv
        let decoded = try JSONDecoder().decode(ProgrammeReport.self, from: try JSONEncoder().encode(report))
        #expect(decoded == report)
        for group in [ProgrammeReport.Group(name: "programme", stages: report.overall)] + report.byPhase + report.bySector
            + report.byInstitution {
            for figure in [group.stages.completion, group.stages.progress] {
                let text = ProgrammeReport.percent(figure)
                #expect(markdown.contains(text) && html.contains(text), "\(group.name): \(text)")
            }
            let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let completion = rows.first { $0.count == 4 && $0[1] == group.name && $0[2] == "completion" }
            #expect(completion.flatMap { Double($0[3]) } == group.stages.completion, "\(group.name)")
        }
        #expect(html.contains("<svg") && html.contains("Completion by phase"))
    }

    @Test("Revisions imported before summaries were kept are read from their maps")
    func olderRevisions() async throws {
        let db = try await programme()
        let path = db.location
        try await DatabaseQueue(path: path).write { try $0.execute(sql: "UPDATE revision SET summary = NULL") }
        let report = ProgrammeReport.make(try await SQLiteLabStore.open(path: path).programmeSnapshot())
        #expect(report == ProgrammeReport.make(try await db.programmeSnapshot()))
        #expect(report.bySector.map(\.name).contains("municipality"))
    }
}
