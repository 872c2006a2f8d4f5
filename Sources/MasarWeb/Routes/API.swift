import Foundation
import Hummingbird
import MasarCore
import MasarReports
import MasarStore

/// The JSON API under `/api/v1`, for government portals: the same figures, results, ballots and
/// stage changes as the pages, described in `docs/openapi.json`. Clients sign in for a bearer
/// token; the API never reads cookies, so no web page can act through a visitor's browser.
struct API {
    let web: WebServices

    init(_ web: WebServices) {
        self.web = web
    }

    func register(_ routes: inout Routes) {
        routes.add(.post, "/api/v1/sessions", .everyone, signIn)
        routes.add(.delete, "/api/v1/sessions", .everyone, signOut)
        routes.add(.get, "/api/v1/report", .everyone, report)
        routes.add(.get, "/api/v1/services", .everyone, services)
        routes.add(.get, "/api/v1/services/:service", .everyone, service)
        routes.add(.get, "/api/v1/votes/:vote/results", .everyone, results)
        routes.add(.get, "/api/v1/votes/:vote/ballot", .participants, ballot)
        routes.add(.post, "/api/v1/votes/:vote/ballot", .participants, cast)
        routes.add(.delete, "/api/v1/votes/:vote/ballot", .participants, withdraw)
        routes.add(.post, "/api/v1/services/:service/advance", .may(.advance), advance)
        routes.add(.post, "/api/v1/votes/:vote/close", .may(.closeVote), closeVote)
    }

    struct Credentials: Decodable {
        var code: String?
        var name: String?
        var password: String?
    }

    struct Token: Encodable {
        var token: String
        var expiresAt: Date
        var role: String
    }

    /// A participant signs in with `code` (and `password` on the digital track); staff with `name` and `password`.
    func signIn(_ request: Request, context: MasarContext) async throws -> Response {
        let credentials = try await request.decode(as: Credentials.self, context: context)
        let who: SignedIn?
        if let code = credentials.code {
            who = try await web.participant(code: code, password: credentials.password, from: context.remoteAddress)
        } else if let name = credentials.name, let password = credentials.password {
            who = try await web.staff(name: name, password: password, from: context.remoteAddress)
        } else {
            throw WebProblem(.signInFields)
        }
        guard let who else { throw WebProblem(.wrongCredentials) }
        let role: String = switch who {
        case .staff(let account): account.role.rawValue
        case .participant: LabRole.community.rawValue
        }
        return try json(Token(token: try await web.startSignIn(who), expiresAt: Date().addingTimeInterval(WebServices.lifetime(who)),
                              role: role), status: .created)
    }

    func signOut(_ request: Request, context: MasarContext) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { throw WebProblem(.signInNeeded) }
        try await web.signIns.end(Tokens.hash(String(header.dropFirst(7))))
        return Response(status: .noContent)
    }

    /// The programme report: the same object as `masar report --format json`.
    func report(_ request: Request, context: MasarContext) async throws -> Response {
        let phase = request.uri.queryParameters.get("phase").map { String($0) }
        return try json(ProgrammeReport.make(try await web.store.programmeSnapshot(phase: phase), phase: phase))
    }

    func services(_ request: Request, context: MasarContext) async throws -> Response {
        try json(try await web.store.statuses())
    }

    func service(_ request: Request, context: MasarContext) async throws -> Response {
        try json(try await web.store.status(service: try context.parameters.require("service")))
    }

    func results(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.number("vote")
        return try json(try await web.store.results(vote: id))
    }

    struct Ballot: Codable {
        /// Improvement or option number (as text, JSON's keys being text) → dots, or 1.
        var choices: [String: Int]

        /// `{"choices":{"1":3,"3":2}}`, keys in order: numbers only, so written directly (every
        /// ballot is answered with it, and an encoder costs more than the rest of the answer).
        static func json(_ choices: [Int64: Int]) -> String {
            "{\"choices\":{" + choices.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}}"
        }
    }

    func ballot(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.number("vote")
        let code = try context.participant().code
        guard let mine = try await web.store.ballot(vote: id, participant: code) else {
            throw Refusal(.noBallot, ["code": code, "vote": String(id)])
        }
        return Self.json(text: Ballot.json(mine))
    }

    /// Casts or changes the participant's ballot; it shares a durable commit with ballots sent at the same time.
    func cast(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.number("vote")
        let ballot = try await request.decode(as: Ballot.self, context: context)
        var choices: [Int64: Int] = [:]
        for (key, weight) in ballot.choices {
            guard let choice = Int64(key) else { throw Refusal(.notAChoice, ["choices": key, "vote": String(id)]) }
            choices[choice] = weight
        }
        try await web.ballots.cast(OnlineBallot(vote: id, participant: try context.participant().code, choices: choices))
        return Self.json(text: Ballot.json(choices))
    }

    func withdraw(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.number("vote")
        let participant = try context.participant()
        try await web.store.withdrawBallot(vote: id, participant: participant.code, by: participant.member)
        return Response(status: .noContent)
    }

    struct StageChange: Encodable {
        var service: String
        var stage: Stage
    }

    func advance(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.parameters.require("service")
        return try json(StageChange(service: id, stage: try await web.store.advance(service: id, by: try context.staff().member)))
    }

    func closeVote(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.number("vote")
        try await web.store.closeVote(id, by: try context.staff().member)
        return try json(try await web.store.results(vote: id))
    }

    static func json(text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// JSON as the command line prints it: keys sorted, dates in ISO 8601.
    func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}
