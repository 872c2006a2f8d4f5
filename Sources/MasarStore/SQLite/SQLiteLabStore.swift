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

    /// Appends to the audit log, inside the transaction of the change it records.
    func audit(_ db: Database, _ member: Member, service: String?, action: String,
               from: Stage? = nil, to: Stage? = nil, note: String = "") throws {
        var entry = AuditEntry(at: now(), who: member.name, role: member.role, serviceId: service, action: action,
                               fromStage: from, toStage: to, note: note)
        try entry.insert(db)
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
