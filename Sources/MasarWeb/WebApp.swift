import Foundation
import Hummingbird
import Logging
import MasarCore
import MasarDiagrams
import MasarStore

/// How `masar serve` runs the web app.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// The address people use, e.g. `https://masar.example.om`; an https address makes cookies Secure.
    public var publicURL: String?
    /// Graphviz in helper processes; without one, diagrams render in this process.
    public var renderPool: RenderPool?
    /// The lab secret civil ID numbers are hashed under, the same the command line uses. The
    /// default is this process's own: hashes made under it match nothing after a restart, so
    /// `masar serve` always gives the lab's.
    public var secret: LabSecret
    /// The life events the pages bundle (their titles and citizen order), read from a catalogue's
    /// `life-events/` files as the CLI's `bundle` reads them; their services come from the store.
    public var lifeEvents: [LifeEvent]

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, renderPool: RenderPool? = nil,
                secret: LabSecret = .random(), lifeEvents: [LifeEvent] = []) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.renderPool = renderPool
        self.secret = secret
        self.lifeEvents = lifeEvents
    }

    var https: Bool { publicURL?.lowercased().hasPrefix("https://") == true }
    var cookies: CookiePolicy { CookiePolicy(secure: https) }
}

/// Masar on the web: public progress pages, participants' votes, the lab staff's work and a
/// JSON API, over the same store and the same rules as the command line.
public struct WebApp {
    public let router: Router<MasarContext>
    /// Every route and who may use it.
    public let routes: [RouteRule]

    public init(store: any LabStore, configuration: WebConfiguration = WebConfiguration(),
                throttle: SignInThrottle? = nil) async throws {
        let pages = try await Pages()
        let router = Router(context: MasarContext.self)
        router.add(middleware: SafeResponses(pages: pages, strictTransport: configuration.https))
        let signIns = SignInCache(store: store)
        router.add(middleware: SignInGate(signIns: signIns, cookies: configuration.cookies,
                                          formTokens: FormTokens(secret: configuration.secret),
                                          site: SiteOrigin(publicURL: configuration.publicURL)))
        let services = WebServices(store: store, pages: pages, cookies: configuration.cookies,
                                   throttle: throttle ?? SignInThrottle(store: store), signIns: signIns,
                                   diagrams: DiagramCache(pool: configuration.renderPool),
                                   ballots: BallotBox(store: store), secret: configuration.secret, uploads: Uploads(),
                                   lifeEvents: configuration.lifeEvents)
        var routes = Routes(router)
        PublicPages(services).register(&routes)
        ParticipantPages(services).register(&routes)
        StaffPages(services).register(&routes)
        ProgrammePages(services).register(&routes)
        TrustPages(services).register(&routes)
        OfficePages(services).register(&routes)
        ReportPages(services).register(&routes)
        UploadPages(services).register(&routes)
        PaperBallotPages(services).register(&routes)
        LifeEventPages(services).register(&routes)
        API(services).register(&routes)
        self.router = router
        self.routes = routes.rules
    }

    /// The application, ready to run until SIGINT or SIGTERM (then it finishes the requests in
    /// flight before stopping).
    public func application(_ configuration: WebConfiguration, logger: Logger) -> some ApplicationProtocol {
        Application(router: router,
                    configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Masar"),
                    logger: logger)
    }
}

/// What the handlers share: the store, the pages, and the app's few moving parts.
struct WebServices: Sendable {
    let store: any LabStore
    let pages: Pages
    let cookies: CookiePolicy
    let throttle: SignInThrottle
    let signIns: SignInCache
    let diagrams: DiagramCache
    let ballots: BallotBox
    let secret: LabSecret
    let uploads: Uploads
    let lifeEvents: [LifeEvent]
}
