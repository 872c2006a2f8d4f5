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

    /// The services a lab works on, by id.
    public func services(lab id: Int64) throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT id FROM labService WHERE labId = ? ORDER BY id", arguments: [id]) }
    }

    /// A service's votes, newest first.
    public func votes(service id: String) throws -> [VoteRecord] {
        try read { db in try VoteRecord.filter(Column("labServiceId") == id).order(Column("id").desc).fetchAll(db) }
    }

    /// The votes a participant can take part in: those on services of their phase, newest first.
    public func votes(phase: Int64) throws -> [VoteRecord] {
        try read { db in
            try VoteRecord.fetchAll(db, sql: """
                SELECT v.* FROM vote v JOIN labService s ON s.id = v.labServiceId JOIN lab l ON l.id = s.labId
                WHERE l.phaseId = ? ORDER BY v.id DESC
                """, arguments: [phase])
        }
    }

    public func vote(_ id: Int64) throws -> VoteRecord {
        try read { db in try self.vote(db, id) }
    }

    /// What a vote's ballots choose among — proposed improvements or the poll's options — with their texts.
    public func choices(vote id: Int64) throws -> [(id: Int64, text: String)] {
        try read { db in
            let vote = try self.vote(db, id)
            let valid = try self.choices(db, vote)
            let rows = vote.mode == .poll
                ? try Row.fetchAll(db, sql: "SELECT id, text FROM voteOption WHERE voteId = ? ORDER BY id", arguments: [id])
                : try Row.fetchAll(db, sql: "SELECT id, text FROM improvement WHERE labServiceId = ? ORDER BY id",
                                   arguments: [vote.labServiceId])
            return rows.map { (id: $0["id"] as Int64, text: $0["text"] as String) }.filter { valid.contains($0.id) }
        }
    }
}
