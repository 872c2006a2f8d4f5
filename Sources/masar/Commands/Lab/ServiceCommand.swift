import ArgumentParser
import Foundation
import MasarCore
import MasarStore

extension Masar {
    struct Service: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Services in a lab: import their maps, see where they stand, move them on.",
            subcommands: [Import.self, Status.self, Advance.self])

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Import service maps into a lab; each import is kept as a revision.",
                discussion: "All files are imported in one transaction: if any map has a problem, none is imported.")
            @Argument(help: ArgumentHelp("Service map files, or folders of them.", valueName: "path")) var files: [String]
            @Option(help: "The lab the services belong to.") var lab: String
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let texts = try await store.act {
                    try Catalogue.files(in: files).map { (yaml: try readText($0), file: $0) }
                }
                let revisions = try await store.act { try await db.importServices(texts, lab: lab, by: try await identity.member(in: db)) }
                for revision in revisions {
                    Terminal.print("\(revision.labServiceId): revision \(revision.id!) imported (sha256 \(revision.sha256.prefix(12))…).")
                }
            }
        }

        struct Status: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Where services stand and what they still need.")
            @Argument(help: "A service id (default: every service).") var service: String?
            @OptionGroup var store: StoreOptions
            @Option(help: "table or json") var format: OutputFormat = .table

            func validate() throws { try OutputFormat.check(format, offered: [.table, .json]) }

            func run() async throws {
                let db = try await store.open()
                let statuses = try await store.act {
                    if let service { return [try await db.status(service: service)] }
                    return try await db.statuses()
                }
                if format == .json { return try Terminal.printJSON(statuses) }
                var table = Table(["service", "stage", "revision", "pain points", "improvements", "document", "awaiting sign-off"],
                                  alignments: [.left, .left, .right, .right, .right, .left, .left])
                for status in statuses {
                    table.add([status.service, status.stage.rawValue, String(status.revision), String(status.painPoints),
                               String(status.improvements), status.documentGenerated ? "yes" : "no",
                               status.stage == .review ? status.awaitingSignOff.joined(separator: ", ") : ""])
                }
                Terminal.print(table.rendered)
            }
        }

        struct Advance: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Move a service to its next stage, if that stage's rules hold.",
                discussion: "mapping → pain-points → future-design → review; signed-off comes from the sign-offs.")
            @Argument(help: "The service id.") var service: String
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let stage = try await store.act { try await db.advance(service: service, by: try await identity.member(in: db)) }
                Terminal.print("\(service) is now in \(stage.rawValue).")
            }
        }
    }
}
