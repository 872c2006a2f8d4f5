import Foundation
import MasarCore

/// One transaction (or one read snapshot) on a backend, as the lab store's SQL sees it. The
/// store writes its SQL once, in the dialect both backends read: `?` placeholders (`?1` for a
/// repeated one), unquoted names, `ON CONFLICT DO NOTHING`, `RETURNING`, `CAST(… AS BIGINT)`.
/// A backend runs it as it is (SQLite) or with the placeholders renumbered (PostgreSQL).
///
/// Statements block: the store runs its transactions off the event loop, each on a thread of
/// its backend's, as GRDB does.
protocol SQLDatabase: AnyObject {
    /// Runs a statement; a rule the database holds throws `SQLConstraintError`.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws
    /// The rows of a query.
    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]
    /// Runs `body` in a savepoint: an error inside rolls back what it did and leaves the
    /// transaction usable (PostgreSQL aborts a whole transaction at a failed statement otherwise).
    func savepoint<T>(_ body: () throws -> T) throws -> T
    /// The table's column names as the backend spells them; empty when it has no such table.
    func columns(in table: String) throws -> [String]
    /// A column name quoted for this backend.
    func quoted(_ column: String) -> String
    /// Tells every process on the database, when this transaction commits, that a sign-in ended.
    func announce(_ ended: EndedSignIn) throws
    /// After rows were loaded with their ids (an import): new rows of `tables` are numbered after them.
    func continueNumbering(_ tables: [String]) throws
}

/// A rule the database itself holds refused a statement: a unique key, a trigger, a check, a
/// reference, a required value. Backends recognise it by their error codes, never by messages.
struct SQLConstraintError: Error {
    enum Kind: Sendable { case unique, trigger, check, reference, required, other }
    var kind: Kind
    /// The backend's own words, for a log; never shown to a user.
    var detail: String
}

/// The arguments of a statement, written as a list literal of Swift values.
typealias SQLArguments = [any SQLValueConvertible]

extension SQLDatabase {
    func execute(_ sql: String, arguments: SQLArguments = []) throws {
        try execute(sql, arguments.map(\.sqlValue))
    }

    func rows(_ sql: String, arguments: SQLArguments = []) throws -> [SQLRow] {
        try rows(sql, arguments.map(\.sqlValue))
    }

    func row(_ sql: String, arguments: SQLArguments = []) throws -> SQLRow? {
        try rows(sql, arguments: arguments).first
    }

    /// The first column of each row.
    func values<T: SQLValueConvertible>(_ type: T.Type, _ sql: String, arguments: SQLArguments = []) throws -> [T] {
        try rows(sql, arguments: arguments).map { row in
            guard let value = T.from(row.values[0]) else { preconditionFailure("\(sql) gave \(row.values[0]), not \(T.self)") }
            return value
        }
    }

    func valueSet<T: SQLValueConvertible & Hashable>(_ type: T.Type, _ sql: String, arguments: SQLArguments = []) throws -> Set<T> {
        Set(try values(type, sql, arguments: arguments))
    }

    /// The first column of the first row; nil when there is no row.
    func value<T: SQLValueConvertible>(_ type: T.Type, _ sql: String, arguments: SQLArguments = []) throws -> T? {
        try values(type, sql, arguments: arguments).first
    }

    func records<R: StoredRecord>(_ type: R.Type, _ sql: String, arguments: SQLArguments = []) throws -> [R] {
        try rows(sql, arguments: arguments).map { try RowDecoder.decode(R.self, from: $0) }
    }

    func record<R: StoredRecord>(_ type: R.Type, _ sql: String, arguments: SQLArguments = []) throws -> R? {
        try records(type, sql, arguments: arguments).first
    }

    /// Inserts a numbered record and sets the id the database gave it.
    func insert<R: NumberedRecord>(_ record: inout R) throws {
        let columns = try RowEncoder.columns(of: record).filter { !($0.name == "id" && $0.value == .null) }
        let id = try rows(insertSQL(R.tableName, columns.map(\.name)) + " RETURNING id", columns.map(\.value))[0]
        record.id = id["id"]
    }

    /// Inserts a record whose key is its own (a service's id, a link between two rows).
    func insert<R: StoredRecord>(_ record: R) throws {
        let columns = try RowEncoder.columns(of: record)
        try execute(insertSQL(R.tableName, columns.map(\.name)), columns.map(\.value))
    }

    private func insertSQL(_ table: String, _ columns: [String]) -> String {
        "INSERT INTO \(table) (" + columns.joined(separator: ", ") + ") VALUES ("
            + columns.map { _ in "?" }.joined(separator: ", ") + ")"
    }

    /// Writes every column of a numbered record to its row.
    func update<R: NumberedRecord>(_ record: R) throws {
        let columns = try RowEncoder.columns(of: record).filter { $0.name != "id" }
        try execute("UPDATE \(R.tableName) SET " + columns.map { "\($0.name) = ?" }.joined(separator: ", ") + " WHERE id = ?",
                    columns.map(\.value) + [.integer(record.id!)])
    }

    /// The record whose `column` is `value`; else refused as not found, naming it by `shown`.
    func find<R: StoredRecord & Named>(_ type: R.Type, _ column: String, _ value: some SQLValueConvertible,
                                       shown: String) throws -> R {
        guard let found = try record(type, "SELECT * FROM \(R.tableName) WHERE \(column) = ?", arguments: [value]) else {
            throw Refusal(.notFound, ["kind": R.kind, "id": shown])
        }
        return found
    }

    func count(_ sql: String, arguments: SQLArguments = []) throws -> Int {
        try value(Int.self, sql, arguments: arguments) ?? 0
    }

    func exists(_ sql: String, arguments: SQLArguments = []) throws -> Bool {
        try value(Bool.self, "SELECT EXISTS (\(sql))", arguments: arguments) ?? false
    }
}
