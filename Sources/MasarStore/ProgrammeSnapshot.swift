import Foundation
import GRDB
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

extension AppDatabase {
    /// Every phase's targeted services with their stage and map, participants and sessions.
    public func programmeSnapshot() throws -> ProgrammeSnapshot {
        try read { db in
            let phases = try PhaseRecord.order(Column("startsOn"), Column("name")).fetchAll(db)
            let names = Dictionary(uniqueKeysWithValues: phases.map { ($0.id!, $0.name) })
            let stages = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, stage FROM labService")
                .map { (row: Row) in (row["id"] as String, row["stage"] as Stage) })
            var summaries: [String: ServiceSummary] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT labServiceId, summary FROM revision WHERE id IN (SELECT MAX(id) FROM revision GROUP BY labServiceId)
                """) {
                let id: String = row["labServiceId"]
                if let json: String = row["summary"] {
                    summaries[id] = try JSONDecoder().decode(ServiceSummary.self, from: Data(json.utf8))
                } else { // imported before summaries were kept
                    summaries[id] = ServiceSummary(try self.latest(db, id).0)
                }
            }
            let services = try Row.fetchAll(db, sql: "SELECT phaseId, serviceId FROM phaseTarget ORDER BY phaseId, serviceId")
                .map { (row: Row) -> ProgrammeSnapshot.TargetedService in
                    let id: String = row["serviceId"]
                    return .init(id: id, phase: names[row["phaseId"]] ?? "", stage: stages[id], summary: summaries[id])
                }
            let labPhase = Dictionary(uniqueKeysWithValues: try LabRecord.fetchAll(db).map { ($0.id!, names[$0.phaseId] ?? "") })
            return ProgrammeSnapshot(
                phases: phases, services: services,
                participants: try Row.fetchAll(db, sql: """
                    SELECT phaseId, kind, track, institution, COUNT(*) AS count FROM participant
                    GROUP BY phaseId, kind, track, institution
                    """).map { (row: Row) in
                        .init(phase: names[row["phaseId"]] ?? "", kind: row["kind"], track: row["track"],
                              institution: row["institution"], count: row["count"])
                    },
                sessions: try LabSessionRecord.fetchAll(db).map { (labPhase[$0.labId] ?? "", $0) })
        }
    }
}
