import GRDB
import MasarCore

/// A vote's results: per choice, the ballots and the show-of-hands tallies, apart and
/// combined; shares; turnout; ranking. No participant appears in them (secret ballot).
public struct VoteResults: Codable, Equatable, Sendable {
    public struct Line: Codable, Equatable, Sendable {
        /// The improvement or option.
        public var choice: Int64
        public var text: String
        /// Ballots (support, poll) or dots (dots) from registered participants.
        public var ballots: Int
        /// Show-of-hands counts from sessions.
        public var tallies: Int
        /// Ballots and tallies together, shown apart from both, never merged into either.
        public var combined: Int
        /// Share of all that registered participants gave (support: of ballots cast).
        public var share: Double
    }

    public var vote: Int64
    public var mode: VoteMode
    public var question: String
    public var closed: Bool
    /// Best first: by combined count, then by ballots, then by choice.
    public var lines: [Line]
    public var ballotsCast: Int
    public var registered: Int
    /// Ballots cast ÷ participants registered for the phase.
    public var turnout: Double
}

extension AppDatabase {
    /// The results of a vote. Hidden until the vote closes when the vote says so, except to a
    /// facilitator.
    public func results(vote voteID: Int64, for member: LabMember? = nil) throws -> VoteResults {
        try read { db in
            let vote = try self.vote(db, voteID)
            let closed = vote.isClosed(at: self.now())
            if vote.hideResults, !closed, member?.role != .facilitator {
                throw Refusal("the results of vote #\(voteID) are hidden until it closes")
            }
            let texts: [Int64: String] = vote.mode == .poll
                ? Dictionary(uniqueKeysWithValues: try VoteOptionRecord.filter(Column("voteId") == voteID).fetchAll(db).map { ($0.id!, $0.text) })
                : Dictionary(uniqueKeysWithValues: try ImprovementRecord.filter(Column("labServiceId") == vote.labServiceId).fetchAll(db).map { ($0.id!, $0.text) })
            let ballots = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                SELECT choice, total FROM voteTotal WHERE voteId = ? AND total > 0
                """, arguments: [voteID]).map { (row: Row) in (row["choice"] as Int64, row["total"] as Int) })
            let tallies = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                SELECT choice, SUM(count) AS total FROM tally WHERE voteId = ? GROUP BY choice
                """, arguments: [voteID]).map { (row: Row) in (row["choice"] as Int64, row["total"] as Int) })
            let cast = try BallotRecord.filter(Column("voteId") == voteID).fetchCount(db)
            let phase = try Int64.fetchOne(db, sql: "SELECT l.phaseId FROM labService s JOIN lab l ON l.id = s.labId WHERE s.id = ?",
                                           arguments: [vote.labServiceId])
            let registered = try ParticipantRecord.filter(Column("phaseId") == phase).fetchCount(db)
            // Support: the share of ballots that support the choice ("82% in favour");
            // dots and polls: the share of all dots or answers given.
            let whole = vote.mode == .support ? cast : ballots.values.reduce(0, +)
            let choices = Set(texts.keys.filter { vote.mode == .poll || ballots[$0] != nil || tallies[$0] != nil })
                .union(ballots.keys).union(tallies.keys)
            let lines = choices.map { choice in
                VoteResults.Line(choice: choice, text: texts[choice] ?? "#\(choice)", ballots: ballots[choice] ?? 0,
                                 tallies: tallies[choice] ?? 0, combined: (ballots[choice] ?? 0) + (tallies[choice] ?? 0),
                                 share: whole > 0 ? Double(ballots[choice] ?? 0) / Double(whole) : 0)
            }.sorted { ($0.combined, $0.ballots, -$0.choice) > ($1.combined, $1.ballots, -$1.choice) }
            return VoteResults(vote: voteID, mode: vote.mode, question: vote.question, closed: closed, lines: lines,
                               ballotsCast: cast, registered: registered,
                               turnout: registered > 0 ? Double(cast) / Double(registered) : 0)
        }
    }

    /// Accepts an improvement as chosen by a closed vote, linking the two.
    public func acceptFromVote(_ improvementID: Int64, vote voteID: Int64, by member: LabMember) throws {
        try require(member, .decideImprovement)
        try write { db in
            let vote = try self.vote(db, voteID)
            guard vote.mode != .poll else { throw Refusal("a poll chooses no improvement") }
            guard vote.isClosed(at: self.now()) else {
                throw Refusal("vote #\(voteID) is still open; close it before acting on its result")
            }
            guard var improvement = try ImprovementRecord.fetchOne(db, key: improvementID),
                  improvement.labServiceId == vote.labServiceId
            else { throw Refusal("improvement #\(improvementID) was not on vote #\(voteID)") }
            improvement.status = .accepted
            improvement.chosenByVoteId = voteID
            try improvement.update(db)
            try self.audit(db, member, service: vote.labServiceId, action: "decide improvement",
                           note: "#\(improvementID) accepted on the result of vote #\(voteID)")
        }
    }
}
