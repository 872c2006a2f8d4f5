import ArgumentParser
import MasarCore
import MasarStore

extension Masar {
    struct Lab: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Labs within a phase, and the sessions they hold.",
            subcommands: [Create.self, Assign.self, Session.self, List.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Open a lab in a phase.",
                discussion: "A facilitator who opens a lab facilitates it; the programme office names its facilitators with --facilitator.")
            @Argument(help: "The lab's name.") var name: String
            @Option(help: "The phase it runs in.") var phase: String
            @Option(name: .customLong("sector"), help: "A sector the lab covers (repeat for more).") var sectors: [String] = []
            @Option(name: .customLong("facilitator"), help: "A facilitator's account assigned to the lab (repeat for more).")
            var facilitators: [String] = []
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let lab = try await store.act {
                    try await db.createLab(name: name, phase: phase, sectors: sectors, facilitators: facilitators,
                                           by: try await identity.member(in: db))
                }
                let runners = try await store.act { try await db.labs().first { $0.id == lab.id }?.facilitators.sorted() ?? [] }
                let who = runners.isEmpty ? "; no facilitator yet (masar lab assign)" : ", facilitated by " + runners.joined(separator: ", ")
                Terminal.print("Lab '\(name)' opened in \(phase)\(who).")
            }
        }

        struct Assign: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Assign a facilitator's account to a lab (the programme office does).")
            @Argument(help: "The lab.") var lab: String
            @Option(help: "The facilitator's account.") var facilitator: String
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                try await store.act { try await db.assignFacilitator(lab: lab, account: facilitator, by: try await identity.member(in: db)) }
                Terminal.print("\(facilitator) now facilitates '\(lab)'.")
            }
        }

        struct Session: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Record a session a lab held, with attendance.")
            @Argument(help: "The lab.") var lab: String
            @Option(help: ArgumentHelp("The day, e.g. 2023-02-14.", valueName: "date")) var date: String
            @Option(help: "Where it was held.") var place: String
            @Option(help: "Institutional representatives present.") var representatives: Int = 0
            @Option(help: "Community members present.") var community: Int = 0
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                try await store.act {
                    try await db.recordSession(lab: lab, heldOn: date, place: place, institutionRepresentatives: representatives,
                                         communityMembers: community, by: try await identity.member(in: db))
                }
                Terminal.print("Session of '\(lab)' on \(date) recorded.")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the labs.")
            @OptionGroup var store: StoreOptions
            @Option(help: "table or json") var format: OutputFormat = .table

            func validate() throws { try OutputFormat.check(format, offered: [.table, .json]) }

            func run() async throws {
                let labs = try await store.act { try await store.open().labs() }
                if format == .json { return try Terminal.printJSON(labs) }
                var table = Table(["lab", "facilitators", "sectors"], alignments: [.left, .left, .left])
                for lab in labs { table.add([lab.name, lab.facilitators.sorted().joined(separator: ", "), lab.sectors.joined(separator: ", ")]) }
                Terminal.print(table.rendered)
            }
        }
    }
}
