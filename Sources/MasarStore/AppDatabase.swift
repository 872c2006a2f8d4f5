import Foundation
import GRDB
import MasarCore
import Synchronization

/// A lab rule that refused an action; nothing was changed.
public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The rule, as a person reads it: "future-design needs at least one pain point".
    public var rule: String

    public init(_ rule: String) {
        self.rule = rule
    }

    public var description: String { "refused: \(rule)" }
}

/// Masar's database: the one way the lab's data is read and written.
///
/// SQLite through GRDB: a `DatabasePool` in WAL mode, foreign keys on, and a busy timeout so
/// that several processes writing at once wait for each other instead of failing.
public final class AppDatabase: Sendable {
    let writer: any DatabaseWriter
    /// The clock every recorded time comes from (tests set their own).
    let now: @Sendable () -> Date
    /// Maps read back from revisions, by revision id: a revision never changes, and reading
    /// the YAML again is most of the cost of a workflow step.
    let maps = Mutex<[Int64: ServiceMap]>([:])

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// A database written by a newer Masar is refused rather than misread.
    public static func open(path: String, now: @escaping @Sendable () -> Date = Date.init) throws -> AppDatabase {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(30)
        let pool = try DatabasePool(path: path, configuration: configuration)
        return try AppDatabase(pool, now: now)
    }

    init(_ writer: any DatabaseWriter, now: @escaping @Sendable () -> Date = Date.init) throws {
        self.writer = writer
        self.now = now
        let migrator = Migrations.migrator
        if try writer.read({ try migrator.hasBeenSuperseded($0) }) {
            throw Refusal("this database was written by a newer version of Masar; upgrade Masar to open it")
        }
        try migrator.migrate(writer)
    }

    /// Reads with a consistent snapshot.
    public func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.read(body)
    }

    /// Writes in one transaction: a refusal or an error inside leaves the database unchanged.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try writer.write(body)
    }

    /// Appends to the audit log, inside the transaction of the change it records.
    func audit(_ db: Database, _ member: LabMember, service: String?, action: String,
               from: Stage? = nil, to: Stage? = nil, note: String = "") throws {
        var entry = AuditEntry(at: now(), who: member.name, role: member.role, serviceId: service, action: action,
                               fromStage: from, toStage: to, note: note)
        try entry.insert(db)
    }

    /// The audit log, oldest first; for one service when given.
    public func auditLog(service: String? = nil) throws -> [AuditEntry] {
        try read { db in
            var request = AuditEntry.order(Column("id"))
            if let service { request = request.filter(Column("serviceId") == service) }
            return try request.fetchAll(db)
        }
    }
}
