import Foundation
import Hummingbird
import HummingbirdTesting
import MasarCore
import MasarStore
import Testing
@testable import MasarWeb

@Suite("Life events on the web")
struct LifeEventPagesTests {
    /// The catalogue's "Death of a relative": death registration first, then burial, inheritance, pension.
    static func deathOfARelative() throws -> LifeEvent {
        guard case .lifeEvent(let event) = try MapLoader.load(file: servicesFolder + "/life-events/death-of-a-relative.yaml") else {
            throw MapIssues([])
        }
        return event
    }

    func importServices(_ ids: [String], into lab: WebLab) async throws {
        for id in ids {
            let yaml = try String(contentsOfFile: servicesFolder + "/\(id).yaml", encoding: .utf8)
            try await lab.db.importService(yaml: yaml, file: "\(id).yaml", lab: "Lab", by: facilitatorMember)
        }
    }

    @Test("Life events are listed by title, their services in the citizen's order rather than alphabetically")
    func list() async throws {
        let lab = try await WebLab()
        try await importServices(["death-registration"], into: lab)
        try await lab.app(WebConfiguration(lifeEvents: [try Self.deathOfARelative()])).test(.router) { client in
            let page = try await client.execute(uri: "/life-events", method: .get)
            #expect(page.text.contains("<a href=\"/life-events/death-of-a-relative\" dir=\"auto\">وفاة أحد الأقارب</a>"))
            let order = ["death-registration", "burial-permit", "inheritance-determination", "social-security-pension"]
                .map { page.text.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil })
            #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted())
            // A service not imported yet is named by its id and said to be missing.
            #expect(page.text.contains("<bdi dir=\"ltr\">inheritance-determination</bdi> · <span class=\"stage\">لم تُستورد بعد</span>"))
        }
    }

    @Test("A life event's page: until every service is imported it says which are missing; then the bundle's figures, violations and diagram")
    func page() async throws {
        let lab = try await WebLab()
        let event = try Self.deathOfARelative()
        try await importServices(["death-registration"], into: lab)
        let app = try await lab.app(WebConfiguration(lifeEvents: [event]))
        try await app.test(.router) { client in
            let early = try await client.execute(uri: "/life-events/death-of-a-relative", method: .get, headers: [.cookie: "masar_lang=en"])
            #expect(early.text.contains("missing: <bdi dir=\"ltr\">inheritance-determination، social-security-pension</bdi>"))
            #expect(!early.text.contains("id=\"bundle-figures\""))
            let unknown = try await client.execute(uri: "/life-events/nothing-like-it", method: .get)
            #expect(unknown.status == .notFound)
        }
        try await importServices(["inheritance-determination", "social-security-pension"], into: lab)
        // What `masar bundle` computes over the same maps.
        var catalogue: [String: ServiceMap] = [:]
        for id in event.services { catalogue[id] = try await lab.db.latestMap(service: id) }
        let bundle = try event.bundle(catalogue).get()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/life-events/death-of-a-relative", method: .get, headers: [.cookie: "masar_lang=en"])
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"bundle-figures\""))
            let steps = JourneyMetrics.Key.steps
            #expect(page.text.contains("<th scope=\"row\">\(steps.label.en!)</th><td dir=\"auto\">\(steps.format(bundle.current[steps]))</td>"))
            #expect(page.text.contains("id=\"once-only-today\""))
            #expect(bundle.onceOnlyViolations.allSatisfy { page.text.contains($0.document) })
            #expect(page.text.contains("<svg"))
        }
    }
}
