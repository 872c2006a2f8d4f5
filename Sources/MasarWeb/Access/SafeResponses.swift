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
        } catch let redirect as SignInRequired {
            response = try redirect.response(from: request, context: context)
        } catch {
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
        // Outside the sign-in gate: the language comes from the request itself.
        var context = context
        context.language = Language.of(request)
        let words = context.language.words
        var code: String?
        let (status, title, detail): (HTTPResponse.Status, String, String?) = switch error {
        case let refusal as Refusal:
            (refusal.status, refusal.status == .unprocessableContent ? words["refused"]! : Self.title(refusal.status, words),
             refusal.message(in: context.language))
        case let issues as MapIssues: (.unprocessableContent, words["refused"]!, issues.description)
        case let problem as FormProblem: (.badRequest, words["badRequest"]!, problem.description)
        case let http as HTTPError:
            (http.status, Self.title(http.status, words), http.body)
        case let http as HTTPResponseError:  // e.g. a body over the size limit
            (http.status, Self.title(http.status, words), nil)
        default: (.internalServerError, words["serverError"]!, nil)
        }
        if status == .internalServerError {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
        }
        if let refusal = error as? Refusal { code = refusal.code.rawValue }
        if request.isAPI {
            // A refusal answers with its code and its message in the request's language.
            var answer = ["error": detail ?? title, "message": detail ?? title]
            answer["code"] = code
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let body = (try? encoder.encode(answer)) ?? Data()
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return pages.render("error", title: title, ["detail": detail as Any, "heading": title], request: request,
                            context: context, status: status)
    }

    static func title(_ status: HTTPResponse.Status, _ words: [String: String]) -> String {
        switch status {
        case .notFound: words["notFound"]!
        case .forbidden: words["forbidden"]!
        case .tooManyRequests: words["tooMany"]!
        case .contentTooLarge: words["tooLarge"]!
        case .internalServerError: words["serverError"]!
        default: words["badRequest"]!
        }
    }
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
