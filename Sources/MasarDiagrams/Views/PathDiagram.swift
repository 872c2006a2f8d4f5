import MasarCore

/// DOT for the diagrams of a service: a pure function of the model, testable as text.
public enum Diagram {
    /// One path: actors as swim-lane clusters, channel by shape and colour, duration and fee on
    /// each step, rework edges with their condition and probability, a channel legend.
    public static func path(_ map: ServiceMap, _ kind: PathKind, _ options: DiagramOptions = DiagramOptions()) -> String? {
        guard let path = map.path(kind) else { return nil }
        let subtitle = DiagramWords.path(kind)
        // Top to bottom, so actors' clusters stand side by side as swim lanes and a phone
        // scrolls the journey rather than the lanes.
        var dot = DOTWriter(name: "\(map.id).\(kind.rawValue)", attributes: graphAttributes(
            title: Labels.title(map.title, subtitle, options), rankdir: "TB"))
        let prefix = kind.rawValue + ":"
        var lanes: [String] = []
        for step in path.steps where !lanes.contains(step.actor) { lanes.append(step.actor) }
        for (index, actor) in lanes.enumerated() {
            dot.cluster("lane\(index)", laneAttributes(actor)) { dot in
                for step in path.steps where step.actor == actor {
                    dot.node(prefix + step.id, stepAttributes(step, fill: DiagramStyle.fill(step.channel),
                                                              label: Labels.step(step, options)))
                }
            }
        }
        entryMarker(&dot, to: path.entry.map { prefix + $0 })
        flowEdges(&dot, path, prefix: prefix, options)
        dot.node("legend", [("shape", .text("plaintext")),
                            ("label", .html(Labels.legend(DiagramWords.channel,
                                                          Channel.allCases.map { (DiagramStyle.fill($0), DiagramStyle.channelName($0)) },
                                                          options)))])
        return dot.source
    }

    /// The diagram a service's page shows: the comparison, or the current path before a future is drawn.
    public static func service(_ map: ServiceMap, _ options: DiagramOptions = DiagramOptions(),
                               costs: CostModel = .default) -> String {
        comparison(map, options, costs: costs) ?? path(map, .current, options)!
    }

    static func graphAttributes(title: String, rankdir: String) -> [(String, DOTWriter.Value)] {
        [("rankdir", .text(rankdir)), ("charset", .text("UTF-8")), ("fontname", .text(DiagramStyle.font)),
         ("label", .html(title)), ("labelloc", .text("t")), ("labeljust", .text("l")),
         ("nodesep", .text("0.25")), ("ranksep", .text("0.45")), ("newrank", .text("true")),
         ("bgcolor", .text("white")), ("pad", .text("0.2"))]
    }

    static func laneAttributes(_ actor: String) -> [(String, DOTWriter.Value)] {
        [("label", .html("<B>" + DOTText.html(actor) + "</B>")), ("labeljust", .text("l")),
         ("style", .text("filled,rounded")), ("fillcolor", .text("#f9fafb")), ("color", .text("#d1d5db")),
         ("fontsize", .text("11"))]
    }

    /// A step node: shape and style by channel, a double border on end steps.
    static func stepAttributes(_ step: Step, fill: String, label: String, border: String = "#374151",
                               penwidth: String = "1") -> [(String, DOTWriter.Value)] {
        let (shape, style) = DiagramStyle.shape(step.channel)
        return [("shape", .text(shape)), ("style", .text(style)), ("fillcolor", .text(fill)),
                ("color", .text(border)), ("penwidth", .text(penwidth)),
                ("peripheries", .text(step.isEnd ? "2" : "1")), ("label", .html(label))]
    }

    /// A dot before the entry step, so a reader sees where the journey starts.
    static func entryMarker(_ dot: inout DOTWriter, to entry: String?, name: String = "start") {
        guard let entry else { return }
        dot.node(name, [("shape", .text("circle")), ("style", .text("filled")), ("fillcolor", .text("#111827")),
                        ("label", .text("")), ("width", .text("0.18")), ("fixedsize", .text("true"))])
        dot.edge(name, entry)
    }

    /// The path's edges: a branch shows its condition and probability; an edge back to an
    /// earlier step (rework) is red and dashed and does not pull the layout backwards.
    static func flowEdges(_ dot: inout DOTWriter, _ path: ServicePath, prefix: String, _ options: DiagramOptions) {
        let position = Dictionary(path.steps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, step) in path.steps.enumerated() {
            let probabilities = BranchRule.probabilities(step.next)
            for (edge, probability) in zip(step.next, probabilities) {
                var attributes: [(String, DOTWriter.Value)] = []
                var label: [String] = []
                if let when = edge.when { label.append(when) }
                if step.next.count > 1 || probability < 1 { label.append("\(Int((probability * 100).rounded()))%") }
                if !label.isEmpty { attributes.append(("label", .html(DOTText.html(label.joined(separator: " · "))))) }
                if (position[edge.to] ?? index + 1) <= index {
                    attributes += [("color", .text(DiagramStyle.reworkColour)), ("fontcolor", .text(DiagramStyle.reworkColour)),
                                   ("style", .text("dashed")), ("constraint", .text("false"))]
                }
                dot.edge(prefix + step.id, prefix + edge.to, attributes)
            }
        }
    }
}
