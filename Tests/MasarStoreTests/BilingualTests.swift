import Foundation
import GRDB
import MasarCore
import Testing
@testable import MasarStore

private let facilitator = Member(name: "Aisha", role: .facilitator)
private let v7 = "v7: look-alike account names refused"

private func temporaryPath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
}

/// A database left at v7 (texts in one column, no language) with a pain point and a proposed
/// improvement in Arabic and English, and a closed poll with an Arabic question.
private func v7Database(_ path: String) throws {
    let queue = try DatabaseQueue(path: path)
    try Migrations.migrator.migrate(queue, upTo: v7)
    try queue.write { db in
        try db.execute(sql: """
            INSERT INTO phase (id, name, startsOn, endsOn, sectors) VALUES (1, 'P1', '2023-01-01', '2023-04-01', '[]');
            INSERT INTO lab (id, phaseId, name, facilitator, sectors) VALUES (1, 1, 'Lab', 'Aisha', '[]');
            INSERT INTO labService (id, labId, stage) VALUES ('s', 1, 'future-design');
            INSERT INTO painPoint (id, labServiceId, stepId, category, severity, source, text, recordedBy, recordedAt)
              VALUES (1, 's', 'visit', 'visits', 4, 'community', 'زيارة ثانية للمكتب', 'Aisha', '2023-01-02 10:00:00.000');
            INSERT INTO improvement (id, labServiceId, text, status, proposedBy) VALUES (1, 's', 'Apply online (SMS)', 'proposed', 'Aisha');
            INSERT INTO vote (id, labServiceId, mode, question, opensAt, closesAt, hideResults)
              VALUES (1, 's', 'poll', 'أي يوم يناسبك؟', '2023-01-03 10:00:00.000', '2023-01-04 10:00:00.000', 0);
            INSERT INTO voteOption (id, voteId, text) VALUES (1, 1, 'Sunday'), (2, 1, 'الاثنين');
            UPDATE vote SET closedAt = '2023-01-04 10:00:00.000' WHERE id = 1;
            """)
    }
    try queue.close()
}

@Suite("Texts in English and Arabic: pain points, improvements, vote questions, poll options")
struct BilingualTests {
    @Test("Both languages, or one of them, are stored and read back as given")
    func roundTrip() async throws {
        let lab = try await VotingLab()
        let point = try await lab.db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .waiting, severity: 2,
                                                  source: .survey, text: LocalizedText(en: "Long wait", ar: "انتظار طويل"),
                                                  by: facilitator)
        let idea = try await lab.db.proposeImprovement(service: "burial-permit", text: LocalizedText(ar: "موعد مسبق"),
                                                       addresses: [point.id!], by: facilitator)
        let poll = try await lab.db.openVote(service: "burial-permit", mode: .poll, question: LocalizedText(en: "Which day?", ar: "أي يوم؟"),
                                             opensAt: Date(timeIntervalSince1970: 1_700_000_000),
                                             closesAt: Date(timeIntervalSince1970: 1_700_003_600),
                                             options: LocalizedText.paired(en: ["Sunday", "Monday"], ar: ["الأحد"]), liveResults: true, by: facilitator)
        #expect(try await lab.db.painPoints(service: "burial-permit").last?.text == LocalizedText(en: "Long wait", ar: "انتظار طويل"))
        #expect(try await lab.db.improvements(service: "burial-permit").first { $0.improvement.id == idea.id }?.improvement.text
                == LocalizedText(ar: "موعد مسبق"))
        #expect(try await lab.db.vote(poll.id!).question == LocalizedText(en: "Which day?", ar: "أي يوم؟"))
        #expect(try await lab.db.choices(vote: poll.id!).map(\.text)
                == [LocalizedText(en: "Sunday", ar: "الأحد"), LocalizedText(en: "Monday")])
        #expect(try await lab.db.results(vote: poll.id!).question == LocalizedText(en: "Which day?", ar: "أي يوم؟"))
        // The audit log names both.
        #expect(try await lab.db.auditLog().last?.note == "#\(poll.id!) poll: Which day? · أي يوم؟")
    }

    @Test("A text in neither language is refused, naming the field, and nothing changes; a blank one counts as none")
    func neither() async throws {
        let lab = try await VotingLab()
        let before = try await lab.db.painPoints(service: "burial-permit")
        try await expectRefused(lab.db, "the pain point text is empty; give it in English, in Arabic, or in both", service: "burial-permit") {
            try await lab.db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .waiting, severity: 2,
                                          source: .survey, text: LocalizedText(en: " \n", ar: nil), by: facilitator)
        }
        #expect(try await lab.db.painPoints(service: "burial-permit") == before)
        try await expectRefused(lab.db, "the improvement text is empty; give it in English, in Arabic, or in both", service: "burial-permit") {
            try await lab.db.proposeImprovement(service: "burial-permit", text: LocalizedText(), addresses: [], by: facilitator)
        }
        try await expectRefused(lab.db, "the vote question is empty; give it in English, in Arabic, or in both", service: "burial-permit") {
            _ = try await lab.db.openVote(service: "burial-permit", mode: .support, question: LocalizedText(en: "", ar: ""),
                                          opensAt: Date(timeIntervalSince1970: 1_700_000_000),
                                          closesAt: Date(timeIntervalSince1970: 1_700_003_600), supportLimit: 1, by: facilitator)
        }
    }

    @Test("The rules for a text hold in each language: a bidi control or too long an Arabic text is refused")
    func rulesInBothLanguages() async throws {
        let lab = try await VotingLab()
        try await expectRefused(lab.db, "the pain point text holds U+202E, a bidi control that reorders what is shown (gnp.exe shows as exe.png); remove it",
                                service: "burial-permit") {
            try await lab.db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .waiting, severity: 2,
                                          source: .survey, text: LocalizedText(en: "fine", ar: "نص\u{202E}مقلوب"), by: facilitator)
        }
        try await expectRefused(lab.db, "the poll option has 301 characters; it may have at most 300", service: "burial-permit") {
            _ = try await lab.db.openVote(service: "burial-permit", mode: .poll, question: "Q", opensAt: Date(timeIntervalSince1970: 1_700_000_000),
                                          closesAt: Date(timeIntervalSince1970: 1_700_003_600),
                                          options: [LocalizedText(en: "Yes", ar: String(repeating: "ن", count: 301)), "No"], by: facilitator)
        }
    }

    @Test("The database itself refuses a row with neither language")
    func databaseHoldsIt() async throws {
        let lab = try await VotingLab()
        let queue = try DatabaseQueue(path: lab.path)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO improvement (labServiceId, textEn, textAr, status, proposedBy) VALUES ('burial-permit', NULL, '', 'proposed', 'x')")
            }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE painPoint SET textEn = NULL, textAr = NULL") }
        }
    }

    @Test("A v7 database is upgraded: a text with Arabic letters becomes Arabic, any other English; a closed vote stays closed")
    func migration() async throws {
        let path = temporaryPath()
        try v7Database(path)
        let store = try SQLiteLabStore.open(path: path)
        #expect(try await store.painPoints(service: "s").map(\.text) == [LocalizedText(ar: "زيارة ثانية للمكتب")])
        #expect(try await store.improvements(service: "s").map(\.improvement.text) == [LocalizedText(en: "Apply online (SMS)")])
        let vote = try await store.vote(1)
        #expect(vote.question == LocalizedText(ar: "أي يوم يناسبك؟"))
        #expect(vote.closedAt != nil)
        #expect(try await store.choices(vote: 1).map(\.text) == [LocalizedText(en: "Sunday"), LocalizedText(ar: "الاثنين")])
        // The guard on closed votes is back.
        let queue = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE vote SET questionEn = 'changed' WHERE id = 1") }
        }
    }

    @Test("An export carries both languages; an export of v7 still imports, its texts given their language")
    func exchange() async throws {
        let lab = try await VotingLab()
        try await lab.db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .waiting, severity: 2,
                                      source: .survey, text: LocalizedText(en: "Long wait", ar: "انتظار طويل"), by: facilitator)
        let export = try await lab.db.exportJSON()
        let copy = try SQLiteLabStore.open(path: temporaryPath())
        try await copy.importJSON(export)
        #expect(try await copy.painPoints(service: "burial-permit") == lab.db.painPoints(service: "burial-permit"))
        #expect(try await copy.exportJSON() == export)

        let path = temporaryPath()
        try v7Database(path)
        let old = try DatabaseQueue(path: path)
        let tables = try await old.read { try SQLLabStore.exportTables(SQLiteDatabase($0)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let v7Export = try encoder.encode(Export(format: "masar-export", schema: v7, tables: tables))
        let upgraded = try SQLiteLabStore.open(path: temporaryPath())
        try await upgraded.importJSON(v7Export)
        #expect(try await upgraded.painPoints(service: "s").map(\.text) == [LocalizedText(ar: "زيارة ثانية للمكتب")])
        #expect(try await upgraded.choices(vote: 1).map(\.text) == [LocalizedText(en: "Sunday"), LocalizedText(ar: "الاثنين")])
        #expect(try await upgraded.vote(1).closedAt != nil)
        // A schema this Masar never had is refused by name.
        let future = try encoder.encode(Export(format: "masar-export", schema: "v99: from the future", tables: [:]))
        await expectRefusal("the export is of schema 'v99: from the future', which this Masar does not know; it reads 'v10: sign-in throttles shared by every server' and the schemas before it") {
            try await SQLiteLabStore.open(path: temporaryPath()).importJSON(future)
        }
    }
}
