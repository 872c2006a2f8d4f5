import Foundation
import MasarCore

/// Backup and exchange: an online copy of the database file, and all of its data as JSON.
extension SQLLabStore {
    /// Tables in an order where every row's references come before it.
    /// (A pain point or an improvement names the participant who contributed it, and an
    /// improvement the vote that chose it: participants and votes come first.)
    static let exchangeTables = ["phase", "phaseTarget", "lab", "labSession", "labService", "revision", "participant",
                                 "vote", "voteOption", "painPoint", "improvement", "improvementPainPoint", "review",
                                 "signOff", "auditEntry", "ballot", "castChoice", "tally", "account",
                                 "labFacilitator", "voteChoice", "eligibility"]

    /// Tables an export reads by a query of its own. It never pairs a participant with a choice:
    /// a closed vote's ballots go out as who voted, without the ballot id, and its choices as the
    /// anonymous `castChoice` in sorted order; an open vote's ballots do not go out at all (two
    /// exports taken either side of one ballot would pair it). No credential goes out: not a
    /// password hash, and not a registration code, which signs an in-person participant in.
    static let exportQueries = [
        "ballot": """
            SELECT b.voteId, b.participantId, b.origin, b.castAt, 1 AS sealed FROM ballot b JOIN vote v ON v.id = b.voteId
            WHERE v.closedAt IS NOT NULL ORDER BY b.voteId, b.participantId
            """,
        "castChoice": "SELECT voteId, choice, weight FROM castChoice ORDER BY voteId, choice, weight",
        "account": "SELECT id, name, role, institution, createdAt, nameSkeleton FROM account ORDER BY id",
        "participant": """
            SELECT id, phaseId, name, track, kind, institution, registeredAt, verification, verifiedBy, verifiedAt, civilIdHash
            FROM participant ORDER BY id
            """,
        "eligibility": "SELECT * FROM eligibility ORDER BY phaseId, entryHash",
    ]

    /// What an import writes where an export left a password out: no hash matches it, so the
    /// account or participant cannot sign in until a password is set again.
    static let lockedPassword = "!"

    /// Copies the database to `path` with the backend's own tool (SQLite's online backup, safe
    /// while others write; `pg_dump` for PostgreSQL). Votes past their window are sealed first;
    /// an open vote's ballots are in the copy as they are in the database, linked to their
    /// participants until the vote closes.
    public func backup(to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw Refusal(.backupExists, ["path": path]) }
        try await sealDueVotes()
        try await backend.backup(to: path)
    }

    /// Every row of every table, as JSON with sorted keys (the same data gives the same text,
    /// whichever backend holds it).
    public func exportJSON() async throws -> Data {
        try await sealDueVotes()
        let tables = try await read { db in try Self.exportTables(db) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Export(format: "masar-export", schema: Migrations.latest, tables: tables))
    }

    /// The order of a table's rows in an export: by id, else by its key.
    static let exportOrder = ["phaseTarget": "phaseId, serviceId", "improvementPainPoint": "improvementId, painPointId",
                              "labFacilitator": "labId, name", "voteChoice": "voteId, improvementId"]

    static func exportTables(_ db: any SQLDatabase) throws -> [String: [[String: JSONValue]]] {
        var tables: [String: [[String: JSONValue]]] = [:]
        for table in exchangeTables {
            let query = exportQueries[table] ?? "SELECT * FROM \(table) ORDER BY \(exportOrder[table] ?? "id")"
            tables[table] = try db.rows(query).map { row in
                Dictionary(uniqueKeysWithValues: zip(row.columnNames, row.values).map { name, value in
                    (Migrations.columnName(name), JSONValue(value))
                })
            }
        }
        return tables
    }

    /// Loads an export into this database, which must be empty; all or nothing. An export of an
    /// earlier schema is brought up to this one first (`SQLiteLabStore.upgraded`).
    public func importJSON(_ data: Data) async throws {
        let export: Export
        do {
            export = try JSONDecoder().decode(Export.self, from: data)
        } catch {
            throw Refusal(.notAnExport, ["detail": " (\(error.localizedDescription))"])
        }
        guard export.format == "masar-export" else { throw Refusal(.notAnExport, ["detail": ""]) }
        let tables = try SQLiteLabStore.upgraded(export)
        try await write { db in
            try Self.load(tables, into: db)
            // The database checks that each entry continues the chain; the hashes are checked here.
            if let problem = try self.auditChain(db).problem { throw problem }
        }
    }

    /// Inserts `tables` into the empty database `db`, skipping tables its schema does not have yet.
    static func load(_ tables: [String: [[String: JSONValue]]], into db: any SQLDatabase) throws {
        var present: [(table: String, columns: [String: String])] = []
        for table in exchangeTables {
            let columns = try db.columns(in: table)
            if !columns.isEmpty {
                present.append((table, Dictionary(columns.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })))
            }
        }
        for (table, _) in present {
            guard try db.count("SELECT COUNT(*) FROM \(table)") == 0 else {
                throw Refusal(.importNeedsEmpty, ["table": table])
            }
        }
        // Votes go in open and are closed again at the end: the database refuses ballots of closed votes.
        var closed: [(vote: JSONValue, at: JSONValue)] = []
        for (table, columns) in present {
            for var row in tables[table] ?? [] {
                if table == "vote", let at = row["closedAt"], at != .null, let id = row["id"] {
                    closed.append((id, at))
                    row["closedAt"] = .null
                }
                if table == "account" || (table == "participant" && row["track"] == .text(Track.digital.rawValue)) {
                    row["passwordHash"] = .text(Self.lockedPassword)
                }
                // A new registration code, to print again for the participant (`participant list`).
                if table == "participant" { row["code"] = .text(try Self.unusedCode(db)) }
                let names = row.keys.sorted()
                let unknown = names.filter { columns[$0.lowercased()] == nil }
                guard unknown.isEmpty else {
                    throw Refusal(.exportColumns, ["table": table, "columns": unknown.joined(separator: ",")])
                }
                let sql = "INSERT INTO \(table) (" + names.map { db.quoted(columns[$0.lowercased()]!) }.joined(separator: ", ")
                    + ") VALUES (" + names.map { _ in "?" }.joined(separator: ", ") + ")"
                try db.execute(sql, names.map { row[$0]!.sqlValue })
            }
        }
        for (vote, at) in closed {
            try db.execute("UPDATE vote SET closedAt = ? WHERE id = ?", [at.sqlValue, vote.sqlValue])
        }
        try db.continueNumbering(present.map(\.table))
    }

    static func unusedCode(_ db: any SQLDatabase) throws -> String {
        while true {
            let code = Self.registrationCode()
            if try !db.exists("SELECT 1 FROM participant WHERE code = ?", arguments: [code]) { return code }
        }
    }
}

struct Export: Codable {
    var format: String
    var schema: String
    var tables: [String: [[String: JSONValue]]]
}

/// A stored value in JSON: integers stay integers, so ids and counts round-trip exactly.
enum JSONValue: Codable, Equatable {
    case null, integer(Int64), real(Double), text(String), blob(Data)

    init(_ value: SQLValue) {
        switch value {
        case .null: self = .null
        case .integer(let int): self = .integer(int)
        case .real(let double): self = .real(double)
        case .text(let string): self = .text(string)
        case .blob(let data): self = .blob(data)
        }
    }

    var sqlValue: SQLValue {
        switch self {
        case .null: .null
        case .integer(let int): .integer(int)
        case .real(let double): .real(double)
        case .text(let string): .text(string)
        case .blob(let data): .blob(data)
        }
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let int = try? container.decode(Int64.self) { self = .integer(int) }
        else if let double = try? container.decode(Double.self) { self = .real(double) }
        else if let text = try? container.decode(String.self) { self = .text(text) }
        else { self = .blob(try container.decode(BlobBox.self).base64) }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let int): try container.encode(int)
        case .real(let double): try container.encode(double)
        case .text(let text): try container.encode(text)
        case .blob(let data): try container.encode(BlobBox(base64: data))
        }
    }

    /// Blobs are written as `{"base64": "…"}` so they are not mistaken for text.
    struct BlobBox: Codable { var base64: Data }
}
