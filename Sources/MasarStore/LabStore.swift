import Foundation
import MasarCore

/// Where a lab's work is kept: phases, labs, services and their revisions, pain points,
/// improvements, reviews, sign-offs, participants, votes, accounts and the audit log.
///
/// An async protocol over value types, so that the web awaits it off the event loop and a
/// second backend runs the same test suite. Every change asks its rule of `LabRules` inside the
/// transaction that makes it, appends to the audit log in that transaction, and throws the rule's
/// `Refusal` with nothing changed. Lookups of what does not exist throw `Refusal(.notFound)`.
public protocol LabStore: Sendable {
    // MARK: Phases, labs, sessions
    @discardableResult
    func createPhase(name: String, startsOn: String, endsOn: String?, sectors: [String], targets: [String],
                     by member: Member) async throws -> PhaseRecord
    /// Opens a lab; a facilitator who opens it facilitates it, else `facilitators` name the accounts assigned.
    @discardableResult
    func createLab(name: String, phase: String, sectors: [String], facilitators: [String], by member: Member) async throws -> LabRecord
    func assignFacilitator(lab: String, account: String, by member: Member) async throws
    @discardableResult
    func recordSession(lab: String, heldOn: String, place: String, institutionRepresentatives: Int,
                       communityMembers: Int, by member: Member) async throws -> LabSessionRecord
    func phases() async throws -> [PhaseRecord]
    func labs() async throws -> [LabState]
    func sessions(lab: String?) async throws -> [LabSessionRecord]

    // MARK: Services through their stages
    /// Imports maps as new revisions in one transaction: all of them, or none (`MapIssues` or a refusal).
    @discardableResult
    func importServices(_ files: [(yaml: String, file: String)], lab: String, by member: Member) async throws -> [RevisionRecord]
    @discardableResult
    func advance(service id: String, by member: Member) async throws -> Stage
    @discardableResult
    func addPainPoint(service id: String, step: String, category: PainPointCategory, severity: Int,
                      source: PainPointSource, text: LocalizedText, by member: Member) async throws -> PainPointRecord
    /// Many pain points (a survey, a complaints export): all, or none.
    func addPainPoints(_ points: [NewPainPoint], by member: Member) async throws
    @discardableResult
    func proposeImprovement(service id: String, text: LocalizedText, addresses painPoints: [Int64],
                            by member: Member) async throws -> ImprovementRecord
    func decideImprovement(_ improvement: Int64, _ status: ImprovementStatus, by member: Member) async throws
    /// A facilitator of the lab publishes or declines a community member's pain point or proposal.
    func moderate(_ contribution: Contribution, publish: Bool, by member: Member) async throws
    /// Records the hash of the output document of `revision`, which must be the latest.
    func recordDocument(service id: String, revision: Int64, sha256: String, by member: Member) async throws
    @discardableResult
    func review(service id: String, verdict: ReviewVerdict, reasons: String, by member: Member) async throws -> ReviewRecord
    /// The last sign-off needed moves the service to signed-off; returns the stage after it.
    @discardableResult
    func signOff(service id: String, institution: String, by member: Member) async throws -> Stage

    /// The state the rules read, for a front end deciding what to offer.
    func serviceState(_ id: String) async throws -> ServiceState
    func status(service id: String) async throws -> ServiceStatus
    func statuses() async throws -> [ServiceStatus]
    func latestMap(service id: String) async throws -> ServiceMap
    /// The published pain points and improvements: what everyone reads.
    func painPoints(service id: String) async throws -> [PainPointRecord]
    func improvements(service id: String) async throws -> [ImprovementItem]
    /// Contributions awaiting moderation or declined, as `LabRules.readsUnpublished` lets the
    /// member read them: all for the lab's facilitators, their own for a community member.
    func unpublished(service id: String, for member: Member) async throws -> Contributions
    func services(lab id: Int64) async throws -> [String]
    func auditLog(service: String?) async throws -> [AuditEntry]
    /// Checks the audit log's hash chain and the heads recorded at sign-offs, with `heads` given from paper.
    func verifyAuditLog(heads: [AuditChain.Head]) async throws -> AuditChain.Verification
    /// A service's sign-offs, each with the audit log's head recorded at it.
    func signOffs(service id: String) async throws -> [SignOffRecord]
    /// Everything the lab output document says, read in one snapshot.
    func documentContent(service id: String) async throws -> LabDocumentContent
    /// What the programme's reports are computed from, in one snapshot; an unknown phase is refused.
    func programmeSnapshot(phase: String?) async throws -> ProgrammeSnapshot

    // MARK: Participants and votes
    @discardableResult
    func registerParticipants(_ people: [NewParticipant], phase: String, by member: Member) async throws -> [ParticipantRecord]
    func participants(phase: String) async throws -> [ParticipantRecord]
    /// Registrations not verified yet, which count in no turnout and no result.
    func unverifiedParticipants(phase: String) async throws -> [ParticipantRecord]
    /// A facilitator verifies a participant at a session.
    @discardableResult
    func verifyParticipant(code: String, by member: Member) async throws -> ParticipantRecord
    /// Replaces the phase's eligibility list with keyed hashes (`LabSecret.civilID`); returns how many.
    @discardableResult
    func loadEligibility(phase: String, entries: Set<String>, by member: Member) async throws -> Int
    @discardableResult
    func openVote(service id: String, _ vote: NewVote, by member: Member) async throws -> VoteRecord
    /// A participant's own ballot online, or one a facilitator records for them at a session (`inPerson`).
    func castBallot(vote: Int64, participant code: String, choices: [Int64: Int], origin: BallotOrigin,
                    by member: Member) async throws
    /// Online ballots sent at about the same time, in one durable commit; a refused one leaves the others.
    func castOnlineBallots(_ ballots: [OnlineBallot]) async throws -> [Refusal?]
    /// A session's paper ballots: all, or none.
    func castBallots(vote: Int64, _ ballots: [(code: String, choices: [Int64: Int])], origin: BallotOrigin,
                     by member: Member) async throws
    func withdrawBallot(vote: Int64, participant code: String, by member: Member) async throws
    /// A participant's own ballot while the vote is open: the only output that pairs a participant
    /// with a choice. Nil when they have none; empty once sealed (the choices are no longer theirs).
    func ballot(vote: Int64, participant code: String) async throws -> [Int64: Int]?
    func recordTally(vote: Int64, choice: Int64, count: Int, place: String, by member: Member) async throws
    /// Closes the vote and seals its ballots in one transaction: from then on no row pairs a
    /// participant with a choice.
    func closeVote(_ vote: Int64, by member: Member) async throws
    /// Seals every vote whose window has ended; returns how many.
    @discardableResult
    func sealDueVotes() async throws -> Int
    func results(vote: Int64) async throws -> VoteResults
    func acceptFromVote(_ improvement: Int64, vote: Int64, by member: Member) async throws
    func vote(_ id: Int64) async throws -> VoteRecord
    /// The lab a vote's service is worked on in, for the rules of the vote.
    func voteLab(_ id: Int64) async throws -> LabState
    func votes(service id: String) async throws -> [VoteRecord]
    func votes(phase: Int64) async throws -> [VoteRecord]
    /// What the vote's ballots choose among, fixed when it opened: improvements or the poll's options.
    func choices(vote id: Int64) async throws -> [VoteChoice]

    // MARK: Members, accounts and sign-ins
    /// The member named on the command line: a staff account by name, else a participant by code.
    func member(named name: String) async throws -> Member?
    /// Creates a staff account; `by` is nil only for the first account, the programme office's.
    @discardableResult
    func createAccount(name: String, role: LabRole, institution: String?, passwordHash: String,
                       by member: Member?) async throws -> AccountRecord
    /// The programme office sets a new password on an account (hashed, as at its creation); every
    /// sign-in of the account ends with it. Returns the account.
    @discardableResult
    func resetPassword(account name: String, passwordHash: String, by member: Member) async throws -> AccountRecord
    /// The account a typed name stands for: spelled so (any case, after NFKC), else the one whose
    /// name looks the same; sign-in and `--as` find accounts by this.
    func account(named name: String) async throws -> AccountRecord?
    /// Someone registering themselves; verified when the phase's eligibility list has their civil ID.
    func registerOnline(phase: String, name: String, track: Track, passwordHash: String?,
                        civilID: CivilIDProof?) async throws -> ParticipantRecord
    func participantCredentials(code: String) async throws -> ParticipantCredentials?
    func startSignIn(tokenHash: String, for who: SignedIn, expiresAt: Date) async throws
    func signedIn(tokenHash: String) async throws -> SignedIn?
    func endSignIn(tokenHash: String) async throws
    /// Sign-ins ended on this database by any process, as they end (a sign-out, a new password),
    /// so that a web server's cache of sign-ins drops them at once. A backend that only one
    /// process uses ends the stream at once: its own cache forgets what it ends itself.
    func endedSignIns() -> AsyncStream<EndedSignIn>
    /// The sign-in throttle's counters, shared by every server on the database: reads the
    /// counters named `names` and stores what `change` makes of them (nil forgets one), in one
    /// transaction; counters last touched before `cutoff` are forgotten first.
    func throttle<T: Sendable>(_ names: [String], forgettingBefore cutoff: Date,
                               _ change: @escaping @Sendable ([String: ThrottleCounter]) -> (update: [String: ThrottleCounter?], result: T))
        async throws -> T

    // MARK: Backup and exchange
    func backup(to path: String) async throws
    func exportJSON() async throws -> Data
    func importJSON(_ data: Data) async throws
}

extension LabStore {
    @discardableResult
    public func importService(yaml: String, file: String, lab: String, by member: Member) async throws -> RevisionRecord {
        try await importServices([(yaml, file)], lab: lab, by: member)[0]
    }

    @discardableResult
    public func registerParticipant(phase: String, name: String, track: Track, kind: ParticipantKind,
                                    institution: String? = nil, by member: Member) async throws -> ParticipantRecord {
        try await registerParticipants([NewParticipant(name: name, track: track, kind: kind, institution: institution)],
                                       phase: phase, by: member)[0]
    }

    /// A phase of three months.
    @discardableResult
    public func createPhase(name: String, startsOn: String, sectors: [String], targets: [String] = [],
                            by member: Member) async throws -> PhaseRecord {
        try await createPhase(name: name, startsOn: startsOn, endsOn: nil, sectors: sectors, targets: targets, by: member)
    }

    @discardableResult
    public func createLab(name: String, phase: String, sectors: [String], by member: Member) async throws -> LabRecord {
        try await createLab(name: name, phase: phase, sectors: sectors, facilitators: [], by: member)
    }

    @discardableResult
    public func openVote(service id: String, mode: VoteMode, question: LocalizedText, opensAt: Date, closesAt: Date,
                         supportLimit: Int? = nil, dotBudget: Int? = nil, dotCap: Int? = nil, options: [LocalizedText] = [],
                         liveResults: Bool = false, by member: Member) async throws -> VoteRecord {
        try await openVote(service: id, NewVote(mode: mode, question: question, opensAt: opensAt, closesAt: closesAt,
                                                supportLimit: supportLimit, dotBudget: dotBudget, dotCap: dotCap,
                                                options: options, liveResults: liveResults), by: member)
    }

    /// An account that belongs to no institution (a facilitator, a reviewer, the programme office).
    @discardableResult
    public func createAccount(name: String, role: LabRole, passwordHash: String, by member: Member?) async throws -> AccountRecord {
        try await createAccount(name: name, role: role, institution: nil, passwordHash: passwordHash, by: member)
    }

    public func auditLog() async throws -> [AuditEntry] { try await auditLog(service: nil) }
    public func programmeSnapshot() async throws -> ProgrammeSnapshot { try await programmeSnapshot(phase: nil) }
    public func sessions() async throws -> [LabSessionRecord] { try await sessions(lab: nil) }
}

/// A throttle's count since a moment, and when it last changed.
public struct ThrottleCounter: Sendable, Equatable {
    public var count: Int
    public var since: Date
    public var last: Date

    public init(count: Int, since: Date, last: Date) {
        self.count = count
        self.since = since
        self.last = last
    }
}

/// A sign-in that ended somewhere: one token's, every one of an account's, or any (what ended
/// while nobody listened is not known).
public enum EndedSignIn: Sendable, Equatable {
    case token(hash: String)
    case account(id: Int64)
    case any

    /// As a PostgreSQL notification carries it: `token:HASH` or `account:ID`.
    var payload: String {
        switch self {
        case .token(let hash): "token:\(hash)"
        case .account(let id): "account:\(id)"
        case .any: "any"
        }
    }

    init?(payload: String) {
        let (kind, value) = (payload.prefix { $0 != ":" }, payload.drop { $0 != ":" }.dropFirst())
        switch kind {
        case "token": self = .token(hash: String(value))
        case "account": guard let id = Int64(value) else { return nil }; self = .account(id: id)
        default: return nil
        }
    }
}

/// A vote to open: its mode and limits, its window, and a poll's options.
public struct NewVote: Sendable {
    public var mode: VoteMode
    public var question: LocalizedText
    public var opensAt: Date
    public var closesAt: Date
    public var supportLimit: Int?
    public var dotBudget: Int?
    public var dotCap: Int?
    public var options: [LocalizedText]
    /// Results shown while the vote is open; by default they are hidden from everyone until the close.
    public var liveResults: Bool

    public init(mode: VoteMode, question: LocalizedText, opensAt: Date, closesAt: Date, supportLimit: Int? = nil,
                dotBudget: Int? = nil, dotCap: Int? = nil, options: [LocalizedText] = [], liveResults: Bool = false) {
        self.mode = mode
        self.question = question
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.supportLimit = supportLimit
        self.dotBudget = dotBudget
        self.dotCap = dotCap
        self.options = options
        self.liveResults = liveResults
    }
}

/// An improvement with the pain points it addresses.
public struct ImprovementItem: Sendable, Equatable {
    public var improvement: ImprovementRecord
    public var addresses: [Int64]
}

/// A service's pain points and improvements of one standing.
public struct Contributions: Sendable, Equatable {
    public var painPoints: [PainPointRecord]
    public var improvements: [ImprovementItem]

    public init(painPoints: [PainPointRecord], improvements: [ImprovementItem]) {
        self.painPoints = painPoints
        self.improvements = improvements
    }

    /// Waiting for a facilitator.
    public var pending: Contributions {
        Contributions(painPoints: painPoints.filter { $0.moderation == .pending },
                      improvements: improvements.filter { $0.improvement.moderation == .pending })
    }
}

/// One thing a vote's ballots may choose: an improvement or a poll's option.
public struct VoteChoice: Sendable, Equatable {
    public var id: Int64
    public var text: LocalizedText
}
