import Foundation
import HTTPTypes
import Hummingbird
import MasarCore
import MasarStore

/// The outermost middleware: turns every failure into a page (or, under `/api/`, JSON) that
/// says what happened in the visitor's language — never a stack trace or SQL — and adds the
/// security headers to every response.
struct SafeResponses: RouterMiddleware {
    let pages: Pages
    /// Whether the public address is https: browsers are then told never to come over plain http.
    let strictTransport: Bool

    func handle(_ request: Request, context: MasarContext,
                next: (Request, MasarContext) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            var (error, context) = (error, context)
            if let known = error as? SignedInFailure {
                (error, context) = (known.error, known.context)
            } else {
                // Refused at the gate, before it knew the visitor: the language comes from the request itself.
                context.language = Language.of(request)
            }
            if let redirect = error as? SignInRequired { return try redirect.response(from: request, context: context) }
            response = failure(error, request: request, context: context)
            // A sign-in that must wait says how long, to browsers and API clients alike.
            if let seconds = (error as? Refusal)?.arguments["seconds"] { response.headers[.retryAfter] = seconds }
        }
        response.headers[.contentSecurityPolicy] = "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            + "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        // Pages show who is signed in (a participant's code) and carry their form token: no cache
        // may keep one. Only the assets say otherwise.
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if strictTransport { response.headers[.strictTransportSecurity] = "max-age=31536000" }
        return response
    }

    func failure(_ error: Error, request: Request, context: MasarContext) -> Response {
        let words = context.language.words
        var code: String?
        let (status, title, detail): (HTTPResponse.Status, String, String?) = switch error {
        case let refusal as Refusal:
            (refusal.status, refusal.status == .unprocessableContent ? words["refused"]! : Self.title(refusal.status, words),
             refusal.message(in: context.language))
        case let issues as MapIssues: (.unprocessableContent, words["refused"]!, issues.description(in: context.language))
        case let problem as WebProblem: (problem.status, Self.title(problem.status, words), problem.message(in: context.language))
        // The framework's own words are English and name its types: only the status is shown.
        case let http as HTTPError: (http.status, Self.title(http.status, words), nil)
        case let http as HTTPResponseError:  // e.g. a body over the size limit
            (http.status, Self.title(http.status, words), nil)
        default: (.internalServerError, words["serverError"]!, nil)
        }
        if status == .internalServerError {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
        }
        if let refusal = error as? Refusal { code = refusal.code.rawValue }
        if let problem = error as? WebProblem { code = problem.kind.rawValue }
        if request.isAPI {
            // A refusal answers with its code and its message in the request's language.
            var answer = ["error": detail ?? title, "message": detail ?? title]
            answer["code"] = code
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let body = (try? encoder.encode(answer)) ?? Data()
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return pages.render("error", title: title, ["detail": detail as Any, "heading": title, "back": back(request, context)],
                            request: request, context: context, status: status)
    }

    /// Where an error page links back to: the page the visitor came from, else their own start
    /// page — the dashboard for staff, their votes for a participant, else the programme.
    func back(_ request: Request, _ context: MasarContext) -> [String: String] {
        if let page = context.cameFrom, page != request.uri.path { return ["href": page, "name": context.language.words["back"]!] }
        return switch context.signedIn {
        case .staff: ["href": "/dashboard", "name": context.language.words["dashboard"]!]
        case .participant: ["href": "/me", "name": context.language.words["myVotes"]!]
        case nil: ["href": "/", "name": context.language.words["programme"]!]
        }
    }

    static func title(_ status: HTTPResponse.Status, _ words: [String: String]) -> String {
        switch status {
        case .notFound: words["notFound"]!
        case .forbidden: words["forbidden"]!
        case .unauthorized: words["signInFirst"]!
        case .tooManyRequests: words["tooMany"]!
        case .contentTooLarge: words["tooLarge"]!
        case .internalServerError: words["serverError"]!
        default: words["badRequest"]!
        }
    }
}

/// A failure past the sign-in gate, with the context the gate built: the error page keeps the
/// visitor's language, header and form token.
struct SignedInFailure: Error {
    var error: Error
    var context: MasarContext
}

extension Refusal {
    /// Most refusals are 422; what does not exist is 404, and a sign-in or registration that must wait 429.
    var status: HTTPResponse.Status {
        switch code {
        case .notFound: .notFound
        case .signInWait, .addressWait, .registrationWait: .tooManyRequests
        default: .unprocessableContent
        }
    }
}
