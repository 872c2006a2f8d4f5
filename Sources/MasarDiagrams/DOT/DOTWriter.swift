/// Builds DOT source line by line; every value is quoted or passed as an HTML-like label.
struct DOTWriter {
    /// An attribute value: quoted text, or an HTML-like label already built from escaped text.
    enum Value {
        case text(String)
        case html(String)

        var rendered: String {
            switch self {
            case .text(let text): DOTText.id(text)
            case .html(let html): "<" + html + ">"
            }
        }
    }

    private(set) var lines: [String] = []
    private var depth = 0

    init(name: String, attributes: [(String, Value)]) {
        line("digraph \(DOTText.id(name)) {")
        depth += 1
        statement("graph", attributes)
        statement("node", [("fontname", .text(DiagramStyle.font)), ("fontsize", .text("11")),
                           ("margin", .text("0.10,0.05"))])
        statement("edge", [("fontname", .text(DiagramStyle.font)), ("fontsize", .text("9")),
                           ("color", .text("#4b5563")), ("arrowsize", .text("0.7"))])
    }

    private mutating func line(_ text: String) {
        lines.append(String(repeating: "  ", count: depth) + text)
    }

    private func list(_ attributes: [(String, Value)]) -> String {
        attributes.isEmpty ? "" : " [" + attributes.map { "\($0.0)=\($0.1.rendered)" }.joined(separator: ", ") + "]"
    }

    mutating func statement(_ keyword: String, _ attributes: [(String, Value)]) {
        line(keyword + list(attributes))
    }

    mutating func node(_ id: String, _ attributes: [(String, Value)]) {
        line(DOTText.id(id) + list(attributes))
    }

    mutating func edge(_ from: String, _ to: String, _ attributes: [(String, Value)] = []) {
        line(DOTText.id(from) + " -> " + DOTText.id(to) + list(attributes))
    }

    /// Nodes placed on one rank, side by side.
    mutating func sameRank(_ ids: [String]) {
        line("{ rank=same; " + ids.map(DOTText.id).joined(separator: "; ") + " }")
    }

    mutating func cluster(_ name: String, _ attributes: [(String, Value)], body: (inout DOTWriter) -> Void) {
        line("subgraph \(DOTText.id("cluster_" + name)) {")
        depth += 1
        for (key, value) in attributes { line("\(key)=\(value.rendered)") }
        body(&self)
        depth -= 1
        line("}")
    }

    /// The finished source.
    var source: String {
        (lines + ["}"]).joined(separator: "\n") + "\n"
    }
}
