/// Writes a service map as YAML in DESIGN's format, for maps made by a tool (a BPMN import)
/// rather than typed by a facilitator.
///
/// Every text from elsewhere is written double-quoted with its control characters escaped, so
/// no title or actor can end a line early or be read back as YAML structure; comments are
/// folded onto one line for the same reason.
public struct MapWriter: Sendable {
    /// Lines written as `# …` at the top of the file.
    public var header: [String] = []
    /// A comment written above a step, by step id.
    public var stepComments: [String: String] = [:]

    public init(header: [String] = [], stepComments: [String: String] = [:]) {
        self.header = header
        self.stepComments = stepComments
    }

    public func write(_ map: ServiceMap) -> String {
        var out = header.map { MapWriter.comment($0) + "\n" }.joined()
        out += "id: \(MapWriter.quoted(map.id))\n"
        out += "title: \(MapWriter.text(map.title))\n"
        out += "entity: \(MapWriter.quoted(map.entity))\n"
        out += "sector: \(MapWriter.quoted(map.sector))\n"
        if !map.lifeEvents.isEmpty { out += "life_events: \(MapWriter.list(map.lifeEvents))\n" }
        out += "annual_volume: \(map.annualVolume)\n"
        out += "current:\n" + path(map.current)
        if let future = map.future { out += "future:\n" + path(future) }
        return out
    }

    private func path(_ path: ServicePath) -> String {
        var out = ""
        if let start = path.start { out += "  start: \(MapWriter.quoted(start))\n" }
        out += "  steps:\n"
        for step in path.steps {
            if let note = stepComments[step.id] { out += "    " + MapWriter.comment(note) + "\n" }
            out += "    - id: \(MapWriter.quoted(step.id))\n"
            let field = { (key: String, value: String) in out += "      \(key): \(value)\n" }
            field("title", MapWriter.text(step.title))
            field("actor", MapWriter.quoted(step.actor))
            field("channel", step.channel.rawValue)
            field("duration", MapWriter.duration(step.duration))
            if step.effort > 0 { field("effort", MapWriter.duration(step.effort)) }
            if step.fee > 0 { field("fee", MapWriter.fee(step.fee)) }
            if !step.documents.isEmpty { field("documents", MapWriter.list(step.documents)) }
            if !step.produces.isEmpty { field("produces", MapWriter.list(step.produces)) }
            if !step.replaces.isEmpty { field("replaces", MapWriter.list(step.replaces)) }
            if !step.next.isEmpty {
                out += "      next:\n"
                for edge in step.next { out += "        - \(MapWriter.edge(edge))\n" }
            }
        }
        return out
    }

    static func edge(_ edge: Transition) -> String {
        guard edge.when != nil || edge.probability != nil else { return quoted(edge.to) }
        var parts = ["to: \(quoted(edge.to))"]
        if let when = edge.when { parts.append("when: \(quoted(when))") }
        if let probability = edge.probability { parts.append("probability: \(probability)") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    static func text(_ text: LocalizedText) -> String {
        var parts: [String] = []
        if let en = text.en { parts.append("en: \(quoted(en))") }
        if let ar = text.ar { parts.append("ar: \(quoted(ar))") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    static func list(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ", ") + "]"
    }

    /// `1w 2d 3h 4m`: exact, in the units the loader reads, largest first.
    public static func duration(_ minutes: Minutes) -> String {
        guard minutes > 0 else { return "0" }
        var rest = minutes
        var parts: [String] = []
        for unit in Quantity.durationUnits where rest >= unit.minutes {
            parts.append("\(rest / unit.minutes)\(Character(Unicode.Scalar(unit.symbol)))")
            rest %= unit.minutes
        }
        return parts.joined(separator: " ")
    }

    /// `1.500`: OMR with three decimals, as the loader reads fees.
    public static func fee(_ baisa: Baisa) -> String {
        let fraction = String(baisa % 1000)
        return "\(baisa / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// Words YAML 1.1 reads as booleans or null, which an id must not be written as bare.
    private static let reserved: Set<String> = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]

    /// An id as it is (`get-notification`), anything else as a YAML double-quoted scalar with
    /// `"` and `\` escaped and control characters as `\uNNNN`.
    static func quoted(_ text: String) -> String {
        if let first = text.unicodeScalars.first, ("a"..."z").contains(first), !reserved.contains(text),
           text.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) {
            return text
        }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    out += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// One comment line: line breaks and other control characters become spaces.
    static func comment(_ text: String) -> String {
        let folded = String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control || scalar.value == 0x2028 || scalar.value == 0x2029
                ? " " : scalar
        }))
        return folded.isEmpty ? "#" : "# " + folded
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: Swift.max(0, width - count)) + self
    }
}
