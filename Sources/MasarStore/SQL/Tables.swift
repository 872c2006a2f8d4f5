import Foundation
import MasarCore

// Each record's table, and the records only the store knows. Nothing here crosses the
// `LabStore` protocol.

extension PhaseRecord: NumberedRecord { static let tableName = "phase" }
extension LabRecord: NumberedRecord { static let tableName = "lab" }
extension LabSessionRecord: NumberedRecord { static let tableName = "labSession" }
extension RevisionRecord: NumberedRecord { static let tableName = "revision" }
extension PainPointRecord: NumberedRecord { static let tableName = "painPoint" }
extension ImprovementRecord: NumberedRecord { static let tableName = "improvement" }
extension ReviewRecord: NumberedRecord { static let tableName = "review" }
extension SignOffRecord: NumberedRecord { static let tableName = "signOff" }
extension AuditEntry: NumberedRecord { static let tableName = "auditEntry" }
extension ParticipantRecord: NumberedRecord { static let tableName = "participant" }
extension VoteRecord: NumberedRecord { static let tableName = "vote" }
extension VoteOptionRecord: NumberedRecord { static let tableName = "voteOption" }
extension TallyRecord: NumberedRecord { static let tableName = "tally" }
extension AccountRecord: NumberedRecord { static let tableName = "account" }

/// A record a refusal names when it is not found: "no phase 'X'".
protocol Named { static var kind: String { get } }
extension PhaseRecord: Named { static let kind = "phase" }
extension LabRecord: Named { static let kind = "lab" }
extension LabServiceRecord: Named { static let kind = "service" }
extension ImprovementRecord: Named { static let kind = "improvement" }
extension VoteRecord: Named { static let kind = "vote" }

/// A service in a lab, by its map id, the stage it has reached and its recorded document.
struct LabServiceRecord: StoredRecord {
    static let tableName = "labService"
    var id: String
    var labId: Int64
    var stage: Stage
    /// SHA-256 of the output document recorded for `documentRevisionId`.
    var documentHash: String?
    /// The revision the recorded document is of.
    var documentRevisionId: Int64?
}

struct ImprovementPainPointRecord: StoredRecord {
    static let tableName = "improvementPainPoint"
    var improvementId: Int64
    var painPointId: Int64
}

struct BallotRecord: NumberedRecord {
    static let tableName = "ballot"
    var id: Int64?
    var voteId: Int64
    var participantId: Int64
    var origin: BallotOrigin
    var castAt: Date
    /// Set at the close, when the ballot's choices are detached from it.
    var sealed = false
}

struct BallotChoiceRecord: StoredRecord {
    static let tableName = "ballotChoice"
    var ballotId: Int64
    var voteId: Int64
    var choice: Int64
    var weight: Int
}

/// What everyone reads, counts and votes on, as a condition on a pain point's or an improvement's row.
let publishedOnly = "moderation = 'published'"
