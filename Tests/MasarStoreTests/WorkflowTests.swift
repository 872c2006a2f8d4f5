import Synchronization
import Foundation
import GRDB
import MasarCore
import Testing
@testable import MasarStore

private let servicesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Services").path

private let facilitator = LabMember(name: "Aisha Al-Balushi", role: .facilitator)
private let quality = LabMember(name: "Quality team", role: .qualityReviewer)
private let community = LabMember(name: "Salim", role: .community)

/// A fresh database file for one test, with a fixed clock.
private func database() throws -> (AppDatabase, String) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
    let clock = Date(timeIntervalSince1970: 1_700_000_000)
    return (try AppDatabase.open(path: path, now: { clock }), path)
}

private func yaml(_ service: String) throws -> String {
    try String(contentsOfFile: servicesFolder + "/\(service).yaml", encoding: .utf8)
}

/// A database with birth registration imported into a lab, in the mapping stage.
private func labWithBirthRegistration() throws -> AppDatabase {
    let (db, _) = try database()
    try db.createPhase(name: "Phase 1", startsOn: "2023-01-01", sectors: ["civil-status"],
                       targets: ["birth-registration"], by: facilitator)
    try db.createLab(name: "Civil status lab", phase: "Phase 1", sectors: ["civil-status"], by: facilitator)
    try db.importService(yaml: try yaml("birth-registration"), file: "birth-registration.yaml",
                         lab: "Civil status lab", by: facilitator)
    return db
}

/// Birth registration taken to review: one pain point, the document generated.
private func labInReview() throws -> AppDatabase {
    let db = try labWithBirthRegistration()
    try db.advance(service: "birth-registration", by: facilitator)
    try db.addPainPoint(service: "birth-registration", step: "pay-fee", category: .fees, severity: 2,
                        source: .complaints, text: "Cash only", by: facilitator)
    try db.advance(service: "birth-registration", by: facilitator)
    try db.recordDocument(service: "birth-registration", sha256: "v1", by: facilitator)
    try db.advance(service: "birth-registration", by: facilitator)
    return db
}

/// Expects `body` to be refused by `rule`, and the audit log and stage to be as they were.
private func expectRefused(_ db: AppDatabase, _ rule: String, service: String = "birth-registration",
                           _ body: () throws -> Void) throws {
    let log = try db.auditLog().count
    let stage = try? db.status(service: service).stage
    #expect(throws: Refusal(rule)) { try body() }
    #expect(try db.auditLog().count == log)
    #expect((try? db.status(service: service).stage) == stage)
}

@Suite("Lab workflow: stages in order, named refusals, an append-only audit log")
struct WorkflowTests {
    @Test("A whole lab: mapping to signed-off, every step in the audit log")
    func wholeLab() throws {
        let db = try labWithBirthRegistration()
        #expect(try db.status(service: "birth-registration").stage == .mapping)
        #expect(try db.advance(service: "birth-registration", by: facilitator) == .painPoints)
        let point = try db.addPainPoint(service: "birth-registration", step: "book-appointment", category: .waiting,
                                        severity: 4, source: .community, text: "Three days to get an appointment",
                                        by: community)
        #expect(try db.advance(service: "birth-registration", by: facilitator) == .futureDesign)
        let improvement = try db.proposeImprovement(service: "birth-registration", text: "Register from the hospital",
                                                    addresses: [point.id!], by: community)
        try db.decideImprovement(improvement.id!, .accepted, by: facilitator)
        try db.recordDocument(service: "birth-registration", sha256: "abc", by: facilitator)
        #expect(try db.advance(service: "birth-registration", by: facilitator) == .review)
        try db.review(service: "birth-registration", verdict: .approve, reasons: "Clear", by: quality)
        // The future path's institutions (citizen steps need no sign-off): Hospital, Royal Oman Police.
        #expect(try db.status(service: "birth-registration").awaitingSignOff == ["Hospital", "Royal Oman Police"])
        let dg = LabMember(name: "DG of Health", role: .directorGeneral)
        #expect(try db.signOff(service: "birth-registration", institution: "Hospital", by: dg) == .review)
        #expect(try db.signOff(service: "birth-registration", institution: "Royal Oman Police", by: dg) == .signedOff)
        let status = try db.status(service: "birth-registration")
        #expect(status.stage == .signedOff)
        #expect(status.awaitingSignOff.isEmpty)
        let actions = try db.auditLog(service: "birth-registration").map(\.action)
        #expect(actions == ["import", "advance", "pain point", "advance", "propose improvement", "decide improvement",
                            "document", "advance", "approve", "sign off", "sign off", "signed off"])
        let moves = try db.auditLog(service: "birth-registration").compactMap { entry in
            entry.toStage.map { "\(entry.fromStage!.rawValue) → \($0.rawValue)" }
        }
        #expect(moves == ["mapping → pain-points", "pain-points → future-design", "future-design → review",
                          "review → signed-off"])
    }

    @Test("Each stage's rule refuses by name and changes nothing")
    func refusals() throws {
        let db = try labWithBirthRegistration()
        try expectRefused(db, "pain points are captured in the pain-points and future-design stages, not mapping") {
            try db.addPainPoint(service: "birth-registration", step: "book-appointment", category: .waiting,
                                severity: 3, source: .survey, text: "x", by: facilitator)
        }
        try db.advance(service: "birth-registration", by: facilitator)
        try expectRefused(db, "future-design needs at least one pain point") {
            try db.advance(service: "birth-registration", by: facilitator)
        }
        try expectRefused(db, "'no-such-step' is not a step of the current path of 'birth-registration'") {
            try db.addPainPoint(service: "birth-registration", step: "no-such-step", category: .waiting,
                                severity: 3, source: .survey, text: "x", by: facilitator)
        }
        try expectRefused(db, "severity is from 1 to 5, not 6") {
            try db.addPainPoint(service: "birth-registration", step: "book-appointment", category: .waiting,
                                severity: 6, source: .survey, text: "x", by: facilitator)
        }
        try expectRefused(db, "to advance a service is for facilitator, not community") {
            try db.advance(service: "birth-registration", by: community)
        }
        try expectRefused(db, "reviews happen in the review stage; 'birth-registration' is in pain-points") {
            try db.review(service: "birth-registration", verdict: .approve, reasons: "", by: quality)
        }
        try db.addPainPoint(service: "birth-registration", step: "pay-fee", category: .fees, severity: 2,
                            source: .complaints, text: "Cash only", by: facilitator)
        try db.advance(service: "birth-registration", by: facilitator)
        try expectRefused(db, "review needs the lab output document of the latest revision (masar document)") {
            try db.advance(service: "birth-registration", by: facilitator)
        }
        try expectRefused(db, "no service 'nowhere' in this database (import it first)", service: "nowhere") {
            try db.advance(service: "nowhere", by: facilitator)
        }
    }

    @Test("Amendments send the service back to future-design with the reasons kept")
    func amendments() throws {
        let db = try labInReview()
        try expectRefused(db, "a request for amendments needs its reasons") {
            try db.review(service: "birth-registration", verdict: .amend, reasons: "  ", by: quality)
        }
        let dg = LabMember(name: "DG", role: .directorGeneral)
        try expectRefused(db, "sign-off needs an approving review from the quality team") {
            try db.signOff(service: "birth-registration", institution: "Hospital", by: dg)
        }
        try expectRefused(db, "'Ministry of Health' owns no step of the future path (owners: Hospital, Royal Oman Police)") {
            try db.signOff(service: "birth-registration", institution: "Ministry of Health", by: dg)
        }
        try expectRefused(db, "service 'birth-registration' is in review; request amendments before changing its map") {
            try db.importService(yaml: try yaml("birth-registration"), file: "b.yaml", lab: "Civil status lab", by: facilitator)
        }
        try db.review(service: "birth-registration", verdict: .amend, reasons: "Name the hospital systems", by: quality)
        let status = try db.status(service: "birth-registration")
        #expect(status.stage == .futureDesign)
        #expect(!status.documentGenerated) // the document must be made again for the amended map
        let last = try #require(try db.auditLog(service: "birth-registration").last)
        #expect(last.action == "request amendments" && last.note == "Name the hospital systems")
        #expect(last.fromStage == .review && last.toStage == .futureDesign && last.who == "Quality team")
    }

    @Test("A signed-off map is frozen")
    func frozen() throws {
        let db = try labInReview()
        try db.review(service: "birth-registration", verdict: .approve, reasons: "", by: quality)
        let dg = LabMember(name: "DG", role: .directorGeneral)
        try db.signOff(service: "birth-registration", institution: "Hospital", by: dg)
        try db.signOff(service: "birth-registration", institution: "Royal Oman Police", by: dg)
        try expectRefused(db, "service 'birth-registration' is signed off; a signed-off map is frozen") {
            try db.importService(yaml: try yaml("birth-registration"), file: "b.yaml", lab: "Civil status lab", by: facilitator)
        }
        try expectRefused(db, "signed-off is final") {
            try db.advance(service: "birth-registration", by: facilitator)
        }
    }

    @Test("Each import keeps the exact text and its SHA-256; an invalid map imports nothing")
    func revisions() throws {
        let db = try labWithBirthRegistration()
        let text = try yaml("birth-registration")
        let stored = try db.read { db in try RevisionRecord.fetchAll(db) }
        #expect(stored.count == 1)
        #expect(stored[0].yaml == text)
        #expect(stored[0].sha256.count == 64)
        // sha256 of "abc", from FIPS 180-2's example
        #expect(AppDatabase.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let before = try db.auditLog().count
        #expect(throws: MapIssues.self) {
            try db.importService(yaml: text.replacingOccurrences(of: "channel: in-person", with: "channel: walk"),
                                 file: "broken.yaml", lab: "Civil status lab", by: facilitator)
        }
        #expect(try db.read { db in try RevisionRecord.fetchCount(db) } == 1)
        #expect(try db.auditLog().count == before)
    }

    @Test("The audit log refuses UPDATE and DELETE, even through plain SQL")
    func tamperProof() throws {
        let (db, path) = try database()
        try db.createPhase(name: "P", startsOn: "2023-01-01", sectors: [], by: facilitator)
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "UPDATE auditEntry SET who = 'someone else'") }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { try $0.execute(sql: "DELETE FROM auditEntry") }
        }
        do {
            try queue.write { try $0.execute(sql: "DELETE FROM auditEntry") }
        } catch let error as DatabaseError {
            #expect(error.message == "the audit log is append-only")
        }
        #expect(try db.auditLog().map(\.who) == ["Aisha Al-Balushi"])
    }

    @Test("A database written by a newer Masar is refused")
    func newerSchema() throws {
        let (_, path) = try database()
        let queue = try DatabaseQueue(path: path)
        try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99: from the future')") }
        #expect(throws: Refusal("this database was written by a newer version of Masar; upgrade Masar to open it")) {
            _ = try AppDatabase.open(path: path)
        }
    }

    @Test("Phases last three months by default; bad dates are refused")
    func phases() throws {
        let (db, _) = try database()
        let phase = try db.createPhase(name: "Phase 1", startsOn: "2023-01-01", sectors: ["health"], by: facilitator)
        #expect(phase.endsOn == "2023-04-01")
        try expectRefused(db, "a phase named 'Phase 1' exists already", service: "none") {
            try db.createPhase(name: "Phase 1", startsOn: "2023-05-01", sectors: [], by: facilitator)
        }
        try expectRefused(db, "start date '2023-13-45' is not a date like 2023-01-01", service: "none") {
            try db.createPhase(name: "Phase 2", startsOn: "2023-13-45", sectors: [], by: facilitator)
        }
        try expectRefused(db, "a phase cannot end before it starts", service: "none") {
            try db.createPhase(name: "Phase 2", startsOn: "2023-05-01", endsOn: "2023-04-01", sectors: [], by: facilitator)
        }
    }

    @Test("Two writers at once lose nothing and never fail with 'database is locked'")
    func concurrentWriters() throws {
        let (first, path) = try database()
        try first.createPhase(name: "P", startsOn: "2023-01-01", sectors: [], by: facilitator)
        try first.createLab(name: "L", phase: "P", sectors: [], by: facilitator)
        try first.importService(yaml: try yaml("birth-registration"), file: "b.yaml", lab: "L", by: facilitator)
        try first.advance(service: "birth-registration", by: facilitator)
        let second = try AppDatabase.open(path: path)
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let db = writer == 0 ? first : second
            for i in 0..<100 {
                do {
                    try db.addPainPoint(service: "birth-registration", step: "pay-fee", category: .fees, severity: 1,
                                        source: .survey, text: "writer \(writer) #\(i)", by: facilitator)
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(try first.status(service: "birth-registration").painPoints == 200)
    }

    @Test("A batch of pain points is recorded whole or not at all")
    func painPointBatch() throws {
        let db = try labWithBirthRegistration()
        try db.advance(service: "birth-registration", by: facilitator)
        let good = NewPainPoint(service: "birth-registration", step: "pay-fee", category: .fees, severity: 3,
                                source: .complaints, text: "Cash only")
        var bad = good
        bad.step = "no-such-step"
        try expectRefused(db, "pain point 2: 'no-such-step' is not a step of the current path of 'birth-registration'") {
            try db.addPainPoints([good, bad], by: facilitator)
        }
        #expect(try db.status(service: "birth-registration").painPoints == 0)
        try db.addPainPoints([good, good], by: facilitator)
        #expect(try db.status(service: "birth-registration").painPoints == 2)
    }
}
