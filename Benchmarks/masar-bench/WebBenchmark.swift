import Foundation
import GRDB
import MasarCore
import MasarStore

/// Issue 6: wrk on loopback against `masar serve`, 200,000 registered participants, each with a
/// sign-in: ballots per second on the vote endpoint, with p50 and p99 latency, against a trivial
/// route of the same server in the same run (the ratio). Rounds alternate; medians are reported.
func webBenchmark(data: String, repository: String) async throws {
    let participants = 200_000, rounds = 3, seconds = 10, connections = 64
    let path = data + "/web.sqlite"
    let lab = try await VotingLab(path: path, map: repository + "/Services/birth-registration.yaml", participants: participants,
                            track: .inPerson)
    let db = lab.db, improvements = lab.improvements
    let vote = try await db.openVote(service: lab.service, mode: .dots, question: "Which improvements first?",
                               opensAt: Date(timeIntervalSinceNow: -60), closesAt: Date(timeIntervalSinceNow: 86_400),
                               dotBudget: 5, dotCap: 3, by: lab.facilitator).id!
    let ids = lab.participants.map(\.id!)
    // A sign-in for each participant, written in bulk (signing 200,000 people in over HTTP is not what is measured).
    let tokens = ids.map { _ in UUID().uuidString + UUID().uuidString }
    let queue = try DatabaseQueue(path: path)
    try await queue.write { sql in
        let expires = Date(timeIntervalSinceNow: 86_400)
        for (token, id) in zip(tokens, ids) {
            let hash = Fingerprint.of(token)
            try sql.execute(sql: "INSERT INTO signIn (tokenHash, participantId, startedAt, expiresAt) VALUES (?, ?, ?, ?)",
                            arguments: [hash, id, Date(), expires])
        }
    }
    try queue.close()
    let tokenFile = data + "/web-tokens.txt"
    try tokens.joined(separator: "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)

    // The store alone: ballots in batches of 64, as the ballot box groups them under load.
    let codes = lab.participants.prefix(20_000).map(\.code)
    let storeStart = ContinuousClock.now
    for batch in stride(from: 0, to: codes.count, by: 64) {
        let ballots = codes[batch..<min(codes.count, batch + 64)].enumerated().map { index, code in
            OnlineBallot(vote: vote, participant: code, choices: [improvements[index % 10]: 3, improvements[(index + 1) % 10]: 2])
        }
        _ = try await db.castOnlineBallots(ballots)
    }
    let storeRate = Double(codes.count) / (ContinuousClock.now - storeStart).seconds

    let port = Int.random(in: 20_000...40_000)
    let masar = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        .appendingPathComponent("masar").path
    let server = Process()
    server.executableURL = URL(fileURLWithPath: masar)
    server.arguments = ["serve", "--db", path, "--port", String(port)]
    server.standardOutput = FileHandle.nullDevice
    server.standardError = FileHandle.nullDevice
    try server.run()
    defer { server.terminate(); server.waitUntilExit() }
    let base = "http://127.0.0.1:\(port)"
    for attempt in 0... {
        if accepts(port: port) { break }
        guard attempt < 600 else { fail("masar serve did not start on \(base)") }
        try await Task.sleep(for: .milliseconds(100))
    }

    print("## The web app under load — \(participants) participants, wrk on loopback\n")
    print("wrk: 2 threads, \(connections) connections, \(seconds) s a run, \(rounds) rounds alternating; medians.\n")
    var trivial: [WrkResult] = [], ballots: [WrkResult] = []
    for _ in 0..<rounds {
        trivial.append(try wrk(base + "/health", seconds: seconds, connections: connections))
        ballots.append(try wrk(base + "/api/v1/votes/\(vote)/ballot", seconds: seconds, connections: connections,
                               script: (repository + "/Benchmarks/web/ballot.lua",
                                        [tokenFile, String(vote), String(improvements[0]), String(improvements.count)])))
    }
    let cast = try await db.results(vote: vote).ballotsCast
    let errors = ballots.map(\.errors).reduce(0, +)
    let ballotRate = middle(ballots.map(\.rate)), trivialRate = middle(trivial.map(\.rate))
    print(row(["route", "requests/s (median)", "p50", "p99", "runs (requests/s)"]))
    print(row(["---", "---:", "---:", "---:", "---"]))
    for (name, results) in [("GET /health (trivial)", trivial), ("POST /api/v1/votes/\(vote)/ballot", ballots)] {
        print(row([name, String(format: "%.0f", middle(results.map(\.rate))),
                   String(format: "%.1f ms", middle(results.map(\.p50))), String(format: "%.1f ms", middle(results.map(\.p99))),
                   results.map { String(format: "%.0f", $0.rate) }.joined(separator: ", ")]))
    }
    print("\nBallots per second ÷ trivial route: \(String(format: "%.1f%%", 100 * ballotRate / trivialRate)) "
        + "(target: at least 2,000 ballots/s, p99 under 50 ms, at least 40%).")
    print("The store alone, batches of 64: \(String(format: "%.0f", storeRate)) ballots/s.")
    print("Participants with a ballot afterwards: \(cast); responses other than 2xx: \(errors).")
}

/// Whether something listens on this loopback port.
func accepts(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}

struct WrkResult {
    var rate: Double
    var p50: Double
    var p99: Double
    var errors: Int
}

/// Runs wrk and reads its summary: requests per second, latency percentiles (ms), non-2xx answers.
func wrk(_ url: String, seconds: Int, connections: Int, script: (path: String, arguments: [String])? = nil) throws -> WrkResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
    var arguments = ["-t2", "-c\(connections)", "-d\(seconds)s", "--latency"]
    if let script { arguments += ["-s", script.path] }
    arguments.append(url)
    if let script { arguments += ["--"] + script.arguments }
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    func number(after label: String) -> Double? {
        guard let line = output.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }) else {
            return nil
        }
        return line.split(separator: " ").dropFirst(label.split(separator: " ").count).first.map(String.init).flatMap(milliseconds)
    }
    func milliseconds(_ text: String) -> Double? {
        for (suffix, scale) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return Double(text)
    }
    guard let rate = number(after: "Requests/sec:"), let p50 = number(after: "50%"), let p99 = number(after: "99%") else {
        fail("could not read wrk's output:\n\(output)")
    }
    let errors = number(after: "Non-2xx or 3xx responses:").map { Int($0) } ?? 0
    return WrkResult(rate: rate, p50: p50, p99: p99, errors: errors)
}
