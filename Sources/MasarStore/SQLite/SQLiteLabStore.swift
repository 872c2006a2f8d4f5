import Foundation
import GRDB
import MasarCore
import Synchronization

/// The lab store in SQLite through GRDB, the embedded default: a `DatabasePool` in WAL mode,
/// foreign keys on, and a busy timeout so that several processes writing at once wait for
/// each other instead of failing. Records, `Columns` and SQL stay inside this adapter.
public final class SQLiteLabStore: LabStore {
    let writer: any DatabaseWriter
    /// The clock every recorded time comes from (tests set their own).
    let now: @Sendable () -> Date
    /// Maps read back from revisions, by revision id: a revision never changes, and reading
    /// the YAML again is most of the cost of a workflow step.
    let maps = Mutex<[Int64: ServiceMap]>([:])

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// A database written by a newer Masar is refused rather than misread.
    public static func open(path: String, now: @escaping @Sendable () -> Date = Date.init) throws -> SQLiteLabStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(30)
        configuration.prepareDatabase { db in
            // An INSERT OR REPLACE then fires delete triggers, which refuse it on the audit log;
            // and deleted rows (a ballot's choices at the close) are overwritten, not left in free pages.
            try db.execute(sql: "PRAGMA recursive_triggers = ON; PRAGMA secure_delete = ON")
        }
        // It holds open votes' ballots and in-person participants' codes: its owner's alone.
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        return try SQLiteLabStore(pool, now: now)
    }

    init(_ writer: any DatabaseWriter, now: @escaping @Sendable () -> Date = Date.init) throws {
        self.writer = writer
        self.now = now
        let migrator = Migrations.migrator
        if try writer.read({ try migrator.hasBeenSuperseded($0) }) { throw Refusal(.databaseNewer) }
        try migrator.migrate(writer)
    }

    /// Reads with a consistent snapshot, off the caller's thread.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await Self.refusing { try await writer.read(body) }
    }

    /// Writes in one transaction: a refusal or an error inside leaves the database unchanged.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await Self.refusing { try await writer.write(body) }
    }

    /// A rule the database holds (a unique key, a trigger, a check) that refused a statement,
    /// as a refusal: recognised by SQLite's extended result code, never by its message.
    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw refusal(error)
        }
    }

    static func refusal(_ error: DatabaseError) -> Refusal {
        let rule = switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY: "a unique key"
        case .SQLITE_CONSTRAINT_TRIGGER: "a rule held by a trigger"
        case .SQLITE_CONSTRAINT_CHECK: "a check"
        case .SQLITE_CONSTRAINT_FOREIGNKEY: "a reference"
        case .SQLITE_CONSTRAINT_NOTNULL: "a required value"
        default: "a constraint"
        }
        return Refusal(.databaseRefused, ["rule": rule])
    }

    /// Refuses any of `texts` that `field` cannot take (`LabRules.text`), inside the transaction
    /// that would store them; a one-line field stores what it takes as typed.
    func check(_ texts: [String], as field: TextField) throws {
        for text in texts {
            if let refusal = LabRules.text(text, field).refusal { throw refusal }
        }
    }

    /// Appends to the audit log, inside the transaction of the change it records, chained to
    /// the entry before it. Returns the new head.
    @discardableResult
    func audit(_ db: Database, _ member: Member, service: String?, action: AuditAction,
               from: Stage? = nil, to: Stage? = nil, note: String = "") throws -> AuditChain.Head {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, hash FROM auditEntry ORDER BY id DESC LIMIT 1"))
        let id = (last?["id"] as Int64? ?? 0) + 1
        let previous: String = last?["hash"] ?? AuditChain.start
        let at = now().databaseValue
        let values: [DatabaseValueConvertible?] = [at, member.name, member.role.rawValue, service, action.rawValue,
                                                   from?.rawValue, to?.rawValue, note]
        let hash = AuditChain.hash(previous: previous, id: id, content: values.map { Self.text($0?.databaseValue ?? .null) })
        try db.cachedStatement(sql: """
            INSERT INTO auditEntry (id, at, who, role, serviceId, action, fromStage, toStage, note, previousHash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: StatementArguments([id] + values + [previous, hash]))
        return AuditChain.Head(id: id, hash: hash)
    }

    /// An entry's content as the chain hashes it: the columns as stored, in a fixed order.
    static func auditContent(_ row: Row) -> [String?] {
        ["at", "who", "role", "serviceId", "action", "fromStage", "toStage", "note"].map { text(row[$0]) }
    }

    static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let int): String(int)
        case .double(let double): String(double)
        case .string(let string): string
        case .blob(let data): data.base64EncodedString()
        }
    }

    /// Checks the audit log's chain, and each head recorded at a sign-off or given from paper.
    public func verifyAuditLog(heads: [AuditChain.Head]) async throws -> AuditChain.Verification {
        try await read { db in try self.auditChain(db, heads: heads) }
    }

    func auditChain(_ db: Database, heads: [AuditChain.Head] = []) throws -> AuditChain.Verification {
        let links = try Row.fetchAll(db, sql: "SELECT * FROM auditEntry ORDER BY id").map { row in
            AuditChain.Link(id: row["id"], content: Self.auditContent(row), previousHash: row["previousHash"], hash: row["hash"])
        }
        let signed = try Row.fetchAll(db, sql: "SELECT auditEntryId, auditHash FROM signOff WHERE auditHash IS NOT NULL ORDER BY id")
            .map { AuditChain.Head(id: $0["auditEntryId"], hash: $0["auditHash"]) }
        return AuditChain.verify(links, heads: signed + heads)
    }

    /// The audit log, oldest first; for one service when given.
    public func auditLog(service: String?) async throws -> [AuditEntry] {
        try await read { db in
            var request = AuditEntry.order(Column("id"))
            if let service { request = request.filter(Column("serviceId") == service) }
            return try request.fetchAll(db)
        }
    }
}
