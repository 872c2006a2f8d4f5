import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MasarCore
@testable import MasarStore
import Testing
@testable import MasarWeb

let servicesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Services").path
/// The facilitator of the lab, as its account (named by its role) signs in.
let facilitatorMember = Member(name: "facilitator", role: .facilitator)
let officeMember = Member(name: "Office", role: .programmeOffice)
let password = "correct horse battery"

/// Where a test's lab is kept: a new SQLite file, or with `MASAR_TEST_BACKEND=postgres` a new
/// database on the server `make test` starts (`MASAR_TEST_POSTGRES`), so that the web's tests
/// run on both backends.
enum TestDatabase {
    static let postgres: PostgresURL? = ProcessInfo.processInfo.environment["MASAR_TEST_BACKEND"] == "postgres"
        ? ProcessInfo.processInfo.environment["MASAR_TEST_POSTGRES"].flatMap { try? PostgresURL($0) } : nil

    static func fresh() async throws -> (SQLLabStore, String) {
        if let server = postgres {
            let url = try await PostgresLabStore.createDatabase("masar_web_" + UUID().uuidString.replacingOccurrences(of: "-", with: "_").lowercased(),
                                                                on: server)
            return (try await PostgresLabStore.open(url), url.text)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("masar-web-\(UUID().uuidString).sqlite").path
        return (try SQLiteLabStore.open(path: path), path)
    }

    /// Plain SQL with the application's rights, as an attacker who took the application over would send it.
    static func raw(_ store: SQLLabStore, _ statements: String...) async throws {
        try await store.backend.write { db in
            for statement in statements { try db.execute(statement, []) }
        }
    }
}

/// Who a test request comes from.
enum Visitor: CaseIterable, CustomStringConvertible {
    case nobody, participant, facilitator, qualityReviewer, directorGeneral, programmeOffice, institutionRepresentative

    var role: LabRole? {
        switch self {
        case .nobody, .participant: nil
        case .facilitator: .facilitator
        case .qualityReviewer: .qualityReviewer
        case .directorGeneral: .directorGeneral
        case .programmeOffice: .programmeOffice
        case .institutionRepresentative: .institutionRepresentative
        }
    }

    var description: String { role?.rawValue ?? (self == .nobody ? "no session" : "participant") }
}

/// A lab with burial permit in future-design, three proposed improvements and a dots vote
/// (5 dots, at most 3 on one), two participants, and an account and sign-in for every role.
final class WebLab: Sendable {
    let db: SQLLabStore
    let path: String
    let improvements: [Int64]
    let vote: Int64
    /// Registration codes: [0] in person (no password), [1] digital with `password`.
    let codes: [String]
    /// A sign-in token for every visitor but `.nobody`.
    let tokens: [String: String]
    /// The test browser's visitor id (its cookie) while it is not signed in.
    let visitorID = "test-visitor"
    /// The server's secret in every app of this lab, so that a test can make the form token its page would carry.
    let secret = try! LabSecret(Data("the web lab's secret, 32 bytes or more".utf8), source: "test")

    init(hostileTitle: Bool = false) async throws {
        let (db, path) = try await TestDatabase.fresh()
        self.path = path
        self.db = db
        try await db.createPhase(name: "P1", startsOn: "2026-01-01", sectors: [], targets: ["burial-permit"], by: facilitatorMember)
        try await db.createLab(name: "Lab", phase: "P1", sectors: [], by: facilitatorMember)
        var yaml = try String(contentsOfFile: servicesFolder + "/burial-permit.yaml", encoding: .utf8)
        if hostileTitle {
            yaml = yaml.replacingOccurrences(of: "title: {en: Burial permit, ar: تصريح الدفن}",
                                             with: "title: {en: \"<script>alert('t')</script> & Burial\", ar: \"<b>تصريح</b>\"}")
        }
        try await db.importService(yaml: yaml, file: "burial-permit.yaml", lab: "Lab", by: facilitatorMember)
        try await db.advance(service: "burial-permit", by: facilitatorMember)
        let point = try await db.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits, severity: 4,
                                        source: .community, text: hostileTitle ? "\"><img src=x onerror=alert(1)>" : "A second trip",
                                        by: facilitatorMember)
        try await db.advance(service: "burial-permit", by: facilitatorMember)
        var improvements: [Int64] = []
        for text: LocalizedText in ["Hospital reports the death", "Permit issued online", "One visit for everything"] {
            improvements.append(try await db.proposeImprovement(service: "burial-permit", text: text, addresses: [point.id!],
                                                                by: facilitatorMember).id!)
        }
        self.improvements = improvements
        vote = try await db.openVote(service: "burial-permit", mode: .dots, question: "Which first?", opensAt: Date().addingTimeInterval(-60),
                               closesAt: Date().addingTimeInterval(3600), dotBudget: 5, dotCap: 3, liveResults: true,
                               by: facilitatorMember).id!
        let hash = try await Passwords.hash(password)
        let inPerson = try await db.registerParticipant(phase: "P1", name: "Salim", track: .inPerson, kind: .community, by: facilitatorMember)
        let digital = try await db.registerOnline(phase: "P1", name: "Maryam", track: .digital, passwordHash: hash, civilID: nil)
        try await db.verifyParticipant(code: digital.code, by: facilitatorMember)
        codes = [inPerson.code, digital.code]
        var tokens: [String: String] = [:]
        for visitor in Visitor.allCases {
            let who: SignedIn
            switch visitor {
            case .nobody: continue
            case .participant: who = .participant(inPerson)
            default:
                let role = visitor.role!
                who = .staff(try await db.createAccount(name: role.rawValue, role: role,
                                                  institution: role == .directorGeneral ? "Hospital"
                                                      : role == .institutionRepresentative ? "Muscat Municipality" : nil,
                                                  passwordHash: hash, by: officeMember))
            }
            let token = "token-\(visitor)"
            try await db.startSignIn(tokenHash: Tokens.hash(token), for: who, expiresAt: Date().addingTimeInterval(3600))
            tokens["\(visitor)"] = token
        }
        self.tokens = tokens
    }

    /// The app under test, on this lab's database, with the lab's secret.
    func app(_ configuration: WebConfiguration = WebConfiguration(), throttle: SignInThrottle? = nil)
        async throws -> some ApplicationProtocol {
        var configuration = configuration
        configuration.secret = secret
        let web = try await WebApp(store: db, configuration: configuration, throttle: throttle)
        var logger = Logger(label: "masar-test")
        logger.logLevel = .critical
        return web.application(configuration, logger: logger)
    }

    /// Headers of a browser: its visitor cookie, and the visitor's sign-in cookie.
    func browser(_ visitor: Visitor) -> HTTPFields {
        browser(session: tokens["\(visitor)"])
    }

    /// Headers of a browser signed in with `session` (nil: not signed in).
    func browser(session: String?) -> HTTPFields {
        var cookies = ["\(Cookies.visitor)=\(visitorID)"]
        if let session { cookies.append("\(Cookies.signIn)=\(session)") }
        return [.cookie: cookies.joined(separator: "; "), .contentType: "application/x-www-form-urlencoded"]
    }

    /// Headers of an API client with the visitor's bearer token.
    func apiClient(_ visitor: Visitor) -> HTTPFields {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token = tokens["\(visitor)"] { headers[.authorization] = "Bearer \(token)" }
        return headers
    }

    /// The form token the pages give the browser signed in with `session`, or not signed in (nil).
    func formToken(session: String?) -> String {
        FormTokens(secret: secret).token(for: session.map { .signIn($0) } ?? .visitor(visitorID))
    }

    /// A form body from the visitor's browser: its anti-forgery token and these fields.
    func form(_ fields: [(String, String)] = [], as visitor: Visitor) -> ByteBuffer {
        form(fields, session: tokens["\(visitor)"])
    }

    /// A form body from the browser signed in with `session` (nil: not signed in).
    func form(_ fields: [(String, String)] = [], session: String?) -> ByteBuffer {
        let all = [("_form", formToken(session: session))] + fields
        return ByteBuffer(string: all.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&"))
    }

    func stage() async throws -> Stage { try await db.status(service: "burial-permit").stage }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// The cookie value a response sets, by name.
func cookie(_ name: String, in response: TestResponse) -> String? {
    response.headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
        .map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
}
