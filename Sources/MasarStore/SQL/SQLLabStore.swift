import Foundation
import MasarCore
import Synchronization

/// The lab store over SQL, written once for both backends: SQLite through GRDB, the embedded
/// default (`SQLiteLabStore.open`), and a PostgreSQL server for a programme that outgrows one
/// machine (`PostgresLabStore.open`). Each change asks `LabRules` inside the transaction that
/// makes it, and the backend holds in its schema what a database can hold (unique ballots, the
/// append-only chained audit log, the budget, frozen votes), so both backends refuse the same.
public final class SQLLabStore: LabStore {
    let backend: any SQLBackend
    /// The clock every recorded time comes from (tests set their own).
    let now: @Sendable () -> Date
    /// Maps read back from revisions, by revision id: a revision never changes, and reading
    /// the YAML again is most of the cost of a workflow step.
    let maps = Mutex<[Int64: ServiceMap]>([:])

    init(_ backend: any SQLBackend, now: @escaping @Sendable () -> Date) {
        self.backend = backend
        self.now = now
    }

    /// Where the data lives: the database file, or the server's URL without its password.
    public var location: String { backend.location }

    /// Reads with a consistent snapshot, off the caller's thread.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await Self.refusing { try await backend.read(body) }
    }

    /// Writes in one transaction: a refusal or an error inside leaves the database unchanged.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await Self.refusing { try await backend.write(body) }
    }

    /// A rule the database holds (a unique key, a trigger, a check) that refused a statement, as a refusal.
    static func refusing<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SQLConstraintError {
            throw refusal(error)
        }
    }

    static func refusal(_ error: SQLConstraintError) -> Refusal {
        let rule = switch error.kind {
        case .unique: "a unique key"
        case .trigger: "a rule held by a trigger"
        case .check: "a check"
        case .reference: "a reference"
        case .required: "a required value"
        case .other: "a constraint"
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
    /// the entry before it. Returns the new head. Every write transaction holds the chain's
    /// lock from its start (`SQLBackend.write`), so no other writer appends between the read
    /// of the head and this insert.
    @discardableResult
    func audit(_ db: any SQLDatabase, _ member: Member, service: String?, action: AuditAction,
               from: Stage? = nil, to: Stage? = nil, note: String = "") throws -> AuditChain.Head {
        let last = try db.row("SELECT id, hash FROM auditEntry ORDER BY id DESC LIMIT 1")
        let id = (last?["id"] as Int64? ?? 0) + 1
        let previous: String = last?["hash"] ?? AuditChain.start
        let values: [SQLValue] = [now().sqlValue, .text(member.name), .text(member.role.rawValue), service.sqlValue,
                                  .text(action.rawValue), from.sqlValue, to.sqlValue, .text(note)]
        let hash = AuditChain.hash(previous: previous, id: id, content: values.map(\.hashedText))
        try db.execute("""
            INSERT INTO auditEntry (id, at, who, role, serviceId, action, fromStage, toStage, note, previousHash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(id)] + values + [.text(previous), .text(hash)])
        return AuditChain.Head(id: id, hash: hash)
    }

    /// The columns of an audit entry the chain hashes, in their fixed order.
    static let auditColumns = ["at", "who", "role", "serviceId", "action", "fromStage", "toStage", "note"]

    /// An entry's content as the chain hashes it: the columns as stored, in a fixed order.
    static func auditContent(_ row: SQLRow) -> [String?] {
        auditColumns.map { row.value($0).hashedText }
    }

    /// Checks the audit log's chain, and each head recorded at a sign-off or given from paper.
    public func verifyAuditLog(heads: [AuditChain.Head]) async throws -> AuditChain.Verification {
        try await read { db in try self.auditChain(db, heads: heads) }
    }

    func auditChain(_ db: any SQLDatabase, heads: [AuditChain.Head] = []) throws -> AuditChain.Verification {
        let links = try db.rows("SELECT * FROM auditEntry ORDER BY id").map { row in
            AuditChain.Link(id: row["id"], content: Self.auditContent(row), previousHash: row["previousHash"], hash: row["hash"])
        }
        let signed = try db.rows("SELECT auditEntryId, auditHash FROM signOff WHERE auditHash IS NOT NULL ORDER BY id")
            .map { AuditChain.Head(id: $0["auditEntryId"], hash: $0["auditHash"]) }
        return AuditChain.verify(links, heads: signed + heads)
    }

    /// The audit log, oldest first; for one service when given.
    public func auditLog(service: String?) async throws -> [AuditEntry] {
        try await read { db in
            if let service {
                return try db.records(AuditEntry.self, "SELECT * FROM auditEntry WHERE serviceId = ? ORDER BY id", arguments: [service])
            }
            return try db.records(AuditEntry.self, "SELECT * FROM auditEntry ORDER BY id")
        }
    }
}

/// Where a `SQLLabStore` keeps its data: it runs the store's transactions, each on a thread of
/// its own so that the caller's event loop never blocks, and holds the schema and its rules.
protocol SQLBackend: Sendable {
    /// The database file, or the server's URL without its password.
    var location: String { get }
    /// A consistent snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T
    /// One transaction, serialised with every other writer's by the audit chain's lock: every
    /// change appends to the one chain, so writes are ordered by it anyway, and a rule that reads
    /// then writes (advancing a stage, a sign-off, a ballot, the budget) sees the last change.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T
    /// A copy of the database that its own tools restore.
    func backup(to path: String) async throws
    /// After a vote is sealed: clears what the backend still keeps of the ballots' old pages.
    func forgetSealedPages() async
    /// What `SQLDatabase.announce` tells, as other processes tell it.
    func endedSignIns() -> AsyncStream<EndedSignIn>
}
