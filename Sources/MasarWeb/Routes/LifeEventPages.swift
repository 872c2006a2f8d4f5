import Foundation
import Hummingbird
import MasarCore
import MasarDiagrams
import MasarStore

/// Life events for anyone to read: each by its title, its services in the citizen's order, and
/// on its own page the bundle's figures before and after, its once-only violations and the
/// bundle diagram — what the CLI's `bundle` computes, over the services' latest maps in the store.
struct LifeEventPages {
    let web: WebServices

    init(_ web: WebServices) {
        self.web = web
    }

    func register(_ routes: inout Routes) {
        routes.add(.get, "/life-events", .everyone, list)
        routes.add(.get, "/life-events/:event", .everyone, page)
    }

    /// The services in the store, by id, with their stage.
    func imported() async throws -> [String: ServiceStatus] {
        Dictionary(uniqueKeysWithValues: try await web.store.statuses().map { ($0.service, $0) })
    }

    /// A life event's services in citizen order (its own order where `after` leaves it open), each
    /// with its title and stage once imported.
    func services(of event: LifeEvent, _ imported: [String: ServiceStatus], _ language: Language) async throws -> [[String: Any]] {
        let order = (try? event.citizenOrder().get()) ?? event.services
        return try await order.asyncMap { id -> [String: Any] in
            guard let status = imported[id] else { return ["id": id, "title": id, "stage": language.words["notImported"]!] }
            return ["id": id, "title": language.pick(try await web.store.latestMap(service: id).title), "imported": true,
                    "stage": language.stage(status.stage), "stageKey": status.stage.rawValue]
        }
    }

    func list(_ request: Request, context: MasarContext) async throws -> Response {
        let language = context.language
        let imported = try await imported()
        let events = try await web.lifeEvents.asyncMap { event -> [String: Any] in
            ["id": event.id, "title": language.pick(event.title), "services": try await services(of: event, imported, language)]
        }
        return web.pages.render("life-events", title: language.words["lifeEvents"]!, ["events": events],
                                request: request, context: context)
    }

    func page(_ request: Request, context: MasarContext) async throws -> Response {
        let language = context.language
        let id = try context.parameters.require("event")
        guard let event = web.lifeEvents.first(where: { $0.id == id }) else {
            throw Refusal(.notFound, ["kind": "lifeEvent", "id": id])
        }
        let imported = try await imported()
        var data: [String: Any] = ["title": language.pick(event.title), "services": try await services(of: event, imported, language)]
        let missing = event.services.filter { imported[$0] == nil }
        if !missing.isEmpty {
            data["missing"] = missing.joined(separator: "، ")
        } else {
            var catalogue: [String: ServiceMap] = [:]
            for service in event.services { catalogue[service] = try await web.store.latestMap(service: service) }
            switch event.bundle(catalogue) {
            case .failure: data["cycle"] = true
            case .success(let bundle):
                data.merge(Self.figures(bundle, language)) { _, new in new }
                // The revisions it is drawn from name the drawing: a new revision, a new diagram.
                let key = "life event \(event.id): " + event.services.map { "\($0)@\(imported[$0]!.revision)" }.joined(separator: ",")
                data["diagram"] = try await web.diagrams.svg(key: key, name: event.id) { Diagram.bundle(bundle) }
            }
        }
        return web.pages.render("life-event", title: language.pick(event.title), data, request: request, context: context)
    }

    /// The bundle's figures before and after (as `masar bundle` prints them) and its once-only violations.
    static func figures(_ bundle: LifeEventBundle, _ language: Language) -> [String: Any] {
        let titles = Dictionary(uniqueKeysWithValues: bundle.services.map { ($0.id, $0) })
        let figures = JourneyMetrics.Key.allCases.map { language.figures($0, before: bundle.current[$0], after: bundle.future?[$0]) }
        func violations(_ list: [OnceOnlyViolation], future: Bool) -> [[String: Any]] {
            list.map { violation in
                let map = titles[violation.service]
                let path = future ? map?.future ?? map?.current : map?.current
                return ["document": violation.document,
                        "service": map.map { language.pick($0.title) } ?? violation.service,
                        "step": path?.step(violation.step).map { language.pick($0.title) } ?? violation.step,
                        "heldBy": titles[violation.heldBy].map { language.pick($0.title) } ?? violation.heldBy]
            }
        }
        var onceOnly: [[String: Any]] = [["key": "today", "heading": language.words["onceOnlyToday"]!,
                                          "rows": violations(bundle.onceOnlyViolations, future: false)]]
        if let future = bundle.futureOnceOnlyViolations {
            onceOnly.append(["key": "after", "heading": language.words["onceOnlyAfter"]!, "rows": violations(future, future: true)])
        }
        return ["bundled": true, "figures": figures, "designed": bundle.future != nil, "onceOnly": onceOnly]
    }
}
