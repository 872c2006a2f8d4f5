import Foundation
import MasarCore

/// What the programme's reports are computed from, read in one snapshot.
public struct ProgrammeSnapshot: Sendable {
    public struct TargetedService: Sendable {
        public var id: String
        public var phase: String
        /// Nil until the service's map is imported (it then counts as mapping).
        public var stage: Stage?
        public var summary: ServiceSummary?
    }

    /// Participants counted by phase, kind, track and institution (a national phase has
    /// hundreds of thousands; a report needs only these counts).
    public struct ParticipantGroup: Sendable {
        public var phase: String
        public var kind: ParticipantKind
        public var track: Track
        public var institution: String?
        public var count: Int
    }

    public var phases: [PhaseRecord]
    public var services: [TargetedService]
    public var participants: [ParticipantGroup]
    public var sessions: [(phase: String, session: LabSessionRecord)]
}

/// Everything the lab output document of a service says, read in one snapshot.
public struct LabDocumentContent: Sendable {
    public var map: ServiceMap
    public var stage: Stage
    public var revision: RevisionRecord
    public var lab: LabState
    public var phase: PhaseRecord
    public var sessions: [LabSessionRecord]
    /// People who acted on the service, by name, with their roles.
    public var people: [(name: String, roles: [LabRole])]
    public var painPoints: [PainPointRecord]
    public var improvements: [ImprovementItem]
    public var reviews: [ReviewRecord]
    public var signOffs: [SignOffRecord]
    /// Institutions of the future path that have not signed the latest revision.
    public var awaitingSignOff: [String]
}
