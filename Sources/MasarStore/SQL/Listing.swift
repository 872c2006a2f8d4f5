import MasarCore

/// The lists facilitators read, each one query.
extension SQLLabStore {
    public func phases() async throws -> [PhaseRecord] {
        try await read { db in try db.records(PhaseRecord.self, "SELECT * FROM phase ORDER BY startsOn, name") }
    }

    public func labs() async throws -> [LabState] {
        try await read { db in try db.records(LabRecord.self, "SELECT * FROM lab ORDER BY name").map { try self.labState(db, $0) } }
    }

    public func sessions(lab: String?) async throws -> [LabSessionRecord] {
        try await read { db in
            if let lab {
                return try db.records(LabSessionRecord.self, "SELECT * FROM labSession WHERE labId = ? ORDER BY heldOn, id",
                                      arguments: [try self.lab(db, lab).id])
            }
            return try db.records(LabSessionRecord.self, "SELECT * FROM labSession ORDER BY heldOn, id")
        }
    }

    public func painPoints(service id: String) async throws -> [PainPointRecord] {
        try await read { db in
            _ = try self.service(db, id)
            return try db.records(PainPointRecord.self, "SELECT * FROM painPoint WHERE labServiceId = ? AND \(publishedOnly) ORDER BY id",
                                  arguments: [id])
        }
    }

    public func improvements(service id: String) async throws -> [ImprovementItem] {
        try await read { db in try self.improvements(db, id) }
    }

    func improvements(_ db: any SQLDatabase, _ id: String) throws -> [ImprovementItem] {
        _ = try service(db, id)
        return try items(db, try db.records(ImprovementRecord.self, """
            SELECT * FROM improvement WHERE labServiceId = ? AND \(publishedOnly) ORDER BY id
            """, arguments: [id]))
    }

    /// Improvements with the pain points each addresses.
    private func items(_ db: any SQLDatabase, _ improvements: [ImprovementRecord]) throws -> [ImprovementItem] {
        try improvements.map { item in
            ImprovementItem(improvement: item, addresses: try db.values(Int64.self, """
                SELECT painPointId FROM improvementPainPoint WHERE improvementId = ? ORDER BY painPointId
                """, arguments: [item.id!]))
        }
    }

    public func unpublished(service id: String, for member: Member) async throws -> Contributions {
        try await read { db in
            let reader = try LabRules.readsUnpublished(try self.state(db, id), by: member).get()
            // A community member's own: by the participant their code names (none, if it names nobody).
            let own = reader == .own ? try self.participantID(db, member) ?? -1 : nil
            func unread<Record: StoredRecord>(_ type: Record.Type) throws -> [Record] {
                try db.records(type, """
                    SELECT * FROM \(type.tableName) WHERE labServiceId = ? AND NOT \(publishedOnly)
                    AND (CAST(? AS BIGINT) IS NULL OR participantId = ?) ORDER BY id
                    """, arguments: [id, own, own])
            }
            return Contributions(painPoints: try unread(PainPointRecord.self),
                                 improvements: try self.items(db, unread(ImprovementRecord.self)))
        }
    }

    public func services(lab id: Int64) async throws -> [String] {
        try await read { db in try db.values(String.self, "SELECT id FROM labService WHERE labId = ? ORDER BY id", arguments: [id]) }
    }

    /// A service's votes, newest first.
    public func votes(service id: String) async throws -> [VoteRecord] {
        try await read { db in try db.records(VoteRecord.self, "SELECT * FROM vote WHERE labServiceId = ? ORDER BY id DESC", arguments: [id]) }
    }

    /// The votes a participant can take part in: those on services of their phase, newest first.
    public func votes(phase: Int64) async throws -> [VoteRecord] {
        try await read { db in
            try db.records(VoteRecord.self, """
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
                ? try db.rows("SELECT id, textEn, textAr FROM voteOption WHERE voteId = ? ORDER BY id", arguments: [id])
                : try db.rows("""
                    SELECT i.id, i.textEn, i.textAr FROM voteChoice c JOIN improvement i ON i.id = c.improvementId
                    WHERE c.voteId = ? ORDER BY i.id
                    """, arguments: [id])
            return rows.map { VoteChoice(id: $0["id"], text: LocalizedText(en: $0["textEn"], ar: $0["textAr"])) }
        }
    }
}
