import ArgumentParser
import MasarCore
import MasarStore

extension Masar {
    struct Lab: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Labs within a phase, and the sessions they hold.",
            subcommands: [Create.self, Session.self, List.self])

        struct Create: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Open a lab in a phase; you are its facilitator.")
            @Argument(help: "The lab's name.") var name: String
            @Option(help: "The phase it runs in.") var phase: String
            @Option(name: .customLong("sector"), help: "A sector the lab covers (repeat for more).") var sectors: [String] = []
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() throws {
                let db = try store.open()
                try storeAction { try db.createLab(name: name, phase: phase, sectors: sectors, by: identity.member) }
                Terminal.print("Lab '\(name)' opened in \(phase), facilitated by \(identity.name).")
            }
        }

        struct Session: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Record a session a lab held, with attendance.")
            @Argument(help: "The lab.") var lab: String
            @Option(help: ArgumentHelp("The day, e.g. 2023-02-14.", valueName: "date")) var date: String
            @Option(help: "Where it was held.") var place: String
            @Option(help: "Institutional representatives present.") var representatives: Int = 0
            @Option(help: "Community members present.") var community: Int = 0
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() throws {
                let db = try store.open()
                try storeAction {
                    try db.recordSession(lab: lab, heldOn: date, place: place, institutionRepresentatives: representatives,
                                         communityMembers: community, by: identity.member)
                }
                Terminal.print("Session of '\(lab)' on \(date) recorded.")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the labs.")
            @OptionGroup var store: StoreOptions
            @Option(help: "table or json") var format: OutputFormat = .table

            func validate() throws { try OutputFormat.check(format, offered: [.table, .json]) }

            func run() throws {
                let labs = try storeAction { try store.open().labs() }
                if format == .json { return try Terminal.printJSON(labs) }
                var table = Table(["lab", "facilitator", "sectors"], alignments: [.left, .left, .left])
                for lab in labs { table.add([lab.name, lab.facilitator, lab.sectors.joined(separator: ", ")]) }
                Terminal.print(table.rendered)
            }
        }
    }
}
