import Foundation
import GRDB
import MasarCore
import Testing
@testable import MasarStore

private let facilitator = Member(name: "Aisha", role: .facilitator)

private func temporaryPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
}

/// A database with a little of everything: a phase, a lab, a session, two services, pain
/// points and improvements published, awaiting moderation and declined, one accepted on a vote.
private func populated(_ backend: Backend = .sqlite) async throws -> any LabStore {
    let db = try await backend.store(now: Date.init).store
    try await db.createPhase(name: "P1", startsOn: "2023-01-01", sectors: ["health", "civil-status"],
                       targets: ["burial-permit", "death-registration"], by: facilitator)
    try await db.createLab(name: "Lab", phase: "P1", sectors: ["civil-status"], by: facilitator)
    try await db.recordSession(lab: "Lab", heldOn: "2023-01-10", place: "Muscat — قاعة ١", institutionRepresentatives: 9,
                         communityMembers: 4, by: facilitator)
    for service in ["burial-permit", "death-registration"] {
        try await db.importService(yaml: try String(contentsOfFile: "\(servicesFolder)/\(service).yaml", encoding: .utf8),
                             file: service, lab: "Lab", by: facilitator)
    }
    try await db.advance(service: "burial-permit", by: facilitator)
    let point = try await db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits, severity: 3,
                                    source: .community, text: "«زيارة ثانية» \"again\"", by: facilitator)
    let shared = try await db.proposeImprovement(service: "burial-permit", text: "Share the hospital report", addresses: [point.id!],
                                                 by: facilitator)
    // A participant's contributions: one pain point waiting, one proposal declined.
    let salim = try await db.registerParticipant(phase: "P1", name: "Salim", track: .inPerson, kind: .community, by: facilitator).member
    try await db.addPainPoint(service: "burial-permit", step: "issue-permit", category: .waiting, severity: 4, source: .community,
                              text: LocalizedText(ar: "انتظار طويل"), by: salim)
    let declined = try await db.proposeImprovement(service: "burial-permit", text: "Free coffee", addresses: [], by: salim)
    try await db.moderate(.improvement(declined.id!), publish: false, by: facilitator)
    // The published improvement chosen on a closed vote.
    try await db.advance(service: "burial-permit", by: facilitator)
    let vote = try await db.openVote(service: "burial-permit", mode: .support, question: "First?", opensAt: Date(),
                                     closesAt: Date().addingTimeInterval(3600), supportLimit: 1, by: facilitator)
    try await db.closeVote(vote.id!, by: facilitator)
    try await db.acceptFromVote(shared.id!, vote: vote.id!, by: facilitator)
    return db
}

@Suite("Backup and exchange")
struct ExchangeTests {
    /// Every backend to every backend: SQLite to SQLite, SQLite to PostgreSQL and back (`masar migrate`).
    static let crossings = Backend.all.flatMap { from in Backend.all.map { (from, $0) } }

    @Test("An export imported into an empty database, of either backend, gives back the same export, audit log included",
          arguments: crossings)
    func roundTrip(_ from: Backend, _ to: Backend) async throws {
        let original = try await populated(from)
        let export = try await original.exportJSON()
        let copy = try await to.store(now: Date.init).store
        try await copy.importJSON(export)
        #expect(try await copy.exportJSON() == export)
        #expect(try await copy.auditLog() == original.auditLog())
        #expect(try await copy.status(service: "burial-permit") == original.status(service: "burial-permit"))
        #expect(try await copy.unpublished(service: "burial-permit", for: facilitator) == original.unpublished(service: "burial-permit", for: facilitator))
        #expect(try await copy.unpublished(service: "burial-permit", for: facilitator).improvements.map(\.improvement.moderation) == [.declined])
        #expect(try await copy.improvements(service: "burial-permit").first?.improvement.chosenByVoteId != nil)
        // the copy goes on working: ids continue after the imported ones
        let next = try await copy.addPainPoint(service: "burial-permit", step: "issue-permit", category: .waiting, severity: 2,
                                         source: .survey, text: "x", by: facilitator)
        #expect(next.id == 3)
    }

    @Test("Importing into a database that has data is refused, and changes nothing", arguments: Backend.all)
    func importNeedsEmpty(_ backend: Backend) async throws {
        let db = try await populated(backend)
        let export = try await db.exportJSON()
        await expectRefusal("import needs an empty database; 'phase' has rows") { try await db.importJSON(export) }
        #expect(try await db.exportJSON() == export)
        await #expect(throws: Refusal.self) { try await SQLiteLabStore.open(path: temporaryPath()).importJSON(Data("{}".utf8)) }
    }

    @Test("A backup is a working copy of the database, and never overwrites a file")
    func backup() async throws {
        let db = try await populated()
        let path = temporaryPath()
        try await db.backup(to: path)
        #expect(try await SQLiteLabStore.open(path: path).exportJSON() == db.exportJSON())
        await expectRefusal("\(path) exists already; a backup never overwrites a file") { try await db.backup(to: path) }
    }

    @Test("Several maps import in one transaction: one bad map and none is imported", arguments: Backend.all)
    func allOrNothing(_ backend: Backend) async throws {
        let db = try await populated(backend)
        let good = try String(contentsOfFile: "\(servicesFolder)/work-permit.yaml", encoding: .utf8)
        let bad = good.replacingOccurrences(of: "id: work-permit", with: "id: other").replacingOccurrences(of: "duration: ", with: "duration: x")
        await #expect(throws: MapIssues.self) {
            try await db.importServices([(good, "work-permit.yaml"), (bad, "other.yaml")], lab: "Lab", by: facilitator)
        }
        await #expect(throws: Refusal.self) { try await db.status(service: "work-permit") }
    }
}
