import ArgumentParser
import MasarCore
import MasarStore

extension Masar {
    struct PainPoint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "painpoint",
            abstract: "Pain points on the steps of a service's current path.",
            subcommands: [Add.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Record a pain point on a current-path step.")
            @Argument(help: "The service id.") var service: String
            @Option(help: "The current-path step it stands on.") var step: String
            @Option(help: ArgumentHelp(PainPointCategory.allCases.map(\.rawValue).joined(separator: ", "))) var category: PainPointCategory
            @Option(help: "How bad, from 1 to 5.") var severity: Int
            @Option(help: ArgumentHelp(PainPointSource.allCases.map(\.rawValue).joined(separator: ", "))) var source: PainPointSource
            @Option(help: "What hurts, in the words heard, in English (this, --text-ar, or both).") var text: String?
            @Option(name: .customLong("text-ar"), help: "What hurts, in Arabic.") var textAr: String?
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let point = try await store.act {
                    try await db.addPainPoint(service: service, step: step, category: category, severity: severity,
                                        source: source, text: LocalizedText(en: text, ar: textAr), by: try await identity.member(in: db))
                }
                Terminal.print("Pain point #\(point.id!) recorded on \(service) / \(step).")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List a service's pain points.")
            @Argument(help: "The service id.") var service: String
            @OptionGroup var store: StoreOptions
            @Option(help: "table or json") var format: OutputFormat = .table

            func validate() throws { try OutputFormat.check(format, offered: [.table, .json]) }

            func run() async throws {
                let points = try await store.act { try await store.open().painPoints(service: service) }
                if format == .json { return try Terminal.printJSON(points) }
                var table = Table(["#", "step", "category", "severity", "source", "text"],
                                  alignments: [.right, .left, .left, .right, .left, .left])
                for point in points {
                    table.add([String(point.id!), point.stepId, point.category.rawValue, String(point.severity),
                               point.source.rawValue, point.text.bothLanguages])
                }
                Terminal.print(table.rendered)
            }
        }
    }

    struct Improvement: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Improvements that address pain points: propose, accept, reject, list.",
            subcommands: [Propose.self, Accept.self, Reject.self, List.self])

        struct Propose: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Propose an improvement.")
            @Argument(help: "The service id.") var service: String
            @Option(help: "The improvement, in English (this, --text-ar, or both).") var text: String?
            @Option(name: .customLong("text-ar"), help: "The improvement, in Arabic.") var textAr: String?
            @Option(name: .customLong("addresses"), help: "A pain point number it addresses (repeat for more).")
            var painPoints: [Int64] = []
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let item = try await store.act {
                    try await db.proposeImprovement(service: service, text: LocalizedText(en: text, ar: textAr), addresses: painPoints,
                                                    by: try await identity.member(in: db))
                }
                Terminal.print("Improvement #\(item.id!) proposed for \(service).")
            }
        }

        struct Accept: ImprovementDecision {
            static let configuration = CommandConfiguration(
                abstract: "Accept a proposed improvement; --vote links it to the closed vote that chose it.")
            static let status = ImprovementStatus.accepted
            @Argument(help: "The improvement number.") var improvement: Int64
            @Option(help: "The closed vote whose result chose it.") var vote: Int64?
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions
        }

        struct Reject: ImprovementDecision {
            static let configuration = CommandConfiguration(abstract: "Reject a proposed improvement.")
            static let status = ImprovementStatus.rejected
            @Argument(help: "The improvement number.") var improvement: Int64
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List a service's improvements.")
            @Argument(help: "The service id.") var service: String
            @OptionGroup var store: StoreOptions
            @Option(help: "table or json") var format: OutputFormat = .table

            func validate() throws { try OutputFormat.check(format, offered: [.table, .json]) }

            func run() async throws {
                let items = try await store.act { try await store.open().improvements(service: service) }
                if format == .json { return try Terminal.printJSON(items.map { ImprovementJSON(item: $0.improvement, addresses: $0.addresses) }) }
                var table = Table(["#", "status", "addresses", "text"], alignments: [.right, .left, .left, .left])
                for entry in items {
                    let item = entry.improvement
                    table.add([String(item.id!), item.status.rawValue, entry.addresses.map { "#\($0)" }.joined(separator: " "), item.text.bothLanguages])
                }
                Terminal.print(table.rendered)
            }
        }
    }
}

/// An improvement in JSON, with the pain points it addresses.
struct ImprovementJSON: Encodable {
    let item: ImprovementRecord
    let addresses: [Int64]

    enum CodingKeys: String, CodingKey { case id, service, textEn, textAr, status, proposedBy, addresses, chosenByVote }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(item.id, forKey: .id)
        try container.encode(item.labServiceId, forKey: .service)
        try container.encode(item.textEn, forKey: .textEn)
        try container.encode(item.textAr, forKey: .textAr)
        try container.encode(item.status, forKey: .status)
        try container.encode(item.proposedBy, forKey: .proposedBy)
        try container.encode(addresses, forKey: .addresses)
        try container.encode(item.chosenByVoteId, forKey: .chosenByVote)
    }
}

/// `improvement accept` and `improvement reject`: one decision, two words for it.
protocol ImprovementDecision: AsyncParsableCommand {
    static var status: ImprovementStatus { get }
    var improvement: Int64 { get }
    /// The vote that chose an accepted improvement, if it was chosen by one.
    var vote: Int64? { get }
    var store: StoreOptions { get }
    var identity: IdentityOptions { get }
}

extension ImprovementDecision {
    var vote: Int64? { nil }

    func run() async throws {
        let db = try await store.open()
        try await store.act {
            if let vote {
                try await db.acceptFromVote(improvement, vote: vote, by: try await identity.member(in: db))
            } else {
                try await db.decideImprovement(improvement, Self.status, by: try await identity.member(in: db))
            }
        }
        Terminal.print("Improvement #\(improvement) \(Self.status.rawValue)" + (vote.map { " on the result of vote #\($0)." } ?? "."))
    }
}
