import Foundation
import GRDB
import MasarCore
import Testing
@testable import MasarStore

private let office = Member(name: "Programme office", role: .programmeOffice)
private let facilitator = Member(name: "Aisha Al-Balushi", role: .facilitator)
private let clock = Date(timeIntervalSince1970: 1_700_000_000)

/// A store with birth registration in a lab, taking pain points, and the programme office's account.
private func labTakingPainPoints(_ backend: Backend) async throws -> any LabStore {
    let (db, _) = try await backend.store(now: { clock })
    try await db.createAccount(name: office.name, role: .programmeOffice, passwordHash: "x", by: nil)
    try await db.createPhase(name: "Phase 1", startsOn: "2023-01-01", sectors: ["civil-status"], by: facilitator)
    try await db.createLab(name: "Civil status lab", phase: "Phase 1", sectors: ["civil-status"], by: facilitator)
    try await db.importService(yaml: try yaml("birth-registration"), file: "birth-registration.yaml",
                               lab: "Civil status lab", by: facilitator)
    try await db.advance(service: "birth-registration", by: facilitator)
    return db
}

@Suite("Text that lies: the store refuses it in the write, and look-alike accounts")
struct TextTests {
    @Test("A 65,000-character pain point is refused and nothing is stored", arguments: Backend.all)
    func hugePainPoint(_ backend: Backend) async throws {
        let db = try await labTakingPainPoints(backend)
        try await expectRefused(db, "the pain point text has 65000 characters; it may have at most 2000") {
            try await db.addPainPoint(service: "birth-registration", step: "pay-fee", category: .fees, severity: 2,
                                      source: .complaints, text: LocalizedText(en: String(repeating: "x", count: 65_000)), by: facilitator)
        }
        #expect(try await db.painPoints(service: "birth-registration").isEmpty)
    }

    @Test("A 5,000-character participant name is refused and nobody is registered", arguments: Backend.all)
    func hugeName(_ backend: Backend) async throws {
        let db = try await labTakingPainPoints(backend)
        try await expectRefused(db, "the participant name has 5000 characters; it may have at most 120") {
            try await db.registerParticipant(phase: "Phase 1", name: String(repeating: "n", count: 5_000), track: .inPerson,
                                             kind: .community, by: facilitator)
        }
        await expectRefusal("the participant name has 5000 characters; it may have at most 120") {
            _ = try await db.registerOnline(phase: "Phase 1", name: String(repeating: "n", count: 5_000), track: .inPerson,
                                            passwordHash: nil, civilID: nil)
        }
        #expect(try await db.participants(phase: "Phase 1").isEmpty)
    }

    @Test("A name that turns the terminal red, or an override in an improvement, is refused in the write", arguments: Backend.all)
    func hiddenCharacters(_ backend: Backend) async throws {
        let db = try await labTakingPainPoints(backend)
        try await expectRefused(db, "the account name holds the control character U+001B, which is not shown but can change what is; remove it") {
            try await db.createAccount(name: "\u{1B}[31mMallory", role: .facilitator, passwordHash: "x", by: office)
        }
        try await expectRefused(db, "the improvement text holds U+202E, a bidi control that reorders what is shown (gnp.exe shows as exe.png); remove it") {
            try await db.proposeImprovement(service: "birth-registration", text: "Open invoice\u{202E}fdp.exe", addresses: [],
                                            by: facilitator)
        }
        try await expectRefused(db, "the lab name holds U+2067, a bidi control that reorders what is shown (gnp.exe shows as exe.png); remove it") {
            try await db.createLab(name: "Lab \u{2067}2", phase: "Phase 1", sectors: [], by: facilitator)
        }
        #expect(try await db.improvements(service: "birth-registration").isEmpty)
        // A textarea's CRLF is stored as LF.
        let point = try await db.addPainPoint(service: "birth-registration", step: "pay-fee", category: .fees, severity: 2,
                                              source: .complaints, text: "Cash only\r\nNo card", by: facilitator)
        #expect(point.text == "Cash only\nNo card")
    }

    @Test("Look-alike account names are refused, naming the account they look like", arguments: Backend.all)
    func lookAlikes(_ backend: Backend) async throws {
        let db = try await labTakingPainPoints(backend)
        try await db.createAccount(name: "Aisha", role: .facilitator, passwordHash: "x", by: office)
        let ali = "\u{0639}\u{0644}\u{064A}", persianAli = "\u{0639}\u{0644}\u{06CC}"  // علي, and with the Persian yeh
        try await db.createAccount(name: ali, role: .facilitator, passwordHash: "x", by: office)
        for name in ["\u{410}isha", "Ai\u{200B}sha"] {  // a Cyrillic capital A; a zero-width space inside
            try await expectRefused(db, "the name '\(name)' looks the same as the existing account 'Aisha'; choose a name that reads differently") {
                try await db.createAccount(name: name, role: .qualityReviewer, passwordHash: "x", by: office)
            }
        }
        // Full-width letters are stored as the letters they show (NFKC): the same name as Aisha.
        try await expectRefused(db, "the name 'aisha' is taken by another account") {
            try await db.createAccount(name: "ａｉｓｈａ", role: .qualityReviewer, passwordHash: "x", by: office)
        }
        // Persian yeh for Arabic yeh.
        try await expectRefused(db, "the name '\(persianAli)' looks the same as the existing account '\(ali)'; choose a name that reads differently") {
            try await db.createAccount(name: persianAli, role: .qualityReviewer, passwordHash: "x", by: office)
        }
        // Typing a look-alike finds the one account it looks like.
        #expect(try await db.account(named: "ａｉｓｈａ")?.name == "Aisha")
        #expect(try await db.member(named: persianAli)?.name == ali)
    }

    @Test("The database itself refuses a second account with the same skeleton", arguments: Backend.all)
    func skeletonIndex(_ backend: Backend) async throws {
        let (db, _) = try await backend.store(now: { clock })
        try await db.createAccount(name: office.name, role: .programmeOffice, passwordHash: "x", by: nil)
        await #expect(throws: SQLConstraintError.self) {
            try await rawSQL(db, """
                INSERT INTO account (name, role, passwordHash, createdAt, nameSkeleton)
                VALUES ('Someone else', 'facilitator', 'x', '2023-01-01', ?)
                """, [TextRules.skeleton(office.name)])
        }
    }

    @Test("Accounts that already looked alike before v6 are both kept; the oldest holds the skeleton")
    func collidingAccountsBeforeMigration() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Migrations.migrator.migrate(queue, upTo: "v5: members with a scope, documents by revision, votes with fixed choices")
        try await queue.write { db in
            for name in ["Aisha", "\u{410}isha"] {  // the second with a Cyrillic A
                try db.execute(sql: "INSERT INTO account (name, role, passwordHash, createdAt) VALUES (?, 'facilitator', 'x', '2023-01-01')",
                               arguments: [name])
            }
        }
        try queue.close()
        let store = try SQLiteLabStore.open(path: path, now: { clock })
        // Each signs in by their own spelling; a third spelling finds the oldest.
        #expect(try await store.account(named: "Aisha")?.id == 1)
        #expect(try await store.account(named: "\u{410}isha")?.id == 2)
        #expect(try await store.account(named: "ａｉｓｈａ")?.id == 1)
        await expectRefusal("the name 'aisha' is taken by another account") {
            try await store.createAccount(name: "aisha", role: .facilitator, passwordHash: "x", by: office)
        }
    }
}
