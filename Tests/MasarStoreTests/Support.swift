import Foundation
import MasarCore
import Testing
@testable import MasarStore

// What every store test shares: the backends the suite runs against, a fresh store for a test,
// and the check that an action is refused with a given message and changes nothing.

let servicesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Services").path

/// A store behind `LabStore`: each suite written against the protocol runs on every one.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    /// SQLite always; PostgreSQL when a server is there for the tests (`Tests/postgres/cluster.sh`).
    static let all: [Backend] = postgresServer == nil ? [.sqlite] : [.sqlite, .postgres]

    /// The throw-away server `make test` starts, where each test gets a database of its own.
    static let postgresServer = ProcessInfo.processInfo.environment["MASAR_TEST_POSTGRES"].flatMap { try? PostgresURL($0) }

    var testDescription: String { rawValue }

    /// A new, empty store with the given clock; `location` is where its data lives (a file for
    /// SQLite, the database's URL for PostgreSQL).
    func store(now: @escaping @Sendable () -> Date) async throws -> (store: any LabStore, location: String) {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).sqlite").path
            return (try SQLiteLabStore.open(path: path, now: now), path)
        case .postgres:
            let server = try #require(Self.postgresServer, "no PostgreSQL server for the tests")
            let url = try await PostgresLabStore.createDatabase("masar_" + UUID().uuidString.replacingOccurrences(of: "-", with: "_").lowercased(),
                                                                on: server)
            return (try await PostgresLabStore.open(url, now: now), url.text)
        }
    }
}

extension Backend {
    /// Another store on the same data, as a second process would open it.
    func reopen(_ location: String, now: @escaping @Sendable () -> Date) async throws -> any LabStore {
        switch self {
        case .sqlite: try SQLiteLabStore.open(path: location, now: now)
        case .postgres: try await PostgresLabStore.open(try PostgresURL(location), now: now)
        }
    }
}

/// Plain SQL on the store's own connection, with the application's rights: what an attacker
/// who took over the application could send. The database itself must refuse what breaks a rule.
func rawSQL(_ store: any LabStore, _ sql: String, _ arguments: SQLArguments = []) async throws {
    let backend = (store as! SQLLabStore).backend
    try await backend.write { db in try db.execute(sql, arguments: arguments) }
}

func rawRows(_ store: any LabStore, _ sql: String, _ arguments: SQLArguments = []) async throws -> [SQLRow] {
    try await (store as! SQLLabStore).backend.read { db in try db.rows(sql, arguments: arguments) }
}

func yaml(_ service: String) throws -> String {
    try String(contentsOfFile: servicesFolder + "/\(service).yaml", encoding: .utf8)
}

/// Expects `body` to be refused, with this message in English.
func expectRefusal(_ english: String, sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected the refusal “\(english)”, but it was allowed", sourceLocation: sourceLocation)
    } catch let refusal as Refusal {
        #expect(refusal.message(in: .english) == english, sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected the refusal “\(english)”, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Expects `body` to be refused with this code, and the audit log unchanged.
func expectRefused(_ db: any LabStore, _ code: RefusalCode, sourceLocation: SourceLocation = #_sourceLocation,
                   _ body: () async throws -> Void) async throws {
    let before = try await db.auditLog().count
    do {
        try await body()
        Issue.record("expected \(code), but it was allowed", sourceLocation: sourceLocation)
    } catch let refusal as Refusal {
        #expect(refusal.code == code, "\(refusal)", sourceLocation: sourceLocation)
    }
    #expect(try await db.auditLog().count == before, sourceLocation: sourceLocation)
}

/// Expects `body` to be refused with this message, and the audit log and stage to be as they were.
func expectRefused(_ db: any LabStore, _ rule: String, service: String = "birth-registration",
                   sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async throws {
    let log = try await db.auditLog().count
    let stage = try? await db.status(service: service).stage
    await expectRefusal(rule, sourceLocation: sourceLocation, body)
    #expect(try await db.auditLog().count == log, sourceLocation: sourceLocation)
    #expect((try? await db.status(service: service).stage) == stage, sourceLocation: sourceLocation)
}
