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
