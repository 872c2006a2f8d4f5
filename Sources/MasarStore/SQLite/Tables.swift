import Foundation
import GRDB
import MasarCore

// How the lab's values are stored in SQLite: each record's table, and the records only this
// adapter knows. Nothing here crosses the `LabStore` protocol.

extension Stage: DatabaseValueConvertible {}
extension LabRole: DatabaseValueConvertible {}
extension PainPointCategory: DatabaseValueConvertible {}
extension PainPointSource: DatabaseValueConvertible {}
extension ImprovementStatus: DatabaseValueConvertible {}
extension ReviewVerdict: DatabaseValueConvertible {}
extension Track: DatabaseValueConvertible {}
extension ParticipantKind: DatabaseValueConvertible {}
extension Verification: DatabaseValueConvertible {}
extension VoteMode: DatabaseValueConvertible {}
extension BallotOrigin: DatabaseValueConvertible {}
extension Moderation: DatabaseValueConvertible {}

/// A record kept in one table, whose integer id SQLite assigns on insert.
protocol NumberedRecord: Codable, FetchableRecord, MutablePersistableRecord {
    var id: Int64? { get set }
}

extension NumberedRecord {
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

extension PhaseRecord: NumberedRecord { public static let databaseTableName = "phase" }
extension LabRecord: NumberedRecord { public static let databaseTableName = "lab" }
extension LabSessionRecord: NumberedRecord { public static let databaseTableName = "labSession" }
extension RevisionRecord: NumberedRecord { public static let databaseTableName = "revision" }
extension PainPointRecord: NumberedRecord { public static let databaseTableName = "painPoint" }
extension ImprovementRecord: NumberedRecord { public static let databaseTableName = "improvement" }
extension ReviewRecord: NumberedRecord { public static let databaseTableName = "review" }
extension SignOffRecord: NumberedRecord { public static let databaseTableName = "signOff" }
extension AuditEntry: NumberedRecord { public static let databaseTableName = "auditEntry" }
extension ParticipantRecord: NumberedRecord { public static let databaseTableName = "participant" }
extension VoteRecord: NumberedRecord { public static let databaseTableName = "vote" }
extension VoteOptionRecord: NumberedRecord { public static let databaseTableName = "voteOption" }
extension TallyRecord: NumberedRecord { public static let databaseTableName = "tally" }
extension AccountRecord: NumberedRecord { public static let databaseTableName = "account" }

/// Pain points and improvements: contributed to a service, and moderated.
protocol ContributionRecord: TableRecord {}
extension PainPointRecord: ContributionRecord {}
extension ImprovementRecord: ContributionRecord {}

extension QueryInterfaceRequest where RowDecoder: ContributionRecord {
    func of(service id: String) -> Self { filter(Column("labServiceId") == id) }
    /// What everyone reads, counts and votes on.
    func published() -> Self { filter(Column("moderation") == Moderation.published.rawValue) }
    /// Awaiting moderation, or declined: for the facilitator, and each for its own contributor.
    func unpublished() -> Self { filter(Column("moderation") != Moderation.published.rawValue) }
}

/// A service in a lab, by its map id, the stage it has reached and its recorded document.
struct LabServiceRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "labService"
    var id: String
    var labId: Int64
    var stage: Stage
    /// SHA-256 of the output document recorded for `documentRevisionId`.
    var documentHash: String?
    /// The revision the recorded document is of.
    var documentRevisionId: Int64?
}

struct ImprovementPainPointRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "improvementPainPoint"
    var improvementId: Int64
    var painPointId: Int64
}

struct BallotRecord: NumberedRecord {
    static let databaseTableName = "ballot"
    var id: Int64?
    var voteId: Int64
    var participantId: Int64
    var origin: BallotOrigin
    var castAt: Date
    /// Set at the close, when the ballot's choices are detached from it.
    var sealed = false
}

struct BallotChoiceRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "ballotChoice"
    var ballotId: Int64
    var voteId: Int64
    var choice: Int64
    var weight: Int
}
