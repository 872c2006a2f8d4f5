import MasarCore

extension Diagram {
    /// Both paths side by side: removed steps red, new green, changed amber, merged steps
    /// linked to what replaced them, pain points on their steps, the headline in a legend.
    public static func comparison(_ map: ServiceMap, _ options: DiagramOptions = DiagramOptions(),
                                  costs: CostModel = .default) -> String? {
        guard let future = map.future, let comparison = map.comparison(costs) else { return nil }
        let subtitle = LocalizedText(en: "Current path and future path", ar: "المسار الحالي والمسار المستقبلي")
        var dot = DOTWriter(name: "\(map.id).compare", attributes: graphAttributes(
            title: Labels.title(map.title, subtitle, options), rankdir: "TB"))
        let sides: [(PathKind, ServicePath, LocalizedText)] = [
            (.current, map.current, DiagramWords.currentPath),
            (.future, future, DiagramWords.futurePath),
        ]
        for (kind, path, heading) in sides {
            let prefix = kind.rawValue + ":"
            let headingText = Labels.lines(heading, options.language).joined(separator: " · ")
            dot.cluster(kind.rawValue, [("label", .html("<B>" + DOTText.html(headingText) + "</B>")),
                                        ("style", .text("rounded")), ("color", .text("#9ca3af")),
                                        ("fontsize", .text("13"))]) { dot in
                for step in path.steps {
                    let fate = comparison.fate(of: step.id) ?? .kept
                    var stepOptions = options
                    if kind == .future { stepOptions.painPoints = [:] }
                    dot.node(prefix + step.id, stepAttributes(step, fill: DiagramStyle.fill(fate),
                                                              label: Labels.step(step, stepOptions, actor: true)))
                }
            }
            flowEdges(&dot, path, prefix: prefix, options)
        }
        for step in map.current.steps {
            for replacement in comparison.replacedBy[step.id] ?? [] {
                dot.edge("current:" + step.id, "future:" + replacement,
                         [("style", .text("dashed")), ("color", .text("#ea580c")), ("constraint", .text("false")),
                          ("arrowhead", .text("empty"))])
            }
        }
        if let left = map.current.entry, let right = future.entry {
            dot.sameRank(["current:" + left, "future:" + right])
        }
        dot.node("legend", [("shape", .text("plaintext")), ("label", .html(Labels.legend(
            DiagramWords.whatChanges,
            StepFate.allCases.map { (DiagramStyle.fill($0), DiagramStyle.fateName($0)) },
            options, figures: comparison.change.headline().map { ($0.label, $0.figures) })))])
        return dot.source
    }

    /// A life event: one cluster per service in citizen order, once-only violations
    /// highlighted on the steps that ask again.
    public static func bundle(_ bundle: LifeEventBundle, _ options: DiagramOptions = DiagramOptions()) -> String {
        let event = bundle.lifeEvent
        let subtitle = DiagramWords.lifeEventSubtitle(bundle.services.count)
        // Each service flows downwards in its own column; the columns stand in citizen order.
        var dot = DOTWriter(name: "\(event.id).bundle", attributes: graphAttributes(
            title: Labels.title(event.title, subtitle, options), rankdir: "TB"))
        var violations: [String: [OnceOnlyViolation]] = [:]
        for violation in bundle.onceOnlyViolations {
            violations[violation.service + ":" + violation.step, default: []].append(violation)
        }
        for (index, map) in bundle.services.enumerated() {
            let prefix = map.id + ":"
            let heading = Labels.lines(map.title, options.language).joined(separator: " · ")
            dot.cluster("service\(index)", [("label", .html("<B>\(index + 1). \(DOTText.html(heading))</B>")),
                                            ("style", .text("filled,rounded")), ("fillcolor", .text("#f9fafb")),
                                            ("color", .text("#9ca3af")), ("fontsize", .text("12"))]) { dot in
                for step in map.current.steps {
                    let asked = violations[prefix + step.id] ?? []
                    let rows = asked.flatMap { violation in
                        Labels.lines(DiagramWords.askedAgain(violation), options.language)
                            .map { Labels.row($0, size: 9, colour: DiagramStyle.violationColour, bold: true) }
                    }
                    dot.node(prefix + step.id, stepAttributes(
                        step, fill: DiagramStyle.fill(step.channel), label: Labels.step(step, options, actor: true, extra: rows),
                        border: asked.isEmpty ? "#374151" : DiagramStyle.violationColour, penwidth: asked.isEmpty ? "1" : "3"))
                }
            }
            flowEdges(&dot, map.current, prefix: prefix, options)
        }
        let entries = bundle.services.compactMap { map in map.current.entry.map { map.id + ":" + $0 } }
        dot.sameRank(entries)
        // Arrows from one service's entry to the next keep the columns in citizen order; an edge
        // from each end step instead would let Graphviz reorder the columns to uncross it.
        for (left, right) in zip(entries, entries.dropFirst()) {
            dot.edge(left, right, [("style", .text("bold")), ("color", .text("#9ca3af"))])
        }
        entryMarker(&dot, to: bundle.services.first?.current.entry.map { bundle.services[0].id + ":" + $0 })
        var notes = bundle.mergeableVisits.map { visit in
            "\(visit.institution): " + visit.services.joined(separator: ", ")
        }
        if !notes.isEmpty {
            notes.insert(Labels.lines(DiagramWords.mergeableVisits, options.language).joined(separator: " · "), at: 0)
        }
        let count = bundle.onceOnlyViolations.count
        dot.node("legend", [("shape", .text("plaintext")), ("label", .html(Labels.legend(
            DiagramWords.onceOnly, [(DiagramStyle.violationColour, DiagramWords.documentsAskedAgain(count))],
            options, notes: notes)))])
        return dot.source
    }
}
