import Synchronization
import Foundation
import GRDB
import MasarCore
import Testing
@testable import MasarStore

private let facilitator = Member(name: "Aisha Al-Balushi", role: .facilitator)
private let quality = Member(name: "Quality team", role: .qualityReviewer)
/// A community member of the first phase of each test (phase ids start at 1).
private let community = Member(name: "Salim", role: .community, phase: 1)
private let hospitalDG = Member(name: "DG of the hospital", role: .directorGeneral, institution: "Hospital")
private let policeDG = Member(name: "DG of the police", role: .directorGeneral, institution: "Royal Oman Police")
private let clock = Date(timeIntervalSince1970: 1_700_000_000)

/// A fresh store for one test, with a fixed clock.
private func database(_ backend: Backend) async throws -> (any LabStore, String) {
    try await backend.store(now: { clock })
}

/// A store with birth registration imported into a lab, in the mapping stage.
private func labWithBirthRegistration(_ backend: Backend) async throws -> any LabStore {
    let (db, _) = try await database(backend)
    try await db.createPhase(name: "Phase 1", startsOn: "2023-01-01", sectors: ["civil-status"],
                             targets: ["birth-registration"], by: facilitator)
    try await db.createLab(name: "Civil status lab", phase: "Phase 1", sectors: ["civil-status"], by: facilitator)
    try await db.importService(yaml: try yaml("birth-registration"), file: "birth-registration.yaml",
                               lab: "Civil status lab", by: facilitator)
    return db
}

/// Birth registration taken to review: one pain point, the document recorded for its revision.
private func labInReview(_ backend: Backend) async throws -> any LabStore {
    let db = try await labWithBirthRegistration(backend)
    try await db.advance(service: "birth-registration", by: facilitator)
    try await db.addPainPoint(service: "birth-registration", step: "pay-fee", category: .fees, severity: 2,
                              source: .complaints, text: "Cash only", by: facilitator)
    try await db.advance(service: "birth-registration", by: facilitator)
    try await db.recordDocument(service: "birth-registration", revision: 1, sha256: "v1", by: facilitator)
    try await db.advance(service: "birth-registration", by: facilitator)
    return db
}

@Suite("Lab workflow: stages in order, named refusals, an append-only audit log")
struct WorkflowTests {
    @Test("A whole lab: mapping to signed-off, every step in the audit log", arguments: Backend.all)
    func wholeLab(_ backend: Backend) async throws {
        let db = try await labWithBirthRegistration(backend)
        #expect(try await db.status(service: "birth-registration").stage == .mapping)
        #expect(try await db.advance(service: "birth-registration", by: facilitator) == .painPoints)
        let point = try await db.addPainPoint(service: "birth-registration", step: "book-appointment", category: .waiting,
                                        severity: 4, source: .community, text: "Three days to get an appointment",
                                        by: community)
        try await db.moderate(.painPoint(point.id!), publish: true, by: facilitator)
        #expect(try await db.advance(service: "birth-registration", by: facilitator) == .futureDesign)
        let improvement = try await db.proposeImprovement(service: "birth-registration", text: "Register from the hospital",
                                                    addresses: [point.id!], by: community)
        try await db.moderate(.improvement(improvement.id!), publish: true, by: facilitator)
        try await db.decideImprovement(improvement.id!, .accepted, by: facilitator)
        try await db.recordDocument(service: "birth-registration", revision: 1, sha256: "abc", by: facilitator)
        #expect(try await db.advance(service: "birth-registration", by: facilitator) == .review)
        try await db.review(service: "birth-registration", verdict: .approve, reasons: "Clear", by: quality)
        // The future path's institutions (citizen steps need no sign-off): Hospital, Royal Oman Police.
        #expect(try await db.status(service: "birth-registration").awaitingSignOff == ["Hospital", "Royal Oman Police"])
        #expect(try await db.signOff(service: "birth-registration", institution: "Hospital", by: hospitalDG) == .review)
        #expect(try await db.signOff(service: "birth-registration", institution: "Royal Oman Police", by: policeDG) == .signedOff)
        let status = try await db.status(service: "birth-registration")
        #expect(status.stage == .signedOff)
        #expect(status.awaitingSignOff.isEmpty)
        let actions = try await db.auditLog(service: "birth-registration").map(\.action)
        #expect(actions == ["import", "advance", "pain point", "publish", "advance", "propose improvement", "publish", "decide improvement",
                            "document", "advance", "approve", "sign off", "sign off", "signed off"])
        let moves = try await db.auditLog(service: "birth-registration").compactMap { entry in
            entry.toStage.map { "\(entry.fromStage!.rawValue) → \($0.rawValue)" }
        }
        #expect(moves == ["mapping → pain-points", "pain-points → future-design", "future-design → review",
                          "review → signed-off"])
    }

    @Test("Each stage's rule refuses by name and changes nothing", arguments: Backend.all)
    func refusals(_ backend: Backend) async throws {
        let db = try await labWithBirthRegistration(backend)
        try await expectRefused(db, "to record a pain point is done in pain-points or future-design; 'birth-registration' is in mapping") {
            try await db.addPainPoint(service: "birth-registration", step: "book-appointment", category: .waiting,
                                severity: 3, source: .survey, text: "x", by: facilitator)
        }
        try await db.advance(service: "birth-registration", by: facilitator)
        try await expectRefused(db, "future-design needs at least one pain point") {
            try await db.advance(service: "birth-registration", by: facilitator)
        }
        try await expectRefused(db, "'no-such-step' is not a step of the current path of 'birth-registration'") {
            try await db.addPainPoint(service: "birth-registration", step: "no-such-step", category: .waiting,
                                severity: 3, source: .survey, text: "x", by: facilitator)
        }
        try await expectRefused(db, "severity is from 1 to 5, not 6") {
            try await db.addPainPoint(service: "birth-registration", step: "book-appointment", category: .waiting,
                                severity: 6, source: .survey, text: "x", by: facilitator)
        }
        try await expectRefused(db, "to advance a service is for facilitator, not community") {
            try await db.advance(service: "birth-registration", by: community)
        }
        try await expectRefused(db, "to review an output document is done in review; 'birth-registration' is in pain-points") {
            try await db.review(service: "birth-registration", verdict: .approve, reasons: "", by: quality)
        }
        try await db.addPainPoint(service: "birth-registration", step: "pay-fee", category: .fees, severity: 2,
                            source: .complaints, text: "Cash only", by: facilitator)
        try await db.advance(service: "birth-registration", by: facilitator)
        try await expectRefused(db, "review needs the lab output document of the latest revision (revision 1); generate it first") {
            try await db.advance(service: "birth-registration", by: facilitator)
        }
        try await expectRefused(db, "no service 'nowhere'", service: "nowhere") {
            try await db.advance(service: "nowhere", by: facilitator)
        }
    }

    @Test("Amendments send the service back to future-design with the reasons kept", arguments: Backend.all)
    func amendments(_ backend: Backend) async throws {
        let db = try await labInReview(backend)
        try await expectRefused(db, "a request for amendments needs its reasons") {
            try await db.review(service: "birth-registration", verdict: .amend, reasons: "  ", by: quality)
        }
        try await expectRefused(db, "sign-off needs an approving review from the quality team") {
            try await db.signOff(service: "birth-registration", institution: "Hospital", by: hospitalDG)
        }
        let healthDG = Member(name: "DG of Health", role: .directorGeneral, institution: "Ministry of Health")
        try await expectRefused(db, "'Ministry of Health' owns no step of the future path (owners: Hospital, Royal Oman Police)") {
            try await db.signOff(service: "birth-registration", institution: "Ministry of Health", by: healthDG)
        }
        try await expectRefused(db, "service 'birth-registration' is in review; request amendments before changing its map") {
            try await db.importService(yaml: try yaml("birth-registration"), file: "b.yaml", lab: "Civil status lab", by: facilitator)
        }
        try await db.review(service: "birth-registration", verdict: .amend, reasons: "Name the hospital systems", by: quality)
        let status = try await db.status(service: "birth-registration")
        #expect(status.stage == .futureDesign)
        #expect(!status.documentGenerated) // the document must be made again for the amended map
        let last = try #require(try await db.auditLog(service: "birth-registration").last)
        #expect(last.action == "request amendments" && last.note == "Name the hospital systems")
        #expect(last.fromStage == .review && last.toStage == .futureDesign && last.who == "Quality team")
    }

    @Test("A signed-off map is frozen", arguments: Backend.all)
    func frozen(_ backend: Backend) async throws {
        let db = try await labInReview(backend)
        try await db.review(service: "birth-registration", verdict: .approve, reasons: "", by: quality)
        try await db.signOff(service: "birth-registration", institution: "Hospital", by: hospitalDG)
        try await db.signOff(service: "birth-registration", institution: "Royal Oman Police", by: policeDG)
        try await expectRefused(db, "service 'birth-registration' is signed off; a signed-off map is frozen") {
            try await db.importService(yaml: try yaml("birth-registration"), file: "b.yaml", lab: "Civil status lab", by: facilitator)
        }
        try await expectRefused(db, "signed-off is final") {
            try await db.advance(service: "birth-registration", by: facilitator)
        }
    }

    @Test("Each import keeps the exact text and its SHA-256; an invalid map imports nothing")
    func revisions() async throws {
        let db = try #require(try await labWithBirthRegistration(.sqlite) as? SQLLabStore)
        let text = try yaml("birth-registration")
        let stored = try await db.read { db in try db.records(RevisionRecord.self, "SELECT * FROM revision") }
        #expect(stored.count == 1)
        #expect(stored[0].yaml == text)
        #expect(stored[0].sha256.count == 64)
        // sha256 of "abc", from FIPS 180-2's example
        #expect(Fingerprint.of("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let before = try await db.auditLog().count
        await #expect(throws: MapIssues.self) {
            try await db.importService(yaml: text.replacingOccurrences(of: "channel: in-person", with: "channel: walk"),
                                 file: "broken.yaml", lab: "Civil status lab", by: facilitator)
        }
        #expect(try await db.read { db in try db.count("SELECT COUNT(*) FROM revision") } == 1)
        #expect(try await db.auditLog().count == before)
    }

    @Test("The audit log refuses UPDATE and DELETE, even through plain SQL")
    func tamperProof() async throws {
        let (db, path) = try await database(.sqlite)
        try await db.createPhase(name: "P", startsOn: "2023-01-01", sectors: [], by: facilitator)
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "UPDATE auditEntry SET who = 'someone else'") }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "DELETE FROM auditEntry") }
        }
        do {
            try await queue.write { try $0.execute(sql: "DELETE FROM auditEntry") }
        } catch let error as DatabaseError {
            #expect(error.message == "the audit log is append-only")
        }
        #expect(try await db.auditLog().map(\.who) == ["Aisha Al-Balushi"])
    }

    @Test("A database written by a newer Masar is refused")
    func newerSchema() async throws {
        let (_, path) = try await database(.sqlite)
        let queue = try DatabaseQueue(path: path)
        try await queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        await expectRefusal("this database was written by a newer version of Masar; upgrade Masar to open it") {
            _ = try SQLiteLabStore.open(path: path)
        }
    }

    @Test("Phases last three months by default; bad dates are refused", arguments: Backend.all)
    func phases(_ backend: Backend) async throws {
        let (db, _) = try await database(backend)
        let phase = try await db.createPhase(name: "Phase 1", startsOn: "2023-01-01", sectors: ["health"], by: facilitator)
        #expect(phase.endsOn == "2023-04-01")
        try await expectRefused(db, "the name 'Phase 1' is taken by another phase", service: "none") {
            try await db.createPhase(name: "Phase 1", startsOn: "2023-05-01", sectors: [], by: facilitator)
        }
        try await expectRefused(db, "start date '2023-13-45' is not a date like 2023-01-01", service: "none") {
            try await db.createPhase(name: "Phase 2", startsOn: "2023-13-45", sectors: [], by: facilitator)
        }
        try await expectRefused(db, "a phase cannot end before it starts", service: "none") {
            try await db.createPhase(name: "Phase 2", startsOn: "2023-05-01", endsOn: "2023-04-01", sectors: [], targets: [],
                                     by: facilitator)
        }
    }

    @Test("Two writers at once lose nothing and never fail with 'database is locked'")
    func concurrentWriters() async throws {
        let (first, path) = try await database(.sqlite)
        try await first.createPhase(name: "P", startsOn: "2023-01-01", sectors: [], by: facilitator)
        try await first.createLab(name: "L", phase: "P", sectors: [], by: facilitator)
        try await first.importService(yaml: try yaml("birth-registration"), file: "b.yaml", lab: "L", by: facilitator)
        try await first.advance(service: "birth-registration", by: facilitator)
        let second = try SQLiteLabStore.open(path: path)
        let failures = await withTaskGroup(of: Int.self) { group in
            for (writer, db) in [first, second as any LabStore].enumerated() {
                group.addTask {
                    var failed = 0
                    for i in 0..<100 {
                        do {
                            try await db.addPainPoint(service: "birth-registration", step: "pay-fee", category: .fees, severity: 1,
                                                      source: .survey, text: LocalizedText(en: "writer \(writer) #\(i)"), by: facilitator)
                        } catch {
                            failed += 1
                        }
                    }
                    return failed
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
        #expect(try await first.status(service: "birth-registration").painPoints == 200)
    }

    @Test("A batch of pain points is recorded whole or not at all", arguments: Backend.all)
    func painPointBatch(_ backend: Backend) async throws {
        let db = try await labWithBirthRegistration(backend)
        try await db.advance(service: "birth-registration", by: facilitator)
        let good = NewPainPoint(service: "birth-registration", step: "pay-fee", category: .fees, severity: 3,
                                source: .complaints, text: "Cash only")
        var bad = good
        bad.step = "no-such-step"
        try await expectRefused(db, "item 2: 'no-such-step' is not a step of the current path of 'birth-registration'") {
            try await db.addPainPoints([good, bad], by: facilitator)
        }
        #expect(try await db.status(service: "birth-registration").painPoints == 0)
        try await db.addPainPoints([good, good], by: facilitator)
        #expect(try await db.status(service: "birth-registration").painPoints == 2)
    }
}
