import ArgumentParser
import MasarCore
import MasarStore

extension Masar {
    struct Phase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Programme phases: three months, some sectors, the services they target.",
            subcommands: [Create.self, List.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a phase.")
            @Argument(help: "The phase's name, e.g. \"Phase 1\".") var name: String
            @Option(help: ArgumentHelp("First day, e.g. 2023-01-01.", valueName: "date")) var starts: String
            @Option(help: ArgumentHelp("Last day (default: three months on).", valueName: "date")) var ends: String?
            @Option(name: .customLong("sector"), help: "A sector the phase covers (repeat for more).") var sectors: [String] = []
            @Option(name: .customLong("target"), help: "A service id the phase targets (repeat for more).") var targets: [String] = []
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let phase = try await store.act {
                    try await db.createPhase(name: name, startsOn: starts, endsOn: ends, sectors: sectors, targets: targets,
                                       by: try await identity.member(in: db))
                }
                Terminal.print("Phase '\(phase.name)': \(phase.startsOn) to \(phase.endsOn), \(targets.count) services targeted.")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the phases.")
            @OptionGroup var store: StoreOptions
            @Option(help: "table or json") var format: OutputFormat = .table

            func validate() throws { try OutputFormat.check(format, offered: [.table, .json]) }

            func run() async throws {
                let phases = try await store.act { try await store.open().phases() }
                if format == .json { return try Terminal.printJSON(phases) }
                var table = Table(["phase", "from", "to", "sectors"], alignments: [.left, .left, .left, .left])
                for phase in phases { table.add([phase.name, phase.startsOn, phase.endsOn, phase.sectors.joined(separator: ", ")]) }
                Terminal.print(table.rendered)
            }
        }
    }
}
