extension String {
    /// The text made inert inside HTML or XML: markup characters become entities, and bidi
    /// controls (refused on input, but perhaps stored before) are dropped so that they cannot
    /// reorder the page. Every text from a map file goes through this before it reaches a page.
    public var htmlEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: if !TextRules.isBidiControl(scalar) { escaped.unicodeScalars.append(scalar) }
            }
        }
        return escaped
    }
}
