import GRDB
import MasarCore

/// The lists facilitators read, each one query.
extension AppDatabase {
    public func phases() throws -> [PhaseRecord] {
        try read { db in try PhaseRecord.order(Column("startsOn"), Column("name")).fetchAll(db) }
    }

    public func labs() throws -> [LabRecord] {
        try read { db in try LabRecord.order(Column("name")).fetchAll(db) }
    }

    public func sessions(lab: String? = nil) throws -> [LabSessionRecord] {
        try read { db in
            var request = LabSessionRecord.order(Column("heldOn"))
            if let lab { request = request.filter(Column("labId") == (try self.lab(db, lab)).id) }
            return try request.fetchAll(db)
        }
    }

    public func painPoints(service id: String) throws -> [PainPointRecord] {
        try read { db in
            _ = try self.service(db, id)
            return try PainPointRecord.filter(Column("labServiceId") == id).order(Column("id")).fetchAll(db)
        }
    }

    /// Improvements with the pain points each addresses.
    public func improvements(service id: String) throws -> [(improvement: ImprovementRecord, addresses: [Int64])] {
        try read { db in
            _ = try self.service(db, id)
            return try ImprovementRecord.filter(Column("labServiceId") == id).order(Column("id")).fetchAll(db).map { item in
                (item, try Int64.fetchAll(db, sql: "SELECT painPointId FROM improvementPainPoint WHERE improvementId = ? ORDER BY painPointId",
                                          arguments: [item.id!]))
            }
        }
    }

    public func reviews(service id: String) throws -> [ReviewRecord] {
        try read { db in try ReviewRecord.filter(Column("labServiceId") == id).order(Column("id")).fetchAll(db) }
    }

    public func signOffs(service id: String) throws -> [SignOffRecord] {
        try read { db in try SignOffRecord.filter(Column("labServiceId") == id).order(Column("id")).fetchAll(db) }
    }
}
