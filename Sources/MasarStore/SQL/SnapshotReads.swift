import Foundation
import MasarCore

/// The snapshots reports are made from, each read in one transaction.
extension SQLLabStore {
    /// Every phase's targeted services with their stage and map, participants and sessions.
    public func programmeSnapshot(phase: String?) async throws -> ProgrammeSnapshot {
        try await read { db in
            if let phase { _ = try self.phase(db, phase) }
            let phases = try db.records(PhaseRecord.self, "SELECT * FROM phase ORDER BY startsOn, name")
            let names = Dictionary(uniqueKeysWithValues: phases.map { ($0.id!, $0.name) })
            let stages = Dictionary(uniqueKeysWithValues: try db.rows("SELECT id, stage FROM labService")
                .map { (row: SQLRow) in (row["id"] as String, row["stage"] as Stage) })
            var summaries: [String: ServiceSummary] = [:]
            for row in try db.rows("""
                SELECT labServiceId, summary FROM revision WHERE id IN (SELECT MAX(id) FROM revision GROUP BY labServiceId)
                """) {
                let id: String = row["labServiceId"]
                if let json: String = row["summary"] {
                    summaries[id] = try JSONDecoder().decode(ServiceSummary.self, from: Data(json.utf8))
                } else { // imported before summaries were kept
                    summaries[id] = ServiceSummary(try self.latest(db, id).0)
                }
            }
            let services = try db.rows("SELECT phaseId, serviceId FROM phaseTarget ORDER BY phaseId, serviceId")
                .map { (row: SQLRow) -> ProgrammeSnapshot.TargetedService in
                    let id: String = row["serviceId"]
                    return .init(id: id, phase: names[row["phaseId"]] ?? "", stage: stages[id], summary: summaries[id])
                }
            let labPhase = Dictionary(uniqueKeysWithValues: try db.records(LabRecord.self, "SELECT * FROM lab").map { ($0.id!, names[$0.phaseId] ?? "") })
            return ProgrammeSnapshot(
                phases: phases, services: services,
                participants: try db.rows("""
                    SELECT phaseId, kind, track, institution, COUNT(*) AS count FROM participant
                    GROUP BY phaseId, kind, track, institution
                    """).map { (row: SQLRow) in
                        .init(phase: names[row["phaseId"]] ?? "", kind: row["kind"], track: row["track"],
                              institution: row["institution"], count: row["count"])
                    },
                sessions: try db.records(LabSessionRecord.self, "SELECT * FROM labSession ORDER BY id").map { (labPhase[$0.labId] ?? "", $0) })
        }
    }

    /// A service's sign-offs, oldest first, each with the audit head recorded at it.
    public func signOffs(service id: String) async throws -> [SignOffRecord] {
        try await read { db in try self.signOffs(db, id) }
    }

    func signOffs(_ db: any SQLDatabase, _ id: String) throws -> [SignOffRecord] {
        try db.records(SignOffRecord.self, "SELECT * FROM signOff WHERE labServiceId = ? ORDER BY id", arguments: [id])
    }

    /// The content of a service's lab output document.
    public func documentContent(service id: String) async throws -> LabDocumentContent {
        try await read { db in
            let service = try self.service(db, id)
            let (map, revision) = try self.latest(db, id)
            let lab = try self.labOf(db, service: id)
            let phase = try db.record(PhaseRecord.self, "SELECT * FROM phase WHERE id = ?", arguments: [lab.phase])!
            var roles: [String: [LabRole]] = [:]
            var order = lab.facilitators.sorted()
            for name in order { roles[name] = [.facilitator] }
            // Staff who acted on the service; community members are counted, never named, in a signed document.
            for entry in try db.records(AuditEntry.self, "SELECT * FROM auditEntry WHERE serviceId = ? ORDER BY id", arguments: [id]) where entry.role != .community {
                if roles[entry.who] == nil { order.append(entry.who) }
                if !(roles[entry.who] ?? []).contains(entry.role) { roles[entry.who, default: []].append(entry.role) }
            }
            let signOffs = try self.signOffs(db, id)
            let signed = Set(signOffs.filter { $0.revisionId == revision.id }.map(\.institution))
            return LabDocumentContent(
                map: map, stage: service.stage, revision: revision, lab: lab, phase: phase,
                sessions: try db.records(LabSessionRecord.self, "SELECT * FROM labSession WHERE labId = ? ORDER BY heldOn, id", arguments: [lab.id]),
                people: order.map { ($0, roles[$0] ?? []) },
                painPoints: try db.records(PainPointRecord.self, """
                    SELECT * FROM painPoint WHERE labServiceId = ? AND \(publishedOnly) ORDER BY stepId, id
                    """, arguments: [id]),
                improvements: try self.improvements(db, id),
                reviews: try db.records(ReviewRecord.self, "SELECT * FROM review WHERE labServiceId = ? ORDER BY id", arguments: [id]),
                signOffs: signOffs,
                awaitingSignOff: ServiceState.awaitingSignOff(map, signed: signed))
        }
    }
}
