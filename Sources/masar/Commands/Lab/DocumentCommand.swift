import ArgumentParser
import Foundation
import MasarCore
import MasarReports
import MasarStore

extension Masar {
    struct Document: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a service's lab output document: Markdown and printable HTML, English and Arabic.",
            discussion: """
                The document holds the service, who took part, the current path with its pain points, \
                the improvements, the future path, the before/after figures, the review history and the \
                sign-offs. Generating it is what lets a service go to review.
                """)
        @Argument(help: "The service id.") var service: String
        @Option(help: ArgumentHelp("Folder the document is written to.", valueName: "dir")) var out: String = "Documents"
        @OptionGroup var store: StoreOptions
        @OptionGroup var identity: IdentityOptions

        func run() async throws {
            let db = try await store.open()
            let (document, revision) = try await store.act { try await LabDocument.generate(service: service, in: db, by: try await identity.member(in: db)) }
            let folder = URL(fileURLWithPath: out)
            try await store.act {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                try Data(document.markdown.utf8).write(to: folder.appendingPathComponent("\(service).md"), options: .atomic)
                try Data(document.html.utf8).write(to: folder.appendingPathComponent("\(service).html"), options: .atomic)
            }
            Terminal.print("Wrote \(out)/\(service).md and \(out)/\(service).html (revision \(revision)).")
        }
    }

    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the lab database while others write: SQLite's online backup, or pg_dump's custom format (pg_restore reads it).")
        @Argument(help: ArgumentHelp("The new backup file (never overwritten).", valueName: "file")) var file: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.act { try await store.open().backup(to: file) }
            Terminal.print("Backed up \(store.shown) to \(file).")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every row of the lab database as JSON, for exchange or archiving.")
        @OptionGroup var store: StoreOptions
        @Option(help: "json (the only format)") var format: OutputFormat = .json

        func validate() throws { try OutputFormat.check(format, offered: [.json]) }

        func run() async throws {
            let data = try await store.act { try await store.open().exportJSON() }
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-export",
            abstract: "Load a JSON export (masar export) into an empty lab database; all or nothing.")
        @Argument(help: ArgumentHelp("The export file.", valueName: "file")) var file: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.act {
                try await store.open().importJSON(Data(try readText(file).utf8))
            }
            Terminal.print("Imported \(file) into \(store.shown).")
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the lab database into another, empty one: SQLite to PostgreSQL or back.",
            discussion: """
                Every row goes across in one transaction, then both databases are exported and compared: \
                the copy is kept only when the two exports are identical. Sign-ins do not go across \
                (everyone signs in again), and passwords are set again with masar account reset, as \
                after masar import-export. Create the PostgreSQL database first (createdb).

                  masar migrate --db masar.sqlite --to postgres://masar@db.example.om/masar
                  masar migrate --db postgres://masar@db.example.om/masar --to copy.sqlite
                """)
        @Option(help: ArgumentHelp("The empty database to copy into: a new SQLite file, or a postgres:// URL.",
                                   valueName: "path-or-url"))
        var to: String
        @OptionGroup var store: StoreOptions

        func validate() throws {
            if to == store.path { throw ValidationError("--to names the database being copied; give another one.") }
            if !PostgresURL.names(to), FileManager.default.fileExists(atPath: to) {
                throw ValidationError("\(to) exists; --to takes a new SQLite file (or a postgres:// URL), never overwritten.")
            }
        }

        func run() async throws {
            var target = store
            target.db = to
            try await store.act {
                let source = try await store.open()
                let export = try await source.exportJSON()
                let copy = try await StoreOptions.open(to)
                try await copy.importJSON(export)
                guard try await copy.exportJSON() == export else {
                    throw Refusal(.serverFailed, ["detail": "the copy in \(target.shown) differs from \(store.shown); do not use it"])
                }
            }
            Terminal.print("Copied \(store.shown) to \(target.shown); the two exports are identical.")
        }
    }
}
