import Foundation
import Hummingbird
import MasarCore
import MasarDiagrams
import MasarReports
import MasarStore

/// What anyone may read: programme progress (the figures of `masar report`), each service with
/// its diagram, figures and pain points, and published vote results.
struct PublicPages {
    let web: WebServices

    init(_ web: WebServices) {
        self.web = web
    }

    func register(_ routes: inout Routes) {
        routes.add(.get, "/", .everyone, programme)
        routes.add(.get, "/services", .everyone, services)
        routes.add(.get, "/services/:service", .everyone, service)
        routes.add(.get, "/votes/:vote/results", .everyone, results)
        routes.add(.get, "/language", .everyone, language)
        routes.add(.get, "/assets/:file", .everyone, asset)
        // Browsers ask for /favicon.ico whatever a page names; it is the same icon.
        routes.add(.get, "/favicon.ico", .everyone) { _, _ in
            Response(status: .movedPermanently, headers: [.location: "/assets/favicon.svg"])
        }
        routes.add(.get, "/health", .everyone, health)
    }

    func programme(_ request: Request, context: MasarContext) async throws -> Response {
        var report = ProgrammeReport.make(try await web.store.programmeSnapshot(phase: nil))
        let language = context.language
        for index in report.bySector.indices { report.bySector[index].name = language.name("sector", report.bySector[index].name) }
        func groups(_ list: [ProgrammeReport.Group]) -> [[String: Any]] {
            list.map { group in
                ["name": group.name, "targeted": group.stages.targeted,
                 "stages": Stage.allCases.map { group.stages.byStage[$0] ?? 0 },
                 "completion": ProgrammeReport.percent(group.stages.completion),
                 "progress": ProgrammeReport.percent(group.stages.progress)]
            }
        }
        let data: [String: Any] = [
            "completion": ProgrammeReport.percent(report.overall.completion),
            "progress": ProgrammeReport.percent(report.overall.progress),
            "signedOff": report.overall.signedOff, "targeted": report.overall.targeted,
            "stageNames": Stage.allCases.map(language.stage),
            "sections": [["title": language.words["byPhase"]!, "groups": groups(report.byPhase)],
                         ["title": language.words["bySector"]!, "groups": groups(report.bySector)],
                         ["title": language.words["byInstitution"]!, "groups": groups(report.byInstitution)]],
            "participation": ["institutionRepresentatives": report.participation.institutionRepresentatives,
                              "communityInPerson": report.participation.communityInPerson,
                              "communityDigital": report.participation.communityDigital,
                              "institutions": report.participation.institutions,
                              "sessions": report.participation.sessions],
            "improvements": report.improvements.map { line in
                language.figures(JourneyMetrics.Key(rawValue: line.metric)!, before: line.before, after: line.after)
            },
            "lifeEvents": report.lifeEventsCovered,
            "chartPhases": ProgrammeReport.bars(report.byPhase, title: language.words["chartCompletion"]!),
            "chartSectors": ProgrammeReport.stacked(report.bySector, title: language.words["chartStages"]!,
                                                    stageName: language.stage),
        ]
        return web.pages.render("programme", title: language.words["programme"]!, data, request: request, context: context)
    }

    func services(_ request: Request, context: MasarContext) async throws -> Response {
        let rows = try await web.store.statuses().asyncMap { status -> [String: Any] in
            let map = try await web.store.latestMap(service: status.service)
            return ["id": status.service, "title": context.language.pick(map.title), "sector": context.language.name("sector", map.sector),
                    "owner": map.entity, "stage": context.language.stage(status.stage), "stageKey": status.stage.rawValue]
        }
        return web.pages.render("services", title: context.language.words["services"]!, ["services": rows],
                                request: request, context: context)
    }

    func service(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.parameters.require("service")
        let status = try await web.store.status(service: id)
        let map = try await web.store.latestMap(service: id)
        let language = context.language
        let current = map.current.metrics(.default, annualVolume: map.annualVolume)
        let future = map.future?.metrics(.default, annualVolume: map.annualVolume)
        let figures = JourneyMetrics.Key.allCases.map { language.figures($0, before: current[$0], after: future?[$0]) }
        let published = try await web.store.painPoints(service: id)
        let painPoints = published.map { point -> [String: Any] in
            ["step": language.step(point.stepId, of: map),
             "category": language.name("category", point.category.rawValue), "severity": point.severity, "text": language.content(point.text)]
        }
        let improvements = try await web.store.improvements(service: id).map { item -> [String: Any] in
            ["number": item.improvement.id!, "text": language.content(item.improvement.text),
             "status": language.name("status", item.improvement.status.rawValue)]
        }
        let now = Date()
        let votes = try await web.store.votes(service: id).map { vote -> [String: Any] in
            ["id": vote.id!, "question": language.content(vote.question), "mode": language.words["mode." + vote.mode.rawValue]!,
             "open": vote.terms.isOpen(at: now)]
        }
        // The audit log's head at each sign-off, as the signed document prints it.
        let signOffs = try await web.store.signOffs(service: id).map { signOff -> [String: Any] in
            ["institution": signOff.institution, "directorGeneral": signOff.directorGeneral,
             "on": LabRules.day(signOff.at), "head": signOff.auditHead?.description ?? "—"]
        }
        // The drawn diagram for wide screens, its phone form for narrow ones, in the page's language.
        let phone = StepList(service: map, DiagramOptions(language: LabelLanguage(language)))
        var data: [String: Any] = [
            "id": id, "name": language.pick(map.title), "sector": language.name("sector", map.sector), "owner": map.entity,
            "stage": language.stage(status.stage), "stageKey": status.stage.rawValue,
            "diagram": HTMLPage.labelled(try await web.diagrams.svg(revision: status.revision, map: map), phone.summary),
            "phoneDiagram": phone.html(),
            "figures": figures, "painPoints": painPoints, "improvements": improvements, "votes": votes,
            "signOffs": signOffs,
            "notice": request.uri.queryParameters.get("notice").flatMap { language.words[String($0)] } as Any,
        ]
        // A participant of the service's phase raises pain points and proposes here, while the lab takes them.
        switch context.signedIn {
        case .participant(let participant):
            data.merge(try await contributions(id, map: map, published: published, by: participant, context)) { page, _ in page }
        case nil:
            // Whether the lab takes the community's pain points now, as it would from one of its phase.
            let state = try await web.store.serviceState(id)
            if LabRules.contribute(.recordPainPoint, on: state, by: Member(name: "", role: .community, phase: state.lab.phase)) == nil {
                data["invite"] = "/signin?next=" + Pages.queryEscaped("/services/\(id)")
            }
        case .staff: break
        }
        return web.pages.render("service", title: language.pick(map.title), data, request: request, context: context)
    }

    /// The participant's forms, as the rules offer them, and what they contributed that is not
    /// published yet (nobody else's).
    func contributions(_ id: String, map: ServiceMap, published: [PainPointRecord], by participant: ParticipantRecord,
                       _ context: MasarContext) async throws -> [String: Any] {
        let state = try await web.store.serviceState(id)
        let language = context.language
        // Their own, which the store gives a participant of the service's phase.
        let own = (try? LabRules.readsUnpublished(state, by: participant.member).get()) == nil ? Contributions(painPoints: [], improvements: [])
            : try await web.store.unpublished(service: id, for: participant.member)
        let mine = own.painPoints.map { point -> [String: Any] in
            ["kind": language.words["painPoint"]!, "number": point.id!, "text": language.content(point.text),
             "standing": language.name("moderation", point.moderation.rawValue)]
        } + own.improvements.map { item -> [String: Any] in
            ["kind": language.words["improvement"]!, "number": item.improvement.id!, "text": language.content(item.improvement.text),
             "standing": language.name("moderation", item.improvement.moderation.rawValue)]
        }
        let refusal = LabRules.contribute(.recordPainPoint, on: state, by: participant.member)
        var data: [String: Any] = [
            "mayPainPoint": refusal == nil,
            "mayPropose": LabRules.contribute(.proposeImprovement, on: state, by: participant.member) == nil,
            // Why there is no form here, in the rule's words.
            "contributeRefusal": refusal?.message(in: language) as Any,
            "mine": mine,
        ]
        data.merge(ContributionForms.data(map, painPoints: published, path: "/services/\(Pages.queryEscaped(id))", sources: false,
                                          kept: context.kept, language: language)) { own, _ in own }
        return data
    }

    func results(_ request: Request, context: MasarContext) async throws -> Response {
        let id = try context.number("vote")
        let vote = try await web.store.vote(id)
        var data: [String: Any] = ["question": context.language.content(vote.question), "service": vote.labServiceId,
                                   "mode": context.language.words["mode." + vote.mode.rawValue]!]
        do {
            let results = try await web.store.results(vote: id)
            data["results"] = Self.resultsData(results, context.language)
        } catch let refusal as Refusal where refusal.code == .resultsHidden {
            data["hidden"] = true
        }
        return web.pages.render("results", title: context.language.pick(vote.question), data, request: request, context: context)
    }

    static func resultsData(_ results: VoteResults, _ language: Language) -> [String: Any] {
        ["closed": results.closed, "ballotsCast": language.count(results.ballotsCast, "ballots"),
         "registered": language.count(results.registered, "verifiedParticipants"),
         "withheld": !results.splitShown,
         "turnout": ProgrammeReport.percent(results.turnout),
         "lines": results.lines.map { line -> [String: Any] in
             ["choice": line.choice, "text": language.content(line.text), "ballots": line.ballots, "tallies": line.tallies,
              "combined": line.combined, "share": ProgrammeReport.percent(line.share),
              "bar": Int((line.share * 100).rounded())]
         }]
    }

    /// Sets the page language and goes back to the page (only ever a path on this site).
    func language(_ request: Request, context: MasarContext) async throws -> Response {
        let language = Language(rawValue: request.uri.queryParameters.get("to") ?? "") ?? .arabic
        var response = Pages.redirect(Pages.localPath(request.uri.queryParameters.get("back")) ?? "/")
        response.setCookie(web.cookies.cookie(Cookies.language, language.rawValue, maxAge: 365 * 24 * 3600))
        return response
    }

    /// For load balancers and monitors: the app answers (and the benchmark's trivial route).
    func health(_ request: Request, context: MasarContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }

    func asset(_ request: Request, context: MasarContext) async throws -> Response {
        let name = try context.parameters.require("file")
        guard let asset = Assets.files[name] else { throw Refusal(.notFound, ["kind": "file", "id": name]) }
        return Response(status: .ok, headers: [.contentType: asset.type, .cacheControl: "public, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: asset.data)))
    }
}

/// The stylesheet, the script and the icon, read once from the bundle. The stylesheet ends with
/// the rules of the diagrams' phone form, kept once in MasarDiagrams for the site, the catalogue and the lab document.
enum Assets {
    static let files: [String: (type: String, data: Data)] = {
        var files: [String: (String, Data)] = [:]
        for (name, type) in [("masar.css", "text/css; charset=utf-8"), ("ballot.js", "text/javascript; charset=utf-8"),
                             ("favicon.svg", "image/svg+xml")] {
            if let url = Bundle.module.url(forResource: "Assets/" + name, withExtension: nil),
               let data = try? Data(contentsOf: url) {
                files[name] = (type, name == "masar.css" ? data + Data(("\n" + StepList.css + "\n").utf8) : data)
            }
        }
        return files
    }()
}
