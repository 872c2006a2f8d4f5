import Foundation
import MasarCore


/// A three-month programme phase and the sectors it covers.
public struct PhaseRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var name: String
    /// ISO dates, `2023-01-01`.
    public var startsOn: String
    public var endsOn: String
    public var sectors: [String]
}

/// A lab: a facilitator running services of some sectors within a phase.
public struct LabRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var phaseId: Int64
    public var name: String
    public var facilitator: String
    public var sectors: [String]
}

/// A session held by a lab, with who attended.
public struct LabSessionRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var labId: Int64
    public var heldOn: String
    public var place: String
    public var institutionRepresentatives: Int
    public var communityMembers: Int
}

/// One import of a service map: exactly the text that was read, and its hash.
public struct RevisionRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var labServiceId: String
    public var yaml: String
    public var sha256: String
    public var importedBy: String
    public var importedAt: Date
    /// What reports need of the map, computed at import.
    public var summary: ServiceSummary?
}

public struct PainPointRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var labServiceId: String
    public var stepId: String
    public var category: PainPointCategory
    public var severity: Int
    public var source: PainPointSource
    /// The text in English and in Arabic (`text`); at least one of the two.
    public var textEn: String?
    public var textAr: String?
    public var recordedBy: String
    public var recordedAt: Date
    /// Shown to all once published; a community member's waits for a facilitator first.
    public var moderation: Moderation = .published
    /// The participant who raised it, when a community member did: their own page finds it by this.
    public var participantId: Int64? = nil
}

public struct ImprovementRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var labServiceId: String
    /// The text in English and in Arabic (`text`); at least one of the two.
    public var textEn: String?
    public var textAr: String?
    public var status: ImprovementStatus
    public var proposedBy: String
    /// The vote that chose it, when it was accepted on a vote's result.
    public var chosenByVoteId: Int64?
    /// Shown to all, and put to a vote, once published; a community member's waits for a facilitator first.
    public var moderation: Moderation = .published
    /// The participant who proposed it, when a community member did.
    public var participantId: Int64? = nil
}

public struct ReviewRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var labServiceId: String
    public var revisionId: Int64
    public var reviewer: String
    public var role: LabRole
    public var verdict: ReviewVerdict
    public var reasons: String
    public var at: Date
}

public struct SignOffRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var labServiceId: String
    public var revisionId: Int64
    public var directorGeneral: String
    public var institution: String
    public var at: Date
    /// The audit log's head just after this sign-off was logged, printed in the signed document.
    public var auditEntryId: Int64?
    public var auditHash: String?

    /// The head as the document and the public page print it ("42:ab12…").
    public var auditHead: AuditChain.Head? {
        guard let auditEntryId, let auditHash else { return nil }
        return AuditChain.Head(id: auditEntryId, hash: auditHash)
    }
}

/// What an audit-log entry records. The raw value is the text stored in the log (and hashed
/// into its chain), so an existing log reads the same; pages name each one in their language.
public enum AuditAction: String, CaseIterable, Codable, Sendable {
    case createPhase = "create phase", openLab = "open lab", assignFacilitator = "assign facilitator"
    case recordSession = "record session", createAccount = "create account"
    case importMap = "import", advance, painPoint = "pain point", proposeImprovement = "propose improvement"
    case decideImprovement = "decide improvement", document, approve, requestAmendments = "request amendments"
    case signOff = "sign off", signedOff = "signed off"
    case registerParticipants = "register participants", verifyParticipant = "verify participant"
    case loadEligibility = "load eligibility list"
    case openVote = "open vote", recordBallot = "record ballot", recordBallots = "record ballots"
    case showOfHands = "show of hands", closeVote = "close vote", withdrawBallot = "withdraw ballot"
    case resetPassword = "reset password"
    case publish, decline
}

/// One line of the audit log: who did what, in which role, when, and the stages it moved between.
public struct AuditEntry: Codable, Equatable, Sendable {
    public var id: Int64?
    public var at: Date
    public var who: String
    public var role: LabRole
    public var serviceId: String?
    public var action: String
    public var fromStage: Stage?
    public var toStage: Stage?
    public var note: String
    /// SHA-256 over this entry's content and the previous entry's hash (`AuditChain`).
    public var hash: String? = nil
}

/// Someone registered to take part in a phase, with the code they sign in or vote with.
public struct ParticipantRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var phaseId: Int64
    public var code: String
    public var name: String
    public var track: Track
    public var kind: ParticipantKind
    /// The institution an institution representative speaks for.
    public var institution: String?
    public var registeredAt: Date
    /// How the participant was verified; nil until then, and then their ballots do not count.
    public var verification: Verification? = nil
    public var verifiedBy: String? = nil
    public var verifiedAt: Date? = nil
}

/// A vote on a service's improvements (support, dots) or a poll, open for a window.
public struct VoteRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var labServiceId: String
    public var mode: VoteMode
    /// The question in English and in Arabic (`question`); at least one of the two.
    public var questionEn: String?
    public var questionAr: String?
    public var opensAt: Date
    public var closesAt: Date
    /// Set when a facilitator closes the vote; after it nothing about a ballot changes.
    public var closedAt: Date?
    public var supportLimit: Int?
    public var dotBudget: Int?
    public var dotCap: Int?
    /// Results are hidden from everyone until the close (the default); false for live results.
    public var hideResults: Bool
}

extension VoteRecord {
    /// The terms the rules of a vote read, among them whether it is open.
    public var terms: VoteTerms {
        VoteTerms(id: id!, mode: mode, opensAt: opensAt, closesAt: closesAt, closedAt: closedAt, hideResults: hideResults,
                  supportLimit: supportLimit, dotBudget: dotBudget, dotCap: dotCap)
    }
}

public struct VoteOptionRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var voteId: Int64
    /// The option in English and in Arabic (`text`); at least one of the two.
    public var textEn: String?
    public var textAr: String?
}

/// A record whose table keeps a text's two languages in columns of their own, `textEn` and
/// `textAr`; `text` gives them as one.
public protocol TextInTwoLanguages {
    var textEn: String? { get set }
    var textAr: String? { get set }
}

extension TextInTwoLanguages {
    public var text: LocalizedText {
        get { LocalizedText(en: textEn, ar: textAr) }
        set { (textEn, textAr) = (newValue.en, newValue.ar) }
    }
}

extension PainPointRecord: TextInTwoLanguages {}
extension ImprovementRecord: TextInTwoLanguages {}
extension VoteOptionRecord: TextInTwoLanguages {}

extension VoteRecord {
    /// The question in its two languages, kept in `questionEn` and `questionAr`.
    public var question: LocalizedText {
        get { LocalizedText(en: questionEn, ar: questionAr) }
        set { (questionEn, questionAr) = (newValue.en, newValue.ar) }
    }
}

/// An anonymous show-of-hands count from a session, kept apart from ballots.
public struct TallyRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var voteId: Int64
    public var choice: Int64
    public var count: Int
    public var place: String
    public var recordedBy: String
    public var recordedAt: Date
}

/// A member of a lab's staff who signs in to the web app: a facilitator, a quality reviewer,
/// a director-general (for one institution), the programme office or an institution's representative.
public struct AccountRecord: Codable, Equatable, Sendable {
    public var id: Int64?
    public var name: String
    public var role: LabRole
    /// The institution a director-general signs for, or a representative speaks for.
    public var institution: String?
    /// A bcrypt hash; the password itself is never stored.
    public var passwordHash: String
    public var createdAt: Date

    /// The account as it acts: its name, role and institution.
    public var member: Member { Member(name: name, role: role, institution: institution) }
}

/// A participant's registration with the hash of the password they chose (digital track), if any.
public struct ParticipantCredentials: Sendable {
    public var participant: ParticipantRecord
    public var passwordHash: String?
}

/// Who a sign-in token stands for.
public enum SignedIn: Equatable, Sendable {
    case staff(AccountRecord)
    case participant(ParticipantRecord)
}

/// A call to cast one online ballot, for `castOnlineBallots`.
public struct OnlineBallot: Sendable {
    public var vote: Int64
    public var participant: String
    public var choices: [Int64: Int]

    public init(vote: Int64, participant: String, choices: [Int64: Int]) {
        self.vote = vote
        self.participant = participant
        self.choices = choices
    }
}

extension ParticipantRecord {
    /// The participant as they act: a community member of their phase.
    public var member: Member { Member(name: name, role: .community, phase: phaseId, code: code) }
}

/// A pain point to record, as a survey or complaints export gives it.
public struct NewPainPoint: Sendable {
    public var service: String
    public var step: String
    public var category: PainPointCategory
    public var severity: Int
    public var source: PainPointSource
    public var text: LocalizedText

    public init(service: String, step: String, category: PainPointCategory, severity: Int,
                source: PainPointSource, text: LocalizedText) {
        self.service = service
        self.step = step
        self.category = category
        self.severity = severity
        self.source = source
        self.text = text
    }
}

/// A service's stage and what it still needs, as facilitators ask for it.
public struct ServiceStatus: Codable, Equatable, Sendable {
    public var service: String
    public var stage: Stage
    public var revision: Int64
    public var sha256: String
    public var painPoints: Int
    public var improvements: Int
    public var documentGenerated: Bool
    /// In review: institutions of the future path whose director-general has not signed yet.
    public var awaitingSignOff: [String]
}

/// A vote's results: per choice, the ballots and the show-of-hands tallies, apart and
/// combined; shares; turnout; ranking. No participant appears in them (secret ballot).
public struct VoteResults: Codable, Equatable, Sendable {
    public struct Line: Codable, Equatable, Sendable {
        /// The improvement or option.
        public var choice: Int64
        public var text: LocalizedText
        /// Ballots (support, poll) or dots (dots) from registered participants.
        public var ballots: Int
        /// Show-of-hands counts from sessions.
        public var tallies: Int
        /// Ballots and tallies together, shown apart from both, never merged into either.
        public var combined: Int
        /// Share of all that registered participants gave (support: of ballots cast).
        public var share: Double
    }

    public var vote: Int64
    public var mode: VoteMode
    public var question: LocalizedText
    public var closed: Bool
    /// Best first: by combined count, then by ballots, then by choice. Empty when the split is withheld.
    public var lines: [Line]
    /// False below `LabRules.fewestBallotsForASplit` ballots: then only the number of ballots is shown.
    public var splitShown: Bool
    public var ballotsCast: Int
    /// Verified participants of the phase: unverified registrations count in no turnout.
    public var registered: Int
    /// Ballots cast ÷ participants registered for the phase.
    public var turnout: Double
}
