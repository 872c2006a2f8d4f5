import ArgumentParser
import MasarCore
import MasarStore

extension Masar {
    struct Moderate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Community members' pain points and proposals: published once a facilitator of the lab has read them.",
            discussion: """
                What a participant raises or proposes on the web waits here, seen by nobody but them and \
                the lab's facilitators, until a facilitator of the service's lab publishes or declines it. \
                Each decision is audit-logged, and the service goes to review only when none waits.
                """,
            subcommands: [Pending.self, Publish.self, Decline.self])

        struct Pending: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List a service's contributions awaiting moderation.")
            @Argument(help: "The service id.") var service: String
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let waiting = try await store.act {
                    try await db.unpublished(service: service, for: try await identity.member(in: db)).pending
                }
                var table = Table(["kind", "#", "by", "step", "text"], alignments: [.left, .right, .left, .left, .left])
                for point in waiting.painPoints {
                    table.add(["painpoint", String(point.id!), point.recordedBy, point.stepId, point.text.bothLanguages])
                }
                for item in waiting.improvements.map(\.improvement) {
                    table.add(["improvement", String(item.id!), item.proposedBy, "", item.text.bothLanguages])
                }
                Terminal.print(table.rendered)
            }
        }

        struct Publish: ModerationDecision {
            static let configuration = CommandConfiguration(abstract: "Publish a pain point or a proposal.")
            static let publish = true
            @Argument(help: "painpoint or improvement") var kind: ContributionKind
            @Argument(help: "Its number.") var number: Int64
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions
        }

        struct Decline: ModerationDecision {
            static let configuration = CommandConfiguration(abstract: "Decline a pain point or a proposal: it stays unpublished.")
            static let publish = false
            @Argument(help: "painpoint or improvement") var kind: ContributionKind
            @Argument(help: "Its number.") var number: Int64
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions
        }
    }
}

/// What `moderate publish` and `moderate decline` act on, as the other commands name it.
enum ContributionKind: String, ExpressibleByArgument, CaseIterable {
    case painpoint, improvement

    func contribution(_ number: Int64) -> Contribution {
        switch self {
        case .painpoint: .painPoint(number)
        case .improvement: .improvement(number)
        }
    }
}

/// `moderate publish` and `moderate decline`: one decision, two words for it.
protocol ModerationDecision: AsyncParsableCommand {
    static var publish: Bool { get }
    var kind: ContributionKind { get }
    var number: Int64 { get }
    var store: StoreOptions { get }
    var identity: IdentityOptions { get }
}

extension ModerationDecision {
    func run() async throws {
        let db = try await store.open()
        try await store.act { try await db.moderate(kind.contribution(number), publish: Self.publish, by: try await identity.member(in: db)) }
        Terminal.print("\(kind == .painpoint ? "Pain point" : "Improvement") #\(number) \(Self.publish ? "published" : "declined").")
    }
}
