import ArgumentParser
import Foundation
import MasarCore
import MasarStore

extension LabRole: ExpressibleByArgument {}
extension PainPointCategory: ExpressibleByArgument {}
extension PainPointSource: ExpressibleByArgument {}

/// Which database: `--db`, else `MASAR_DB`, else `masar.sqlite` in the working folder.
struct StoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The lab database (default: $MASAR_DB, else masar.sqlite).", valueName: "path"))
    var db: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["MASAR_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "masar.sqlite"
    }

    /// Opens the database, turning every store failure into a clear message and exit 1.
    func open() throws -> AppDatabase {
        try storeAction { try AppDatabase.open(path: path) }
    }
}

/// Who is acting; recorded in the audit log with every change.
struct IdentityOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("Your name, as the audit log records it.", valueName: "name"))
    var name: String
    @Option(help: ArgumentHelp("Your role: " + LabRole.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                               valueName: "role"))
    var role: LabRole

    func validate() throws {
        if name.allSatisfy(\.isWhitespace) { throw ValidationError("--as needs your name, e.g. --as \"Aisha Al-Balushi\".") }
    }

    var member: LabMember { LabMember(name: name, role: role) }
}

/// Runs a store action; a refusal, a map problem or a database error is printed and exits 1.
func storeAction<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let refusal as Refusal {
        throw refuse(refusal.description)
    } catch let issues as MapIssues {
        throw refuse(issues.description)
    } catch let error as ExitCode {
        throw error
    } catch {
        throw refuse("database error: \(error)")
    }
}

/// A file given on the command line, as UTF-8 text; anything else is refused by name.
func readText(_ file: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: file) else { throw Refusal("cannot read \(file)") }
    guard let text = String(validating: data, as: UTF8.self) else { throw Refusal("\(file) is not UTF-8 text") }
    return text
}
