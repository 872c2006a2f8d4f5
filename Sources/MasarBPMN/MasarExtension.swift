import MasarCore

/// What Masar keeps in BPMN's `extensionElements`: the figures BPMN has no place for (both
/// title languages, channel, duration, effort, fee, documents, branch probabilities, the
/// service's own facts), so that a path exported, edited in another tool and read back keeps
/// them. BPMN tools pass extension elements through and ignore what they do not know.
enum MasarExtension {
    static let namespace = "urn:masar:bpmn:1"

    /// A step's figures, read back from `masar:step`.
    struct StepFigures: Equatable {
        var channel: Channel
        var duration: Minutes
        var effort: Minutes
        var fee: Baisa
        var documents: [String]
        var produces: [String]
    }

    /// The service a path belongs to, read back from `masar:service`.
    struct ServiceFacts: Equatable {
        var id: String
        /// The path the file holds.
        var path: PathKind
        var title: LocalizedText
        var sector: String
        var annualVolume: Int
        var lifeEvents: [String]
    }

    // MARK: - Writing

    static func write(_ step: Step, into xml: inout XMLWriter) {
        titles(step.title, into: &xml)
        let figures = [
            ("channel", step.channel.rawValue), ("duration", MapWriter.duration(step.duration)),
            ("effort", MapWriter.duration(step.effort)), ("fee", MapWriter.fee(step.fee)),
        ]
        guard !step.documents.isEmpty || !step.produces.isEmpty else {
            xml.empty("masar:step", figures)
            return
        }
        xml.open("masar:step", figures)
        for document in step.documents { xml.element("masar:asks", text: document) }
        for document in step.produces { xml.element("masar:produces", text: document) }
        xml.close("masar:step")
    }

    static func write(_ map: ServiceMap, path: PathKind, into xml: inout XMLWriter) {
        xml.open("masar:service", [("id", map.id), ("path", path.rawValue), ("sector", map.sector),
                                   ("annualVolume", String(map.annualVolume))])
        titles(map.title, into: &xml)
        for event in map.lifeEvents { xml.element("masar:lifeEvent", text: event) }
        xml.close("masar:service")
    }

    static func write(probability: Double, into xml: inout XMLWriter) {
        xml.empty("masar:edge", [("probability", String(probability))])
    }

    private static func titles(_ title: LocalizedText, into xml: inout XMLWriter) {
        for (language, text) in [("en", title.en), ("ar", title.ar)] {
            if let text { xml.element("masar:title", [("lang", language)], text: text) }
        }
    }

    // MARK: - Reading

    /// Masar's extension children of an element, if it has any.
    private static func children(of element: XMLNode, named name: String) -> [XMLNode] {
        element.child("extensionElements", in: BPMNNamespace.model)?.children(name, in: namespace) ?? []
    }

    static func titles(of element: XMLNode) -> LocalizedText? {
        var titles = LocalizedText()
        for title in element.children("title", in: namespace) {
            let text = BPMNText.folded(title.text)
            guard !text.isEmpty else { continue }
            if title["lang"] == "en" { titles.en = text } else if title["lang"] == "ar" { titles.ar = text }
        }
        return titles.en == nil && titles.ar == nil ? nil : titles
    }

    /// A task's titles: kept beside `masar:step` in its extension elements.
    static func stepTitles(_ task: XMLNode) -> LocalizedText? {
        task.child("extensionElements", in: BPMNNamespace.model).flatMap(titles(of:))
    }

    /// A task's figures; nil when absent or when any figure does not read, so that a figure
    /// edited by hand into nonsense falls back to the import's defaults rather than half-reads.
    static func figures(_ task: XMLNode) -> StepFigures? {
        guard let step = children(of: task, named: "step").first,
              let channel = step["channel"].flatMap(Channel.init(rawValue:)),
              let duration = step["duration"].flatMap(Quantity.minutes),
              let effort = step["effort"].flatMap(Quantity.minutes),
              let fee = step["fee"].flatMap(Quantity.baisa)
        else { return nil }
        let list = { (name: String) in
            step.children(name, in: namespace).map { BPMNText.folded($0.text) }.filter { !$0.isEmpty }
        }
        return StepFigures(channel: channel, duration: duration, effort: effort, fee: fee,
                           documents: list("asks"), produces: list("produces"))
    }

    static func service(_ process: XMLNode) -> ServiceFacts? {
        guard let service = children(of: process, named: "service").first,
              let id = service["id"], Slug.isReadable(id),
              let title = titles(of: service)
        else { return nil }
        let events = service.children("lifeEvent", in: namespace).map { BPMNText.folded($0.text) }.filter { !$0.isEmpty }
        return ServiceFacts(id: id, path: service["path"].flatMap(PathKind.init(rawValue:)) ?? .current, title: title, sector: BPMNText.folded(service["sector"] ?? ""),
                            annualVolume: max(0, Int(service["annualVolume"] ?? "") ?? 0), lifeEvents: events)
    }

    static func probability(_ flow: XMLNode) -> Double? {
        guard let edge = children(of: flow, named: "edge").first,
              let value = edge["probability"].flatMap(Double.init), value > 0, value <= 1
        else { return nil }
        return value
    }
}
