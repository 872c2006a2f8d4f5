import Foundation
import MasarCore

/// Participants and votes (DESIGN "Participation and voting"). One ballot per participant per
/// vote is held by the database (a unique key), the dots budget and cap by a trigger, and closed
/// votes by triggers; `LabRules` says the same rules first, with a message.
extension SQLLabStore {
    @discardableResult
    public func registerParticipants(_ people: [NewParticipant], phase: String,
                                     by member: Member) async throws -> [ParticipantRecord] {
        for (index, person) in people.enumerated() {
            if let refusal = LabRules.register(person) { throw people.count > 1 ? refusal.inRow(index + 1) : refusal }
        }
        return try await write { db in
            let phase = try self.phase(db, phase)
            let labs = try db.records(LabRecord.self, "SELECT * FROM lab WHERE phaseId = ?", arguments: [phase.id]).map { try self.labState(db, $0) }
            if let refusal = LabRules.registerParticipants(in: labs, phase: phase.name, by: member) { throw refusal }
            // Staff register the people in front of them: that is the in-person verification.
            let registered = try people.map { try self.insertParticipant($0, phase: phase.id!, verified: (.inPerson, member.name), db) }
            try self.audit(db, member, service: nil, action: .registerParticipants,
                           note: "\(Self.numbers(registered)) in \(phase.name), verified in person")
            return registered
        }
    }

    /// Inserts one participant with a fresh registration code.
    func insertParticipant(_ person: NewParticipant, phase: Int64, passwordHash: String? = nil, civilIdHash: String? = nil,
                           verified: (how: Verification, by: String)?, _ db: any SQLDatabase) throws -> ParticipantRecord {
        let now = self.now()
        var participant = ParticipantRecord(phaseId: phase, code: Self.registrationCode(), name: person.name,
                                            track: person.track, kind: person.kind,
                                            institution: person.institution, registeredAt: now,
                                            verification: verified?.how, verifiedBy: verified?.by,
                                            verifiedAt: verified.map { _ in now })
        // 31⁸ codes: a clash is rare, and the unique key on the code catches it; draw again then.
        while true {
            do {
                try db.savepoint {
                    try db.insert(&participant)
                    // Kept off the record type, so that no read of a participant carries them.
                    if passwordHash != nil || civilIdHash != nil {
                        try db.execute("UPDATE participant SET passwordHash = ?, civilIdHash = ? WHERE id = ?",
                                       arguments: [passwordHash, civilIdHash, participant.id])
                    }
                }
                return participant
            } catch let error as SQLConstraintError where error.kind == .unique {
                // The other unique key: one registration per civil ID and phase.
                if let civilIdHash, try Self.civilIDRegistered(civilIdHash, phase: phase, db) {
                    throw Refusal(.civilIDRegistered)
                }
                participant.code = Self.registrationCode()
            }
        }
    }

    /// Participants as the audit log names them: by number, never by code (a code signs an
    /// in-person participant in, and the log goes out in every export).
    static func numbers(_ people: [ParticipantRecord]) -> String {
        "participant" + (people.count == 1 ? " " : "s ") + people.map { "#\($0.id!)" }.joined(separator: " ")
    }

    static func civilIDRegistered(_ hash: String, phase: Int64, _ db: any SQLDatabase) throws -> Bool {
        try db.exists("SELECT 1 FROM participant WHERE phaseId = ? AND civilIdHash = ?", arguments: [phase, hash])
    }

    /// A facilitator verifies, at a session, a participant who registered themselves.
    @discardableResult
    public func verifyParticipant(code: String, by member: Member) async throws -> ParticipantRecord {
        try await write { db in
            let code = code.uppercased()
            guard var participant = try db.record(ParticipantRecord.self, "SELECT * FROM participant WHERE code = ?", arguments: [code]) else {
                throw Refusal(.notFound, ["kind": "participant", "id": code])
            }
            let phase = try db.record(PhaseRecord.self, "SELECT * FROM phase WHERE id = ?", arguments: [participant.phaseId])!
            let labs = try db.records(LabRecord.self, "SELECT * FROM lab WHERE phaseId = ?", arguments: [phase.id]).map { try self.labState(db, $0) }
            if let refusal = LabRules.verifyParticipant(code, verified: participant.verification != nil, in: labs,
                                                        phase: phase.name, by: member) { throw refusal }
            participant.verification = .inPerson
            participant.verifiedBy = member.name
            participant.verifiedAt = self.now()
            try db.update(participant)
            try self.audit(db, member, service: nil, action: .verifyParticipant, note: "\(Self.numbers([participant])) in \(phase.name)")
            return participant
        }
    }

    /// Replaces a phase's eligibility list with these entries (keyed hashes of a civil ID number
    /// and a year of birth, made by `LabSecret`): the store never sees a civil ID number.
    @discardableResult
    public func loadEligibility(phase name: String, entries: Set<String>, by member: Member) async throws -> Int {
        if let refusal = LabRules.may(.loadEligibility, member) { throw refusal }
        return try await write { db in
            let phase = try self.phase(db, name)
            try db.execute("DELETE FROM eligibility WHERE phaseId = ?", arguments: [phase.id])
            for entry in entries.sorted() {
                try db.execute("INSERT INTO eligibility (phaseId, entryHash) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [phase.id, entry])
            }
            try self.audit(db, member, service: nil, action: .loadEligibility, note: "\(entries.count) entries for \(phase.name)")
            return entries.count
        }
    }

    /// Participants registered for a phase and not verified yet, oldest first, for staff to verify.
    public func unverifiedParticipants(phase name: String) async throws -> [ParticipantRecord] {
        try await read { db in
            let phase = try self.phase(db, name)
            return try db.records(ParticipantRecord.self, """
                SELECT * FROM participant WHERE phaseId = ? AND verification IS NULL ORDER BY registeredAt, id
                """, arguments: [phase.id])
        }
    }

    public func participants(phase: String) async throws -> [ParticipantRecord] {
        try await read { db in
            let phase = try self.phase(db, phase)
            return try db.records(ParticipantRecord.self, "SELECT * FROM participant WHERE phaseId = ? ORDER BY name, id", arguments: [phase.id])
        }
    }

    /// Opens a vote; its choices — the service's proposed improvements, or the poll's options —
    /// are fixed now, so an improvement proposed or decided later neither joins nor leaves it.
    @discardableResult
    public func openVote(service id: String, _ new: NewVote, by member: Member) async throws -> VoteRecord {
        try await write { db in
            let service = try self.state(db, id)
            let proposed = try db.values(Int64.self, """
                SELECT id FROM improvement WHERE labServiceId = ? AND status = 'proposed' AND \(publishedOnly) ORDER BY id
                """, arguments: [id])
            var vote = VoteRecord(labServiceId: id, mode: new.mode, questionEn: nil, questionAr: nil, opensAt: new.opensAt,
                                  closesAt: new.closesAt, closedAt: nil,
                                  supportLimit: new.mode == .support ? new.supportLimit : nil,
                                  dotBudget: new.mode == .dots ? new.dotBudget : nil, dotCap: new.mode == .dots ? new.dotCap : nil,
                                  hideResults: !new.liveResults)
            let terms = VoteTerms(id: 0, mode: vote.mode, opensAt: vote.opensAt, closesAt: vote.closesAt, hideResults: vote.hideResults,
                                  supportLimit: vote.supportLimit, dotBudget: vote.dotBudget, dotCap: vote.dotCap)
            if let refusal = LabRules.openVote(service, terms, proposedImprovements: proposed.count,
                                               options: new.options.count, now: self.now(), by: member) { throw refusal }
            let question = try LabRules.text(new.question, .voteQuestion).get()
            vote.question = question
            let options = try new.options.map { try LabRules.text($0, .pollOption).get() }
            try db.insert(&vote)
            if new.mode == .poll {
                for text in options {
                    var option = VoteOptionRecord(voteId: vote.id!, textEn: text.en, textAr: text.ar)
                    try db.insert(&option)
                }
            } else {
                for improvement in proposed {
                    try db.execute("INSERT INTO voteChoice (voteId, improvementId) VALUES (?, ?)", arguments: [vote.id, improvement])
                }
            }
            try self.audit(db, member, service: id, action: .openVote, note: "#\(vote.id!) \(new.mode.rawValue): \(question.bothLanguages)")
            return vote
        }
    }

    public func castBallot(vote voteID: Int64, participant code: String, choices: [Int64: Int],
                           origin: BallotOrigin, by member: Member) async throws {
        try await write { db in
            let context = try self.ballotContext(db, voteID)
            if let refusal = LabRules.ballotFor(code, origin: origin, in: try self.voteLab(db, context.vote), by: member) {
                throw refusal
            }
            try self.cast(db, in: context, participant: code, choices: choices, origin: origin)
            // Who recorded a paper ballot for whom is kept; what it chose is not.
            if origin == .inPerson {
                try self.audit(db, member, service: context.vote.labServiceId, action: .recordBallot,
                               note: "participant #\(try self.participant(db, code: code, in: context)) in vote #\(voteID), in person")
            }
        }
    }

    /// What every ballot of a vote is checked against: the vote (open now), its phase and its choices.
    struct BallotContext {
        var vote: VoteRecord
        /// The vote's terms, made once for all the ballots checked against them.
        var terms: VoteTerms
        var phase: Int64
        var valid: Set<Int64>
    }

    func ballotContext(_ db: any SQLDatabase, _ voteID: Int64) throws -> BallotContext {
        let vote = try self.vote(db, voteID)
        let terms = vote.terms
        if let refusal = LabRules.ballotsAccepted(terms, now: now()) { throw refusal }
        let phase = try db.value(Int64.self, "SELECT l.phaseId FROM labService s JOIN lab l ON l.id = s.labId WHERE s.id = ?",
                                 arguments: [vote.labServiceId])!
        return BallotContext(vote: vote, terms: terms, phase: phase, valid: try choiceIDs(db, vote))
    }

    /// Casts, or changes, one ballot inside the caller's transaction. The statements are cached:
    /// this is the path every online ballot takes, so it stays a handful of indexed lookups.
    /// Every refusal comes before the first write, so a refused ballot leaves nothing behind.
    func cast(_ db: any SQLDatabase, in context: BallotContext, participant code: String, choices: [Int64: Int],
              origin: BallotOrigin) throws {
        let voteID = context.vote.id!
        let participant = try self.participant(db, code: code, in: context)
        if let refusal = LabRules.ballot(choices, in: context.terms, valid: context.valid) { throw refusal }
        let existing = try db.row("SELECT id, origin, sealed FROM ballot WHERE voteId = ? AND participantId = ?", arguments: [voteID, participant])
        if let refusal = LabRules.replaceBallot(existingOrigin: existing.flatMap { BallotOrigin(rawValue: $0["origin"]) },
                                                sealed: existing?["sealed"] ?? false, with: origin, code: code,
                                                vote: voteID) { throw refusal }
        let ballot: Int64
        if let existing {
            // A change keeps the ballot and replaces its choices (the running totals follow by trigger).
            ballot = existing["id"]
            try db.execute("DELETE FROM ballotChoice WHERE ballotId = ?", arguments: [ballot])
            try db.execute("UPDATE ballot SET castAt = ? WHERE id = ?", arguments: [now(), ballot])
        } else {
            ballot = try db.value(Int64.self, "INSERT INTO ballot (voteId, participantId, origin, castAt) VALUES (?, ?, ?, ?) RETURNING id",
                                  arguments: [voteID, participant, origin, now()])!
        }
        // In the order of the choices, so that two writers of one vote's totals take their locks alike.
        for (choice, weight) in choices.sorted(by: { $0.key < $1.key }) {
            try db.execute("INSERT INTO ballotChoice (ballotId, voteId, choice, weight) VALUES (?, ?, ?, ?)",
                           arguments: [ballot, voteID, choice, weight])
        }
    }

    /// Casts ballots that participants sent online at about the same time, in one transaction:
    /// each is checked and written as `castBallot` does, and a refused one leaves the others
    /// standing. Many ballots share one durable commit. Should the database itself refuse a
    /// statement (a trigger holding a rule the checks missed), the batch is rolled back and cast
    /// again with each ballot in its own savepoint, so that only that ballot fails.
    public func castOnlineBallots(_ ballots: [OnlineBallot]) async throws -> [Refusal?] {
        do {
            return try await castOnlineBallots(ballots, savepoints: false)
        } catch is SQLConstraintError {
            return try await castOnlineBallots(ballots, savepoints: true)
        }
    }

    private func castOnlineBallots(_ ballots: [OnlineBallot], savepoints: Bool) async throws -> [Refusal?] {
        try await backend.write { db in
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
                            try db.savepoint(cast)
                        } catch let error as SQLConstraintError {
                            throw Self.refusal(error)
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

    public func castBallots(vote voteID: Int64, _ ballots: [(code: String, choices: [Int64: Int])], origin: BallotOrigin,
                            by member: Member) async throws {
        try await write { db in
            let context = try self.ballotContext(db, voteID)
            if let refusal = LabRules.recordBallots(.recordBallots, in: try self.voteLab(db, context.vote), by: member) { throw refusal }
            let people = Dictionary(uniqueKeysWithValues: try db.rows("""
                SELECT code, id, verification FROM participant WHERE phaseId = ?
                """, arguments: [context.phase]).map { (row: SQLRow) in (row["code"] as String, row) })
            let now = self.now()
            for (index, ballot) in ballots.enumerated() {
                guard let person = people[ballot.code] else {
                    throw Refusal(.notInVotePhase, ["code": ballot.code]).inRow(index + 1)
                }
                if let refusal = LabRules.counts(ballot.code, verification: person["verification"]) { throw refusal.inRow(index + 1) }
                let participant: Int64 = person["id"]
                if let refusal = LabRules.ballot(ballot.choices, in: context.terms, valid: context.valid) {
                    throw refusal.inRow(index + 1)
                }
                var record = BallotRecord(voteId: voteID, participantId: participant, origin: origin, castAt: now)
                do {
                    try db.insert(&record)
                } catch let error as SQLConstraintError where error.kind == .unique {
                    throw Refusal(.ballotExists, ["code": ballot.code, "vote": String(voteID)]).inRow(index + 1)
                }
                for (choice, weight) in ballot.choices.sorted(by: { $0.key < $1.key }) {
                    try db.insert(BallotChoiceRecord(ballotId: record.id!, voteId: voteID, choice: choice, weight: weight))
                }
            }
            try self.audit(db, member, service: context.vote.labServiceId, action: .recordBallots,
                           note: "\(ballots.count) \(origin.rawValue) ballots in vote #\(voteID)")
        }
    }

    public func withdrawBallot(vote voteID: Int64, participant code: String, by member: Member) async throws {
        try await write { db in
            let context = try self.ballotContext(db, voteID)
            let lab = try self.voteLab(db, context.vote)
            // Who may is asked before the participant is looked up, so a refused member learns nothing of them.
            if let refusal = LabRules.withdrawBallot(code, origin: nil, vote: voteID, in: lab, by: member) { throw refusal }
            let participant = try self.participant(db, code: code, in: context)
            guard let ballot = try db.record(BallotRecord.self, "SELECT * FROM ballot WHERE voteId = ? AND participantId = ?",
                                             arguments: [voteID, participant])
            else { throw Refusal(.noBallot, ["code": code, "vote": String(voteID)]) }
            if let refusal = LabRules.withdrawBallot(code, origin: ballot.origin, vote: voteID, in: lab, by: member) { throw refusal }
            if ballot.sealed { throw Refusal(.ballotSealed, ["code": code, "vote": String(voteID)]) }
            try db.execute("DELETE FROM ballot WHERE id = ?", arguments: [ballot.id])
            // Staff withdrawing a paper ballot is kept, as its recording is; a participant's own withdrawal is not.
            if member.code != code {
                try self.audit(db, member, service: context.vote.labServiceId, action: .withdrawBallot,
                               note: "participant #\(participant) in vote #\(voteID), in person")
            }
        }
    }

    public func ballot(vote voteID: Int64, participant code: String) async throws -> [Int64: Int]? {
        try await read { db in
            guard let participant = try db.value(Int64.self, "SELECT id FROM participant WHERE code = ?", arguments: [code]) else {
                throw Refusal(.notFound, ["kind": "participant", "id": code])
            }
            guard let ballot = try db.value(Int64.self, "SELECT id FROM ballot WHERE voteId = ? AND participantId = ?",
                                            arguments: [voteID, participant])
            else { return nil }
            // Over, the vote's choices are nobody's, whether or not its close has sealed them yet.
            if try self.vote(db, voteID).terms.isClosed(at: self.now()) { return [:] }
            let choices = try db.rows("SELECT choice, weight FROM ballotChoice WHERE ballotId = ?", arguments: [ballot])
            return Dictionary(uniqueKeysWithValues: choices.map { ($0["choice"] as Int64, $0["weight"] as Int) })
        }
    }

    public func recordTally(vote voteID: Int64, choice: Int64, count: Int, place: String, by member: Member) async throws {
        try await write { db in
            let vote = try self.vote(db, voteID)
            if let refusal = LabRules.recordTally(vote.terms, in: try self.voteLab(db, vote), choice: choice,
                                                  valid: try self.choiceIDs(db, vote), count: count, now: self.now(),
                                                  by: member) { throw refusal }
            try self.check([place], as: .place)
            var tally = TallyRecord(voteId: voteID, choice: choice, count: count, place: place, recordedBy: member.name,
                                    recordedAt: self.now())
            try db.insert(&tally)
            try self.audit(db, member, service: vote.labServiceId, action: .showOfHands,
                           note: "vote #\(voteID), #\(choice): \(count) at \(place)")
        }
    }

    public func closeVote(_ voteID: Int64, by member: Member) async throws {
        try await write { db in
            let vote = try self.vote(db, voteID)
            if let refusal = LabRules.closeVote(vote.terms, in: try self.voteLab(db, vote), by: member) { throw refusal }
            // A vote past its window closed then; one closed early closes now.
            try self.seal(db, voteID, closedAt: min(self.now(), vote.closesAt))
            try self.audit(db, member, service: vote.labServiceId, action: .closeVote, note: "#\(voteID)")
        }
        await forgetSealedPages()
    }

    /// Closes every vote whose window has ended, detaching its ballots' choices. The store calls
    /// this before reading results, ballots or exporting; `masar serve` calls it every minute.
    @discardableResult
    public func sealDueVotes() async throws -> Int {
        let now = self.now()
        let due = try await read { db in
            try db.values(Int64.self, "SELECT id FROM vote WHERE closedAt IS NULL AND closesAt <= ?", arguments: [now])
        }
        guard !due.isEmpty else { return 0 }
        try await write { db in
            for id in due {
                let vote = try self.vote(db, id)
                if vote.closedAt == nil { try self.seal(db, id, closedAt: vote.closesAt) }
            }
        }
        await forgetSealedPages()
        return due.count
    }

    /// The close, in the caller's transaction: the choices move to `castChoice` in a shuffled
    /// order, with no ballot or participant id, and the ballots (who voted) are marked sealed.
    /// From then on nothing pairs a participant with a choice. With too few ballots to show a
    /// split, the choices are not kept at all: beside the list of who voted, they would tell.
    func seal(_ db: any SQLDatabase, _ voteID: Int64, closedAt: Date) throws {
        try Self.detachChoices(db, voteID)
        try db.execute("UPDATE vote SET closedAt = ? WHERE id = ?", arguments: [closedAt, voteID])
    }

    static func detachChoices(_ db: any SQLDatabase, _ voteID: Int64) throws {
        let ballots = try db.count("SELECT COUNT(*) FROM ballot WHERE voteId = ?", arguments: [voteID])
        if LabRules.showsSplit(ballots: ballots) {
            try db.execute("""
                INSERT INTO castChoice (voteId, choice, weight)
                  SELECT voteId, choice, weight FROM ballotChoice WHERE voteId = ? ORDER BY random()
                """, arguments: [voteID])
        }
        try db.execute("DELETE FROM ballotChoice WHERE voteId = ?", arguments: [voteID])
        try db.execute("UPDATE ballot SET sealed = 1 WHERE voteId = ?", arguments: [voteID])
    }

    func forgetSealedPages() async { await backend.forgetSealedPages() }

    // MARK: - Helpers

    func vote(_ db: any SQLDatabase, _ id: Int64) throws -> VoteRecord {
        try db.find(VoteRecord.self, "id", id, shown: "#\(id)")
    }

    /// The lab whose service the vote is on.
    func voteLab(_ db: any SQLDatabase, _ vote: VoteRecord) throws -> LabState {
        try labOf(db, service: vote.labServiceId)
    }

    /// The id of the participant with this code, registered for the phase of the vote.
    func participant(_ db: any SQLDatabase, code: String, in context: BallotContext) throws -> Int64 {
        guard let person = try db.row("SELECT id, phaseId, verification FROM participant WHERE code = ?", arguments: [code]) else {
            throw Refusal(.notFound, ["kind": "participant", "id": code])
        }
        if let refusal = LabRules.participates(phase: person["phaseId"], code: code, in: context.phase)
            ?? LabRules.counts(code, verification: person["verification"]) { throw refusal }
        return person["id"]
    }

    /// What a ballot may choose, fixed when the vote opened: its improvements, or the poll's options.
    func choiceIDs(_ db: any SQLDatabase, _ vote: VoteRecord) throws -> Set<Int64> {
        vote.mode == .poll
            ? try db.valueSet(Int64.self, "SELECT id FROM voteOption WHERE voteId = ?", arguments: [vote.id])
            : try db.valueSet(Int64.self, "SELECT improvementId FROM voteChoice WHERE voteId = ?", arguments: [vote.id])
    }

    /// Eight characters from an alphabet without look-alikes (no 0/O, 1/I/L), easy to read aloud.
    static func registrationCode() -> String {
        let alphabet = Array("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
        return String((0..<8).map { _ in alphabet.randomElement()! })
    }
}
