import Foundation
import MasarCore
import MasarReports
import MasarStore

/// Issue 5: a national e-vote — 500,000 participants casting 500,000 ballots — ingested in
/// bulk and one by one, then the tally and the programme report.
func voteBenchmark(data: String) async throws {
    let count = 500_000, oneByOne = 10_000
    print("## A national e-vote — \(count) participants, \(count) ballots\n")
    let lab = try await VotingLab(path: data + "/votes.sqlite", map: try Catalogue.files(in: [data + "/catalogue"])[0],
                            participants: count, track: .digital)
    let db = lab.db, facilitator = lab.facilitator, improvements = lab.improvements, registration = lab.registration
    let codes = lab.participants.map(\.code)

    let vote = try await db.openVote(service: lab.service, mode: .support, question: "Which improvements first?",
                               opensAt: Date(timeIntervalSinceNow: -60), closesAt: Date(timeIntervalSinceNow: 86_400),
                               supportLimit: 3, by: facilitator).id!
    var generator = SystemRandomNumberGenerator()
    func choices() -> [Int64: Int] {
        Dictionary(uniqueKeysWithValues: improvements.shuffled(using: &generator).prefix(Int.random(in: 1...3)).map { ($0, 1) })
    }
    var clock = ContinuousClock.now
    let bulk = count - oneByOne
    for start in stride(from: 0, to: bulk, by: 10_000) {
        try await db.castBallots(vote: vote, (start..<min(bulk, start + 10_000)).map { (codes[$0], choices()) }, origin: .online,
                           by: facilitator)
    }
    let bulkTime = (ContinuousClock.now - clock).seconds
    clock = ContinuousClock.now
    for index in bulk..<count {
        try await db.castBallot(vote: vote, participant: codes[index], choices: choices(), origin: .online,
                                by: lab.participants[index].member)
    }
    let singleTime = (ContinuousClock.now - clock).seconds

    let tally = try await median(runs: 11) { _ = try await db.results(vote: vote) }
    let results = try await db.results(vote: vote)
    guard results.ballotsCast == count else { fail("expected \(count) ballots, counted \(results.ballotsCast)") }
    let report = try await median(runs: 11) { _ = ProgrammeReport.make(try await db.programmeSnapshot()) }
    let peak = peakMemoryMB()

    print(row(["measure", "Masar", "target", "met"]))
    print(row(["---", "---:", "---", "---"]))
    print(row(["register \(count) participants (batches of 50,000)", String(format: "%.1f s (%.0f/s)", registration, Double(count) / registration), "", ""]))
    print(row(["\(bulk) ballots in bulk (batches of 10,000)", String(format: "%.1f s (%.0f ballots/s)", bulkTime, Double(bulk) / bulkTime), "", ""]))
    print(row(["\(oneByOne) ballots one by one (a transaction each)", String(format: "%.1f s (%.0f ballots/s)", singleTime, Double(oneByOne) / singleTime), "", ""]))
    print(row(["tally of \(count) ballots (median of 11)", String(format: "%.0f ms", tally.median * 1000), "< 200 ms", tally.median < 0.2 ? "yes" : "NO"]))
    print(row(["programme report (median of 11)", String(format: "%.0f ms", report.median * 1000), "< 1 s", report.median < 1 ? "yes" : "NO"]))
    print(row(["peak memory", String(format: "%.0f MB", peak), "", ""]))
    print(row(["turnout", String(format: "%.0f%%", results.turnout * 100), "", ""]))
}
