import Foundation
import GRDB
import MasarCore

/// Participants and votes (DESIGN "Participation and voting"). One ballot per participant
/// per vote is held by the database (a unique key), the dots budget and cap by a trigger, and
/// closed votes by triggers; the checks here say the same rules first in words.
extension AppDatabase {
    /// Registers a participant for a phase and gives them a registration code.
    @discardableResult
    public func registerParticipant(phase: String, name: String, track: Track, kind: ParticipantKind,
                                    institution: String? = nil, by member: LabMember) throws -> ParticipantRecord {
        try registerParticipants([NewParticipant(name: name, track: track, kind: kind, institution: institution)],
                                 phase: phase, by: member)[0]
    }

    /// Registers many participants in one transaction: all of them, or none.
    @discardableResult
    public func registerParticipants(_ people: [NewParticipant], phase: String,
                                     by member: LabMember) throws -> [ParticipantRecord] {
        try require(member, .registerParticipants)
        for person in people {
            if let problem = Self.problem(with: person) { throw Refusal(problem) }
        }
        return try write { db in
            let phase = try self.phase(db, phase)
            return try people.map { try self.insertParticipant($0, phase: phase.id!, db) }
        }
    }

    /// What keeps a person from being registered, or nil.
    static func problem(with person: NewParticipant) -> String? {
        if person.name.allSatisfy(\.isWhitespace) { return "a participant needs a name" }
        if person.kind == .institution, person.institution?.allSatisfy(\.isWhitespace) ?? true {
            return "an institution representative needs their institution"
        }
        if person.kind == .community, person.institution != nil {
            return "a community member speaks for no institution; register them as an institution representative"
        }
        return nil
    }

    /// Inserts one participant with a fresh registration code.
    func insertParticipant(_ person: NewParticipant, phase: Int64, _ db: Database) throws -> ParticipantRecord {
        var participant = ParticipantRecord(phaseId: phase, code: Self.registrationCode(), name: person.name,
                                            track: person.track, kind: person.kind,
                                            institution: person.institution, registeredAt: self.now())
        // 31⁸ codes: a clash is rare, and the unique key catches it; draw again then.
        while true {
            do {
                try participant.insert(db)
                return participant
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT
                && error.message?.contains("participant.code") == true {
                participant.code = Self.registrationCode()
            }
        }
    }

    /// The participants of a phase, by name.
    public func participants(phase: String) throws -> [ParticipantRecord] {
        try read { db in
            let phase = try self.phase(db, phase)
            return try ParticipantRecord.filter(Column("phaseId") == phase.id!).order(Column("name"), Column("id")).fetchAll(db)
        }
    }

    /// Opens a vote on a service's proposed improvements (`support`, `dots`) or a poll with
    /// its own options, for a window.
    @discardableResult
    public func openVote(service id: String, mode: VoteMode, question: String, opensAt: Date, closesAt: Date,
                         supportLimit: Int? = nil, dotBudget: Int? = nil, dotCap: Int? = nil, options: [String] = [],
                         hideResults: Bool = false, by member: LabMember) throws -> VoteRecord {
        try require(member, .openVote)
        guard opensAt < closesAt else { throw Refusal("a vote must close after it opens") }
        switch mode {
        case .support:
            guard let supportLimit, supportLimit >= 1 else { throw Refusal("a support vote needs a limit of at least 1") }
        case .dots:
            guard let dotBudget, let dotCap, dotBudget >= 1, (1...dotBudget).contains(dotCap) else {
                throw Refusal("a dots vote needs a budget of at least 1 and a cap from 1 to the budget")
            }
        case .poll:
            guard options.count >= 2 else { throw Refusal("a poll needs at least two options") }
        }
        return try write { db in
            let service = try self.service(db, id)
            guard service.stage == .futureDesign else {
                throw Refusal("votes on improvements run in the future-design stage; '\(id)' is in \(service.stage.rawValue)")
            }
            if mode != .poll {
                let proposed = try ImprovementRecord.filter(Column("labServiceId") == id && Column("status") == ImprovementStatus.proposed).fetchCount(db)
                guard proposed >= 1 else { throw Refusal("'\(id)' has no proposed improvement to vote on") }
            }
            var vote = VoteRecord(labServiceId: id, mode: mode, question: question, opensAt: opensAt, closesAt: closesAt,
                                  closedAt: nil, supportLimit: mode == .support ? supportLimit : nil,
                                  dotBudget: mode == .dots ? dotBudget : nil, dotCap: mode == .dots ? dotCap : nil,
                                  hideResults: hideResults)
            try vote.insert(db)
            for text in options where mode == .poll {
                var option = VoteOptionRecord(voteId: vote.id!, text: text)
                try option.insert(db)
            }
            try self.audit(db, member, service: id, action: "open vote", note: "#\(vote.id!) \(mode.rawValue): \(question)")
            return vote
        }
    }

    /// Casts, or changes, a participant's ballot while the vote is open: `choices` maps an
    /// improvement (support, dots) or an option (poll) to its weight (dots; 1 otherwise).
    public func castBallot(vote voteID: Int64, participant code: String, choices: [Int64: Int],
                           origin: BallotOrigin, by member: LabMember) throws {
        if origin == .inPerson { try require(member, .recordInPersonBallot) }
        try write { db in
            try self.cast(db, in: try self.ballotContext(db, voteID), participant: code, choices: choices, origin: origin)
        }
    }

    /// What every ballot of a vote is checked against: the vote (open now), its phase and its choices.
    struct BallotContext {
        var vote: VoteRecord
        var phase: Int64
        var valid: Set<Int64>
    }

    func ballotContext(_ db: Database, _ voteID: Int64) throws -> BallotContext {
        let vote = try openVote(db, voteID)
        let phase = try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT l.phaseId FROM labService s JOIN lab l ON l.id = s.labId WHERE s.id = ?
            """), arguments: [vote.labServiceId])!
        return BallotContext(vote: vote, phase: phase, valid: try choices(db, vote))
    }

    /// Casts, or changes, one ballot inside the caller's transaction. The statements are cached:
    /// this is the path every online ballot takes, so it stays a handful of indexed lookups.
    /// Every refusal comes before the first write, so a refused ballot leaves nothing behind.
    func cast(_ db: Database, in context: BallotContext, participant code: String, choices: [Int64: Int],
              origin: BallotOrigin) throws {
        let voteID = context.vote.id!
        let participant = try self.participant(db, code: code, in: context)
        if let problem = Self.problem(with: choices, in: context.vote, valid: context.valid) { throw Refusal(problem) }
        let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, origin FROM ballot WHERE voteId = ? AND participantId = ?"),
                                        arguments: [voteID, participant])
        if let existing, existing["origin"] as String != origin.rawValue {
            throw Refusal("\(code) already has a ballot \(origin == .inPerson ? "cast online" : "recorded in person") in vote #\(voteID); one ballot per participant")
        }
        let ballot: Int64
        if let existing {
            // A change keeps the ballot and replaces its choices (the running totals follow by trigger).
            ballot = existing["id"]
            try db.cachedStatement(sql: "DELETE FROM ballotChoice WHERE ballotId = ?").execute(arguments: [ballot])
            try db.cachedStatement(sql: "UPDATE ballot SET castAt = ? WHERE id = ?").execute(arguments: [now(), ballot])
        } else {
            try db.cachedStatement(sql: "INSERT INTO ballot (voteId, participantId, origin, castAt) VALUES (?, ?, ?, ?)")
                .execute(arguments: [voteID, participant, origin.rawValue, now()])
            ballot = db.lastInsertedRowID
        }
        let insertChoice = try db.cachedStatement(sql: "INSERT INTO ballotChoice (ballotId, voteId, choice, weight) VALUES (?, ?, ?, ?)")
        for (choice, weight) in choices {
            try insertChoice.execute(arguments: [ballot, voteID, choice, weight])
        }
    }

    /// Casts ballots that participants sent online at about the same time, in one transaction:
    /// each is checked and written as `castBallot` does, and a refused one leaves the others
    /// standing. Many ballots share one durable commit. Should the database itself refuse a
    /// statement (a trigger holding a rule the checks missed), the batch is rolled back and cast
    /// again with each ballot in its own savepoint, so that only that ballot fails.
    public func castOnlineBallots(_ ballots: [OnlineBallot]) throws -> [Refusal?] {
        do {
            return try castOnlineBallots(ballots, savepoints: false)
        } catch is DatabaseError {
            return try castOnlineBallots(ballots, savepoints: true)
        }
    }

    private func castOnlineBallots(_ ballots: [OnlineBallot], savepoints: Bool) throws -> [Refusal?] {
        try write { db in
            var contexts: [Int64: Result<BallotContext, Refusal>] = [:]
            return try ballots.map { ballot in
                do {
                    let context: BallotContext
                    if let known = contexts[ballot.vote] {
                        context = try known.get()
                    } else {
                        do {
                            context = try self.ballotContext(db, ballot.vote)
                            contexts[ballot.vote] = .success(context)
                        } catch let refusal as Refusal {
                            contexts[ballot.vote] = .failure(refusal)
                            throw refusal
                        }
                    }
                    let cast = { try self.cast(db, in: context, participant: ballot.participant, choices: ballot.choices, origin: .online) }
                    if savepoints {
                        do {
                            try db.inSavepoint {
                                try cast()
                                return .commit
                            }
                        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                            throw Refusal(error.message ?? "the database refused the ballot")
                        }
                    } else {
                        try cast()
                    }
                    return nil
                } catch let refusal as Refusal {
                    return refusal
                }
            }
        }
    }

    /// Records many ballots in one transaction (an e-vote's export, a session's paper ballots):
    /// each checked as `castBallot` checks one; all of them, or none.
    public func castBallots(vote voteID: Int64, _ ballots: [(code: String, choices: [Int64: Int])], origin: BallotOrigin,
                            by member: LabMember) throws {
        try require(member, .recordBallots)
        try write { db in
            let vote = try self.openVote(db, voteID)
            let valid = try self.choices(db, vote)
            let phase = try Int64.fetchOne(db, sql: "SELECT l.phaseId FROM labService s JOIN lab l ON l.id = s.labId WHERE s.id = ?",
                                           arguments: [vote.labServiceId])
            let ids = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT code, id FROM participant WHERE phaseId = ?",
                                                                        arguments: [phase]).map { (row: Row) in (row["code"] as String, row["id"] as Int64) })
            let now = self.now()
            for (index, ballot) in ballots.enumerated() {
                guard let participant = ids[ballot.code] else {
                    throw Refusal("ballot \(index + 1): \(ballot.code) is not registered for this vote's phase")
                }
                if let problem = Self.problem(with: ballot.choices, in: vote, valid: valid) {
                    throw Refusal("ballot \(index + 1): \(problem)")
                }
                var record = BallotRecord(voteId: voteID, participantId: participant, origin: origin, castAt: now)
                do {
                    try record.insert(db)
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw Refusal("ballot \(index + 1): \(ballot.code) has a ballot in vote #\(voteID) already; one ballot per participant")
                }
                for (choice, weight) in ballot.choices {
                    try BallotChoiceRecord(ballotId: record.id!, voteId: voteID, choice: choice, weight: weight).insert(db)
                }
            }
            try self.audit(db, member, service: vote.labServiceId, action: "record ballots",
                           note: "\(ballots.count) \(origin.rawValue) ballots in vote #\(voteID)")
        }
    }

    /// Withdraws a participant's ballot while the vote is open.
    public func withdrawBallot(vote voteID: Int64, participant code: String) throws {
        try write { db in
            let participant = try self.participant(db, code: code, in: try self.ballotContext(db, voteID))
            let removed = try BallotRecord.filter(Column("voteId") == voteID && Column("participantId") == participant).deleteAll(db)
            guard removed > 0 else { throw Refusal("\(code) has no ballot in vote #\(voteID)") }
        }
    }

    /// A participant's own ballot: the only output that pairs a participant with a choice.
    public func ballot(vote voteID: Int64, participant code: String) throws -> [Int64: Int]? {
        try read { db in
            guard let participant = try ParticipantRecord.filter(Column("code") == code).fetchOne(db) else {
                throw Refusal("no participant with code \(code)")
            }
            guard let ballot = try BallotRecord.filter(Column("voteId") == voteID && Column("participantId") == participant.id!).fetchOne(db)
            else { return nil }
            let choices = try BallotChoiceRecord.filter(Column("ballotId") == ballot.id!).fetchAll(db)
            return Dictionary(uniqueKeysWithValues: choices.map { ($0.choice, $0.weight) })
        }
    }

    /// Records an anonymous show-of-hands count from a session; kept apart from ballots.
    public func recordTally(vote voteID: Int64, choice: Int64, count: Int, place: String, by member: LabMember) throws {
        try require(member, .recordTally)
        guard count >= 0 else { throw Refusal("a show of hands cannot count fewer than 0") }
        try write { db in
            let vote = try self.vote(db, voteID)
            guard vote.closedAt == nil else { throw Refusal("vote #\(voteID) is closed") }
            guard try self.choices(db, vote).contains(choice) else { throw Refusal("#\(choice) is not a choice of vote #\(voteID)") }
            var tally = TallyRecord(voteId: voteID, choice: choice, count: count, place: place, recordedBy: member.name,
                                    recordedAt: self.now())
            try tally.insert(db)
            try self.audit(db, member, service: vote.labServiceId, action: "show of hands",
                           note: "vote #\(voteID), #\(choice): \(count) at \(place)")
        }
    }

    /// Closes a vote: from now on nothing about its ballots can change.
    public func closeVote(_ voteID: Int64, by member: LabMember) throws {
        try require(member, .closeVote)
        try write { db in
            let vote = try self.vote(db, voteID)
            guard vote.closedAt == nil else { throw Refusal("vote #\(voteID) is closed already") }
            try db.execute(sql: "UPDATE vote SET closedAt = ? WHERE id = ?", arguments: [self.now(), voteID])
            try self.audit(db, member, service: vote.labServiceId, action: "close vote", note: "#\(voteID)")
        }
    }

    // MARK: - Helpers

    /// What is wrong with a ballot's choices under the vote's mode, or nil: the rules of
    /// support, dots and polls, in one place.
    static func problem(with choices: [Int64: Int], in vote: VoteRecord, valid: Set<Int64>) -> String? {
        let unknown = choices.keys.filter { !valid.contains($0) }.sorted()
        guard unknown.isEmpty else { return "\(unknown.map { "#\($0)" }.joined(separator: ", ")) is not a choice of vote #\(vote.id!)" }
        guard !choices.isEmpty, choices.values.allSatisfy({ $0 >= 1 }) else {
            return "a ballot needs at least one choice, each with a weight of 1 or more"
        }
        switch vote.mode {
        case .support:
            guard choices.values.allSatisfy({ $0 == 1 }) else { return "support is given once to each improvement" }
            guard choices.count <= vote.supportLimit! else {
                return "at most \(vote.supportLimit!) improvements can be supported in vote #\(vote.id!)"
            }
        case .dots:
            guard choices.values.allSatisfy({ $0 <= vote.dotCap! }) else { return "at most \(vote.dotCap!) dots on one improvement" }
            let total = choices.values.reduce(0, +)
            guard total <= vote.dotBudget! else { return "\(total) dots is more than the budget of \(vote.dotBudget!)" }
        case .poll:
            guard choices.count == 1, choices.values.first == 1 else { return "a poll takes one answer" }
        }
        return nil
    }

    func vote(_ db: Database, _ id: Int64) throws -> VoteRecord {
        guard let vote = try VoteRecord.fetchOne(db, key: id) else { throw Refusal("no vote #\(id)") }
        return vote
    }

    /// The vote, if it is open now.
    func openVote(_ db: Database, _ voteID: Int64) throws -> VoteRecord {
        let vote = try self.vote(db, voteID)
        let now = self.now()
        guard !vote.isClosed(at: now) else { throw Refusal("vote #\(voteID) is closed") }
        guard vote.isOpen(at: now) else { throw Refusal("vote #\(voteID) is not open yet") }
        return vote
    }

    /// The id of the participant with this code, registered for the phase of the vote.
    func participant(_ db: Database, code: String, in context: BallotContext) throws -> Int64 {
        guard let person = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, phaseId FROM participant WHERE code = ?"),
                                            arguments: [code]) else {
            throw Refusal("no participant with code \(code)")
        }
        guard person["phaseId"] as Int64 == context.phase else { throw Refusal("\(code) is not registered for this vote's phase") }
        return person["id"]
    }

    /// What a ballot may choose: the service's proposed improvements, or the poll's options.
    func choices(_ db: Database, _ vote: VoteRecord) throws -> Set<Int64> {
        vote.mode == .poll
            ? try Int64.fetchSet(db, sql: "SELECT id FROM voteOption WHERE voteId = ?", arguments: [vote.id!])
            : try Int64.fetchSet(db, sql: "SELECT id FROM improvement WHERE labServiceId = ? AND status = 'proposed'",
                                 arguments: [vote.labServiceId])
    }

    /// Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), easy to read aloud.
    static func registrationCode() -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        return String((0..<8).map { _ in alphabet.randomElement()! })
    }
}
