import Foundation
import GRDB
import MasarCore

/// The snapshots reports are made from, each read in one transaction.
extension SQLiteLabStore {
    /// Every phase's targeted services with their stage and map, participants and sessions.
    public func programmeSnapshot(phase: String?) async throws -> ProgrammeSnapshot {
        try await read { db in
            if let phase { _ = try self.phase(db, phase) }
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

    /// A service's sign-offs, oldest first, each with the audit head recorded at it.
    public func signOffs(service id: String) async throws -> [SignOffRecord] {
        try await read { db in try self.signOffs(db, id) }
    }

    func signOffs(_ db: Database, _ id: String) throws -> [SignOffRecord] {
        try SignOffRecord.filter(Column("labServiceId") == id).order(Column("id")).fetchAll(db)
    }

    /// The content of a service's lab output document.
    public func documentContent(service id: String) async throws -> LabDocumentContent {
        try await read { db in
            let service = try self.service(db, id)
            let (map, revision) = try self.latest(db, id)
            let lab = try self.labOf(db, service: id)
            let phase = try PhaseRecord.fetchOne(db, key: lab.phase)!
            var roles: [String: [LabRole]] = [:]
            var order = lab.facilitators.sorted()
            for name in order { roles[name] = [.facilitator] }
            // Staff who acted on the service; community members are counted, never named, in a signed document.
            for entry in try AuditEntry.filter(Column("serviceId") == id).order(Column("id")).fetchAll(db) where entry.role != .community {
                if roles[entry.who] == nil { order.append(entry.who) }
                if !(roles[entry.who] ?? []).contains(entry.role) { roles[entry.who, default: []].append(entry.role) }
            }
            let signOffs = try self.signOffs(db, id)
            let signed = Set(signOffs.filter { $0.revisionId == revision.id }.map(\.institution))
            return LabDocumentContent(
                map: map, stage: service.stage, revision: revision, lab: lab, phase: phase,
                sessions: try LabSessionRecord.filter(Column("labId") == lab.id).order(Column("heldOn")).fetchAll(db),
                people: order.map { ($0, roles[$0] ?? []) },
                painPoints: try PainPointRecord.all().of(service: id).published().order(Column("stepId"), Column("id")).fetchAll(db),
                improvements: try self.improvements(db, id),
                reviews: try ReviewRecord.filter(Column("labServiceId") == id).order(Column("id")).fetchAll(db),
                signOffs: signOffs,
                awaitingSignOff: ServiceState.awaitingSignOff(map, signed: signed))
        }
    }
}
