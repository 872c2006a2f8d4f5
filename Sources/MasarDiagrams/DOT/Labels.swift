import MasarCore

/// HTML-like labels shared by the views: step cards, titles and legends.
enum Labels {
    /// Text in the languages asked for, one line each; falls back to whichever exists.
    static func lines(_ text: LocalizedText, _ language: LabelLanguage) -> [String] {
        let en = text.en.map { [$0] } ?? []
        let ar = text.ar.map { [$0] } ?? []
        switch language {
        case .en: return en.isEmpty ? ar : en
        case .ar: return ar.isEmpty ? en : ar
        case .both: return en + ar
        }
    }

    /// A table row holding escaped text, with optional font attributes.
    static func row(_ text: String, size: Int? = nil, colour: String? = nil, bold: Bool = false,
                     background: String? = nil) -> String {
        var font: [String] = []
        if let size { font.append("POINT-SIZE=\"\(size)\"") }
        if let colour { font.append("COLOR=\"\(colour)\"") }
        var body = DOTText.html(text)
        if bold { body = "<B>" + body + "</B>" }
        if !font.isEmpty { body = "<FONT " + font.joined(separator: " ") + ">" + body + "</FONT>" }
        let cell = background.map { "<TD BGCOLOR=\"\($0)\">" } ?? "<TD>"
        return "<TR>" + cell + body + "</TD></TR>"
    }

    static func table(_ rows: [String]) -> String {
        "<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" CELLPADDING=\"1\">" + rows.joined() + "</TABLE>"
    }

    /// A step as a card: its title, then duration, fee and anything a view adds.
    static func step(_ step: Step, _ options: DiagramOptions, actor: Bool = false, extra: [String] = []) -> String {
        var rows = lines(step.title, options.language).enumerated().map { row($0.element, bold: $0.offset == 0) }
        var facts = [Quantity.format(minutes: Double(step.duration), in: options.language.figures)]
        if step.fee > 0 { facts.append(Quantity.format(baisa: Double(step.fee), in: options.language.figures)) }
        if actor { facts.insert(step.actor, at: 0) }
        rows.append(row(facts.joined(separator: " · "), size: 9, colour: "#4b5563"))
        if let count = options.painPoints[step.id], count > 0 {
            rows.append(row("⚑ " + lines(DiagramWords.painPoints(count), options.language).joined(separator: " · "), size: 9,
                            colour: "white", bold: true, background: DiagramStyle.reworkColour))
        }
        return table(rows + extra)
    }

    /// A graph title: the service or life event in the languages asked for, and a subtitle.
    static func title(_ text: LocalizedText, _ subtitle: LocalizedText, _ options: DiagramOptions) -> String {
        let main = lines(text, options.language).map { row($0, size: 16, bold: true) }
        return table(main + [row(lines(subtitle, options.language).joined(separator: " · "), size: 11, colour: "#4b5563")])
    }

    /// A legend: a heading, swatches with their names, then rows of figures (label, value) and
    /// notes. Labels and figures sit in cells of their own, so Arabic labels never reorder numbers.
    static func legend(_ heading: LocalizedText, _ items: [(colour: String, name: LocalizedText)],
                       _ options: DiagramOptions, figures: [(label: LocalizedText, value: String)] = [],
                       notes: [String] = []) -> String {
        func cell(_ text: String, align: String = "LEFT") -> String {
            "<TD ALIGN=\"\(align)\">\(DOTText.html(text))</TD>"
        }
        let headingText = lines(heading, options.language).joined(separator: " · ")
        var rows = ["<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\"><B>\(DOTText.html(headingText))</B></TD></TR>"]
        for item in items {
            rows.append("<TR><TD BGCOLOR=\"\(item.colour)\" WIDTH=\"18\" FIXEDSIZE=\"FALSE\"> </TD>"
                + "<TD COLSPAN=\"2\" ALIGN=\"LEFT\">\(DOTText.html(lines(item.name, options.language).joined(separator: " · ")))</TD></TR>")
        }
        for figure in figures {
            let names = lines(figure.label, options.language)
            rows.append("<TR>" + cell(names.first ?? "") + cell(names.count > 1 ? names[1] : "", align: "RIGHT")
                + cell(figure.value, align: "RIGHT") + "</TR>")
        }
        for note in notes {
            rows.append("<TR><TD COLSPAN=\"3\" ALIGN=\"LEFT\">\(DOTText.html(note))</TD></TR>")
        }
        return "<TABLE BORDER=\"1\" COLOR=\"#d1d5db\" CELLBORDER=\"0\" CELLSPACING=\"2\" CELLPADDING=\"3\">"
            + rows.joined() + "</TABLE>"
    }
}
