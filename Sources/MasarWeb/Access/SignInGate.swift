import Foundation
import Hummingbird
import MasarCore
import MasarStore

/// Names of Masar's cookies.
enum Cookies {
    static let signIn = "masar_session"
    static let formToken = "masar_form"
    static let language = "masar_lang"
}

/// Runs before every route: finds who is signed in (a browser's cookie or an API client's
/// bearer token), the page language, and the browser's form token; refuses a state-changing
/// form that does not carry that token (cross-site request forgery) or comes from another origin.
struct SignInGate: RouterMiddleware {
    let signIns: SignInCache
    let cookies: CookiePolicy

    func handle(_ request: Request, context: MasarContext,
                next: (Request, MasarContext) async throws -> Response) async throws -> Response {
        var request = request, context = context
        context.language = Language.of(request)
        if let header = request.headers[.authorization] {
            guard header.hasPrefix("Bearer ") else { throw HTTPError(.unauthorized) }
            context.viaBearer = true
            context.signedIn = try await signIns.lookUp(Tokens.hash(String(header.dropFirst(7))))
            guard context.signedIn != nil else { throw HTTPError(.unauthorized) }
        } else if let token = request.cookies[Cookies.signIn]?.value, !request.isAPI {
            // The API reads only bearer tokens, so no other site's page can act through a visitor's cookie there.
            context.signedIn = try await signIns.lookUp(Tokens.hash(token))
        }
        let api = request.isAPI
        // API clients fill in no forms: only browsers get a form token.
        let browserToken = api ? nil : request.cookies[Cookies.formToken]?.value
        context.formToken = api ? "" : browserToken ?? Tokens.make()

        if request.method != .get, request.method != .head {
            if api {
                // A JSON body cannot be sent across sites without the browser asking first (CORS).
                guard request.headers[.contentType]?.hasPrefix("application/json") ?? (request.method == .delete) else {
                    throw HTTPError(.unsupportedMediaType, message: "send JSON (Content-Type: application/json)")
                }
            } else {
                if let origin = request.headers[.origin], let host = request.head.authority,
                   URL(string: origin)?.host.map({ host == $0 || host.hasPrefix($0 + ":") }) != true {
                    throw HTTPError(.forbidden, message: "a form from another site")
                }
                _ = try await request.collectBody(upTo: context.maxUploadSize)
                let form = try await Form(request, context: context)
                guard let browserToken, let sent = form.fields["_form"]?.first, Tokens.same(sent, browserToken) else {
                    throw HTTPError(.forbidden, message: "the form has expired; reload the page and try again")
                }
            }
        }
        var response = try await next(request, context)
        if !api, browserToken == nil { response.setCookie(cookies.cookie(Cookies.formToken, context.formToken)) }
        return response
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
