import ArgumentParser
import Foundation
import MasarCore
import MasarStore

extension LabRole: ExpressibleByArgument {}
extension PainPointCategory: ExpressibleByArgument {}
extension PainPointSource: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

/// Which database (`--db`, else `MASAR_DB`, else `masar.sqlite` in the working folder): a SQLite
/// file, or a PostgreSQL server by its URL; and the language refusals are printed in.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        The lab database: a SQLite file, or a PostgreSQL server as postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE\
        [?sslmode=require] (default: $MASAR_DB, else masar.sqlite).
        """, valueName: "path-or-url"))
    var db: String?
    @Option(help: ArgumentHelp("The language of refusals: en or ar.", valueName: "language"))
    var lang: Language = .english

    var path: String {
        db ?? ProcessInfo.processInfo.environment["MASAR_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "masar.sqlite"
    }

    /// The database as messages name it: a PostgreSQL URL without its password.
    var shown: String { PostgresURL.names(path) ? (try? PostgresURL(path))?.shown ?? path : path }

    /// Opens the lab store, turning every failure into a clear message and exit 1.
    func open() async throws -> any LabStore {
        try await act { try await Self.open(path) }
    }

    /// The store a path or a URL names: a URL that begins postgres:// is a PostgreSQL server.
    static func open(_ location: String) async throws -> SQLLabStore {
        PostgresURL.names(location) ? try await PostgresLabStore.open(try PostgresURL(location))
                                    : try SQLiteLabStore.open(path: location)
    }

    /// The option that answers a refusal, told only on the command line (a web page has no options).
    static let hints: [RefusalCode: (en: String, ar: String)] = [
        .accountNeedsInstitution: ("give it with --institution", "حدّدها بالخيار ‎--institution"),
    ]

    /// Runs a store action; a refusal, a map problem or a database error is printed in `lang` and exits 1.
    func act<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let refusal as Refusal {
            let hint = Self.hints[refusal.code].map { "; " + (lang == .arabic ? $0.ar : $0.en) } ?? ""
            throw refuse((lang == .arabic ? "رُفض: " : "refused: ") + refusal.message(in: lang) + hint)
        } catch let issues as MapIssues {
            throw refuse(issues.description)
        } catch let error as ExitCode {
            throw error
        } catch {
            throw refuse("database error: \(error)")
        }
    }
}

/// Who is acting: an existing account (or a participant's registration code), whose role,
/// institution and scope come from the database; recorded in the audit log with every change.
struct IdentityOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("Your account's name, or a participant's registration code.",
                                                       valueName: "name"))
    var name: String
    @Option(help: ArgumentHelp("Optional: the role you expect your account to have; refused if it has another.",
                               valueName: "role"))
    var role: LabRole?

    func validate() throws {
        if name.allSatisfy(\.isWhitespace) { throw ValidationError("--as needs your account's name, e.g. --as \"Aisha Al-Balushi\".") }
    }

    /// The member the account stands for; an unknown account, or a role that disagrees, is refused.
    func member(in store: any LabStore) async throws -> Member {
        try await Self.member(named: name, role: role, in: store)
    }

    /// The account, or participant, named `name`; refused by name when there is none, or when
    /// it has another role than the one given.
    static func member(named name: String, role: LabRole? = nil, in store: any LabStore) async throws -> Member {
        guard let member = try await store.member(named: name) else { throw Refusal(.unknownMember, ["name": name]) }
        if let role, role != member.role {
            throw Refusal(.roleDisagrees, ["name": name, "role": role.rawValue, "accountRole": member.role.rawValue])
        }
        return member
    }
}

/// The lab secret that civil ID numbers are hashed under: `--secret-file`, else `MASAR_SECRET_FILE`,
/// else `MASAR_SECRET`, else a file beside the database (`masar.sqlite.secret`), made on first use
/// and readable by its owner only. `masar serve` reads the same one.
struct SecretOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A file holding the lab secret, at least 32 bytes (default: $MASAR_SECRET_FILE, $MASAR_SECRET, else DB.secret beside the database).",
                               valueName: "path"))
    var secretFile: String?

    func secret(beside database: String) throws -> LabSecret {
        if let secret = try LabSecret.load(file: secretFile) { return secret }
        // A server's database has no folder of its own here, and every masar serve must share the secret.
        if PostgresURL.names(database) { throw Refusal(.secretNeeded) }
        let path = database + ".secret"
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: Data((LabSecret.generate() + "\n").utf8),
                                                 attributes: [.posixPermissions: 0o600]) else {
                throw Refusal(.unreadableFile, ["file": path])
            }
            Terminal.error("Made a new lab secret in \(path): keep it apart from the database's backups, and give it to every masar serve.")
        }
        return try LabSecret.load(file: path)!
    }
}

/// A file given on the command line, as UTF-8 text; anything else is refused by name.
func readText(_ file: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: file) else { throw Refusal(.unreadableFile, ["file": file]) }
    guard let text = String(validating: data, as: UTF8.self) else { throw Refusal(.notUTF8, ["file": file]) }
    return text
}
