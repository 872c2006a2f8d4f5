import Hummingbird
import MasarCore
import MasarStore

/// Who may use a route. Every route states it once, where it is registered (`Routes.add`),
/// and the check runs before the handler; the store checks the role again for every change.
public enum Access: Sendable, Equatable {
    case everyone
    /// A signed-in participant.
    case participants
    /// A signed-in staff account in one of these roles.
    case staff(Set<LabRole>)

    static let anyStaff = Access.staff(Set(LabRole.staff))

    func admits(_ who: SignedIn?) -> Bool {
        switch (self, who) {
        case (.everyone, _): true
        case (.participants, .participant): true
        case (.staff(let roles), .staff(let account)): roles.contains(account.role)
        default: false
        }
    }
}

/// One registered route and who may use it; the list is public so a test can try every role
/// against every route.
public struct RouteRule: Sendable, Equatable {
    public var method: HTTPRequest.Method
    public var path: String
    public var access: Access
}

/// Registers routes on the router, each behind its access rule.
struct Routes {
    let router: Router<MasarContext>
    private(set) var rules: [RouteRule] = []

    init(_ router: Router<MasarContext>) {
        self.router = router
    }

    typealias Handler = @Sendable (Request, MasarContext) async throws -> Response

    mutating func add(_ method: HTTPRequest.Method, _ path: String, _ access: Access, _ handler: @escaping Handler) {
        rules.append(RouteRule(method: method, path: path, access: access))
        router.on(RouterPath(path), method: method) { request, context in
            guard access.admits(context.signedIn) else { throw Self.denied(access, request: request, context: context) }
            return try await handler(request, context)
        }
    }

    /// Nobody signed in: the API answers 401 and pages send the browser to the right sign-in
    /// page; signed in with the wrong role: 403.
    static func denied(_ access: Access, request: Request, context: MasarContext) -> Error {
        guard context.signedIn == nil else { return HTTPError(.forbidden) }
        if request.isAPI { return WebProblem(.signInNeeded) }
        let page = access == .participants ? "/signin" : "/staff/signin"
        // After signing in, back to the page: a form's own address (a ballot's POST) answers no GET.
        return SignInRequired(location: page + "?next=" + Pages.queryEscaped(context.page(of: request)))
    }
}

/// Thrown to send a browser that is not signed in to the sign-in page.
struct SignInRequired: Error, HTTPResponseError {
    var location: String
    var status: HTTPResponse.Status { .seeOther }
    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

extension Access {
    /// The staff who may do `action`: its roles, as the store states them.
    static func may(_ action: LabAction) -> Access {
        .staff(Set(action.roles).intersection(LabRole.staff))
    }
}
