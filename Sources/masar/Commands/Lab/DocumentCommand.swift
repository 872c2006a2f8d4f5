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
            abstract: "Copy the lab database with SQLite's online backup; safe while others write.")
        @Argument(help: ArgumentHelp("The new backup file (never overwritten).", valueName: "file")) var file: String
        @OptionGroup var store: StoreOptions

        func run() async throws {
            try await store.act { try await store.open().backup(to: file) }
            Terminal.print("Backed up \(store.path) to \(file).")
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
            Terminal.print("Imported \(file) into \(store.path).")
        }
    }
}
