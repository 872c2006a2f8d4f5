import Testing
@testable import MasarCore

@Suite("Metrics: expected figures of a path")
struct MetricsTests {
    @Test("A chain with no branches walks each step once")
    func chain() throws {
        let service = try map(serviceYAML(volume: 100, current: """
                - id: apply
                  title: {en: Apply}
                  actor: citizen
                  channel: online
                  duration: 30m
                  effort: 20m
                  documents: [civil-id]
                  next: [check]
                - id: check
                  title: {en: Check}
                  actor: Ministry A
                  channel: in-person
                  duration: 2h
                  effort: 1h
                  fee: 1.500
                  documents: [civil-id, photo]
                  next: [issue]
                - id: issue
                  title: {en: Issue}
                  actor: Ministry B
                  channel: automatic
                  duration: 1d
            """))
        let m = try #require(service.metrics(.current))
        #expect(m.steps == 3)
        #expect(m.visits == 1)                       // only 'check' is in person
        #expect(m.documents == 2)                    // civil-id, photo
        #expect(m.institutions == 2)                 // Ministry A, Ministry B; the citizen is no institution
        #expect(m.handoffs == 2)                     // citizen → A, A → B
        #expect(m.elapsedMinutes == 30 + 120 + 1440)
        #expect(m.effortMinutes == 20 + 60 + 60)     // effort plus 60 min travel for the one visit
        // 1.500 OMR fee + 140 min × 2.000 OMR/h = 1500 + 4666.67 baisa
        #expect(close(m.citizenCostBaisa, 1500 + 140.0 / 60 * 2000))
        #expect(close(m.annualBurdenBaisa, (1500 + 140.0 / 60 * 2000) * 100))
        #expect(close(m.digitalShare, 2.0 / 3))      // online and automatic of three
    }

    @Test("A rework loop with p = 0.2 walks its steps 1 / (1 − 0.2) = 1.25 times")
    func reworkLoop() throws {
        let service = try map(serviceYAML(current: """
                - id: counter
                  title: {en: Hand in the file}
                  actor: Office
                  channel: in-person
                  duration: 1h
                  next: [review]
                - id: review
                  title: {en: Review}
                  actor: Back office
                  channel: automatic
                  duration: 3h
                  next:
                    - {to: counter, when: missing documents, probability: 0.2}
                    - done
                - id: done
                  title: {en: Done}
                  actor: Back office
                  channel: online
                  duration: 10m
            """))
        let m = try #require(service.metrics(.current))
        #expect(close(m.visits, 1.25))
        #expect(close(m.elapsedMinutes, 1.25 * 60 + 1.25 * 180 + 10))
        // counter → review walked 1.25 times, review → counter 1.25 × 0.2 = 0.25 times
        #expect(close(m.handoffs, 1.5))
        // walks: 1.25 + 1.25 + 1 = 3.5, of which review and done are digital: 2.25
        #expect(close(m.digitalShare, 2.25 / 3.5))
    }

    @Test("Branches without probabilities split evenly")
    func evenSplit() throws {
        let service = try map(serviceYAML(current: """
                - id: start
                  title: {en: Start}
                  actor: Office
                  channel: online
                  duration: 10m
                  next: [a, b]
                - id: a
                  title: {en: A}
                  actor: Office
                  channel: in-person
                  duration: 2h
                - id: b
                  title: {en: B}
                  actor: Office
                  channel: online
                  duration: 4h
            """))
        let m = try #require(service.metrics(.current))
        #expect(close(m.visits, 0.5))
        #expect(close(m.elapsedMinutes, 10 + 0.5 * 120 + 0.5 * 240))
    }

    @Test("What a given probability leaves is shared by the edges without one")
    func branchRule() throws {
        let service = try map(serviceYAML(current: """
                - id: start
                  title: {en: Start}
                  actor: Office
                  channel: online
                  duration: 0
                  next: [{to: a, probability: 0.2}, b, c]
                - {id: a, title: {en: A}, actor: Office, channel: online, duration: 1h}
                - {id: b, title: {en: B}, actor: Office, channel: online, duration: 2h}
                - {id: c, title: {en: C}, actor: Office, channel: online, duration: 3h}
            """))
        let m = try #require(service.metrics(.current))
        // a 0.2, b and c (1 − 0.2) / 2 = 0.4 each
        #expect(close(m.elapsedMinutes, 0.2 * 60 + 0.4 * 120 + 0.4 * 180))
    }

    @Test("A step that repeats itself with p = 0.5 is walked twice")
    func selfLoop() throws {
        let service = try map(serviceYAML(current: """
                - id: queue
                  title: {en: Queue}
                  actor: Office
                  channel: in-person
                  duration: 30m
                  next: [{to: queue, when: system down, probability: 0.5}, leave]
                - {id: leave, title: {en: Leave}, actor: citizen, channel: online, duration: 0}
            """))
        let m = try #require(service.metrics(.current))
        #expect(close(m.visits, 2))
        #expect(close(m.elapsedMinutes, 60))
        #expect(close(m.handoffs, 1)) // Office → citizen once; the self-loop keeps the actor
    }

    @Test("Cost follows the Standard Cost Model with the lab's own prices")
    func costModel() throws {
        let service = try map(serviceYAML(volume: 2000, current: """
                - id: pay
                  title: {en: Pay at the counter}
                  actor: Office
                  channel: in-person
                  duration: 1h
                  effort: 45m
                  fee: 2.250
            """))
        let costs = CostModel(travelMinutesPerVisit: 30, hourValue: 3000)
        let m = try #require(service.metrics(.current, costs))
        // effort 45 + travel 30 = 75 min; cost 2250 + 75/60 × 3000 = 2250 + 3750 = 6000 baisa
        #expect(m.effortMinutes == 75)
        #expect(close(m.citizenCostBaisa, 6000))
        #expect(close(m.annualBurdenBaisa, 6000 * 2000))
    }

    @Test("A long path with dense rework keeps its figures finite and consistent")
    func denseRework() throws {
        // 200 steps in a chain, each (after the first) sent back one step with p = 0.1.
        var steps: [Step] = []
        for i in 0..<200 {
            var next: [Transition] = []
            if i < 199 { next.append(Transition(to: "s\(i + 1)")) }
            if i > 0 && i < 199 { next.append(Transition(to: "s\(i - 1)", probability: 0.1)) }
            steps.append(Step(id: "s\(i)", title: LocalizedText(en: "S"), actor: "A", channel: .inPerson,
                              duration: 1, next: next))
        }
        let walk = ServicePath(steps: steps).expectedWalk()
        // Flow balance: every walk of a step leaves by one of its edges, and the end is reached once.
        #expect(close(walk.stepWalks[199], 1, 1e-9))
        for i in 1..<199 {
            let into = walk.edgeWalks[i - 1][0] + (i + 1 < 199 ? walk.edgeWalks[i + 1][1] : 0)
            #expect(close(walk.stepWalks[i], into, 1e-9))
        }
    }
}
