import Foundation
import MasarCore
import Testing
@testable import MasarDiagrams

/// A counter visit and a check that sends one applicant in five back to it; the future path
/// merges both into one online step and keeps the payment.
private let permit = try! MapLoader.parseService("""
    id: permit
    title: {en: Permit, ar: تصريح}
    entity: Office
    sector: x
    current:
      steps:
        - {id: apply, title: {en: Apply at the counter, ar: تقديم الطلب عند الشباك}, actor: Office, channel: in-person, duration: 1h, next: [check]}
        - id: check
          title: {en: Check the papers}
          actor: Office
          channel: online
          duration: 2h
          next:
            - pay
            - {to: apply, when: papers missing, probability: 0.2}
        - {id: pay, title: {en: Pay, ar: الدفع}, actor: citizen, channel: online, duration: 30m, fee: 1.500}
    future:
      steps:
        - {id: apply-online, title: {en: Apply online, ar: تقديم الطلب إلكترونيًا}, actor: citizen, channel: online, duration: 30m, replaces: [apply, check], next: [pay]}
        - {id: pay, title: {en: Pay, ar: الدفع}, actor: citizen, channel: online, duration: 30m, fee: 1.500}
    """)

@Suite("The phone form of a diagram: the same steps, colours, badges and figures, as lists")
struct StepListTests {
    @Test("A comparison lists the current path above the future one, each step coloured and named by its fate")
    func comparison() throws {
        let list = try #require(StepList(comparison: permit, DiagramOptions(language: .en, painPoints: ["check": 2])))
        #expect(list.sections.map { $0.heading.map(\.text) } == [["Current path"], ["Future path"]])
        #expect(list.sections[0].items.map(\.id) == ["apply", "check", "pay"])
        #expect(list.sections[1].items.map(\.id) == ["apply-online", "pay"])
        // apply and check are merged into apply-online, pay is kept, apply-online is new
        #expect(list.sections[0].items.map(\.fill) == ["#fdba74", "#fdba74", "#f3f4f6"])
        #expect(list.sections[0].items.map { $0.fate?.first?.text } == ["merged", "merged", "kept"])
        #expect(list.sections[1].items.map(\.fill) == ["#86efac", "#f3f4f6"])
        // the badge the diagram shows, on the current path only
        #expect(list.sections[0].items[1].badge?.map(\.text) == ["⚑ 2 pain points"])
        #expect(list.sections[1].items.allSatisfy { $0.badge == nil })
        // actor, channel, duration and fee, as the comparison's cards show them
        #expect(list.sections[0].items[2].facts.map { $0.map(\.text) } == [["citizen"], ["online"], ["30 min"], ["1.500 OMR"]])
        #expect(list.sections[0].items.map(\.isEnd) == [false, false, true])
        #expect(list.changes.first == StepList.Figure(label: [.init(text: "Steps", language: .english)], value: "3 → 2 (−33%)"))
        #expect(list.legend.map { $0.name.map(\.text) } == [["removed"], ["kept"], ["changed"], ["merged"], ["new"]])
    }

    @Test("Branches, rework and merges become notes; a plain step to the next one needs none")
    func notes() throws {
        let list = try #require(StepList(comparison: permit, DiagramOptions(language: .en)))
        let current = list.sections[0].items
        // apply leads only to check, the next step: the order says it; its merge is noted
        #expect(current[0].notes.map(\.kind) == [.replacedBy])
        #expect(current[0].notes[0].target?.number == 1)
        #expect(current[0].notes[0].target?.title.map(\.text) == ["Apply online"])
        #expect(current[0].notes[0].label.map(\.text) == ["in the future path:"])
        // check: 80% on to pay (a branch), 20% back to apply when papers are missing, then its merge
        #expect(current[1].notes.map(\.kind) == [.branch, .rework, .replacedBy])
        #expect(current[1].notes[0].target?.number == 3)
        #expect(current[1].notes[0].details.map { $0.map(\.text) } == [["80%"]])
        #expect(current[1].notes[1].target?.number == 1)
        #expect(current[1].notes[1].details.map { $0.map(\.text) } == [["papers missing"], ["20%"]])
        #expect(current[2].notes.isEmpty)
        #expect(list.sections[1].items.allSatisfy { $0.notes.isEmpty })
    }

    @Test("Each list opens with its figures, and the text alternative states them in the page's language")
    func figuresAndSummary() throws {
        // apply and check are walked 1 ÷ (1 − 0.2) = 1.25 times: 1.25 × (60 + 120) + 30 = 255 minutes,
        // 1.25 visits (apply is the only counter step); the future is 30 + 30 minutes, no visit.
        let english = try #require(StepList(comparison: permit, DiagramOptions(language: .en)))
        #expect(english.sections[0].figures.map(\.value) == ["3", "4 h 15 m", "1.25"])
        #expect(english.summary == "Current path: Steps 3, Elapsed time 4 h 15 m, Visits 1.25; Future path: Steps 2, Elapsed time 1 h, Visits 0")
        let arabic = try #require(StepList(comparison: permit, DiagramOptions(language: .ar)))
        #expect(arabic.summary == "المسار الحالي: الخطوات 3، المدة 4 ساعات و15 دقيقة، الزيارات 1.25؛ المسار المستقبلي: الخطوات 2، المدة ساعة، الزيارات 0")
        // a title with no Arabic falls back to English, and says so
        #expect(arabic.sections[0].items[1].title == [.init(text: "Check the papers", language: .english)])
        #expect(arabic.sections[0].items[0].title == [.init(text: "تقديم الطلب عند الشباك", language: .arabic)])
        // both languages: English first, which the summary uses
        let both = try #require(StepList(comparison: permit))
        #expect(both.sections[0].heading.map(\.text) == ["Current path", "المسار الحالي"])
        #expect(both.summary == english.summary)
    }

    @Test("A service's page form is the comparison, or the current path coloured by channel before a future exists")
    func serviceForm() throws {
        var mapping = permit
        mapping.future = nil
        let list = StepList(service: mapping, DiagramOptions(language: .en))
        #expect(list.sections.count == 1)
        #expect(list.sections[0].items.map(\.fill) == ["#fde2e2", "#dbeafe", "#dbeafe"]) // in person, online, online
        #expect(list.sections[0].items[0].facts.map { $0.map(\.text) } == [["in person"], ["1 h"]]) // no actor, as the path view
        #expect(list.legendHeading.map(\.text) == ["Channel"])
        #expect(StepList(service: permit).sections.count == 2)
        #expect(Diagram.service(mapping) == Diagram.path(mapping, .current))
        #expect(Diagram.service(permit) == Diagram.comparison(permit))
    }

    @Test("The HTML marks each line's language, isolates map data and keeps every step")
    func html() throws {
        let html = try #require(StepList(comparison: permit, DiagramOptions(language: .ar))).html()
        #expect(html.hasPrefix("<div class=\"sl\">"))
        #expect(html.contains("<b lang=\"ar\" dir=\"rtl\">تقديم الطلب عند الشباك</b>"))
        #expect(html.contains("<b lang=\"en\" dir=\"ltr\">Check the papers</b>"))
        #expect(html.contains("<li class=\"sl-step sl-online sl-end\" style=\"background:#f3f4f6\">"))
        #expect(html.contains("<li class=\"sl-rework\">↑ <bdi>1</bdi> <bdi lang=\"ar\" dir=\"rtl\">تقديم الطلب عند الشباك</bdi> · <bdi dir=\"auto\">papers missing</bdi> · <bdi dir=\"auto\">20%</bdi></li>"))
        #expect(html.components(separatedBy: "<li class=\"sl-step").count - 1 == 5)
    }

    @Test("A hostile map's text stays text in the phone form")
    func hostile() {
        let html = StepList(service: hostileMap).html()
        #expect(!html.contains("<script"))
        for step in hostileMap.current.steps {
            for title in [step.title.en, step.title.ar].compactMap({ $0 }) { #expect(html.contains(title.htmlEscaped)) }
        }
        #expect(!html.unicodeScalars.contains(where: TextRules.isBidiControl))
    }

    @Test("A life event lists its services in citizen order and flags the steps that ask again for a document")
    func bundle() throws {
        let bundle = try Catalogue.load([catalogueFolder + "/life-events/birth-of-a-child.yaml"]).bundles()[0].get()
        #expect(!bundle.onceOnlyViolations.isEmpty)
        let list = StepList(bundle: bundle, DiagramOptions(language: .en))
        #expect(list.sections.map { $0.heading.first?.text } == bundle.services.enumerated().map { "\($0.offset + 1). \($0.element.title.en!)" })
        for violation in bundle.onceOnlyViolations {
            let section = list.sections[bundle.services.firstIndex { $0.id == violation.service }!]
            let item = try #require(section.items.first { $0.id == violation.step })
            #expect(item.flagged)
            #expect(item.notes.contains { $0.kind == .askedAgain && $0.details.first?.first?.text.contains(violation.document) == true })
        }
        #expect(list.legend.first?.name.first?.text == "\(bundle.onceOnlyViolations.count) documents asked again")
        #expect(list.summary.hasPrefix("\(bundle.onceOnlyViolations.count) documents asked again; 1. Birth registration: Steps 6, "))
    }

    @Test("A diagram's SVG becomes an image with its text alternative, the label escaped")
    func labelledSVG() {
        let svg = Data("<?xml version=\"1.0\"?>\n<svg width=\"10pt\"><g/></svg>".utf8)
        #expect(HTMLPage.inlineSVG(svg, label: "Steps \"3\" <b>") == "<svg role=\"img\" aria-label=\"Steps &quot;3&quot; &lt;b&gt;\" width=\"10pt\"><g/></svg>")
        #expect(HTMLPage.labelled("not svg", "x") == "not svg")
    }
}
