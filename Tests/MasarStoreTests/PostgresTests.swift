import Foundation
import MasarCore
import Testing
@testable import MasarStore

private let office = Member(name: "Office", role: .programmeOffice)

/// What only a PostgreSQL server can get wrong: reaching it, signing in, its schema's version,
/// the rights of the application's role, and its own backup tools. Runs when `make test` has
/// started a server (`Tests/postgres/cluster.sh`).
@Suite("PostgreSQL", .enabled(if: Backend.postgresServer != nil))
struct PostgresTests {
    var server: PostgresURL { Backend.postgresServer! }

    @Test("A server that does not answer, a wrong password, a missing database and a bad URL are refused by name")
    func refusals() async throws {
        var wrong = server
        wrong.password = "not the password"
        await expectRefusal("the PostgreSQL server at \(server.host):\(server.port) refused user \(server.user): the password is wrong, or no such user may sign in") {
            _ = try await PostgresLabStore.open(wrong)
        }
        var missing = server
        missing.database = "no_such_lab"
        await expectRefusal("the PostgreSQL server at \(server.host):\(server.port) has no database no_such_lab; create it first (createdb no_such_lab)") {
            _ = try await PostgresLabStore.open(missing)
        }
        var closed = server
        closed.port = 1
        await expectRefusal("no PostgreSQL server answers at \(server.host):1 (connection refused); check that it runs and that the host and port are right") {
            _ = try await PostgresLabStore.open(closed)
        }
        for bad in ["postgres://127.0.0.1/lab", "postgres://masar@/lab", "postgres://masar@host", "postgres://masar@host/lab?sslmode=allow",
                    "postgres://masar:secret@host/lab?user=other"] {
            #expect(throws: Refusal.self) { try PostgresURL(bad) }
        }
        // A password never shows in a message about a URL.
        do {
            _ = try PostgresURL("postgres://masar:hunter2@host/lab?sslmode=bogus")
        } catch let refusal as Refusal {
            #expect(!refusal.message(in: .english).contains("hunter2") && !refusal.message(in: .arabic).contains("hunter2"))
        }
    }

    @Test("A database of a newer schema is refused, and left as it was")
    func newerSchema() async throws {
        let (store, location) = try await Backend.postgres.store(now: Date.init)
        try await rawSQL(store, "INSERT INTO masarMigration (identifier) VALUES ('v99: from the future')")
        await expectRefusal("this database was written by a newer version of Masar; upgrade Masar to open it") {
            _ = try await PostgresLabStore.open(try PostgresURL(location))
        }
        // Every migration this Masar knows, and the one it does not, still there.
        #expect(try await rawRows(store, "SELECT identifier FROM masarMigration").count == PostgresMigrations.all.count + 1)
    }

    @Test("The application's own role may not rewrite the audit log, a sign-off or a sealed choice, even with the triggers dropped")
    func appendOnlyByRight() async throws {
        let (store, _) = try await Backend.postgres.store(now: Date.init)
        try await store.createAccount(name: "Office", role: .programmeOffice, passwordHash: "x", by: nil)
        try await store.createPhase(name: "P1", startsOn: "2026-01-01", sectors: [], by: office)
        // The owner of the tables can drop a trigger; the right to change the rows is gone all the same.
        try await rawSQL(store, "DROP TRIGGER auditEntry_append_only ON auditEntry")
        try await rawSQL(store, "DROP TRIGGER signOff_append_only ON signOff")
        for attack in ["UPDATE auditEntry SET who = 'Mallory'", "DELETE FROM auditEntry", "TRUNCATE auditEntry",
                       "DELETE FROM signOff", "UPDATE castChoice SET weight = 9", "TRUNCATE castChoice"] {
            await #expect(throws: SQLConstraintError.self, "\(attack)") { try await rawSQL(store, attack) }
        }
        #expect(try await store.verifyAuditLog(heads: []).problem == nil)
        #expect(try await store.auditLog().map(\.who) == ["Office", "Office"])
    }

    @Test("masar backup on PostgreSQL is pg_dump's custom format, and pg_restore gives back the same lab")
    func backupRestores() async throws {
        let (store, _) = try await Backend.postgres.store(now: Date.init)
        try await store.createAccount(name: "Office", role: .programmeOffice, passwordHash: "x", by: nil)
        try await store.createPhase(name: "المرحلة ١", startsOn: "2026-01-01", sectors: ["health"], by: office)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("masar-\(UUID().uuidString).dump").path
        try await store.backup(to: file)
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
        await expectRefusal("\(file) exists already; a backup never overwrites a file") { try await store.backup(to: file) }
        let restored = try await PostgresLabStore.createDatabase("masar_restored_" + String(UUID().uuidString.prefix(8)).lowercased(),
                                                                 on: server)
        let restore = Process()
        restore.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        restore.arguments = ["pg_restore", "--no-owner", "--exit-on-error", "--host=\(server.host)", "--port=\(server.port)",
                             "--username=\(server.user)", "--dbname=\(restored.database)", file]
        restore.environment = ProcessInfo.processInfo.environment.merging(["PGPASSWORD": server.password ?? ""]) { $1 }
        try restore.run()
        restore.waitUntilExit()
        #expect(restore.terminationStatus == 0)
        let copy = try await PostgresLabStore.open(restored)
        #expect(try await copy.exportJSON() == store.exportJSON())
        // The restored lab goes on: its audit chain continues.
        try await copy.createPhase(name: "P2", startsOn: "2026-04-01", sectors: [], by: office)
        #expect(try await copy.verifyAuditLog(heads: []).problem == nil)
    }
}
