import Foundation
import GRDB
import MasarCore

/// The lab store in a SQLite file, the embedded default.
public enum SQLiteLabStore {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// A database written by a newer Masar is refused rather than misread.
    public static func open(path: String, now: @escaping @Sendable () -> Date = Date.init) throws -> SQLLabStore {
        SQLLabStore(try SQLiteBackend(path: path), now: now)
    }

    /// The tables of `export` as this schema has them. One of an earlier schema is loaded into an
    /// empty database of that schema in memory, which the same migrations as a database file's
    /// bring up to date (v8 gives its texts their language), and is read back from there.
    static func upgraded(_ export: Export) throws -> [String: [[String: JSONValue]]] {
        if export.schema == Migrations.latest { return export.tables }
        let migrator = Migrations.migrator
        guard migrator.migrations.contains(export.schema) else {
            throw Refusal(.exportSchema, ["schema": export.schema, "expected": Migrations.latest])
        }
        let scratch = try DatabaseQueue()
        try migrator.migrate(scratch, upTo: export.schema)
        try scratch.write { db in try SQLLabStore.load(export.tables, into: SQLiteDatabase(db)) }
        try migrator.migrate(scratch)
        return try scratch.read { db in try SQLLabStore.exportTables(SQLiteDatabase(db)) }
    }
}

/// SQLite through GRDB: a `DatabasePool` in WAL mode, foreign keys on, and a busy timeout so
/// that several processes writing at once wait for each other instead of failing. SQLite has
/// one writer at a time, which is the audit chain's lock.
final class SQLiteBackend: SQLBackend {
    let writer: any DatabaseWriter
    let location: String

    convenience init(path: String) throws {
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
        let migrator = Migrations.migrator
        if try pool.read({ try migrator.hasBeenSuperseded($0) }) { throw Refusal(.databaseNewer) }
        try migrator.migrate(pool)
        self.init(pool, path: path)
    }

    init(_ writer: any DatabaseWriter, path: String) {
        self.writer = writer
        self.location = path
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await writer.read { db in try body(SQLiteDatabase(db)) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await writer.write { db in try body(SQLiteDatabase(db)) }
    }

    /// SQLite's online backup: safe while others write.
    func backup(to path: String) async throws {
        let writer = self.writer
        try await Task.detached { try writer.backup(to: try DatabaseQueue(path: path)) }.value
    }

    /// The removed pairs are zeroed in the database file (secure_delete); this also empties the
    /// write-ahead log that still holds the pages from before. Best effort: readers may hold it.
    func forgetSealedPages() async {
        _ = try? await writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
    }

    func endedSignIns() -> AsyncStream<EndedSignIn> { AsyncStream { $0.finish() } }
}

/// A GRDB connection inside one of its transactions. Statements are cached by their text: the
/// store's SQL is fixed, so each is prepared once per connection.
final class SQLiteDatabase: SQLDatabase {
    let db: Database

    init(_ db: Database) { self.db = db }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try translated { try db.cachedStatement(sql: sql).execute(arguments: Self.arguments(arguments)) }
    }

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try translated {
            let statement = try db.cachedStatement(sql: sql)
            let names = statement.columnNames
            return try Row.fetchAll(statement, arguments: Self.arguments(arguments)).map { row in
                SQLRow(columnNames: names, values: row.databaseValues.map(Self.value))
            }
        }
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        return result!
    }

    func columns(in table: String) throws -> [String] {
        try db.tableExists(table) ? db.columns(in: table).map(\.name) : []
    }

    func quoted(_ column: String) -> String { "\"\(column)\"" }

    /// One process's own cache forgets what it ends; `endedSignIns` has nothing to tell.
    func announce(_ ended: EndedSignIn) throws {}

    /// SQLite numbers a new row after the largest id there is.
    func continueNumbering(_ tables: [String]) throws {}

    private func translated<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw SQLConstraintError(kind: Self.kind(error), detail: error.message ?? "")
        }
    }

    static func kind(_ error: DatabaseError) -> SQLConstraintError.Kind {
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY: .unique
        case .SQLITE_CONSTRAINT_TRIGGER: .trigger
        case .SQLITE_CONSTRAINT_CHECK: .check
        case .SQLITE_CONSTRAINT_FOREIGNKEY: .reference
        case .SQLITE_CONSTRAINT_NOTNULL: .required
        default: .other
        }
    }

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { value -> DatabaseValue in
            switch value {
            case .null: .null
            case .integer(let int): int.databaseValue
            case .real(let double): double.databaseValue
            case .text(let text): text.databaseValue
            case .blob(let data): data.databaseValue
            }
        })
    }

    static func value(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let int): .integer(int)
        case .double(let double): .real(double)
        case .string(let string): .text(string)
        case .blob(let data): .blob(data)
        }
    }
}
