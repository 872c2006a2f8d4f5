import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MasarCore
@testable import MasarStore
import Testing

private let office = Member(name: "Office", role: .programmeOffice)
private let facilitator = Member(name: "Aisha", role: .facilitator)

/// Two `masar serve` processes on one PostgreSQL database, as behind a load balancer. Runs when
/// `make test` has started a server (`Tests/postgres/cluster.sh`).
@Suite("Two servers, one database", .enabled(if: ProcessInfo.processInfo.environment["MASAR_TEST_POSTGRES"] != nil))
struct TwoServersTests {
    /// A lab with burial permit in future-design, three improvements, 40 participants registered
    /// in person (so they sign in with their code) and an open dots vote (5 dots, at most 3 on one).
    struct Lab {
        let url: PostgresURL
        let store: SQLLabStore
        let codes: [String]
        let improvements: [Int64]
        let vote: Int64
    }

    static func lab() async throws -> Lab {
        let server = try PostgresURL(ProcessInfo.processInfo.environment["MASAR_TEST_POSTGRES"]!)
        let url = try await PostgresLabStore.createDatabase("masar_two_" + String(UUID().uuidString.prefix(8)).lowercased(), on: server)
        let store = try await PostgresLabStore.open(url)
        try await store.createAccount(name: "Office", role: .programmeOffice, passwordHash: "x", by: nil)
        try await store.createAccount(name: "Aisha", role: .facilitator, passwordHash: "x", by: office)
        try await store.createPhase(name: "P1", startsOn: "2026-01-01", sectors: [], by: office)
        try await store.createLab(name: "Lab", phase: "P1", sectors: [], facilitators: ["Aisha"], by: office)
        try await store.importService(yaml: try String(contentsOfFile: servicesFolder + "/burial-permit.yaml", encoding: .utf8),
                                      file: "burial-permit.yaml", lab: "Lab", by: facilitator)
        try await store.advance(service: "burial-permit", by: facilitator)
        let point = try await store.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits, severity: 4,
                                                 source: .institution, text: "A second trip", by: facilitator)
        try await store.advance(service: "burial-permit", by: facilitator)
        var improvements: [Int64] = []
        for text: LocalizedText in ["Hospital reports the death", "Permit online", "One visit"] {
            improvements.append(try await store.proposeImprovement(service: "burial-permit", text: text, addresses: [point.id!],
                                                                   by: facilitator).id!)
        }
        let codes = try await store.registerParticipants((1...40).map {
            NewParticipant(name: "Member \($0)", track: .inPerson, kind: .community)
        }, phase: "P1", by: facilitator).map(\.code)
        let vote = try await store.openVote(service: "burial-permit", mode: .dots, question: "Which first?", opensAt: Date(),
                                            closesAt: Date().addingTimeInterval(3600), dotBudget: 5, dotCap: 3, liveResults: true,
                                            by: facilitator).id!
        return Lab(url: url, store: store, codes: codes, improvements: improvements, vote: vote)
    }

    /// A `masar serve` on the lab's database, answering on `port` once it is up.
    final class Server: Sendable {
        let process: Process
        let base: String

        /// Started on a random port; on another when that one is taken (the server exits then).
        init(_ url: PostgresURL, secret: String) async throws {
            var tries = 0
            while true {
                tries += 1
                let port = Int.random(in: 30_000...50_000)
                let process = Process()
                process.executableURL = masarBinary
                process.arguments = ["serve", "--db", url.text, "--secret-file", secret, "--port", String(port)]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                let base = "http://127.0.0.1:\(port)"
                try process.run()
                // A loaded machine (the whole suite at once) may take a while to start it.
                for _ in 0..<1200 where process.isRunning {
                    if (try? await Self.send("GET", base + "/health")).map({ $0.status == 200 }) == true {
                        (self.process, self.base) = (process, base)
                        return
                    }
                    try await Task.sleep(for: .milliseconds(100))
                }
                if process.isRunning { process.terminate() }
                guard tries < 3 else {
                    Issue.record("masar serve did not answer on \(base)")
                    (self.process, self.base) = (process, base)
                    return
                }
            }
        }

        func stop() {
            process.terminate()
            process.waitUntilExit()
        }

        func send(_ method: String, _ path: String, token: String? = nil, json: String? = nil) async throws -> (status: Int, body: String) {
            try await Self.send(method, base + path, token: token, json: json)
        }

        static func send(_ method: String, _ url: String, token: String? = nil, json: String? = nil) async throws -> (status: Int, body: String) {
            var request = URLRequest(url: URL(string: url)!)
            request.httpMethod = method
            if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
            if let json {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(json.utf8)
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as! HTTPURLResponse).statusCode, String(decoding: data, as: UTF8.self))
        }

        /// Signs a participant in with their code alone (registered in person), returning the token.
        func signIn(_ code: String) async throws -> String {
            let answer = try await send("POST", "/api/v1/sessions", json: "{\"code\":\"\(code)\"}")
            #expect(answer.status == 201, "\(answer.body)")
            let object = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as! [String: Any]
            return object["token"] as! String
        }
    }

    static func secretFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("masar-secret-\(UUID().uuidString)").path
        try Data("a lab secret both servers share, 32 bytes or more\n".utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func ballot(_ choices: [Int64: Int]) -> String {
        "{\"choices\":{" + choices.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}}"
    }

    @Test("Ballots sent at once through both servers, online and in person, for the same and for different participants: one ballot each, none lost, in shared commits")
    func concurrentBallots() async throws {
        let lab = try await Self.lab()
        let secret = try Self.secretFile()
        let (first, second) = (try await Server(lab.url, secret: secret), try await Server(lab.url, secret: secret))
        defer { first.stop(); second.stop() }
        let servers = [first, second]
        let (a, b, c) = (lab.improvements[0], lab.improvements[1], lab.improvements[2])
        // Each participant signs in on one server and uses the token on both.
        var signedIn: [String] = []
        for (index, code) in lab.codes.enumerated() { signedIn.append(try await servers[index % 2].signIn(code)) }
        let tokens = signedIn
        // Both servers have looked each sign-in up, so that the burst below is ballots alone.
        for token in tokens {
            for server in servers { _ = try await server.send("GET", "/api/v1/votes/\(lab.vote)/ballot", token: token) }
        }

        // Participants 0–29: two different ballots each, one through each server, all at the same time.
        let online: [[Int64: Int]] = [[a: 3, b: 2], [b: 3, c: 2], [c: 3, a: 1], [a: 2, b: 2, c: 1]]
        let answers = try await withThrowingTaskGroup(of: (Int, Int, Int).self) { group in
            for participant in 0..<30 {
                for (index, server) in servers.enumerated() {
                    let choices = online[(participant + index) % online.count]
                    group.addTask {
                        (participant, index, try await server.send("POST", "/api/v1/votes/\(lab.vote)/ballot", token: tokens[participant],
                                                                   json: Self.ballot(choices)).status)
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // A change of one's own ballot is allowed, so all 60 are taken.
        #expect(answers.allSatisfy { $0.2 == 200 }, "\(answers.filter { $0.2 != 200 })")
        // Group commit: each ballot row was last written by a transaction (its xmin); one commit a
        // ballot would make 30 of them for the 30 participants, shared commits fewer.
        let writers = try await Self.writers(lab.store, vote: lab.vote)
        #expect(writers < 30, "the 30 ballots standing were written by \(writers) transactions")

        // Participants 30–39: a facilitator records a paper ballot while the participant votes online through both servers.
        let conflicts = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for participant in 30..<40 {
                group.addTask {
                    do {
                        try await lab.store.castBallot(vote: lab.vote, participant: lab.codes[participant], choices: [a: 1],
                                                       origin: .inPerson, by: facilitator)
                        return (participant, "in person")
                    } catch is Refusal {
                        return (participant, "in person refused")
                    }
                }
                for server in servers {
                    group.addTask {
                        let status = try await server.send("POST", "/api/v1/votes/\(lab.vote)/ballot", token: tokens[participant],
                                                           json: Self.ballot([b: 1])).status
                        return (participant, status == 200 ? "online" : "online refused")
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        // Exactly one ballot each of the 40, as the database and the results count them.
        let results = try await lab.store.results(vote: lab.vote)
        #expect(results.ballotsCast == 40)
        for participant in 0..<30 {
            let mine = try await lab.store.ballot(vote: lab.vote, participant: lab.codes[participant])
            // One of the two sent, whole: never a mixture and never nothing.
            let sent = [online[participant % online.count], online[(participant + 1) % online.count]]
            #expect(mine.map { sent.contains($0) } == true, "participant \(participant): \(String(describing: mine))")
        }
        for participant in 30..<40 {
            let outcomes = conflicts.filter { $0.0 == participant }.map(\.1)
            let mine = try await lab.store.ballot(vote: lab.vote, participant: lab.codes[participant])
            // Whichever came first holds: a paper ballot is never replaced online, and an online one never by paper.
            if outcomes.contains("in person") {
                #expect(mine == [a: 1] && !outcomes.contains("online"), "\(participant): \(outcomes)")
            } else {
                #expect(mine == [b: 1] && outcomes.contains("online"), "\(participant): \(outcomes)")
            }
        }
        // The dots add up to the ballots that stand: nothing lost, nothing counted twice.
        var expected: [Int64: Int] = [:]
        for participant in 0..<40 {
            for (choice, weight) in try await lab.store.ballot(vote: lab.vote, participant: lab.codes[participant]) ?? [:] {
                expected[choice, default: 0] += weight
            }
        }
        #expect(Dictionary(uniqueKeysWithValues: results.lines.map { ($0.choice, $0.ballots) }).filter { $0.value > 0 } == expected)
    }

    @Test("A sign-out on one server ends the session on the other at once")
    func signOutEverywhere() async throws {
        let lab = try await Self.lab()
        let secret = try Self.secretFile()
        let (first, second) = (try await Server(lab.url, secret: secret), try await Server(lab.url, secret: secret))
        defer { first.stop(); second.stop() }
        let token = try await first.signIn(lab.codes[0])
        // The second server knows the sign-in, and keeps it in its cache.
        #expect(try await second.send("POST", "/api/v1/votes/\(lab.vote)/ballot", token: token,
                                      json: Self.ballot([lab.improvements[0]: 1])).status == 200)
        #expect(try await second.send("GET", "/api/v1/votes/\(lab.vote)/ballot", token: token).status == 200)
        #expect(try await first.send("DELETE", "/api/v1/sessions", token: token).status == 204)
        // The notification crosses in milliseconds; a cache left to expire would take 30 seconds.
        var status = 200
        for _ in 0..<20 where status == 200 {
            try await Task.sleep(for: .milliseconds(50))
            status = try await second.send("GET", "/api/v1/votes/\(lab.vote)/ballot", token: token).status
        }
        #expect(status == 401)
        #expect(try await first.send("GET", "/api/v1/votes/\(lab.vote)/ballot", token: token).status == 401)
    }

    @Test("Guessing a password through both servers waits as it does through one: the throttle's counts are the database's")
    func throttleShared() async throws {
        let lab = try await Self.lab()
        let secret = try Self.secretFile()
        let (first, second) = (try await Server(lab.url, secret: secret), try await Server(lab.url, secret: secret))
        defer { first.stop(); second.stop() }
        let guess = "{\"name\":\"Aisha\",\"password\":\"guess\"}"
        // Five failures cost nothing, wherever they land: three on one server, two on the other.
        for server in [first, first, first, second, second] {
            #expect(try await server.send("POST", "/api/v1/sessions", json: guess).status == 401)
        }
        // The sixth waits (a second, after five); on its own, the second server would have let three more through.
        #expect(try await second.send("POST", "/api/v1/sessions", json: guess).status == 429)
    }

    /// How many transactions wrote the vote's ballots as they stand (PostgreSQL's `xmin`).
    static func writers(_ store: SQLLabStore, vote: Int64) async throws -> Int {
        try await store.backend.read { db in
            try db.count("SELECT COUNT(DISTINCT CAST(xmin AS TEXT)) FROM ballot WHERE voteId = ?", arguments: [vote])
        }
    }

    @Test("The lab secret of a server's database is a file given to every server; without it, the command says so")
    func secretForAServer() async throws {
        let lab = try await Self.lab()
        let list = FileManager.default.temporaryDirectory.appendingPathComponent("masar-list-\(UUID().uuidString).csv").path
        try "civil_id,birth_year\n10000001,1990\n".write(toFile: list, atomically: true, encoding: .utf8)
        let refused = try masar(["participant", "eligibility", list, "--phase", "P1", "--as", "Office", "--db", lab.url.text])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("a PostgreSQL database has no folder to keep the lab secret beside it: give --secret-file"))
        let loaded = try masar(["participant", "eligibility", list, "--phase", "P1", "--as", "Office", "--db", lab.url.text,
                                "--secret-file", try Self.secretFile()])
        #expect(loaded.status == 0 && loaded.stdout == "Loaded 1 entries of the eligibility list for P1.\n", "\(loaded.stderr)")
    }
}
