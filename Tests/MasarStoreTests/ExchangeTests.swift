import Foundation
import GRDB
import MasarCore
import Testing
@testable import MasarStore

private let servicesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Services").path
private let facilitator = LabMember(name: "Aisha", role: .facilitator)

private func temporaryPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
}

/// A database with a little of everything: a phase, a lab, a session, two services, a pain
/// point, an improvement, a review.
private func populated() throws -> AppDatabase {
    let db = try AppDatabase.open(path: temporaryPath())
    try db.createPhase(name: "P1", startsOn: "2023-01-01", sectors: ["health", "civil-status"],
                       targets: ["burial-permit", "death-registration"], by: facilitator)
    try db.createLab(name: "Lab", phase: "P1", sectors: ["civil-status"], by: facilitator)
    try db.recordSession(lab: "Lab", heldOn: "2023-01-10", place: "Muscat — قاعة ١", institutionRepresentatives: 9,
                         communityMembers: 4, by: facilitator)
    for service in ["burial-permit", "death-registration"] {
        try db.importService(yaml: try String(contentsOfFile: "\(servicesFolder)/\(service).yaml", encoding: .utf8),
                             file: service, lab: "Lab", by: facilitator)
    }
    try db.advance(service: "burial-permit", by: facilitator)
    let point = try db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits, severity: 3,
                                    source: .community, text: "«زيارة ثانية» \"again\"", by: facilitator)
    try db.proposeImprovement(service: "burial-permit", text: "Share the hospital report", addresses: [point.id!], by: facilitator)
    return db
}

@Suite("Backup and exchange")
struct ExchangeTests {
    @Test("An export imported into an empty database gives back the same export, audit log included")
    func roundTrip() throws {
        let original = try populated()
        let export = try original.exportJSON()
        let copy = try AppDatabase.open(path: temporaryPath())
        try copy.importJSON(export)
        #expect(try copy.exportJSON() == export)
        #expect(try copy.auditLog() == original.auditLog())
        #expect(try copy.status(service: "burial-permit") == original.status(service: "burial-permit"))
        // the copy goes on working: ids continue after the imported ones
        let next = try copy.addPainPoint(service: "burial-permit", step: "issue-permit", category: .waiting, severity: 2,
                                         source: .survey, text: "x", by: facilitator)
        #expect(next.id == 2)
    }

    @Test("Importing into a database that has data is refused, and changes nothing")
    func importNeedsEmpty() throws {
        let db = try populated()
        let export = try db.exportJSON()
        #expect(throws: Refusal("import needs an empty database; 'phase' has rows")) { try db.importJSON(export) }
        #expect(try db.exportJSON() == export)
        #expect(throws: Refusal.self) { try AppDatabase.open(path: temporaryPath()).importJSON(Data("{}".utf8)) }
    }

    @Test("A backup is a working copy of the database, and never overwrites a file")
    func backup() throws {
        let db = try populated()
        let path = temporaryPath()
        try db.backup(to: path)
        #expect(try AppDatabase.open(path: path).exportJSON() == db.exportJSON())
        #expect(throws: Refusal("\(path) exists already; a backup never overwrites a file")) { try db.backup(to: path) }
    }

    @Test("Several maps import in one transaction: one bad map and none is imported")
    func allOrNothing() throws {
        let db = try populated()
        let good = try String(contentsOfFile: "\(servicesFolder)/work-permit.yaml", encoding: .utf8)
        let bad = good.replacingOccurrences(of: "id: work-permit", with: "id: other").replacingOccurrences(of: "duration: ", with: "duration: x")
        #expect(throws: MapIssues.self) {
            try db.importServices([(good, "work-permit.yaml"), (bad, "other.yaml")], lab: "Lab", by: facilitator)
        }
        #expect(throws: Refusal.self) { try db.status(service: "work-permit") }
    }
}
