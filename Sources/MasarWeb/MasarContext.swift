import Hummingbird
import MasarCore
import MasarStore
import NIOCore

/// What Masar knows about one request: who sent it, from where, in which language, and the
/// token their forms must carry. Set by `SignInGate`, read by handlers.
public struct MasarContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address, for throttling sign-ins.
    public let remoteAddress: String
    /// Who is signed in, if anyone.
    public var signedIn: SignedIn?
    /// Whether the sign-in came from an API bearer token rather than a browser cookie.
    public var viaBearer = false
    public var language: Language = .arabic
    /// The anti-forgery token of this browser, put in every form.
    public var formToken = ""
    /// The page of this site the request was sent from, if its `Referer` says so: where an
    /// error page links back to, and where a form's sign-in or language switch returns.
    public var cameFrom: String?
    /// A form refused and shown again as typed (`KeptForm`), when this page answers one.
    var kept: KeptForm?


    /// The page to come back to after `request`: itself when it asks for a page, else the page
    /// its form was on — a form's address answers only POST.
    func page(of request: Request) -> String {
        guard request.method == .get else { return cameFrom ?? "/" }
        return request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
    }

    /// Forms and ballots are small; a larger body is refused before it is read.
    public var maxUploadSize: Int { 64 * 1024 }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The signed-in staff account; the route's access rule has already admitted it.
    func staff() throws -> AccountRecord {
        guard case .staff(let account) = signedIn else { throw HTTPError(.forbidden) }
        return account
    }

    /// Whoever is signed in, as they act in the lab (the rules read their role and scope).
    var member: Member? {
        switch signedIn {
        case .staff(let account): account.member
        case .participant(let participant): participant.member
        case nil: nil
        }
    }

    /// The number a path names (`/votes/:vote`): one that is not a number names nothing, so it
    /// is "not found" in the page's language, never the framework's English conversion error.
    func number(_ parameter: String) throws -> Int64 {
        guard let number = parameters.get(parameter, as: Int64.self) else {
            throw Refusal(.notFound, ["kind": parameter, "id": "#" + (parameters.get(parameter) ?? "")])
        }
        return number
    }

    /// The signed-in participant; the route's access rule has already admitted them.
    func participant() throws -> ParticipantRecord {
        guard case .participant(let participant) = signedIn else { throw HTTPError(.forbidden) }
        return participant
    }
}

extension Request {
    /// Whether the request is for the JSON API, which answers in JSON and knows only bearer tokens.
    var isAPI: Bool { uri.path.hasPrefix("/api/") }
}
