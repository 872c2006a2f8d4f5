import GRDB
import MasarCore

/// The lists facilitators read, each one query.
extension SQLiteLabStore {
    public func phases() async throws -> [PhaseRecord] {
        try await read { db in try PhaseRecord.order(Column("startsOn"), Column("name")).fetchAll(db) }
    }

    public func labs() async throws -> [LabState] {
        try await read { db in try LabRecord.order(Column("name")).fetchAll(db).map { try self.labState(db, $0) } }
    }

    public func sessions(lab: String?) async throws -> [LabSessionRecord] {
        try await read { db in
            var request = LabSessionRecord.order(Column("heldOn"))
            if let lab { request = request.filter(Column("labId") == (try self.lab(db, lab)).id) }
            return try request.fetchAll(db)
        }
    }

    public func painPoints(service id: String) async throws -> [PainPointRecord] {
        try await read { db in
            _ = try self.service(db, id)
            return try PainPointRecord.all().of(service: id).published().order(Column("id")).fetchAll(db)
        }
    }

    public func improvements(service id: String) async throws -> [ImprovementItem] {
        try await read { db in try self.improvements(db, id) }
    }

    func improvements(_ db: Database, _ id: String) throws -> [ImprovementItem] {
        _ = try service(db, id)
        return try items(db, ImprovementRecord.all().of(service: id).published())
    }

    /// Improvements with the pain points each addresses.
    private func items(_ db: Database, _ request: QueryInterfaceRequest<ImprovementRecord>) throws -> [ImprovementItem] {
        try request.order(Column("id")).fetchAll(db).map { item in
            ImprovementItem(improvement: item, addresses: try Int64.fetchAll(db, sql: """
                SELECT painPointId FROM improvementPainPoint WHERE improvementId = ? ORDER BY painPointId
                """, arguments: [item.id!]))
        }
    }

    public func unpublished(service id: String, for member: Member) async throws -> Contributions {
        try await read { db in
            let reader = try LabRules.readsUnpublished(try self.state(db, id), by: member).get()
            // A community member's own: by the participant their code names (none, if it names nobody).
            let own = reader == .own ? try self.participantID(db, member) ?? -1 : nil
            func mine<Record>(_ request: QueryInterfaceRequest<Record>) -> QueryInterfaceRequest<Record> {
                own.map { request.filter(Column("participantId") == $0) } ?? request
            }
            return Contributions(painPoints: try mine(PainPointRecord.all().of(service: id).unpublished()).order(Column("id")).fetchAll(db),
                                 improvements: try self.items(db, mine(ImprovementRecord.all().of(service: id).unpublished())))
        }
    }

    public func services(lab id: Int64) async throws -> [String] {
        try await read { db in try String.fetchAll(db, sql: "SELECT id FROM labService WHERE labId = ? ORDER BY id", arguments: [id]) }
    }

    /// A service's votes, newest first.
    public func votes(service id: String) async throws -> [VoteRecord] {
        try await read { db in try VoteRecord.filter(Column("labServiceId") == id).order(Column("id").desc).fetchAll(db) }
    }

    /// The votes a participant can take part in: those on services of their phase, newest first.
    public func votes(phase: Int64) async throws -> [VoteRecord] {
        try await read { db in
            try VoteRecord.fetchAll(db, sql: """
                SELECT v.* FROM vote v JOIN labService s ON s.id = v.labServiceId JOIN lab l ON l.id = s.labId
                WHERE l.phaseId = ? ORDER BY v.id DESC
                """, arguments: [phase])
        }
    }

    public func vote(_ id: Int64) async throws -> VoteRecord {
        try await read { db in try self.vote(db, id) }
    }

    public func voteLab(_ id: Int64) async throws -> LabState {
        try await read { db in try self.voteLab(db, try self.vote(db, id)) }
    }

    public func choices(vote id: Int64) async throws -> [VoteChoice] {
        try await read { db in
            let vote = try self.vote(db, id)
            let rows = vote.mode == .poll
                ? try Row.fetchAll(db, sql: "SELECT id, textEn, textAr FROM voteOption WHERE voteId = ? ORDER BY id", arguments: [id])
                : try Row.fetchAll(db, sql: """
                    SELECT i.id, i.textEn, i.textAr FROM voteChoice c JOIN improvement i ON i.id = c.improvementId
                    WHERE c.voteId = ? ORDER BY i.id
                    """, arguments: [id])
            return rows.map { VoteChoice(id: $0["id"], text: LocalizedText(en: $0["textEn"], ar: $0["textAr"])) }
        }
    }
}
