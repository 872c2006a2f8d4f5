import Foundation
import Logging
import MasarCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The lab store on a PostgreSQL server: for a programme that outgrows one machine, several
/// `masar serve` processes on one database, a standby, and the server's own backups.
public enum PostgresLabStore {
    /// Connects (a clear refusal for a server that cannot be reached, a wrong password or a
    /// missing database), brings the schema up to date, and refuses a newer one.
    public static func open(_ url: PostgresURL, now: @escaping @Sendable () -> Date = Date.init) async throws -> SQLLabStore {
        SQLLabStore(try await PostgresBackend.connect(url), now: now)
    }

    /// Creates an empty database `name` (letters, digits and underscores) on the server `url`
    /// names, owned by its user, and returns the URL of the new database.
    public static func createDatabase(_ name: String, on url: PostgresURL) async throws -> PostgresURL {
        guard !name.isEmpty, name.utf8.count <= 63,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw Refusal(.serverURL, ["url": name, "detail": "a new database's name is letters, digits and underscores"])
        }
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: PostgresBackend.configuration(url), id: 0,
                                                              logger: PostgresBackend.logger)
        } catch {
            throw PostgresBackend.refusal(opening: error, url)
        }
        defer { Task { try? await connection.close() } }
        do {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: PostgresBackend.logger)
        } catch let error as PSQLError {
            throw PostgresBackend.refusal(error, url)
        }
        var created = url
        created.database = name
        return created
    }
}

/// PostgreSQL through postgres-nio: a pool of connections (`PostgresClient`), and a pool of
/// threads on which the store's transactions run, each blocking on its own connection's
/// answers, so that no event loop ever waits.
///
/// Every write transaction is READ COMMITTED and takes the audit chain's advisory lock first:
/// each change appends to the one chain, so writers are ordered by it anyway, and each then
/// reads what the writer before it committed, as SQLite's single writer does. The rules that
/// read then write (advancing a stage, a sign-off, a ballot and its budget) hold across any
/// number of processes. Reads are REPEATABLE READ snapshots and never wait for a writer.
final class PostgresBackend: SQLBackend {
    let url: PostgresURL
    private let client: PostgresClient
    private let running: Task<Void, Never>
    /// Threads to run transactions on, shared by every backend of the process.
    private static let threads: NIOThreadPool = {
        let threads = NIOThreadPool(numberOfThreads: 16)
        threads.start()
        return threads
    }()
    /// A statement the server failed otherwise than by a rule: a defect or a broken database, never
/// the user's doing. The web shows a plain error page; the command line prints the code and words.
struct PostgresFailure: Error, CustomStringConvertible {
    var state: String
    var message: String
    var description: String { "PostgreSQL \(state): \(message)" }
}

/// The store's SQL with its placeholders numbered, by its text.
    private let numbered = NumberedStatements()
    /// Errors only: a refusal says what went wrong, in the user's language, and the pool's own
    /// warnings (a lease a moment before its run loop starts) are not the user's business.
    static let logger: Logger = {
        var logger = Logger(label: "masar.postgres")
        logger.logLevel = .error
        return logger
    }()
    /// The key of the audit chain's advisory lock ("masr").
    static let chainLock: Int64 = 0x6D61_7372
    /// Connections to the server from one process.
    static let connections = 8

    var location: String { url.shown }

    private init(url: PostgresURL, client: PostgresClient, running: Task<Void, Never>) {
        self.url = url
        self.client = client
        self.running = running
    }

    /// Closes the pool's connections.
    deinit { running.cancel() }

    static func connect(_ url: PostgresURL) async throws -> PostgresBackend {
        // One connection first, by itself, so that a wrong password or an absent server is told
        // at once; the pool would keep retrying them.
        do {
            let first = try await PostgresConnection.connect(configuration: configuration(url), id: 0, logger: logger)
            try await first.close()
        } catch {
            throw refusal(opening: error, url)
        }
        var configuration = PostgresClient.Configuration(host: url.host, port: url.port, username: url.user,
                                                         password: url.password, database: url.database,
                                                         tls: Self.clientTLS(url.tls))
        configuration.options.maximumConnections = connections
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let running = Task { await client.run() }
        let backend = PostgresBackend(url: url, client: client, running: running)
        try await backend.migrate()
        return backend
    }

    static func configuration(_ url: PostgresURL) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS = switch Self.tls(url.tls) {
        case nil: .disable
        case let configuration? where url.tls == .prefer: .prefer(try NIOSSLContext(configuration: configuration))
        case let configuration?: .require(try NIOSSLContext(configuration: configuration))
        }
        return .init(host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls)
    }

    /// As libpq: `prefer` and `require` encrypt without checking the certificate, `verify-full`
    /// checks it against the system's authorities and the host name.
    private static func tls(_ mode: PostgresURL.TLSMode) -> TLSConfiguration? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable: return nil
        case .prefer, .require: configuration.certificateVerification = .none
        case .verifyFull: break
        }
        return configuration
    }

    private static func clientTLS(_ mode: PostgresURL.TLSMode) -> PostgresClient.Configuration.TLS {
        switch tls(mode) {
        case nil: .disable
        case let configuration? where mode == .prefer: .prefer(configuration)
        case let configuration?: .require(configuration)
        }
    }

    /// The named migrations the database lacks, in one transaction under the chain's lock (two
    /// servers starting at once apply them once); a migration this Masar does not know is a newer schema.
    private func migrate() async throws {
        try await transaction(writing: true) { db in
            try db.simple("CREATE TABLE IF NOT EXISTS masarMigration (identifier TEXT PRIMARY KEY)")
            let applied = Set(try db.values(String.self, "SELECT identifier FROM masarMigration"))
            guard applied.isSubset(of: PostgresMigrations.all.map(\.name)) else { throw Refusal(.databaseNewer) }
            for migration in PostgresMigrations.all where !applied.contains(migration.name) {
                try db.simple(migration.sql)
                try db.execute("INSERT INTO masarMigration (identifier) VALUES (?)", arguments: [migration.name])
            }
            // Whatever a trigger says, the application's own role cannot change what is append-only.
            try db.simple("REVOKE UPDATE, DELETE, TRUNCATE ON " + PostgresMigrations.appendOnly.joined(separator: ", ")
                          + " FROM PUBLIC, CURRENT_USER")
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await transaction(writing: false, body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) throws -> T) async throws -> T {
        try await transaction(writing: true, body)
    }

    /// Runs `body` in a transaction on a pooled connection, on a thread of the pool. A deadlock
    /// or a serialization failure (not expected under the chain's lock, but the server may
    /// still report one) runs the whole transaction again.
    private func transaction<T: Sendable>(writing: Bool,
                                          _ body: @escaping @Sendable (PostgresDatabase) throws -> T) async throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await client.withConnection { connection in
                    try await Self.threads.runIfActive {
                        let db = PostgresDatabase(connection, numbered: self.numbered)
                        try db.execute(writing ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                                               : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", [])
                        do {
                            if writing { try db.execute("SELECT pg_advisory_xact_lock(?)", [.integer(Self.chainLock)]) }
                            let value = try body(db)
                            try db.execute("COMMIT", [])
                            return value
                        } catch {
                            try? db.execute("ROLLBACK", [])
                            throw error
                        }
                    }
                }
            } catch is PostgresDatabase.TryAgain where attempt < 5 {
                continue
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == nil {
                // The connection, not the statement: the server went away, or never answered.
                throw Self.refusal(opening: error, url)
            }
        }
    }

    /// `pg_dump` in its custom format, which `pg_restore` reads; the password goes by environment.
    func backup(to path: String) async throws {
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        dump.arguments = ["pg_dump", "--format=custom", "--no-owner", "--file=\(path)",
                          "--host=\(url.host)", "--port=\(url.port)", "--username=\(url.user)", url.database]
        var environment = ProcessInfo.processInfo.environment
        environment["PGPASSWORD"] = url.password
        environment["PGSSLMODE"] = url.tls == .verifyFull ? "verify-full" : url.tls.rawValue
        dump.environment = environment
        let errors = Pipe()
        dump.standardError = errors
        do {
            try dump.run()
        } catch {
            throw Refusal(.serverFailed, ["detail": "pg_dump could not be started (\(error.localizedDescription)); install postgresql-client"])
        }
        let said = errors.fileHandleForReading.readDataToEndOfFile()
        dump.waitUntilExit()
        guard dump.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: path)
            throw Refusal(.serverFailed, ["detail": "pg_dump: " + String(decoding: said, as: UTF8.self)
                                            .trimmingCharacters(in: .whitespacesAndNewlines)])
        }
        // It holds open votes' ballots and in-person participants' codes, as the database does.
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    /// Deleted ballot choices stay in the table's pages until a vacuum reclaims them.
    func forgetSealedPages() async {
        _ = try? await client.withConnection { connection in try await connection.query("VACUUM ballotChoice", logger: Self.logger) }
    }

    /// The channel every process's sign-outs are announced on.
    static let signInsChannel = "masar_signin_ended"

    /// Listens on a connection of its own for as long as the stream is read, connecting again
    /// after a second when the connection is lost; each time it starts listening it tells `.any`,
    /// since a sign-out while nobody listened is not known.
    func endedSignIns() -> AsyncStream<EndedSignIn> {
        let url = self.url
        return AsyncStream { continuation in
            let listening = Task {
                while !Task.isCancelled {
                    do {
                        let connection = try await PostgresConnection.connect(configuration: Self.configuration(url), id: 1,
                                                                              logger: Self.logger)
                        try? await connection.listen(on: Self.signInsChannel) { notifications in
                            continuation.yield(.any)
                            for try await notification in notifications {
                                if let ended = EndedSignIn(payload: notification.payload) { continuation.yield(ended) }
                            }
                        }
                        try? await connection.close()
                    } catch {
                        // The server is away: try again shortly, as the pool does.
                    }
                    try? await Task.sleep(for: .seconds(1))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in listening.cancel() }
        }
    }

    /// A failure to connect or to sign in, as a refusal that says what to check.
    static func refusal(opening error: any Error, _ url: PostgresURL) -> any Error {
        guard let psql = error as? PSQLError else { return error }
        if psql.serverInfo?[.sqlState] != nil { return refusal(psql, url) }
        switch psql.code {
        case .sslUnsupported:
            return Refusal(.serverFailed, ["detail": "\(url.shown) does not offer TLS, which sslmode=\(url.tls.rawValue) asks for"])
        default:
            let said = (psql.underlying.map { String(describing: $0) } ?? "").lowercased()
            let detail = said.contains("refused") ? "connection refused"
                : said.contains("timed out") || said.contains("timeout") ? "no answer in time"
                : said.contains("resolve") || said.contains("getaddrinfo") || said.contains("name or service") ? "unknown host"
                : "no connection"
            return Refusal(.serverUnreachable, ["server": "\(url.host):\(url.port)", "detail": detail])
        }
    }

    /// A server's error, by its SQLSTATE.
    static func refusal(_ error: PSQLError, _ url: PostgresURL) -> any Error {
        let server = "\(url.host):\(url.port)"
        switch error.serverInfo?[.sqlState] {
        case "28P01", "28000": return Refusal(.serverSignIn, ["server": server, "user": url.user])
        case "3D000": return Refusal(.serverNoDatabase, ["server": server, "database": url.database])
        case let state?: return Refusal(.serverFailed, ["detail": "\(state) \(error.serverInfo?[.message] ?? "")"])
        case nil: return refusal(opening: error, url)
        }
    }
}

/// A statement the server failed otherwise than by a rule: a defect or a broken database, never
/// the user's doing. The web shows a plain error page; the command line prints the code and words.
struct PostgresFailure: Error, CustomStringConvertible {
    var state: String
    var message: String
    var description: String { "PostgreSQL \(state): \(message)" }
}

/// The store's SQL with its placeholders numbered, by its text: the store's statements are fixed.
final class NumberedStatements: Sendable {
    let texts = Mutex<[String: String]>([:])
}

/// A pooled connection inside one transaction. Statements block the thread they run on (one
/// of the backend's), never an event loop.
final class PostgresDatabase: SQLDatabase {
    /// A deadlock or a serialization failure: the transaction runs again from its start.
    struct TryAgain: Error {}

    private let connection: PostgresConnection
    private let numbered: NumberedStatements
    private var savepoints = 0

    init(_ connection: PostgresConnection, numbered: NumberedStatements) {
        self.connection = connection
        self.numbered = numbered
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        _ = try query(sql, arguments)
    }

    func rows(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try query(sql, arguments).rows.map { row in
            var names: [String] = [], values: [SQLValue] = []
            for cell in row {
                names.append(cell.columnName)
                values.append(try Self.value(cell))
            }
            return SQLRow(columnNames: names, values: values)
        }
    }

    /// A script of statements without arguments (a migration), one statement at a time: the
    /// extended protocol takes one per query.
    func simple(_ sql: String) throws {
        for statement in PostgresMigrations.statements(sql) { try execute(statement, []) }
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepoints += 1
        defer { savepoints -= 1 }
        let name = "masar\(savepoints)"
        try execute("SAVEPOINT \(name)", [])
        do {
            let value = try body()
            try execute("RELEASE SAVEPOINT \(name)", [])
            return value
        } catch {
            try execute("ROLLBACK TO SAVEPOINT \(name)", [])
            throw error
        }
    }

    func columns(in table: String) throws -> [String] {
        try values(String.self, """
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = lower(?) ORDER BY ordinal_position
            """, arguments: [table])
    }

    /// Unquoted names are folded to lower case, so the schema's columns are in lower case.
    func quoted(_ column: String) -> String { "\"\(column.lowercased())\"" }

    /// A notification, sent by the server when the transaction commits and not before.
    func announce(_ ended: EndedSignIn) throws {
        try execute("SELECT pg_notify(?, ?)", [.text(PostgresBackend.signInsChannel), .text(ended.payload)])
    }

    /// Identity columns continue after the largest id loaded.
    func continueNumbering(_ tables: [String]) throws {
        let numbered = Set(try values(String.self, """
            SELECT table_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'
            """))
        for table in tables where numbered.contains(table.lowercased()) {
            try execute("SELECT setval(pg_get_serial_sequence('\(table.lowercased())', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM \(table)", [])
        }
    }

    private func query(_ sql: String, _ arguments: [SQLValue]) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: binds.appendNull()
            case .integer(let int): try binds.append(int)
            case .real(let double): try binds.append(double)
            case .text(let text): try binds.append(text)
            case .blob(let data): try binds.append(ByteBuffer(bytes: data))
            }
        }
        let text = numbered.texts.withLock { cache in
            if let known = cache[sql] { return known }
            let text = Self.numbering(sql)
            cache[sql] = text
            return text
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: text, binds: binds), logger: PostgresBackend.logger).wait()
        } catch {
            throw Self.translated(error)
        }
    }

    /// `?` becomes `$1`, `$2`, …; `?2` becomes `$2`. Quoted text and names are left as they are.
    static func numbering(_ sql: String) -> String {
        var result = "", next = 1
        var quote: Character?
        var characters = sql.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            if let open = quote {
                result.append(character)
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                var digits = ""
                while let digit = pending, digit.isASCII, digit.isNumber {
                    digits.append(digit)
                    pending = characters.next()
                }
                if digits.isEmpty {
                    result += "$\(next)"
                    next += 1
                } else {
                    result += "$" + digits
                }
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// A rule the database holds, as the store's constraint error; a deadlock, to try again.
    static func translated(_ error: any Error) -> any Error {
        guard let psql = error as? PSQLError, let state = psql.serverInfo?[.sqlState] else { return error }
        let detail = psql.serverInfo?[.message] ?? state
        switch state {
        case "23505": return SQLConstraintError(kind: .unique, detail: detail)
        case "23514": return SQLConstraintError(kind: .check, detail: detail)
        case "23503": return SQLConstraintError(kind: .reference, detail: detail)
        case "23502": return SQLConstraintError(kind: .required, detail: detail)
        case "P0001": return SQLConstraintError(kind: .trigger, detail: detail)
        case "42501": return SQLConstraintError(kind: .other, detail: detail)
        case "40001", "40P01": return TryAgain()
        default: return PostgresFailure(state: state, message: detail)
        }
    }

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .numeric:
            let number = try cell.decode(Decimal.self)
            return Int64(exactly: NSDecimalNumber(decimal: number).doubleValue).map(SQLValue.integer)
                ?? .real(NSDecimalNumber(decimal: number).doubleValue)
        case .bytea: return .blob(Data(buffer: try cell.decode(ByteBuffer.self)))
        default: return .text(try cell.decode(String.self))
        }
    }
}
