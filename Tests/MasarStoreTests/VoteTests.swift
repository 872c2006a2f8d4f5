import Foundation
import GRDB
import MasarCore
import Synchronization
import Testing
@testable import MasarStore

private let facilitator = Member(name: "Aisha", role: .facilitator)
private let start = Date(timeIntervalSince1970: 1_700_000_000)

/// A lab with burial permit in future-design, three proposed improvements, six community
/// participants registered (so verified) by the facilitator; the clock can be moved.
final class TestClock: Sendable {
    let time = Mutex(start)
    func set(_ date: Date) { time.withLock { $0 = date } }
    func now() -> Date { time.withLock { $0 } }
}

final class VotingLab: Sendable {
    let db: any LabStore
    /// Where the store keeps its data (the SQLite file, or the PostgreSQL database's URL).
    let path: String
    let clock = TestClock()
    let improvements: [Int64]
    let codes: [String]

    init(_ backend: Backend = .sqlite) async throws {
        let clock = self.clock
        let (db, path) = try await backend.store(now: { clock.now() })
        try await db.createPhase(name: "P1", startsOn: "2023-01-01", sectors: [], by: facilitator)
        try await db.createLab(name: "Lab", phase: "P1", sectors: [], by: facilitator)
        try await db.importService(yaml: try String(contentsOfFile: servicesFolder + "/burial-permit.yaml", encoding: .utf8),
                             file: "burial-permit.yaml", lab: "Lab", by: facilitator)
        try await db.advance(service: "burial-permit", by: facilitator)
        let point = try await db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits, severity: 4,
                                        source: .community, text: "A second trip", by: facilitator)
        try await db.advance(service: "burial-permit", by: facilitator)
        var improvements: [Int64] = []
        for text: LocalizedText in ["Hospital reports the death", "Permit issued online", "One visit for everything"] {
            improvements.append(try await db.proposeImprovement(service: "burial-permit", text: text, addresses: [point.id!],
                                                                by: facilitator).id!)
        }
        self.improvements = improvements
        codes = try await db.registerParticipants((1...6).map {
            NewParticipant(name: "Member \($0)", track: $0 % 2 == 0 ? .digital : .inPerson, kind: .community)
        }, phase: "P1", by: facilitator).map(\.code)
        self.db = db
        self.path = path
    }

    func open(_ mode: VoteMode, limit: Int? = nil, budget: Int? = nil, cap: Int? = nil, options: [LocalizedText] = [],
              live: Bool = true) async throws -> Int64 {
        try await db.openVote(service: "burial-permit", mode: mode, question: "Which first?", opensAt: start,
                        closesAt: start.addingTimeInterval(3600), supportLimit: limit, dotBudget: budget, dotCap: cap,
                        options: options, liveResults: live, by: facilitator).id!
    }

    /// The participant casts their own ballot online, or the facilitator records it in person.
    func cast(_ vote: Int64, _ participant: Int, _ choices: [Int64: Int], _ origin: BallotOrigin = .online) async throws {
        try await db.castBallot(vote: vote, participant: codes[participant], choices: choices, origin: origin,
                                by: origin == .online ? self.participant(participant) : facilitator)
    }

    func participant(_ index: Int) -> Member {
        Member(name: "Member \(index + 1)", role: .community, phase: 1, code: codes[index])
    }
}

@Suite("Votes: one ballot per participant, budgets held by the database, secret results")
struct VoteTests {
    @Test("A support vote counts ballots, shares of ballots cast, turnout against verified participants", arguments: Backend.all)
    func support(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let (a, b, c) = (lab.improvements[0], lab.improvements[1], lab.improvements[2])
        let vote = try await lab.open(.support, limit: 2)
        try await lab.cast(vote, 0, [a: 1, b: 1])
        try await lab.cast(vote, 1, [a: 1])
        try await lab.cast(vote, 2, [a: 1, c: 1])
        await expectRefusal("at most 2 improvements can be supported in vote #\(vote)") {
            try await lab.cast(vote, 3, [a: 1, b: 1, c: 1])
        }
        try await lab.cast(vote, 3, [b: 1])
        try await lab.cast(vote, 4, [c: 1])
        let results = try await lab.db.results(vote: vote)
        // 5 ballots of 6 verified: turnout 5/6; a is supported on 3 ballots (60%), b and c on 2 (40%)
        #expect(results.ballotsCast == 5 && results.registered == 6)
        #expect(results.turnout == 5.0 / 6)
        #expect(results.lines.map(\.choice) == [a, b, c])
        #expect(results.lines.map(\.ballots) == [3, 2, 2])
        #expect(results.lines[0].share == 0.6 && results.lines[1].share == 0.4)
    }

    @Test("Dots: a budget and a cap, checked in words and held by the database", arguments: Backend.all)
    func dots(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let (a, b, c) = (lab.improvements[0], lab.improvements[1], lab.improvements[2])
        let vote = try await lab.open(.dots, budget: 5, cap: 3)
        await expectRefusal("at most 3 dots on one improvement") { try await lab.cast(vote, 0, [a: 4]) }
        await expectRefusal("6 dots is more than the budget of 5") { try await lab.cast(vote, 0, [a: 3, b: 3]) }
        try await lab.cast(vote, 0, [a: 3, b: 2])
        try await lab.cast(vote, 1, [c: 3, a: 1])
        // the database itself refuses a sixth dot on ballot 1, even through plain SQL
        await #expect(throws: SQLConstraintError.self) {
            try await rawSQL(lab.db, "INSERT INTO ballotChoice (ballotId, voteId, choice, weight) SELECT MIN(id), ?, ?, 1 FROM ballot",
                             [vote, c])
        }
        for voter in 2...4 { try await lab.cast(vote, voter, [a: 1]) }
        let results = try await lab.db.results(vote: vote)
        // dots: a 3 + 1 + 1 + 1 + 1 = 7, c 3, b 2; 12 dots in all
        #expect(results.lines.map(\.choice) == [a, c, b])
        #expect(results.lines.map(\.ballots) == [7, 3, 2])
        #expect(results.lines[0].share == 7.0 / 12)
    }

    @Test("A poll takes one answer from its own options", arguments: Backend.all)
    func poll(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let vote = try await lab.open(.poll, options: ["Yes", "No"])
        let options = try await lab.db.choices(vote: vote).map(\.id)
        await expectRefusal("a poll takes one answer") { try await lab.cast(vote, 0, [options[0]: 1, options[1]: 1]) }
        // a poll's choices are its options (an improvement's number means nothing here)
        await expectRefusal("#999 is not a choice of vote #\(vote)") { try await lab.cast(vote, 0, [999: 1]) }
        for participant in 0..<3 { try await lab.cast(vote, participant, [options[0]: 1]) }
        try await lab.cast(vote, 3, [options[1]: 1])
        try await lab.cast(vote, 4, [options[1]: 1])
        let results = try await lab.db.results(vote: vote)
        #expect(results.lines.map(\.text) == ["Yes", "No"])
        #expect(results.lines[0].share == 0.6) // "60% in favour"
    }

    @Test("A ballot can be changed or withdrawn while open, and nothing after the vote closes", arguments: Backend.all)
    func changeAndClose(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let (a, b) = (lab.improvements[0], lab.improvements[1])
        let vote = try await lab.open(.support, limit: 1)
        try await lab.cast(vote, 0, [a: 1])
        try await lab.cast(vote, 0, [b: 1]) // changed
        #expect(try await lab.db.ballot(vote: vote, participant: lab.codes[0]) == [b: 1])
        try await lab.cast(vote, 1, [a: 1])
        try await lab.db.withdrawBallot(vote: vote, participant: lab.codes[1], by: lab.participant(1))
        #expect(try await lab.db.ballot(vote: vote, participant: lab.codes[1]) == nil)
        try await lab.cast(vote, 2, [a: 1])
        try await lab.db.closeVote(vote, by: facilitator)
        await expectRefusal("vote #\(vote) is closed") { try await lab.cast(vote, 0, [a: 1]) }
        await expectRefusal("vote #\(vote) is closed") { try await lab.db.withdrawBallot(vote: vote, participant: lab.codes[2], by: lab.participant(2)) }
        await #expect(throws: SQLConstraintError.self) { try await rawSQL(lab.db, "DELETE FROM ballot") }
        #expect(try await lab.db.results(vote: vote).ballotsCast == 2)
    }

    @Test("The window: not before it opens, not after it closes", arguments: Backend.all)
    func window(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let vote = try await lab.db.openVote(service: "burial-permit", mode: .support, question: "?",
                                       opensAt: start.addingTimeInterval(60), closesAt: start.addingTimeInterval(1_800),
                                       supportLimit: 1, by: facilitator).id!
        await expectRefusal("vote #\(vote) is not open yet") { try await lab.cast(vote, 0, [lab.improvements[0]: 1]) }
        lab.clock.set(start.addingTimeInterval(90))
        try await lab.cast(vote, 0, [lab.improvements[0]: 1])
        lab.clock.set(start.addingTimeInterval(1_800))
        await expectRefusal("vote #\(vote) is closed") { try await lab.cast(vote, 1, [lab.improvements[0]: 1]) }
    }

    @Test("One ballot per participant per vote, whatever the origin; held by the database", arguments: Backend.all)
    func oneBallot(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let a = lab.improvements[0]
        let vote = try await lab.open(.support, limit: 1)
        try await lab.cast(vote, 0, [a: 1], .online)
        await expectRefusal("\(lab.codes[0]) already has a ballot cast online in vote #\(vote); one ballot per participant") {
            try await lab.cast(vote, 0, [a: 1], .inPerson)
        }
        await #expect(throws: SQLConstraintError.self) {
            try await rawSQL(lab.db, """
                INSERT INTO ballot (voteId, participantId, origin, castAt)
                SELECT voteId, participantId, 'in-person', castAt FROM ballot
                """)
        }
        #expect(try await lab.db.results(vote: vote).ballotsCast == 1)
    }

    @Test("Many concurrent requests from one participant never overspend the dots", arguments: Backend.all)
    func concurrentDots(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let (a, b, c) = (lab.improvements[0], lab.improvements[1], lab.improvements[2])
        let vote = try await lab.open(.dots, budget: 5, cap: 3)
        let second = try await backend.reopen(lab.path, now: { start })
        let allocations: [[Int64: Int]] = [[a: 3, b: 2], [b: 3, c: 2], [c: 3, a: 2], [a: 2, b: 2, c: 1]]
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<40 {
                let db: any LabStore = i % 2 == 0 ? lab.db : second
                group.addTask {
                    try? await db.castBallot(vote: vote, participant: lab.codes[0], choices: allocations[i % 4], origin: .online,
                                             by: lab.participant(0))
                }
            }
        }
        let results = try await lab.db.results(vote: vote)
        #expect(results.ballotsCast == 1)
        let mine = try await lab.db.ballot(vote: vote, participant: lab.codes[0])!
        #expect(allocations.contains(mine) && mine.values.reduce(0, +) == 5)
    }

    @Test("Show-of-hands tallies are kept apart from ballots and shown apart and combined", arguments: Backend.all)
    func tallies(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let (a, b) = (lab.improvements[0], lab.improvements[1])
        let vote = try await lab.open(.support, limit: 1)
        for (voter, choice) in [a, b, a, a, b].enumerated() { try await lab.cast(vote, voter, [choice: 1]) }
        try await lab.db.recordTally(vote: vote, choice: b, count: 7, place: "Sohar session", by: facilitator)
        let results = try await lab.db.results(vote: vote)
        // a: 3 ballots; b: 2 ballots and 7 hands, 9 combined.
        #expect(results.lines.map(\.choice) == [b, a])
        #expect(results.lines[0].ballots == 2 && results.lines[0].tallies == 7 && results.lines[0].combined == 9)
        #expect(results.ballotsCast == 5) // tallies are not ballots
    }

    @Test("Results are hidden from everyone until the close, staff included; no output pairs a participant with a choice", arguments: Backend.all)
    func secrecy(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let vote = try await lab.open(.support, limit: 1, live: false)
        for voter in 0..<5 { try await lab.cast(vote, voter, [lab.improvements[voter % 2]: 1]) }
        // The facilitator of the vote's lab sees no live count either (as Consul refuses admins).
        await expectRefusal("the results of vote #\(vote) are hidden until it closes") {
            try await lab.db.results(vote: vote)
        }
        try await lab.db.closeVote(vote, by: facilitator)
        let results = try await lab.db.results(vote: vote)
        // 5 ballots: 0, 2, 4 chose the first, 1 and 3 the second.
        #expect(results.splitShown && results.lines.map(\.ballots) == [3, 2])
        let json = String(decoding: try JSONEncoder().encode(results), as: UTF8.self)
        #expect(!json.contains("Member 1") && !json.contains(lab.codes[0]))
        try await lab.db.acceptFromVote(lab.improvements[0], vote: vote, by: facilitator)
        let chosen = try await lab.db.improvements(service: "burial-permit").first { $0.improvement.id == lab.improvements[0] }
        #expect(chosen?.improvement.status == .accepted && chosen?.improvement.chosenByVoteId == vote)
    }

    @Test("Participants need a name, and institution representatives their institution", arguments: Backend.all)
    func registration(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        #expect(Set(lab.codes).count == 6 && lab.codes.allSatisfy { $0.count == 8 })
        await expectRefusal("an institution representative needs their institution") {
            try await lab.db.registerParticipant(phase: "P1", name: "Rep", track: .inPerson, kind: .institution, by: facilitator)
        }
        await expectRefusal("no phase 'P9'") {
            try await lab.db.registerParticipant(phase: "P9", name: "X", track: .digital, kind: .community, by: facilitator)
        }
        let rep = try await lab.db.registerParticipant(phase: "P1", name: "Rep", track: .inPerson, kind: .institution,
                                                 institution: "Ministry of Health", by: facilitator)
        #expect(rep.institution == "Ministry of Health")
    }

    @Test("A closed vote and its ballots round-trip through export and import", arguments: Backend.all)
    func exchange(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let vote = try await lab.open(.dots, budget: 3, cap: 2)
        try await lab.cast(vote, 0, [lab.improvements[0]: 2, lab.improvements[1]: 1])
        try await lab.db.recordTally(vote: vote, choice: lab.improvements[1], count: 4, place: "Nizwa", by: facilitator)
        try await lab.db.closeVote(vote, by: facilitator)
        let export = try await lab.db.exportJSON()
        let copy = try await backend.store(now: { start }).store
        try await copy.importJSON(export)
        #expect(try await copy.exportJSON() == export)
        #expect(try await copy.results(vote: vote) == lab.db.results(vote: vote))
    }

    @Test("Ballots in bulk are checked one by one and recorded all or none", arguments: Backend.all)
    func bulk(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let (a, b) = (lab.improvements[0], lab.improvements[1])
        let vote = try await lab.open(.support, limit: 1)
        await expectRefusal("item 2: at most 1 improvements can be supported in vote #\(vote)") {
            try await lab.db.castBallots(vote: vote, [(lab.codes[0], [a: 1]), (lab.codes[1], [a: 1, b: 1])], origin: .inPerson,
                                   by: facilitator)
        }
        await expectRefusal("item 2: \(lab.codes[0]) has a ballot in vote #\(vote) already; one ballot per participant") {
            try await lab.db.castBallots(vote: vote, [(lab.codes[0], [a: 1]), (lab.codes[0], [b: 1])], origin: .inPerson, by: facilitator)
        }
        #expect(try await lab.db.results(vote: vote).ballotsCast == 0)
        try await lab.db.castBallots(vote: vote, [(lab.codes[0], [a: 1]), (lab.codes[1], [b: 1]), (lab.codes[2], [a: 1]),
                                                  (lab.codes[3], [a: 1]), (lab.codes[4], [b: 1])],
                               origin: .inPerson, by: facilitator)
        #expect(try await lab.db.results(vote: vote).lines.map(\.ballots) == [3, 2])
    }

    @Test("Online ballots sent together: a refused one, by the checks or by the database itself, leaves the others recorded", arguments: Backend.all)
    func onlineBatch(_ backend: Backend) async throws {
        let lab = try await VotingLab(backend)
        let (a, b) = (lab.improvements[0], lab.improvements[1])
        let vote = try await lab.open(.dots, budget: 5, cap: 3)
        // A rule only the database holds here, so that the batch has to fall back to one savepoint a ballot.
        switch backend {
        case .sqlite:
            try await rawSQL(lab.db, """
                CREATE TRIGGER test_no_two BEFORE INSERT ON ballotChoice WHEN NEW.weight = 2
                BEGIN SELECT RAISE(ABORT, 'no one gives exactly 2 dots here'); END
                """)
        case .postgres:
            try await rawSQL(lab.db, """
                CREATE FUNCTION test_no_two() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.weight = 2 THEN RAISE EXCEPTION 'no one gives exactly 2 dots here'; END IF; RETURN NEW; END $$
                """)
            try await rawSQL(lab.db, "CREATE TRIGGER test_no_two BEFORE INSERT ON ballotChoice FOR EACH ROW EXECUTE FUNCTION test_no_two()")
        }
        let outcomes = try await lab.db.castOnlineBallots([
            OnlineBallot(vote: vote, participant: lab.codes[0], choices: [a: 3]),
            OnlineBallot(vote: vote, participant: lab.codes[1], choices: [a: 4]),          // over the cap: checked in Swift
            OnlineBallot(vote: vote, participant: lab.codes[2], choices: [a: 1, b: 2]),    // refused by the trigger
            OnlineBallot(vote: vote, participant: lab.codes[3], choices: [b: 1]),
            OnlineBallot(vote: vote + 1, participant: lab.codes[3], choices: [b: 1]),      // no such vote
        ])
        // The trigger's refusal is known by the database's error code (a trigger), never by its text.
        #expect(outcomes.map { $0?.message(in: .english) } == [
            nil, "at most 3 dots on one improvement", "the database refused the change (a rule held by a trigger); nothing was changed",
            nil, "no vote #\(vote + 1)"])
        #expect(try await lab.db.ballot(vote: vote, participant: lab.codes[2]) == nil)
        // a: 3 dots, b: 1 dot; nothing left over from the refused ballots (two ballots show no
        // split, so the running totals are read as they are stored).
        let totals = try await rawRows(lab.db, "SELECT choice, total FROM voteTotal WHERE total > 0 ORDER BY choice")
            .map { [$0["choice"] as Int64, $0["total"] as Int64] }
        #expect(totals == [[a, 3], [b, 1]])
    }
}
