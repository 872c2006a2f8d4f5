import Foundation
import MasarCore

/// `Diagrams/index.html`: one self-contained page, in English and Arabic, with every
/// service's before/after figures and diagrams (inline SVG) and every life event.
public enum CatalogueIndex {
    /// `svgs` holds rendered SVG by diagram name (`DiagramJob.name`).
    public static func html(_ catalogue: Catalogue, svgs: [String: Data], costs: CostModel = .default) -> String {
        let redesigned = catalogue.services.filter { $0.future != nil }
        var body: [String] = []
        body.append("""
            <header>
            <h1>Masar — service catalogue <span lang="ar" dir="rtl">مسار — دليل الخدمات</span></h1>
            <p>\(catalogue.services.count) services, \(redesigned.count) redesigned, \(catalogue.lifeEvents.count) life events.
            <span lang="ar" dir="rtl">\(catalogue.services.count) خدمة، أعيد تصميم \(redesigned.count) منها، و\(catalogue.lifeEvents.count) رحلات حياة.</span></p>
            </header>
            """)
        body.append("<nav><h2>Services <span lang=\"ar\" dir=\"rtl\">الخدمات</span></h2><ul>"
            + catalogue.services.map { "<li><a href=\"#\($0.id.htmlEscaped)\">\(bilingual($0.title))</a></li>" }.joined()
            + "</ul><h2>Life events <span lang=\"ar\" dir=\"rtl\">رحلات الحياة</span></h2><ul>"
            + catalogue.lifeEvents.map { "<li><a href=\"#life-\($0.id.htmlEscaped)\">\(bilingual($0.title))</a></li>" }.joined()
            + "</ul></nav>")
        for map in catalogue.services {
            body.append(section(map, svgs: svgs, costs: costs))
        }
        for case .success(let bundle) in catalogue.bundles(costs) {
            body.append(section(bundle, svg: svgs["life-events/\(bundle.lifeEvent.id)"]))
        }
        return HTMLPage.render(title: "Masar · مسار — service catalogue", style: style,
                               body: body.joined(separator: "\n"))
    }

    static let style = """
        body{font-family:"Noto Sans","Noto Sans Arabic",system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem;color:#111827;line-height:1.45}
        [lang=ar]{font-family:"Noto Naskh Arabic","Noto Sans Arabic",serif;display:inline-block;margin-inline-start:.75rem}
        h1,h2,h3{line-height:1.25} section{border-top:1px solid #e5e7eb;padding-top:1rem;margin-top:2rem}
        table{border-collapse:collapse;margin:.5rem 0} td,th{padding:.25rem .6rem;border-bottom:1px solid #e5e7eb;text-align:end}
        td:first-child,th:first-child{text-align:start} .better{color:#047857} .worse{color:#b91c1c}
        figure{margin:1rem 0} .diagram-wide,.scroll{overflow-x:auto} svg{max-width:100%;height:auto}
        .meta{color:#4b5563} nav ul{columns:2}
        """ + "\n" + StepList.css

    static func section(_ map: ServiceMap, svgs: [String: Data], costs: CostModel) -> String {
        let current = map.current.metrics(costs, annualVolume: map.annualVolume)
        let future = map.future?.metrics(costs, annualVolume: map.annualVolume)
        var rows = ["<tr><th>Metric · <span lang=\"ar\" dir=\"rtl\">المؤشر</span></th><th>Before · قبل</th>"
            + "<th>After · بعد</th><th>Change · التغير</th></tr>"]
        for key in JourneyMetrics.Key.allCases {
            let change = future.map { JourneyChange(before: current, after: $0)[key] }
            let direction = change.map { change -> String in
                guard change.delta != 0 else { return "" }
                return (change.delta > 0) == key.higherIsBetter ? "better" : "worse"
            } ?? ""
            rows.append("<tr><td>\(bilingual(key.label))</td><td>\(key.format(current[key]).htmlEscaped)</td>"
                + "<td>\(future.map { key.format($0[key]).htmlEscaped } ?? "—")</td>"
                + "<td class=\"\(direction)\">\(change.map { (key.formatDelta($0.delta) + " (" + Quantity.format(relative: $0.relative) + ")").htmlEscaped } ?? "")</td></tr>")
        }
        let compare = svgs["\(map.id).compare"]
        let phone = compare != nil ? StepList(comparison: map, costs: costs) : StepList(path: map, .current, costs: costs)
        let status = map.future == nil
            ? "Still being mapped · <span lang=\"ar\" dir=\"rtl\">قيد رسم المسار</span>"
            : "Redesigned · <span lang=\"ar\" dir=\"rtl\">أعيد تصميمها</span>"
        return """
            <section id="\(map.id.htmlEscaped)">
            <h2>\(bilingual(map.title))</h2>
            <p class="meta">\(map.entity.htmlEscaped) · \(map.sector.htmlEscaped) · \(Quantity.grouped(map.annualVolume)) a year · \(status)</p>
            <div class="scroll" tabindex="0"><table>\(rows.joined())</table></div>
            \((compare ?? svgs["\(map.id).current"]).map { figure($0, phone) } ?? "")
            </section>
            """
    }

    /// A drawn diagram for wide screens, with its text alternative, and its phone form.
    static func figure(_ svg: Data, _ phone: StepList?) -> String {
        guard let phone else { return "<figure class=\"diagram-wide\" tabindex=\"0\">" + HTMLPage.inlineSVG(svg) + "</figure>" }
        return "<figure class=\"diagram-wide\" tabindex=\"0\">" + HTMLPage.inlineSVG(svg, label: phone.summary) + "</figure>" + phone.html()
    }

    static func section(_ bundle: LifeEventBundle, svg: Data?) -> String {
        let order = bundle.services.map { bilingual($0.title) }.joined(separator: " → ")
        let violations = bundle.onceOnlyViolations.map {
            "<li><b>\($0.document.htmlEscaped)</b> asked again by \($0.service.htmlEscaped) (\($0.step.htmlEscaped)), held by \($0.heldBy.htmlEscaped)</li>"
        }
        return """
            <section id="life-\(bundle.lifeEvent.id.htmlEscaped)">
            <h2>\(bilingual(bundle.lifeEvent.title))</h2>
            <p class="meta">\(order)</p>
            <h3>Once-only violations · <span lang="ar" dir="rtl">مستندات تُطلب أكثر من مرة</span>: \(violations.count)</h3>
            <ul>\(violations.joined())</ul>
            \(svg.map { figure($0, StepList(bundle: bundle)) } ?? "")
            </section>
            """
    }

    static func bilingual(_ text: LocalizedText) -> String {
        [text.en.map(\.htmlEscaped), text.ar.map { "<span lang=\"ar\" dir=\"rtl\">\($0.htmlEscaped)</span>" }]
            .compactMap { $0 }.joined(separator: " ")
    }
}
