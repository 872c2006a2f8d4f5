import GRDB
import MasarCore

/// Everything the lab output document of a service says, read in one snapshot.
public struct LabDocumentContent: Sendable {
    public var map: ServiceMap
    public var stage: Stage
    public var revision: RevisionRecord
    public var lab: LabRecord
    public var phase: PhaseRecord
    public var sessions: [LabSessionRecord]
    /// People who acted on the service, by name, with their roles.
    public var people: [(name: String, roles: [LabRole])]
    public var painPoints: [PainPointRecord]
    public var improvements: [(improvement: ImprovementRecord, addresses: [Int64])]
    public var reviews: [ReviewRecord]
    public var signOffs: [SignOffRecord]
    /// Institutions of the future path that have not signed the latest revision.
    public var awaitingSignOff: [String]
}

extension AppDatabase {
    /// The content of a service's lab output document.
    public func documentContent(service id: String) throws -> LabDocumentContent {
        let improvements = try improvements(service: id)
        return try read { db in
            let service = try self.service(db, id)
            let (map, revision) = try self.latest(db, id)
            guard let lab = try LabRecord.fetchOne(db, key: service.labId),
                  let phase = try PhaseRecord.fetchOne(db, key: lab.phaseId)
            else { throw Refusal("service '\(id)' has no lab") }
            var roles: [String: [LabRole]] = [:]
            var order: [String] = [lab.facilitator]
            roles[lab.facilitator] = [.facilitator]
            for entry in try AuditEntry.filter(Column("serviceId") == id).order(Column("id")).fetchAll(db) {
                if roles[entry.who] == nil { order.append(entry.who) }
                if !(roles[entry.who] ?? []).contains(entry.role) { roles[entry.who, default: []].append(entry.role) }
            }
            let signOffs = try SignOffRecord.filter(Column("labServiceId") == id).order(Column("id")).fetchAll(db)
            let signed = Set(signOffs.filter { $0.revisionId == revision.id }.map(\.institution))
            return LabDocumentContent(
                map: map, stage: service.stage, revision: revision, lab: lab, phase: phase,
                sessions: try LabSessionRecord.filter(Column("labId") == lab.id!).order(Column("heldOn")).fetchAll(db),
                people: order.map { ($0, roles[$0] ?? []) },
                painPoints: try PainPointRecord.filter(Column("labServiceId") == id).order(Column("stepId"), Column("id")).fetchAll(db),
                improvements: improvements,
                reviews: try ReviewRecord.filter(Column("labServiceId") == id).order(Column("id")).fetchAll(db),
                signOffs: signOffs,
                awaitingSignOff: Self.owners(map).subtracting(signed).sorted())
        }
    }
}
