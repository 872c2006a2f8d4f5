import MasarCore

/// Text placed into DOT source. Everything from a service file goes through here, so no
/// title, actor or document can break the DOT or smuggle markup into it. Bidi controls are
/// dropped: maps refuse them now, and one stored before must not reorder a diagram's label.
enum DOTText {
    /// A quoted DOT identifier: only `"` and `\` mean anything inside quotes.
    static func id(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n", "\r": quoted += " "
            default: if !TextRules.isBidiControl(scalar) { quoted.unicodeScalars.append(scalar) }
            }
        }
        return quoted + "\""
    }

    /// Text inside an HTML-like label: markup characters become entities (and bidi controls
    /// go, in `htmlEscaped`), control characters spaces, and a backslash is doubled — Graphviz
    /// still expands `\N`, `\G` and the like in HTML-like labels, and `\\` is the only way to
    /// keep one backslash.
    static func html(_ text: String) -> String {
        var escaped = ""
        for scalar in text.htmlEscaped.unicodeScalars {
            switch scalar {
            case "[": escaped += "&#91;"
            case "]": escaped += "&#93;"
            case "\\": escaped += "\\\\"
            default:
                if TextRules.isControl(scalar) {
                    escaped += " "
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }
}
