import Foundation
import GRDB
import MasarCore
import Testing
@testable import MasarStore

// DESIGN "Trust", each property written as the attack it stops: sock puppets, an export or a
// backup joined back to names, a rewritten audit log.

private let facilitator = Member(name: "Aisha", role: .facilitator)
private let office = Member(name: "Office", role: .programmeOffice)
private let start = Date(timeIntervalSince1970: 1_700_000_000)
private let secret = try! LabSecret(Data(repeating: 7, count: 32), source: "test")

/// A forger with write access: drops the triggers, puts "Mallory" as entry #1's author, and
/// recomputes every hash after it, so that the chain holds by itself.
private func forgeFirstEntry(_ path: String) throws {
    try rawWrite(path) { (db: Database) throws in
        try db.execute(sql: "DROP TRIGGER auditEntry_append_only_update; DROP TRIGGER auditEntry_chained")
        var previous = AuditChain.start
        for row in try Row.fetchAll(db, sql: "SELECT * FROM auditEntry ORDER BY id") {
            var content = SQLLabStore.auditContent(SQLRow(columnNames: Array(row.columnNames), values: row.databaseValues.map(SQLiteDatabase.value)))
            if row["id"] == 1 as Int64 { content[1] = "Mallory" }
            let hash = AuditChain.hash(previous: previous, id: row["id"], content: content)
            try db.execute(sql: "UPDATE auditEntry SET who = ?, previousHash = ?, hash = ? WHERE id = ?",
                           arguments: [content[1], previous, hash, row["id"] as Int64])
            previous = hash
        }
    }
}

/// The SQLite file as an outsider with a copy of it reads and writes it: raw SQL, no Masar.
private func rawRead<T>(_ path: String, _ body: (Database) throws -> T) throws -> T { try DatabaseQueue(path: path).read(body) }
private func rawWrite(_ path: String, _ body: (Database) throws -> Void) throws { try DatabaseQueue(path: path).write(body) }

@Suite("Trust: verified participants, sealed ballots, a hash-chained audit log")
struct TrustTests {
    @Test("30 sock puppets registered from the public form cannot move a result")
    func sockPuppets() async throws {
        let lab = try await VotingLab()
        let (a, b) = (lab.improvements[0], lab.improvements[1])
        let vote = try await lab.open(.support, limit: 1)
        for voter in 0..<5 { try await lab.cast(vote, voter, [a: 1]) }
        let before = try await lab.db.results(vote: vote)
        for n in 1...30 {
            let puppet = try await lab.db.registerOnline(phase: "P1", name: "Puppet \(n)", track: .inPerson, passwordHash: nil, civilID: nil)
            #expect(puppet.verification == nil)
            await expectRefusal("\(puppet.code) is not verified yet: a facilitator verifies a participant at a session, or the phase's eligibility list at registration") {
                try await lab.db.castBallot(vote: vote, participant: puppet.code, choices: [b: 1], origin: .online,
                                            by: Member(name: puppet.name, role: .community, phase: puppet.phaseId, code: puppet.code))
            }
        }
        let after = try await lab.db.results(vote: vote)
        #expect(after == before)
        // Turnout is against the six verified participants, not the 36 registrations.
        #expect(after.registered == 6 && after.ballotsCast == 5)
        #expect(try await lab.db.unverifiedParticipants(phase: "P1").count == 30)
    }

    @Test("A facilitator verifies a self-registered participant at a session; then their ballot counts")
    func verifyAtSession() async throws {
        let lab = try await VotingLab()
        let vote = try await lab.open(.support, limit: 1)
        let person = try await lab.db.registerOnline(phase: "P1", name: "Salim", track: .inPerson, passwordHash: nil, civilID: nil)
        let salim = Member(name: "Salim", role: .community, phase: person.phaseId, code: person.code)
        await expectRefusal("to verify participants is for facilitator or programme-office, not quality-reviewer") {
            try await lab.db.verifyParticipant(code: person.code, by: Member(name: "QC", role: .qualityReviewer))
        }
        await expectRefusal("Hamed takes part in another phase than 'P1'") {
            try await lab.db.verifyParticipant(code: person.code, by: Member(name: "Hamed", role: .facilitator))
        }
        let verified = try await lab.db.verifyParticipant(code: person.code, by: facilitator)
        #expect(verified.verification == .inPerson && verified.verifiedBy == "Aisha")
        await expectRefusal("\(person.code) is verified already") {
            try await lab.db.verifyParticipant(code: person.code, by: facilitator)
        }
        try await lab.db.castBallot(vote: vote, participant: person.code, choices: [lab.improvements[2]: 1], origin: .online, by: salim)
        #expect(try await lab.db.auditLog().last?.action == "verify participant")
    }

    @Test("The eligibility list: a match verifies, one civil ID registers once per phase, and no civil ID is stored")
    func eligibilityList() async throws {
        let lab = try await VotingLab()
        let listed = [CivilID(digits: "10000001", birthYear: 1990), CivilID(digits: "10000002", birthYear: 1985)]
        await expectRefusal("to load an eligibility list is for programme-office, not facilitator") {
            try await lab.db.loadEligibility(phase: "P1", entries: Set(listed.map { secret.civilID($0).entryHash }), by: facilitator)
        }
        try await lab.db.loadEligibility(phase: "P1", entries: Set(listed.map { secret.civilID($0).entryHash }), by: office)
        func register(_ id: CivilID?) async throws -> ParticipantRecord {
            try await lab.db.registerOnline(phase: "P1", name: "Maryam", track: .inPerson, passwordHash: nil, civilID: id.map(secret.civilID))
        }
        await expectRefusal("this phase registers online against its eligibility list: give your civil ID number and year of birth") {
            _ = try await register(nil)
        }
        await expectRefusal("no entry of the phase's eligibility list has this civil ID number and year of birth") {
            _ = try await register(CivilID(digits: "10000001", birthYear: 1991))
        }
        // Another secret (a copy of the list hashed elsewhere) matches nothing.
        let otherSecret = try LabSecret(Data(repeating: 9, count: 32), source: "other")
        await expectRefusal("no entry of the phase's eligibility list has this civil ID number and year of birth") {
            _ = try await lab.db.registerOnline(phase: "P1", name: "Maryam", track: .inPerson, passwordHash: nil,
                                                civilID: otherSecret.civilID(listed[0]))
        }
        let maryam = try await register(listed[0])
        #expect(maryam.verification == .eligibilityList)
        await expectRefusal("this civil ID number is registered in this phase already; one registration per person") {
            _ = try await register(listed[0])
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: lab.path))
        #expect(bytes.range(of: Data("10000001".utf8)) == nil && bytes.range(of: Data("10000002".utf8)) == nil)
        let export = String(decoding: try await lab.db.exportJSON(), as: UTF8.self)
        #expect(!export.contains("10000001"))
    }

    @Test("Joining the tables of a closed vote, in the database, a backup or an export, pairs nobody with a choice")
    func sealedAtTheClose() async throws {
        let lab = try await VotingLab()
        let (a, b, c) = (lab.improvements[0], lab.improvements[1], lab.improvements[2])
        let vote = try await lab.open(.dots, budget: 3, cap: 3)
        let ballots: [[Int64: Int]] = [[a: 3], [b: 3], [c: 3], [a: 1, b: 2], [c: 2, a: 1], [b: 1, c: 1, a: 1]]
        for (voter, choices) in ballots.enumerated() { try await lab.cast(vote, voter, choices) }
        // While open, the participant sees their own ballot, to change it.
        #expect(try await lab.db.ballot(vote: vote, participant: lab.codes[0]) == [a: 3])
        try await lab.db.closeVote(vote, by: facilitator)
        #expect(try await lab.db.ballot(vote: vote, participant: lab.codes[0]) == [:])
        // Dots by hand: a 3+1+1+1 = 6, b 3+2+1 = 6, c 3+2+1 = 6.
        let results = try await lab.db.results(vote: vote)
        #expect(results.lines.map(\.ballots) == [6, 6, 6] && results.ballotsCast == 6)

        let backup = FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
        try await lab.db.backup(to: backup)
        for path in [lab.path, backup] {
            try rawRead(path) { (db: Database) throws in
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ballotChoice") == 0)
                // Who voted is kept; the choices have no ballot or participant to join on.
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ballot WHERE voteId = ? AND sealed", arguments: [vote]) == 6)
                #expect(try db.columns(in: "castChoice").map(\.name) == ["voteId", "choice", "weight"])
                #expect(try Int.fetchOne(db, sql: "SELECT SUM(weight) FROM castChoice WHERE voteId = ?", arguments: [vote]) == 18)
            }
        }
        // Nothing about the sealed choices changes, whatever statement is tried.
        for statement in ["UPDATE castChoice SET weight = 9", "DELETE FROM castChoice", "UPDATE voteTotal SET total = 99",
                          "INSERT INTO ballotChoice (ballotId, voteId, choice, weight) SELECT id, voteId, \(a), 1 FROM ballot LIMIT 1"] {
            #expect(throws: DatabaseError.self) { try rawWrite(lab.path) { try $0.execute(sql: statement) } }
        }
        await expectRefusal("vote #\(vote) is closed") {
            try await lab.db.withdrawBallot(vote: vote, participant: lab.codes[0], by: lab.participant(0))
        }
    }

    @Test("An export carries no participant–choice link, no open vote's ballots, no password hash and no registration code")
    func exportCarriesNoLink() async throws {
        let lab = try await VotingLab()
        let (a, b) = (lab.improvements[0], lab.improvements[1])
        let closed = try await lab.open(.support, limit: 1)
        for voter in 0..<5 { try await lab.cast(closed, voter, [voter < 3 ? a : b: 1]) }
        try await lab.db.closeVote(closed, by: facilitator)
        let open = try await lab.open(.support, limit: 1)
        try await lab.cast(open, 0, [a: 1])
        try await lab.db.createAccount(name: "Office", role: .programmeOffice, passwordHash: "$2b$12$secretsecretsecretsecret", by: nil)
        let text = String(decoding: try await lab.db.exportJSON(), as: UTF8.self)
        // No credential: a registration code signs an in-person participant in.
        #expect(!text.contains("passwordHash") && !text.contains("secretsecret") && !text.contains("\"ballotChoice\""))
        for code in lab.codes { #expect(!text.contains(code)) }
        let export = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        let tables = export["tables"] as! [String: [[String: Any]]]
        // The closed vote's five voters and five choices, apart; nothing of the open vote's ballot.
        #expect(tables["ballot"]!.count == 5 && tables["ballot"]!.allSatisfy { $0["id"] == nil && $0["voteId"] as? Int64 == closed })
        #expect(tables["castChoice"]!.count == 5 && tables["castChoice"]!.allSatisfy { Set($0.keys) == ["voteId", "choice", "weight"] })

        let copyPath = FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
        let copy = try SQLiteLabStore.open(path: copyPath, now: { start })
        try await copy.importJSON(Data(text.utf8))
        #expect(try await copy.results(vote: closed).lines.map(\.ballots) == [3, 2])
        // Restored, the open vote is open with no ballot; participants have new codes, and
        // accounts must set a password again.
        #expect(try await copy.results(vote: open).ballotsCast == 0)
        let restored = try await copy.participants(phase: "P1").map(\.code)
        #expect(restored.count == 6 && Set(restored).isDisjoint(with: lab.codes))
        #expect(try rawRead(copyPath) { try String.fetchOne($0, sql: "SELECT passwordHash FROM account") } == SQLLabStore.lockedPassword)
    }

    @Test("A vote past its window is sealed the next time anyone reads it")
    func sealedAfterTheWindow() async throws {
        let lab = try await VotingLab()
        let vote = try await lab.open(.support, limit: 1)
        for voter in 0..<5 { try await lab.cast(vote, voter, [lab.improvements[0]: 1]) }
        lab.clock.set(start.addingTimeInterval(7200))
        #expect(try await lab.db.results(vote: vote).closed)
        try rawRead(lab.path) { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ballotChoice") == 0)
            #expect(try Date.fetchOne(db, sql: "SELECT closedAt FROM vote WHERE id = ?", arguments: [vote]) == start.addingTimeInterval(3600))
        }
    }

    @Test("Fewer than 5 ballots show only that there are fewer than 5, and keep no choice once closed")
    func smallVote() async throws {
        let lab = try await VotingLab()
        let vote = try await lab.open(.support, limit: 1)
        for voter in 0..<4 { try await lab.cast(vote, voter, [lab.improvements[0]: 1]) }
        let results = try await lab.db.results(vote: vote)
        #expect(!results.splitShown && results.lines.isEmpty && results.ballotsCast == 4)
        // Closed, a unanimous small vote would tell each voter's choice beside the list of who
        // voted: its choices are not kept, in the database, a backup or an export.
        try await lab.db.closeVote(vote, by: facilitator)
        try rawRead(lab.path) { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM castChoice") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ballot WHERE sealed") == 4)
        }
        // Nor can the vote be reopened to lift the guards on its choices.
        #expect(throws: DatabaseError.self) {
            try rawWrite(lab.path) { (db: Database) throws in try db.execute(sql: "UPDATE vote SET closedAt = NULL") }
        }
    }

    @Test("The audit log verifies, and names the entry rewritten after DROP TRIGGER, removed, or replaced")
    func auditChain() async throws {
        let lab = try await VotingLab()
        let intact = try await lab.db.verifyAuditLog(heads: [])
        let count = try await lab.db.auditLog().count
        #expect(intact.problem == nil && intact.entries == count && intact.head?.id == Int64(count))
        // REPLACE deletes without firing delete triggers; the chain's insert trigger refuses it.
        #expect(throws: DatabaseError.self) {
            try rawWrite(lab.path) { try $0.execute(sql: "INSERT OR REPLACE INTO auditEntry SELECT id, at, 'Mallory', role, serviceId, action, fromStage, toStage, note, previousHash, hash FROM auditEntry WHERE id = 1") }
        }
        // A forger drops the trigger and rewrites entry #2's author.
        try rawWrite(lab.path) { (db: Database) throws in
            try db.execute(sql: "DROP TRIGGER auditEntry_append_only_update; UPDATE auditEntry SET who = 'Mallory' WHERE id = 2")
        }
        let forged = try await lab.db.verifyAuditLog(heads: [])
        #expect(forged.problem?.message(in: .english) == "audit entry #2 was changed after it was written")
        #expect(forged.problem?.message(in: .arabic) == "قيد السجل #2 غُيّر بعد كتابته")
    }

    @Test("A removed audit entry, and a chain recomputed after a rewrite, are named against the head on paper")
    func auditRemovedAndRecomputed() async throws {
        let lab = try await VotingLab()
        let paper = try await lab.db.verifyAuditLog(heads: []).head!
        try rawWrite(lab.path) { (db: Database) throws in
            try db.execute(sql: "DROP TRIGGER auditEntry_append_only_delete; DELETE FROM auditEntry WHERE id = 3")
        }
        #expect(try await lab.db.verifyAuditLog(heads: []).problem?.code == .auditEntriesMissing)

        // A second forger rewrites entry #1 and recomputes every hash after it: the chain holds, the paper does not.
        let other = try await VotingLab()
        let printed = try await other.db.verifyAuditLog(heads: []).head!
        try forgeFirstEntry(other.path)
        #expect(try await other.db.verifyAuditLog(heads: []).problem == nil)
        let checked = try await other.db.verifyAuditLog(heads: [printed])
        #expect(checked.problem?.code == .auditHeadDiffers)
        #expect(paper.hash.count == 64)
    }

    @Test("The head at each sign-off is recorded with it, so a rewrite before it is named")
    func headAtSignOff() async throws {
        let (db, path) = try await Backend.sqlite.store(now: { start })
        try await db.createPhase(name: "P1", startsOn: "2023-01-01", sectors: [], by: facilitator)
        try await db.createLab(name: "Lab", phase: "P1", sectors: [], by: facilitator)
        try await db.importService(yaml: try yaml("burial-permit"), file: "burial-permit.yaml", lab: "Lab", by: facilitator)
        try await db.advance(service: "burial-permit", by: facilitator)
        try await db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits, severity: 4,
                                  source: .community, text: "A second trip", by: facilitator)
        try await db.advance(service: "burial-permit", by: facilitator)
        try await db.recordDocument(service: "burial-permit", revision: try await db.status(service: "burial-permit").revision,
                                    sha256: String(repeating: "a", count: 64), by: facilitator)
        try await db.advance(service: "burial-permit", by: facilitator)
        try await db.review(service: "burial-permit", verdict: .approve, reasons: "Complete", by: Member(name: "QC", role: .qualityReviewer))
        let owner = try await db.serviceState("burial-permit").owners.sorted()[0]
        try await db.signOff(service: "burial-permit", institution: owner,
                             by: Member(name: "DG", role: .directorGeneral, institution: owner))
        let signed = try await db.documentContent(service: "burial-permit").signOffs[0]
        let log = try await db.auditLog()
        #expect(signed.auditHead == AuditChain.Head(id: log.first { $0.action == "sign off" }!.id!, hash: log.first { $0.action == "sign off" }!.hash!))
        try forgeFirstEntry(path)
        #expect(try await db.verifyAuditLog(heads: []).problem?.code == .auditHeadDiffers)
    }

    @Test("A database from before (v5) is upgraded: closed votes sealed, the log chained, registrations still counted")
    func upgradeFromV5() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v5: members with a scope, documents by revision, votes with fixed choices")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO phase (id, name, startsOn, endsOn, sectors) VALUES (1, 'P1', '2023-01-01', '2023-04-01', '[]');
                INSERT INTO lab (id, phaseId, name, facilitator, sectors) VALUES (1, 1, 'Lab', 'Aisha', '[]');
                INSERT INTO labService (id, labId, stage) VALUES ('s', 1, 'future-design');
                INSERT INTO participant (id, phaseId, code, name, track, kind, registeredAt)
                  VALUES (1, 1, 'AAAA2222', 'One', 'in-person', 'community', '2023-01-02 10:00:00.000'),
                         (2, 1, 'BBBB3333', 'Two', 'in-person', 'community', '2023-01-02 10:00:00.000');
                INSERT INTO vote (id, labServiceId, mode, question, opensAt, closesAt, dotBudget, dotCap, hideResults)
                  VALUES (1, 's', 'dots', 'Q', '2023-01-03 10:00:00.000', '2023-01-04 10:00:00.000', 5, 3, 0);
                INSERT INTO ballot (id, voteId, participantId, origin, castAt)
                  VALUES (1, 1, 1, 'online', '2023-01-03 11:00:00.000'), (2, 1, 2, 'online', '2023-01-03 12:00:00.000');
                INSERT INTO ballotChoice (ballotId, voteId, choice, weight) VALUES (1, 1, 7, 3), (1, 1, 8, 2), (2, 1, 8, 3);
                UPDATE vote SET closedAt = '2023-01-04 10:00:00.000' WHERE id = 1;
                INSERT INTO auditEntry (at, who, role, serviceId, action, note)
                  VALUES ('2023-01-01 09:00:00.000', 'Aisha', 'facilitator', NULL, 'create phase', 'P1'),
                         ('2023-01-04 10:00:00.000', 'Aisha', 'facilitator', 's', 'close vote', '#1');
                """)
        }
        try queue.close()
        let store = try SQLiteLabStore.open(path: path, now: { start })
        try rawRead(path) { (db: Database) throws in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ballotChoice") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ballot WHERE sealed") == 2)
            // Two ballots show no split, so beside the list of who voted their choices are not kept.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM castChoice") == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(total), 0) FROM voteTotal") == 0)
        }
        #expect(try await store.participants(phase: "P1").allSatisfy { $0.verification == .beforeVerification })
        let chain = try await store.verifyAuditLog(heads: [])
        #expect(chain.problem == nil && chain.entries == 2)
        // The log goes on from the upgraded chain.
        try await store.createPhase(name: "P2", startsOn: "2023-05-01", sectors: [], by: office)
        #expect(try await store.verifyAuditLog(heads: []).problem == nil)
    }
}
