import Foundation
import Testing
@testable import MasarCore

/// Reads a life event that must be valid.
private func lifeEvent(_ yaml: String) throws -> LifeEvent {
    guard case .lifeEvent(let event) = try MapLoader.parse(yaml, file: "event.yaml") else {
        Issue.record("read as a service map, not a life event")
        throw MapIssues([])
    }
    return event
}

/// One in-person step, enough for a service a life event can name.
private let oneStep = """
        - id: only
          title: {en: Only step}
          actor: Office
          channel: in-person
          duration: 1h
    """

/// First: asks civil-id twice (apply, then counter) and issues a certificate.
private let first = serviceYAML(id: "first", current: """
        - id: apply
          title: {en: Fill in the form at the counter}
          actor: citizen
          channel: in-person
          duration: 30m
          documents: [civil-id, photo]
          next: [counter]
        - id: counter
          title: {en: Counter}
          actor: Office
          channel: in-person
          duration: 1h
          documents: [civil-id]
          next: [issue]
        - id: issue
          title: {en: Issue the certificate}
          actor: Office
          channel: online
          duration: 1h
          produces: [certificate]
    """)

/// Second: asks civil-id and the certificate again, and a lease; half the files come back.
private let second = serviceYAML(id: "second", current: """
        - id: visit
          title: {en: Visit the office}
          actor: Office
          channel: in-person
          duration: 2h
          documents: [civil-id, certificate, lease]
          next: [check]
        - id: check
          title: {en: Court checks}
          actor: Court
          channel: automatic
          duration: 1d
          next:
            - wait
            - {to: visit, when: file incomplete, probability: 0.5}
        - id: wait
          title: {en: Wait at home}
          actor: citizen
          channel: in-person
          duration: 10m
    """)

/// Third: asks civil-id and the lease again; meets the Court twice and the Office online.
private let third = serviceYAML(id: "third", current: """
        - id: hearing
          title: {en: Hearing}
          actor: Court
          channel: in-person
          duration: 1h
          documents: [civil-id, lease]
          next: [ruling]
        - id: ruling
          title: {en: Ruling}
          actor: Court
          channel: in-person
          duration: 1h
          next: [portal]
        - id: portal
          title: {en: Portal}
          actor: Office
          channel: online
          duration: 5m
    """)

/// The three services bundled; listed out of order, `after` puts `first` before `second`.
private func threeServices() throws -> LifeEventBundle {
    let catalogue = try [first, second, third].map(map).reduce(into: [String: ServiceMap]()) { $0[$1.id] = $1 }
    let event = LifeEvent(id: "moving", title: LocalizedText(en: "Moving"), services: ["second", "first", "third"],
                          after: ["second": ["first"]])
    switch event.bundle(catalogue) {
    case .success(let bundle): return bundle
    case .failure(let problem):
        Issue.record("cannot bundle: \(problem)")
        throw problem
    }
}

@Suite("Life events: citizen order, bundle figures, once-only violations")
struct LifeEventTests {
    @Test("Citizen order keeps list order where 'after' says nothing")
    func listOrder() {
        let event = LifeEvent(id: "e", title: LocalizedText(en: "E"), services: ["c", "a", "b"])
        #expect(event.citizenOrder() == .success(["c", "a", "b"]))
    }

    @Test("Citizen order respects 'after', and takes the earliest listed service that may go next")
    func afterOrder() {
        // b waits for c: a goes first, then c (the first listed that is free), then b, then d
        let event = LifeEvent(id: "e", title: LocalizedText(en: "E"), services: ["a", "b", "c", "d"],
                              after: ["b": ["c"]])
        #expect(event.citizenOrder() == .success(["a", "c", "b", "d"]))
        // a chain against list order: d after c after b after a, listed backwards
        let backwards = LifeEvent(id: "e", title: LocalizedText(en: "E"), services: ["d", "c", "b", "a"],
                                  after: ["d": ["c"], "c": ["b"], "b": ["a"]])
        #expect(backwards.citizenOrder() == .success(["a", "b", "c", "d"]))
    }

    @Test("The loader reads 'after' and keeps the lines of the services")
    func loaded() throws {
        let event = try lifeEvent("""
            id: moving
            title: {en: Moving house, ar: الانتقال}
            services:
              - b
              - a
            after: {b: [a]}
            """)
        #expect(event.id == "moving")
        #expect(event.services == ["b", "a"])
        #expect(event.after == ["b": ["a"]])
        #expect(event.lines == ["b": 4, "a": 5])
        #expect(event.citizenOrder() == .success(["a", "b"]))
    }

    @Test("A cycle in 'after' is refused, naming the services that wait on each other")
    func cycle() {
        // a waits for c, c for b, b for a: b → c → a → b, each before the next
        let found = problems("""
            id: loop
            title: {en: Loop}
            services: [a, b, c]
            after: {a: [c], b: [a], c: [b]}
            """)
        #expect(found == ["bad.yaml:4: 'after' has a cycle: b → c → a → b; no order satisfies it"])
        let pair = problems("""
            id: loop
            title: {en: Loop}
            services: [a, b]
            after:
              a: [b]
              b: [a]
            """)
        #expect(pair == ["bad.yaml:5: 'after' has a cycle: b → a → b; no order satisfies it"])
    }

    @Test("A cycle reported by citizenOrder is closed and leaves out services outside it")
    func cycleInOrder() {
        // a waits for b, which is in a cycle with c; a itself is not in the cycle
        let event = LifeEvent(id: "e", title: LocalizedText(en: "E"), services: ["a", "b", "c"],
                              after: ["a": ["b"], "b": ["c"], "c": ["b"]])
        #expect(event.citizenOrder() == .failure(OrderCycle(services: ["c", "b", "c"])))
    }

    @Test("'after' may name only services of the life event")
    func afterUnknown() {
        let found = problems("""
            id: moving
            title: {en: Moving}
            services: [a, b]
            after:
              c: [a]
              b: [x]
            """)
        #expect(found == ["bad.yaml:5: 'after' names 'c', which is not in 'services'",
                          "bad.yaml:6: 'after' of 'b' names 'x', which is not in 'services'"])
    }

    @Test("A service listed twice is refused with the line of its first mention")
    func listedTwice() {
        let found = problems("""
            id: moving
            title: {en: Moving}
            services:
              - a
              - b
              - a
            """)
        #expect(found == ["bad.yaml:6: service 'a' is listed twice (first on line 4)"])
    }

    @Test("A document asked again after an earlier service asked for it or issued it breaks once-only")
    func onceOnly() throws {
        let bundle = try threeServices()
        #expect(bundle.order == ["first", "second", "third"])
        // first asks civil-id twice itself: no violation. second asks civil-id (first asked for it)
        // and the certificate (first issued it). third asks civil-id, which both first and second
        // asked for: held by the first of them; and the lease, which only second asked for.
        #expect(bundle.onceOnlyViolations == [
            OnceOnlyViolation(service: "second", step: "visit", document: "civil-id", heldBy: "first"),
            OnceOnlyViolation(service: "second", step: "visit", document: "certificate", heldBy: "first"),
            OnceOnlyViolation(service: "third", step: "hearing", document: "civil-id", heldBy: "first"),
            OnceOnlyViolation(service: "third", step: "hearing", document: "lease", heldBy: "second"),
        ])
    }

    @Test("A document asked twice within one service is no once-only violation")
    func withinOneService() throws {
        let catalogue = ["first": try map(first)]
        let event = LifeEvent(id: "alone", title: LocalizedText(en: "Alone"), services: ["first"])
        let bundle = try event.bundle(catalogue).get()
        #expect(bundle.onceOnlyViolations.isEmpty)
    }

    @Test("Once-only follows citizen order, not list order")
    func onceOnlyOrder() throws {
        let catalogue = try [first, second].map(map).reduce(into: [String: ServiceMap]()) { $0[$1.id] = $1 }
        // no 'after': second comes first, so first is the one asking civil-id again
        let event = LifeEvent(id: "e", title: LocalizedText(en: "E"), services: ["second", "first"])
        let bundle = try event.bundle(catalogue).get()
        #expect(bundle.onceOnlyViolations == [
            OnceOnlyViolation(service: "first", step: "apply", document: "civil-id", heldBy: "second"),
            OnceOnlyViolation(service: "first", step: "counter", document: "civil-id", heldBy: "second"),
        ])
    }

    @Test("An institution met in person in two services is a mergeable visit; citizen and online steps are not")
    func mergeableVisits() throws {
        let bundle = try threeServices()
        // Office: in person in first (counter) and second (visit); only online in third.
        // Court: in person only in third (twice, one service); automatic in second.
        // citizen: in person in first and second, but the citizen is no institution.
        #expect(bundle.mergeableVisits == [MergeableVisit(institution: "Office", services: ["first", "second"])])
    }

    @Test("Bundle figures add the services' figures up; documents once; digital share over all walks")
    func totals() throws {
        let bundle = try threeServices()
        // Walks: first 1, 1, 1. second: visit = 1 + 0.5 × check, check = visit → 2, 2; wait 0.5 × 2 = 1.
        // third 1, 1, 1.
        #expect(bundle.current.steps == 9)                             // 3 + 3 + 3
        #expect(close(bundle.current.visits, 7))                       // first 2 + second (2 + 1) + third 2
        #expect(bundle.current.documents == 4)                         // civil-id, photo, certificate, lease (not 2 + 3 + 2)
        // elapsed: first 30 + 60 + 60 = 150; second 120 × 2 + 1440 × 2 + 10 = 3130; third 60 + 60 + 5 = 125
        #expect(close(bundle.current.elapsedMinutes, 150 + 3130 + 125))
        // digital walks: first 1 (issue), second 2 (check), third 1 (portal) of 3 + 5 + 3 walks = 4/11,
        // not the mean of 1/3, 2/5 and 1/3
        #expect(close(bundle.current.digitalShare, 4.0 / 11))
        #expect(bundle.future == nil)                                  // no service has a future path
        #expect(bundle.futureOnceOnlyViolations == nil)
    }

    @Test("A bundle naming a service that is not given cannot be made")
    func missing() throws {
        let event = LifeEvent(id: "e", title: LocalizedText(en: "E"), services: ["first", "ghost"])
        #expect(event.bundle(["first": try map(first)]) == .failure(.missingServices(["ghost"])))
    }

    /// A catalogue folder whose life event misspells one of its two services.
    private func misspelledFolder() throws -> (folder: String, event: String) {
        let folder = try temporaryFolder([
            "alpha-service.yaml": serviceYAML(id: "alpha-service", current: oneStep),
            "life-events/event.yaml": """
                id: event
                title: {en: Event}
                services:
                  - alpha-service
                  - alpha-servce
                """,
        ])
        return (folder, (folder as NSString).appendingPathComponent("life-events/event.yaml"))
    }

    /// The issues `Catalogue.load` reports, as `FILE:LINE: …` lines; empty when it loads.
    private func loadIssues(_ paths: [String]) -> [String] {
        do throws(MapIssues) {
            _ = try Catalogue.load(paths)
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test("A life event naming an unknown service is refused with its line and the likely service")
    func unknownService() throws {
        let (folder, file) = try misspelledFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let found = loadIssues([folder])
        // 'alpha-servce' is item 2 of 'services', on line 5; one letter from 'alpha-service'
        let expected = "\(file):5: service 'alpha-servce' is not in the catalogue — did you mean 'alpha-service'?"
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0 == expected }, "\(found)")
    }

    @Test("A life event naming an unknown service is reported once, not twice")
    func unknownServiceOnce() throws {
        let (folder, file) = try misspelledFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(loadIssues([folder])
            == ["\(file):5: service 'alpha-servce' is not in the catalogue — did you mean 'alpha-service'?"])
    }

    @Test("A life-event file loaded alone reports only the service it misspells, not the ones that exist")
    func unknownServiceAlone() throws {
        let (folder, file) = try misspelledFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(loadIssues([file])
            == ["\(file):5: service 'alpha-servce' is not in the catalogue — did you mean 'alpha-service'?"])
    }

    @Test("A service id used in two files is refused, naming the file that has it first")
    func duplicateServiceID() throws {
        let folder = try temporaryFolder([
            "a.yaml": serviceYAML(id: "twin", current: oneStep),
            "b.yaml": serviceYAML(id: "twin", current: oneStep),
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let a = (folder as NSString).appendingPathComponent("a.yaml")
        let b = (folder as NSString).appendingPathComponent("b.yaml")
        do throws(MapIssues) {
            _ = try Catalogue.load([folder])
            Issue.record("two services with one id were accepted")
        } catch {
            #expect(error.issues.map(\.description) == ["\(b):1: service id 'twin' is already used by \(a)"])
        }
    }

    @Test("A life-event file loaded alone finds its services in the folder that holds life-events/")
    func homeFolder() throws {
        let folder = try temporaryFolder([
            "alpha.yaml": serviceYAML(id: "alpha", current: oneStep),
            "beta.yaml": serviceYAML(id: "beta", current: oneStep),
            "life-events/event.yaml": """
                id: event
                title: {en: Event}
                services: [beta, alpha]
                """,
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = (folder as NSString).appendingPathComponent("life-events/event.yaml")
        #expect(Catalogue.homeFolder(ofLifeEvent: file) == folder)
        #expect(Catalogue.homeFolder(ofLifeEvent: "/srv/maps/event.yaml") == "/srv/maps")
        #expect(Catalogue.homeFolder(ofLifeEvent: "event.yaml") == ".")

        let catalogue = try Catalogue.load([file])
        #expect(catalogue.services.isEmpty)                       // only the life event was loaded ...
        #expect(catalogue.lifeEvents.map(\.id) == ["event"])
        #expect(Set(catalogue.lookup.map(\.id)) == ["alpha", "beta"]) // ... its services were looked up
        let bundles = catalogue.bundles()
        #expect(bundles.count == 1)
        let bundle = try bundles[0].get()
        #expect(bundle.order == ["beta", "alpha"])
        #expect(bundle.current.steps == 2)                        // one step each
    }
}
