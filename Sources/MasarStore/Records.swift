import Foundation
import GRDB
import MasarCore

extension Stage: DatabaseValueConvertible {}
extension LabRole: DatabaseValueConvertible {}
extension PainPointCategory: DatabaseValueConvertible {}
extension PainPointSource: DatabaseValueConvertible {}
extension ImprovementStatus: DatabaseValueConvertible {}
extension ReviewVerdict: DatabaseValueConvertible {}
extension Track: DatabaseValueConvertible {}
extension ParticipantKind: DatabaseValueConvertible {}
extension VoteMode: DatabaseValueConvertible {}
extension BallotOrigin: DatabaseValueConvertible {}

/// A three-month programme phase and the sectors it covers.
public struct PhaseRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "phase"
    public var id: Int64?
    public var name: String
    /// ISO dates, `2023-01-01`.
    public var startsOn: String
    public var endsOn: String
    public var sectors: [String]

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A lab: a facilitator running services of some sectors within a phase.
public struct LabRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "lab"
    public var id: Int64?
    public var phaseId: Int64
    public var name: String
    public var facilitator: String
    public var sectors: [String]

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A session held by a lab, with who attended.
public struct LabSessionRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "labSession"
    public var id: Int64?
    public var labId: Int64
    public var heldOn: String
    public var place: String
    public var institutionRepresentatives: Int
    public var communityMembers: Int

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A service in a lab, by its map id, and the stage it has reached.
public struct LabServiceRecord: Codable, Equatable, Sendable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "labService"
    public var id: String
    public var labId: Int64
    public var stage: Stage
    /// SHA-256 of the output document generated for the latest revision, once generated.
    public var documentHash: String?
}

/// One import of a service map: exactly the text that was read, and its hash.
public struct RevisionRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "revision"
    public var id: Int64?
    public var labServiceId: String
    public var yaml: String
    public var sha256: String
    public var importedBy: String
    public var importedAt: Date
    /// What reports need of the map, computed at import.
    public var summary: ServiceSummary?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct PainPointRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "painPoint"
    public var id: Int64?
    public var labServiceId: String
    public var stepId: String
    public var category: PainPointCategory
    public var severity: Int
    public var source: PainPointSource
    public var text: String
    public var recordedBy: String
    public var recordedAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct ImprovementRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "improvement"
    public var id: Int64?
    public var labServiceId: String
    public var text: String
    public var status: ImprovementStatus
    public var proposedBy: String
    /// The vote that chose it, when it was accepted on a vote's result.
    public var chosenByVoteId: Int64?

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct ImprovementPainPointRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "improvementPainPoint"
    var improvementId: Int64
    var painPointId: Int64
}

public struct ReviewRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "review"
    public var id: Int64?
    public var labServiceId: String
    public var revisionId: Int64
    public var reviewer: String
    public var role: LabRole
    public var verdict: ReviewVerdict
    public var reasons: String
    public var at: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

public struct SignOffRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "signOff"
    public var id: Int64?
    public var labServiceId: String
    public var revisionId: Int64
    public var directorGeneral: String
    public var institution: String
    public var at: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// One line of the audit log: who did what, in which role, when, and the stages it moved between.
public struct AuditEntry: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "auditEntry"
    public var id: Int64?
    public var at: Date
    public var who: String
    public var role: LabRole
    public var serviceId: String?
    public var action: String
    public var fromStage: Stage?
    public var toStage: Stage?
    public var note: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// Someone registered to take part in a phase, with the code they sign in or vote with.
public struct ParticipantRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "participant"
    public var id: Int64?
    public var phaseId: Int64
    public var code: String
    public var name: String
    public var track: Track
    public var kind: ParticipantKind
    /// The institution an institution representative speaks for.
    public var institution: String?
    public var registeredAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A vote on a service's improvements (support, dots) or a poll, open for a window.
public struct VoteRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "vote"
    public var id: Int64?
    public var labServiceId: String
    public var mode: VoteMode
    public var question: String
    public var opensAt: Date
    public var closesAt: Date
    /// Set when a facilitator closes the vote; after it nothing about a ballot changes.
    public var closedAt: Date?
    public var supportLimit: Int?
    public var dotBudget: Int?
    public var dotCap: Int?
    /// Results are shown to participants only once the vote is closed.
    public var hideResults: Bool

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension VoteRecord {
    /// Whether the vote is over at `now`: closed by a facilitator, or past its window.
    public func isClosed(at now: Date) -> Bool { closedAt != nil || now >= closesAt }

    /// Whether ballots can be cast at `now`.
    public func isOpen(at now: Date) -> Bool { !isClosed(at: now) && now >= opensAt }
}

public struct VoteOptionRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "voteOption"
    public var id: Int64?
    public var voteId: Int64
    public var text: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct BallotRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "ballot"
    var id: Int64?
    var voteId: Int64
    var participantId: Int64
    var origin: BallotOrigin
    var castAt: Date

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

struct BallotChoiceRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "ballotChoice"
    var ballotId: Int64
    var voteId: Int64
    var choice: Int64
    var weight: Int
}

/// An anonymous show-of-hands count from a session, kept apart from ballots.
public struct TallyRecord: Codable, Equatable, Sendable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "tally"
    public var id: Int64?
    public var voteId: Int64
    public var choice: Int64
    public var count: Int
    public var place: String
    public var recordedBy: String
    public var recordedAt: Date

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
