import MasarCore

extension SQLLabStore {
    /// The results of a vote, the same for everyone: hidden until the close unless the vote shows
    /// them live, and without a split below `LabRules.fewestBallotsForASplit` ballots. Ballots and
    /// turnout count verified participants only (only they can cast one).
    public func results(vote voteID: Int64) async throws -> VoteResults {
        try await sealDueVotes()
        return try await read { db in
            let vote = try self.vote(db, voteID)
            let now = self.now()
            if let refusal = LabRules.seeResults(vote.terms, now: now) { throw refusal }
            let closed = vote.terms.isClosed(at: now)
            let texts: [Int64: LocalizedText] = vote.mode == .poll
                ? Dictionary(uniqueKeysWithValues: try db.records(VoteOptionRecord.self, "SELECT * FROM voteOption WHERE voteId = ?",
                                                                 arguments: [voteID]).map { ($0.id!, $0.text) })
                : Dictionary(uniqueKeysWithValues: try db.records(ImprovementRecord.self, "SELECT * FROM improvement WHERE labServiceId = ?",
                                                                 arguments: [vote.labServiceId]).map { ($0.id!, $0.text) })
            let ballots = Dictionary(uniqueKeysWithValues: try db.rows("""
                SELECT choice, total FROM voteTotal WHERE voteId = ? AND total > 0
                """, arguments: [voteID]).map { (row: SQLRow) in (row["choice"] as Int64, row["total"] as Int) })
            let tallies = Dictionary(uniqueKeysWithValues: try db.rows("""
                SELECT choice, CAST(SUM(count) AS BIGINT) AS total FROM tally WHERE voteId = ? GROUP BY choice
                """, arguments: [voteID]).map { (row: SQLRow) in (row["choice"] as Int64, row["total"] as Int) })
            let cast = try db.count("SELECT COUNT(*) FROM ballot WHERE voteId = ?", arguments: [voteID])
            let phase = try db.value(Int64.self, "SELECT l.phaseId FROM labService s JOIN lab l ON l.id = s.labId WHERE s.id = ?",
                                     arguments: [vote.labServiceId])
            let registered = try db.count("SELECT COUNT(*) FROM participant WHERE phaseId = ? AND verification IS NOT NULL",
                                          arguments: [phase])
            // Support: the share of ballots that support the choice ("82% in favour");
            // dots and polls: the share of all dots or answers given.
            let whole = vote.mode == .support ? cast : ballots.values.reduce(0, +)
            let choices = Set(texts.keys.filter { vote.mode == .poll || ballots[$0] != nil || tallies[$0] != nil })
                .union(ballots.keys).union(tallies.keys)
            let lines = choices.map { choice in
                VoteResults.Line(choice: choice, text: texts[choice] ?? LocalizedText(en: "#\(choice)", ar: "#\(choice)"), ballots: ballots[choice] ?? 0,
                                 tallies: tallies[choice] ?? 0, combined: (ballots[choice] ?? 0) + (tallies[choice] ?? 0),
                                 share: whole > 0 ? Double(ballots[choice] ?? 0) / Double(whole) : 0)
            }.sorted { ($0.combined, $0.ballots, -$0.choice) > ($1.combined, $1.ballots, -$1.choice) }
            let split = LabRules.showsSplit(ballots: cast)
            return VoteResults(vote: voteID, mode: vote.mode, question: vote.question, closed: closed, lines: split ? lines : [],
                               splitShown: split, ballotsCast: cast, registered: registered,
                               turnout: registered > 0 ? Double(cast) / Double(registered) : 0)
        }
    }

    /// Accepts an improvement as chosen by a closed vote, linking the two.
    public func acceptFromVote(_ improvementID: Int64, vote voteID: Int64, by member: Member) async throws {
        try await write { db in
            let vote = try self.vote(db, voteID)
            var improvement = try self.improvement(db, improvementID)
            let service = try self.state(db, vote.labServiceId)
            if let refusal = LabRules.acceptFromVote(improvementID, vote.terms,
                                                     wasOnVote: try self.choiceIDs(db, vote).contains(improvementID),
                                                     of: service, now: self.now(), by: member) { throw refusal }
            improvement.status = .accepted
            improvement.chosenByVoteId = voteID
            try db.update(improvement)
            try self.audit(db, member, service: vote.labServiceId, action: .decideImprovement,
                           note: "#\(improvementID) accepted on the result of vote #\(voteID)")
        }
    }
}
