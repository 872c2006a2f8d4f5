import Testing
@testable import MasarCore

/// A permit service whose redesign meets every fate a step can have.
///
/// Current: apply → counter → review ⟲(0.2 back to counter) → approve → collect.
/// Future:  apply → upload → decide → collect → notify.
private let permitYAML = serviceYAML(id: "permit", volume: 1000, current: """
        - id: apply
          title: {en: Apply online}
          actor: citizen
          channel: online
          duration: 30m
          effort: 20m
          documents: [civil-id]
          next: [counter]
        - id: counter
          title: {en: Hand in the file}
          actor: Office
          channel: in-person
          duration: 1h
          effort: 1h
          fee: 1.000
          documents: [civil-id, photo]
          next: [review]
        - id: review
          title: {en: Review the file}
          actor: Office
          channel: automatic
          duration: 2d
          next:
            - approve
            - {to: counter, when: file incomplete, probability: 0.2}
        - id: approve
          title: {en: Approve}
          actor: Ministry B
          channel: in-person
          duration: 1d
          effort: 30m
          next: [collect]
        - id: collect
          title: {en: Collect the permit}
          actor: Office
          channel: in-person
          duration: 1h
          effort: 30m
          fee: 2.000
          produces: [permit]
    """, future: """
        - id: apply
          title: {en: Apply online, ar: التقديم إلكترونيا}
          actor: citizen
          channel: online
          duration: 30m
          effort: 20m
          documents: [civil-id]
          next: [upload]
        - id: upload
          title: {en: Upload a photo}
          actor: citizen
          channel: online
          duration: 10m
          effort: 10m
          documents: [photo]
          replaces: [counter]
          next: [decide]
        - id: decide
          title: {en: Decide from shared records}
          actor: Ministry B
          channel: automatic
          duration: 1h
          replaces: [counter, review]
          next: [collect]
        - id: collect
          title: {en: Collect the permit at a kiosk}
          actor: Office
          channel: kiosk
          duration: 1h
          effort: 30m
          fee: 2.000
          produces: [permit]
          next: [notify]
        - id: notify
          title: {en: Notify}
          actor: Office
          channel: automatic
          duration: 5m
    """)

/// Two steps; the future path repeats them, with `check` as given.
private func fateOfCheck(future check: String) throws -> StepFate? {
    let current = """
            - id: check
              title: {en: Check}
              actor: Office
              channel: in-person
              duration: 1h
              effort: 30m
              fee: 1.000
              documents: [civil-id, photo]
              next: [done]
            - id: done
              title: {en: Done}
              actor: Office
              channel: online
              duration: 5m
        """
    let done = """

            - id: done
              title: {en: Done}
              actor: Office
              channel: online
              duration: 5m
        """
    let service = try map(serviceYAML(current: current, future: check + done))
    let comparison = try #require(service.comparison())
    #expect(comparison.fate(of: "done") == .kept)
    return comparison.fate(of: "check")
}

private let unchangedCheck = """
        - id: check
          title: {en: Check}
          actor: Office
          channel: in-person
          duration: 1h
          effort: 30m
          fee: 1.000
          documents: [civil-id, photo]
          next: [done]
    """

@Suite("Comparison: every step's fate and every metric's change")
struct ComparisonTests {
    @Test("Every step of both paths is classified: current steps in path order, then new ones")
    func classification() throws {
        let comparison = try #require(try map(permitYAML).comparison())
        #expect(comparison.service == "permit")
        #expect(comparison.classification.map(\.step)
            == ["apply", "counter", "review", "approve", "collect", "upload", "decide", "notify"])
        #expect(comparison.classification.map(\.fate)
            == [.kept, .merged, .merged, .removed, .changed, .new, .new, .new])
        #expect(comparison.fate(of: "apply") == .kept)        // only its next and its title changed
        #expect(comparison.fate(of: "counter") == .merged)    // replaced by upload and decide
        #expect(comparison.fate(of: "review") == .merged)     // replaced by decide
        #expect(comparison.fate(of: "approve") == .removed)   // no step of its id, nothing replaces it
        #expect(comparison.fate(of: "collect") == .changed)   // in-person → kiosk
        #expect(comparison.fate(of: "nowhere") == nil)
    }

    @Test("A merged step lists the future steps that replace it, in future path order")
    func replacedBy() throws {
        let comparison = try #require(try map(permitYAML).comparison())
        #expect(comparison.replacedBy == ["counter": ["upload", "decide"], "review": ["decide"]])
    }

    @Test("The change holds before, after, after − before and the ratio to before")
    func change() throws {
        let change = try #require(try map(permitYAML).comparison()).change
        // Current walks: review returns to counter with p = 0.2, so counter and review are
        // walked 1 / (1 − 0.2) = 1.25 times; apply, approve and collect once.
        // Future: a chain, every step once.

        // steps: 5 → 5
        #expect(change[.steps] == MetricChange(before: 5, after: 5))
        #expect(change[.steps].delta == 0)
        #expect(change[.steps].relative == 0)

        // visits: counter 1.25 + approve 1 + collect 1 = 3.25 → none (collect is a kiosk now)
        #expect(close(change[.visits].before, 3.25))
        #expect(change[.visits].after == 0)
        #expect(close(change[.visits].delta, -3.25))
        #expect(close(try #require(change[.visits].relative), -1))

        // documents: {civil-id, photo} in both
        #expect(change[.documents].before == 2)
        #expect(change[.documents].after == 2)
        #expect(change[.documents].relative == 0)

        // handoffs: apply→counter (citizen→Office) 1, review→approve (Office→Ministry B)
        // 0.8 × 1.25 = 1, approve→collect (Ministry B→Office) 1: 3.
        // Future: upload→decide (citizen→Ministry B) 1, decide→collect (Ministry B→Office) 1: 2.
        #expect(close(change[.handoffs].before, 3))
        #expect(close(change[.handoffs].after, 2))
        #expect(close(try #require(change[.handoffs].relative), -1.0 / 3))

        // elapsed: 30 + 60 × 1.25 + 2880 × 1.25 + 1440 + 60 = 30 + 75 + 3600 + 1440 + 60 = 5205
        //       → 30 + 10 + 60 + 60 + 5 = 165; delta −5040
        #expect(close(change[.elapsedMinutes].before, 5205))
        #expect(close(change[.elapsedMinutes].after, 165))
        #expect(close(change[.elapsedMinutes].delta, -5040))
        #expect(close(try #require(change[.elapsedMinutes].relative), -5040.0 / 5205))

        // effort: 20 + 60 × 1.25 + 30 + 30 = 155, plus 60 min travel × 3.25 visits = 195 → 350
        //      → 20 + 10 + 30 = 60, no visits
        #expect(close(change[.effortMinutes].before, 350))
        #expect(close(change[.effortMinutes].after, 60))

        // cost: fees 1000 × 1.25 + 2000 = 3250 baisa, plus 350 min / 60 × 2000 baisa/h = 11666.67
        //     → fees 2000 + 60 / 60 × 2000 = 4000
        let before = 3250 + 350.0 / 60 * 2000
        #expect(close(change[.citizenCostBaisa].before, before))
        #expect(close(change[.citizenCostBaisa].after, 4000))
        #expect(close(change[.citizenCostBaisa].delta, 4000 - before))
        #expect(close(try #require(change[.citizenCostBaisa].relative), (4000 - before) / before))

        // burden: cost × 1000 a year
        #expect(close(change[.annualBurdenBaisa].before, before * 1000))
        #expect(close(change[.annualBurdenBaisa].after, 4_000_000))

        // digital share: (apply 1 + review 1.25) / (1 + 1.25 + 1.25 + 1 + 1) = 2.25 / 5.5 = 9/22
        //              → every future step online, kiosk or automatic: 1; relative (1 − 9/22) / (9/22) = 13/9
        #expect(close(change[.digitalShare].before, 9.0 / 22))
        #expect(change[.digitalShare].after == 1)
        #expect(close(change[.digitalShare].delta, 13.0 / 22))
        #expect(close(try #require(change[.digitalShare].relative), 13.0 / 9))
    }

    @Test("A metric that grows from 0 has no ratio; one that stays at 0 changes by 0%")
    func relativeFromZero() throws {
        let service = try map(serviceYAML(volume: 0, current: """
                - id: counter
                  title: {en: Counter}
                  actor: Office
                  channel: in-person
                  duration: 1h
            """, future: """
                - id: portal
                  title: {en: Portal}
                  actor: Office
                  channel: online
                  duration: 1h
                  replaces: [counter]
            """))
        let change = try #require(service.comparison()).change
        // digital share: 0 of 1 walk → 1 of 1 walk; there is no ratio to 0
        #expect(change[.digitalShare].before == 0)
        #expect(change[.digitalShare].after == 1)
        #expect(change[.digitalShare].delta == 1)
        #expect(change[.digitalShare].relative == nil)
        // annual burden: volume 0, so 0 → 0, which is no change at all
        #expect(change[.annualBurdenBaisa].before == 0)
        #expect(change[.annualBurdenBaisa].after == 0)
        #expect(change[.annualBurdenBaisa].relative == 0)
        // elapsed: 60 → 60
        #expect(change[.elapsedMinutes].relative == 0)
        #expect(MetricChange(before: 0, after: 0).relative == 0)
        #expect(MetricChange(before: 0, after: 3).relative == nil)
        #expect(MetricChange(before: 4, after: 1).relative == -0.75)   // (1 − 4) / 4
    }

    @Test("A step that meets the citizen the same way is kept, whatever its title")
    func kept() throws {
        #expect(try fateOfCheck(future: unchangedCheck) == .kept)
        let retitled = unchangedCheck.replacingOccurrences(of: "{en: Check}", with: "{en: Check the file, ar: التحقق}")
        #expect(try fateOfCheck(future: retitled) == .kept)
        // documents are a set: the same documents in another order are the same demand
        let reordered = unchangedCheck.replacingOccurrences(of: "[civil-id, photo]", with: "[photo, civil-id]")
        #expect(try fateOfCheck(future: reordered) == .kept)
    }

    @Test("A different channel makes a step changed")
    func changedChannel() throws {
        let future = unchangedCheck.replacingOccurrences(of: "channel: in-person", with: "channel: online")
        #expect(try fateOfCheck(future: future) == .changed)
    }

    @Test("A different duration makes a step changed")
    func changedDuration() throws {
        let future = unchangedCheck.replacingOccurrences(of: "duration: 1h", with: "duration: 30m")
        #expect(try fateOfCheck(future: future) == .changed)
    }

    @Test("A different fee makes a step changed")
    func changedFee() throws {
        let future = unchangedCheck.replacingOccurrences(of: "fee: 1.000", with: "fee: 0.500")
        #expect(try fateOfCheck(future: future) == .changed)
        let free = unchangedCheck.replacingOccurrences(of: "      fee: 1.000\n", with: "")
        #expect(try fateOfCheck(future: free) == .changed)
    }

    @Test("Different documents make a step changed")
    func changedDocuments() throws {
        let fewer = unchangedCheck.replacingOccurrences(of: "[civil-id, photo]", with: "[civil-id]")
        #expect(try fateOfCheck(future: fewer) == .changed)
        let other = unchangedCheck.replacingOccurrences(of: "[civil-id, photo]", with: "[civil-id, passport]")
        #expect(try fateOfCheck(future: other) == .changed)
    }

    @Test("A service without a future path has nothing to compare")
    func noFuture() throws {
        let service = try map(serviceYAML(current: """
                - id: only
                  title: {en: Only}
                  actor: Office
                  channel: in-person
                  duration: 1h
            """))
        #expect(service.future == nil)
        #expect(service.comparison() == nil)
        #expect(service.metrics(.future) == nil)
    }
}
