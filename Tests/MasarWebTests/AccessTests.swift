import Foundation
import Hummingbird
import HummingbirdTesting
import MasarCore
import MasarStore
import Testing
@testable import MasarWeb

/// Who may use each route, written out by hand from the issue and DESIGN — not read from the
/// app — so that a route registered with the wrong access, or a new route nobody listed, fails.
private let expected: [String: Set<Visitor>] = {
    let everyone = Set(Visitor.allCases)
    let staff: Set<Visitor> = [.facilitator, .qualityReviewer, .directorGeneral, .programmeOffice, .institutionRepresentative]
    return [
        "GET /": everyone, "GET /services": everyone, "GET /services/:service": everyone, "GET /life-events": everyone, "GET /life-events/:event": everyone,
        "GET /votes/:vote/results": everyone, "GET /language": everyone, "GET /assets/:file": everyone, "GET /health": everyone,
        "GET /favicon.ico": everyone,
        "GET /register": everyone, "POST /register": everyone, "GET /signin": everyone, "POST /signin": everyone,
        "POST /signout": everyone, "GET /staff/signin": everyone, "POST /staff/signin": everyone,
        "GET /me": [.participant], "GET /votes/:vote": [.participant], "POST /votes/:vote/ballot": [.participant],
        "POST /votes/:vote/withdraw": [.participant],
        "POST /services/:service/pain-points": [.participant],
        "POST /services/:service/improvements": [.participant],
        "GET /dashboard": staff, "GET /manage/services/:service": staff, "GET /manage/services/:service/document": staff,
        "POST /manage/services/:service/document": [.facilitator],
        "POST /manage/services/:service/advance": [.facilitator],
        "POST /manage/services/:service/pain-points": [.facilitator, .institutionRepresentative],
        "POST /manage/services/:service/improvements": [.facilitator, .institutionRepresentative],
        "POST /manage/improvements/:improvement/decision": [.facilitator],
        "POST /manage/pain-points/:painPoint/moderation": [.facilitator],
        "POST /manage/improvements/:improvement/moderation": [.facilitator],
        "POST /manage/services/:service/votes": [.facilitator],
        "POST /manage/votes/:vote/close": [.facilitator], "POST /manage/votes/:vote/ballots": [.facilitator],
        "POST /manage/votes/:vote/tallies": [.facilitator],
        "POST /manage/services/:service/review": [.qualityReviewer, .institutionRepresentative],
        "POST /manage/services/:service/sign-off": [.directorGeneral],
        "POST /manage/phases": [.facilitator, .programmeOffice], "POST /manage/labs": [.facilitator, .programmeOffice],
        "POST /manage/labs/:lab/sessions": [.facilitator], "POST /manage/labs/:lab/services": [.facilitator],
        "POST /manage/participants": [.facilitator, .programmeOffice],
        "POST /manage/participants/sheet": [.facilitator, .programmeOffice],
        "GET /manage/participants/registered": [.facilitator, .programmeOffice], "POST /manage/votes/:vote/sheet": [.facilitator],
        "POST /api/v1/sessions": everyone, "DELETE /api/v1/sessions": everyone, "GET /api/v1/report": everyone,
        "GET /api/v1/services": everyone, "GET /api/v1/services/:service": everyone,
        "GET /api/v1/votes/:vote/results": everyone, "GET /api/v1/votes/:vote/ballot": [.participant],
        "POST /api/v1/votes/:vote/ballot": [.participant], "DELETE /api/v1/votes/:vote/ballot": [.participant],
        "POST /api/v1/services/:service/advance": [.facilitator], "POST /api/v1/votes/:vote/close": [.facilitator],
        "GET /manage/participants/unverified": [.facilitator, .programmeOffice],
        "POST /manage/participants/:code/verify": [.facilitator, .programmeOffice],
        "POST /manage/phases/eligibility": [.programmeOffice], "GET /manage/audit": staff,
        "GET /manage/accounts": [.programmeOffice], "POST /manage/accounts": [.programmeOffice],
        "POST /manage/accounts/password": [.programmeOffice], "POST /manage/labs/:lab/facilitators": [.programmeOffice],
        "GET /report/download": everyone, "GET /manage/services/:service/document.md": staff,
        "GET /manage/participants": [.facilitator, .programmeOffice],
        "POST /manage/labs/:lab/upload": [.facilitator], "GET /manage/uploads/:upload": [.facilitator],
        "POST /manage/votes/:vote/ballots/withdraw": [.facilitator],
    ]
}()

@Suite("Roles on every route")
struct AccessTests {
    @Test("Every route is listed with who may use it")
    func everyRouteListed() async throws {
        let lab = try await WebLab()
        let web = try await WebApp(store: lab.db)
        let registered = Set(web.routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(registered == Set(expected.keys))
    }

    @Test("Every visitor, and no session, against every route: only the listed ones get past the door")
    func matrix() async throws {
        let lab = try await WebLab()
        let routes = try await WebApp(store: lab.db).routes
        let app = try await lab.app()
        // Signing out ends the visitors' sign-ins, so those two routes go last.
        let signOuts = ["/signout", "/api/v1/sessions"]
        let ordered = routes.filter { !($0.method != .get && signOuts.contains($0.path)) }
            + routes.filter { $0.method != .get && signOuts.contains($0.path) }
        try await app.test(.router) { client in
            for rule in ordered {
                let key = "\(rule.method.rawValue) \(rule.path)"
                let uri = rule.path.replacingOccurrences(of: ":service", with: "burial-permit")
                    .replacingOccurrences(of: ":vote", with: "\(lab.vote)")
                    .replacingOccurrences(of: ":improvement", with: "\(lab.improvements[0])")
                    .replacingOccurrences(of: ":file", with: "masar.css")
                    .replacingOccurrences(of: ":lab", with: "1")
                let api = uri.hasPrefix("/api/")
                for visitor in Visitor.allCases {
                    let headers = api ? lab.apiClient(visitor) : lab.browser(visitor)
                    // An empty body is enough: the door is checked before any field is read.
                    let body = rule.method == .get ? nil : (api ? ByteBuffer(string: "{}") : lab.form(as: visitor))
                    let response = try await client.execute(uri: uri, method: rule.method, headers: headers, body: body)
                    let allowed = expected[key]?.contains(visitor) ?? false
                    let turnedAway: Bool = switch response.status {
                    case .forbidden: !(response.text.contains("انتهت صلاحية النموذج"))  // a form-token refusal is not a role refusal
                    case .unauthorized: api && !(key == "POST /api/v1/sessions" || key == "DELETE /api/v1/sessions")
                    case .seeOther: response.headers[.location]?.contains("signin?next=") == true
                    default: false
                    }
                    #expect(turnedAway == !allowed, "\(key) as \(visitor): \(response.status)")
                    if !allowed {
                        let expectedStatus: HTTPResponse.Status = visitor == .nobody ? (api ? .unauthorized : .seeOther) : .forbidden
                        #expect(response.status == expectedStatus, "\(key) as \(visitor)")
                    }
                }
            }
        }
        // Nothing the visitors without the role tried changed the service.
        #expect(try await lab.stage() != .signedOff)
    }
}

@Suite("The API's description")
struct OpenAPITests {
    @Test("docs/openapi.json describes exactly the API's routes")
    func matchesRoutes() async throws {
        let file = URL(fileURLWithPath: servicesFolder).deletingLastPathComponent().appendingPathComponent("docs/openapi.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let described = Set(paths.flatMap { path, operations in
            operations.keys.map { "\($0.uppercased()) /api/v1" + path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "") }
        })
        let lab = try await WebLab()
        let routes = Set(try await WebApp(store: lab.db).routes.filter { $0.path.hasPrefix("/api/") }.map { "\($0.method.rawValue) \($0.path)" })
        #expect(described == routes)
    }
}
