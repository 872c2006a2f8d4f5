import ArgumentParser
import Foundation
import MasarCore
import MasarStore

extension Track: ExpressibleByArgument {}
extension ParticipantKind: ExpressibleByArgument {}
extension VoteMode: ExpressibleByArgument {}

extension Masar {
    struct Participant: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Participants of a phase: community members and institution representatives.",
            subcommands: [Add.self, Import.self, List.self, Verify.self, Eligibility.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Register a participant; prints their registration code.",
                discussion: "Staff register the people in front of them, so the registration is verified by whoever registers it.")
            @Argument(help: "Their name.") var name: String
            @Option(help: "The phase they take part in.") var phase: String
            @Option(help: "in-person or digital") var track: Track
            @Option(help: "community or institution") var kind: ParticipantKind = .community
            @Option(help: "The institution a representative speaks for.") var institution: String?
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let participant = try await store.act {
                    try await db.registerParticipant(phase: phase, name: name, track: track, kind: kind,
                                               institution: institution, by: try await identity.member(in: db))
                }
                Terminal.print("\(participant.name) is registered for \(phase); registration code \(participant.code).")
            }
        }

        struct Import: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Register participants from a CSV sheet: name,track,kind,institution.",
                discussion: "Every bad row is reported with its line; a sheet with any bad row registers nobody.")
            @Argument(help: ArgumentHelp("The CSV file.", valueName: "file")) var file: String
            @Option(help: "The phase they take part in.") var phase: String
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let people = try await store.act { try ParticipantSheet.read(try readText(file), file: file) }
                let registered = try await store.act { try await db.registerParticipants(people, phase: phase, by: try await identity.member(in: db)) }
                Terminal.print("Registered \(registered.count) participants for \(phase).")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List a phase's participants with their codes and how each was verified.",
                discussion: "Unverified registrations count in no turnout and no result until a facilitator verifies them.")
            @Option(help: "The phase.") var phase: String
            @Flag(help: "Only the registrations not verified yet.") var unverified = false
            @OptionGroup var store: StoreOptions
            @Option(help: "table or json") var format: OutputFormat = .table

            func validate() throws { try OutputFormat.check(format, offered: [.table, .json]) }

            func run() async throws {
                let people = try await store.act {
                    let db = try await store.open()
                    return unverified ? try await db.unverifiedParticipants(phase: phase) : try await db.participants(phase: phase)
                }
                if format == .json { return try Terminal.printJSON(people) }
                var table = Table(["code", "name", "track", "kind", "institution", "verified"],
                                  alignments: [.left, .left, .left, .left, .left, .left])
                for person in people {
                    table.add([person.code, person.name, person.track.rawValue, person.kind.rawValue, person.institution ?? "",
                               person.verification.map { "\($0.rawValue) (\(person.verifiedBy ?? ""))" } ?? "not yet"])
                }
                Terminal.print(table.rendered)
            }
        }

        struct Verify: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Verify participants at a session: their ballots count from then on.",
                discussion: "A facilitator of a lab in the participant's phase checks the person in front of them and verifies their code.")
            @Argument(help: "Registration codes.") var codes: [String]
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func validate() throws {
                if codes.isEmpty { throw ValidationError("Give the registration codes to verify, e.g. masar participant verify 9CMBAHWC --as Aisha.") }
            }

            func run() async throws {
                let db = try await store.open()
                let member = try await store.act { try await identity.member(in: db) }
                for code in codes {
                    let person = try await store.act { try await db.verifyParticipant(code: code, by: member) }
                    Terminal.print("\(person.code) (\(person.name)) is verified.")
                }
            }
        }

        struct Eligibility: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Load a phase's eligibility list (CSV: civil_id,birth_year); online registration must then match an entry.",
                discussion: """
                    Civil ID numbers are kept only as HMAC-SHA-256 under the lab secret, which lives outside the \
                    database (see --secret-file). Loading again replaces the list. Every bad row is named by its \
                    line; a file with any bad row loads nothing.
                    """)
            @Argument(help: ArgumentHelp("The CSV file.", valueName: "file")) var file: String
            @Option(help: "The phase.") var phase: String
            @OptionGroup var secret: SecretOptions
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let key = try await store.act { try secret.secret(beside: store.path) }
                let entries = try await store.act { try EligibilitySheet.read(try readText(file), file: file) }
                let count = try await store.act {
                    try await db.loadEligibility(phase: phase, entries: key.eligibilityList(entries),
                                                 by: try await identity.member(in: db))
                }
                Terminal.print("Loaded \(count) entries of the eligibility list for \(phase).")
            }
        }
    }

    struct Vote: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Votes on a service's improvements, and polls: open, cast, tally, close, results.",
            subcommands: [Open.self, Cast.self, Record.self, Withdraw.self, Tally.self, Close.self, Results.self])

        struct Open: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Open a vote on a service's proposed improvements, or a poll with its options.")
            @Argument(help: "The service id.") var service: String
            @Option(help: "support, dots or poll") var mode: VoteMode
            @Option(help: "The question put to participants, in English (this, --question-ar, or both).") var question: String?
            @Option(name: .customLong("question-ar"), help: "The question, in Arabic.") var questionAr: String?
            @Option(help: ArgumentHelp("Opening time, e.g. 2023-02-01T09:00:00Z (default: now).", valueName: "time")) var opens: String?
            @Option(help: ArgumentHelp("Closing time, e.g. 2023-02-08T18:00:00Z, or how long after opening, e.g. 14d or 90m.",
                                       valueName: "time")) var closes: String
            @Option(help: "support: how many improvements one participant may support.") var limit: Int?
            @Option(help: "dots: dots per participant.") var budget: Int?
            @Option(help: "dots: most dots on one improvement.") var cap: Int?
            @Option(name: .customLong("option"), help: "poll: an answer in English (repeat for each).") var options: [String] = []
            @Option(name: .customLong("option-ar"),
                    help: "poll: an answer in Arabic (repeat for each); the second --option-ar is the Arabic of the second --option, and extra ones are answers in one language only.")
            var optionsAr: [String] = []
            @Flag(help: "Show results while the vote is open (by default nobody, staff included, sees them before the close).")
            var liveResults = false
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let vote = try await store.act { () async throws -> VoteRecord in
                    let opening = try opens.map { text -> Date in
                        guard let date = instant(text) else { throw Refusal(.badInstant, ["field": "opening time", "value": text]) }
                        return date
                    } ?? Date()
                    let closing: Date
                    if let date = instant(closes) {
                        closing = date
                    } else if let minutes = Quantity.minutes(closes), minutes > 0 {
                        closing = opening.addingTimeInterval(Double(minutes) * 60)
                    } else {
                        throw Refusal(.badInstant, ["field": "closing time", "value": closes])
                    }
                    return try await db.openVote(service: service, mode: mode, question: LocalizedText(en: question, ar: questionAr),
                                                 opensAt: opening, closesAt: closing, supportLimit: limit, dotBudget: budget, dotCap: cap,
                                                 options: LocalizedText.paired(en: options, ar: optionsAr), liveResults: liveResults, by: try await identity.member(in: db))
                }
                Terminal.print("Vote #\(vote.id!) (\(mode.rawValue)) on \(service) is open until \(LabRules.instant(vote.closesAt)).")
            }
        }

        struct Cast: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Cast or change a participant's ballot: --choice N (support, poll) or --choice N=DOTS (dots).",
                discussion: """
                    A participant casts their own ballot online, acting as their code (--as CODE --code CODE); \
                    --in-person records, as a facilitator of the vote's lab, the ballot of a registered participant at a session.
                    """)
            @Argument(help: "The vote number.") var vote: Int64
            @Option(help: "The participant's registration code.") var code: String
            @Option(name: .customLong("choice"), help: "An improvement or option number, with =DOTS for dots (repeat).")
            var choices: [String]
            @Flag(help: "Recorded by a facilitator at a session.") var inPerson = false
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func validate() throws {
                for choice in choices where parse(choice) == nil {
                    throw ValidationError("--choice '\(choice)' is not a number, or NUMBER=DOTS (e.g. --choice 3=2).")
                }
            }

            func parse(_ text: String) -> (Int64, Int)? { BallotSheet.choice(text) }

            func run() async throws {
                let db = try await store.open()
                let ballot = Dictionary(choices.compactMap(parse), uniquingKeysWith: +)
                try await store.act {
                    try await db.castBallot(vote: vote, participant: code, choices: ballot, origin: inPerson ? .inPerson : .online,
                                      by: try await identity.member(in: db))
                }
                Terminal.print("Ballot of \(code) in vote #\(vote) recorded.")
            }
        }

        struct Record: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record a session's paper ballots from a CSV sheet (code,choices), all or none.",
                discussion: "choices holds improvement or option numbers separated by ';', with =DOTS for dots: 3;5 or 3=2;5=1.")
            @Argument(help: "The vote number.") var vote: Int64
            @Argument(help: ArgumentHelp("The CSV sheet.", valueName: "file")) var file: String
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                let ballots = try await store.act { try BallotSheet.read(try readText(file), file: file) }
                try await store.act { try await db.castBallots(vote: vote, ballots, origin: .inPerson, by: try await identity.member(in: db)) }
                Terminal.print("Recorded \(ballots.count) in-person ballots in vote #\(vote).")
            }
        }

        struct Withdraw: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Withdraw a participant's ballot while the vote is open.")
            @Argument(help: "The vote number.") var vote: Int64
            @Option(help: "The participant's registration code.") var code: String
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                try await store.act { try await db.withdrawBallot(vote: vote, participant: code, by: try await identity.member(in: db)) }
                Terminal.print("Ballot of \(code) in vote #\(vote) withdrawn.")
            }
        }

        struct Tally: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Record an anonymous show of hands from a session; kept apart from ballots.")
            @Argument(help: "The vote number.") var vote: Int64
            @Option(help: "The improvement or option number.") var choice: Int64
            @Option(help: "Hands counted.") var count: Int
            @Option(help: "Where the session was held.") var place: String
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                try await store.act { try await db.recordTally(vote: vote, choice: choice, count: count, place: place, by: try await identity.member(in: db)) }
                Terminal.print("Show of hands recorded: #\(choice), \(count) at \(place).")
            }
        }

        struct Close: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Close a vote and seal its ballots: who voted is kept, and the choices apart from any name.",
                discussion: "A vote past its window is sealed the same way the next time anyone reads it.")
            @Argument(help: "The vote number.") var vote: Int64
            @OptionGroup var store: StoreOptions
            @OptionGroup var identity: IdentityOptions

            func run() async throws {
                let db = try await store.open()
                try await store.act { try await db.closeVote(vote, by: try await identity.member(in: db)) }
                Terminal.print("Vote #\(vote) is closed.")
            }
        }

        struct Results: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "A vote's results: counts, shares, turnout, ranking; ballots and shows of hands apart and combined.")
            @Argument(help: "The vote number.") var vote: Int64
            @OptionGroup var store: StoreOptions
            @Option(help: "table or json") var format: OutputFormat = .table

            func validate() throws { try OutputFormat.check(format, offered: [.table, .json]) }

            func run() async throws {
                let results = try await store.act { () async throws -> VoteResults in
                    try await store.open().results(vote: vote)
                }
                if format == .json { return try Terminal.printJSON(results) }
                Terminal.print("Vote #\(vote) (\(results.mode.rawValue)): \(results.question.bothLanguages)"
                    + (results.closed ? " — closed" : " — open"))
                Terminal.print("Turnout: \(results.ballotsCast) of \(results.registered) verified participants "
                    + "(\(Int((results.turnout * 100).rounded()))%)\n")
                guard results.splitShown else {
                    return Terminal.print("Fewer than \(LabRules.fewestBallotsForASplit) ballots: no split is shown, so that no ballot can be told.")
                }
                var table = Table(["#", "choice", results.mode == .dots ? "dots" : "ballots", "share", "show of hands", "combined"],
                                  alignments: [.right, .left, .right, .right, .right, .right])
                for line in results.lines {
                    table.add([String(line.choice), line.text.bothLanguages, String(line.ballots), "\(Int((line.share * 100).rounded()))%",
                               String(line.tallies), String(line.combined)])
                }
                Terminal.print(table.rendered)
            }
        }
    }
}

/// An ISO 8601 instant, as votes open and close.
func instant(_ text: String) -> Date? {
    ISO8601DateFormatter().date(from: text)
}
