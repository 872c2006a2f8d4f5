import Foundation
import GRDB
import MasarCore

extension Stage: DatabaseValueConvertible {}
extension LabRole: DatabaseValueConvertible {}
extension PainPointCategory: DatabaseValueConvertible {}
extension PainPointSource: DatabaseValueConvertible {}
extension ImprovementStatus: DatabaseValueConvertible {}
extension ReviewVerdict: DatabaseValueConvertible {}

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
