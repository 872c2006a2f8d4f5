import Foundation
import Hummingbird
import MasarCore
import MasarStore

/// Names of Masar's cookies.
enum Cookies {
    static let signIn = "masar_session"
    /// A random id for a browser that is not signed in, which its form token is bound to.
    static let visitor = "masar_visitor"
    static let language = "masar_lang"
}

/// Runs before every route: finds who is signed in (a browser's cookie or an API client's
/// bearer token), the page language, and the browser's form token; refuses a state-changing
/// request from another site, and a form that does not carry the token (cross-site request forgery).
struct SignInGate: RouterMiddleware {
    let signIns: SignInCache
    let cookies: CookiePolicy
    let formTokens: FormTokens
    let site: SiteOrigin

    func handle(_ request: Request, context: MasarContext,
                next: (Request, MasarContext) async throws -> Response) async throws -> Response {
        var request = request, context = context
        context.language = Language.of(request)
        context.cameFrom = site.cameFrom(request)
        let api = request.isAPI
        var signIn: String?
        if let header = request.headers[.authorization] {
            guard header.hasPrefix("Bearer ") else { throw WebProblem(.signInNeeded) }
            context.viaBearer = true
            context.signedIn = try await signIns.lookUp(Tokens.hash(String(header.dropFirst(7))))
            guard context.signedIn != nil else { throw WebProblem(.signInNeeded) }
        } else if let token = request.cookies[Cookies.signIn]?.value, !api {
            // The API reads only bearer tokens, so no other site's page can act through a visitor's cookie there.
            context.signedIn = try await signIns.lookUp(Tokens.hash(token))
            if context.signedIn != nil { signIn = token }
        }
        // API clients fill in no forms: only browsers get a form token, bound to their sign-in or visitor id.
        var newVisitor: String?
        if !api {
            let holder: FormTokens.Holder
            if let signIn {
                holder = .signIn(signIn)
            } else if let visitor = request.cookies[Cookies.visitor]?.value {
                holder = .visitor(visitor)
            } else {
                // A first visit gets its id with this answer; no form it sends now can carry the token yet.
                newVisitor = Tokens.make()
                holder = .visitor(newVisitor!)
            }
            context.formToken = formTokens.token(for: holder)
        }

        // From here on the visitor is known: an error page shows the header they were signed in with.
        do {
            if request.method != .get, request.method != .head {
                if site.isForeign(request) { throw WebProblem(.foreignForm) }
                if api {
                    // A JSON body cannot be sent across sites without the browser asking first (CORS).
                    guard request.headers[.contentType]?.hasPrefix("application/json") ?? (request.method == .delete) else {
                        throw WebProblem(.sendJSON)
                    }
                } else {
                    _ = try await request.collectBody(upTo: context.maxUploadSize)
                    let form = try await Form(request, context: context)
                    guard let sent = form.fields["_form"]?.first, Tokens.same(sent, context.formToken) else {
                        throw WebProblem(.formExpired)
                    }
                }
            }
            var response = try await next(request, context)
            if let newVisitor { response.setCookie(cookies.cookie(Cookies.visitor, newVisitor)) }
            return response
        } catch {
            throw SignedInFailure(error: error, context: context)
        }
    }
}

/// How Masar's cookies are set: HttpOnly and SameSite=Lax always, Secure when the app is
/// served over TLS (its public address is https).
public struct CookiePolicy: Sendable {
    public var secure: Bool

    public init(secure: Bool) {
        self.secure = secure
    }

    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
