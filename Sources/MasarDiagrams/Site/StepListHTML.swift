import Foundation
import MasarCore

extension StepList {
    /// The phone form as HTML, every text escaped, each line marked with its language and every
    /// run of map data isolated (`<bdi>`), so an English title or a duration reads right inside
    /// an Arabic page. Shown instead of the drawn diagram on narrow screens (`css`).
    public func html(headingLevel: Int = 3) -> String {
        var parts = ["<div class=\"sl\">"]
        for section in sections {
            parts.append("<section class=\"sl-path\"><h\(headingLevel)>\(Self.html(section.heading))</h\(headingLevel)>")
            parts.append("<ul class=\"sl-figures\">" + section.figures.map(Self.html).joined() + "</ul>")
            parts.append("<ol class=\"sl-steps\">" + section.items.map(Self.html).joined() + "</ol></section>")
        }
        if !changes.isEmpty {
            parts.append("<ul class=\"sl-figures sl-changes\">" + changes.map(Self.html).joined() + "</ul>")
        }
        parts.append("<div class=\"sl-legend\"><b>\(Self.html(legendHeading))</b><ul>"
            + legend.map { "<li><span class=\"sl-swatch\" style=\"background:\($0.colour)\"></span> \(Self.html($0.name))</li>" }.joined()
            + "</ul>" + notes.map { "<p>\(Self.html($0))</p>" }.joined() + "</div>")
        return (parts + ["</div>"]).joined(separator: "\n")
    }

    static func html(_ figure: Figure) -> String {
        "<li>\(html(figure.label)) <b><bdi dir=\"auto\">\(figure.value.htmlEscaped)</bdi></b></li>"
    }

    static func html(_ item: Item) -> String {
        var classes = ["sl-step", "sl-\(item.channel.rawValue)"]
        if item.isEnd { classes.append("sl-end") }
        if item.flagged { classes.append("sl-flagged") }
        var body = item.title.enumerated().map { index, line in
            index == 0 ? "<b\(attributes(line))>\(line.text.htmlEscaped)</b>" : "<span\(attributes(line))>\(line.text.htmlEscaped)</span>"
        }
        body.append("<span class=\"sl-facts\">" + item.facts.map(html).joined(separator: " · ") + "</span>")
        if let fate = item.fate { body.append("<span class=\"sl-fate\">\(html(fate))</span>") }
        if let badge = item.badge { body.append("<span class=\"sl-badge\">\(html(badge))</span>") }
        if !item.notes.isEmpty { body.append("<ul class=\"sl-notes\">" + item.notes.map(html).joined() + "</ul>") }
        return "<li class=\"\(classes.joined(separator: " "))\" style=\"background:\(item.fill)\">"
            + "<span class=\"sl-number\">\(item.number)</span><div class=\"sl-body\">" + body.joined() + "</div></li>"
    }

    static func html(_ note: Note) -> String {
        // Up and down read the same in either direction of writing: the list runs downwards.
        let arrow = switch note.kind {
        case .branch: "↓"
        case .rework: "↑"
        case .replacedBy: "⇣"
        case .askedAgain: ""
        }
        var runs = note.details.map(html)
        if let target = note.target {
            runs.insert((note.label.isEmpty ? "" : html(note.label) + " ") + "<bdi>\(target.number)</bdi> " + html(target.title), at: 0)
        }
        return "<li class=\"sl-\(note.kind.rawValue)\">" + (arrow.isEmpty ? "" : arrow + " ") + runs.joined(separator: " · ") + "</li>"
    }

    /// Lines of a text joined with ` · `, each isolated and marked with its language.
    static func html(_ text: Text) -> String {
        text.map { "<bdi\(attributes($0))>\($0.text.htmlEscaped)</bdi>" }.joined(separator: " · ")
    }

    static func attributes(_ line: Line) -> String {
        switch line.language {
        case .arabic: " lang=\"ar\" dir=\"rtl\""
        case .english: " lang=\"en\" dir=\"ltr\""
        case nil: " dir=\"auto\""
        }
    }

    /// The phone form's rules, and the switch: below 48rem wide a screen shows the phone form
    /// (`.sl`) instead of the drawn diagram (`.diagram-wide`); print keeps the drawn one. Text
    /// is dark on every fill, for contrast; a duration or fee never breaks across lines (an actor may).
    public static let css = """
        .sl{display:none}
        @media screen and (max-width:47.99rem){.sl{display:block}.diagram-wide{display:none}}
        .sl-steps{list-style:none;padding:0;margin:.5rem 0 1rem;display:flex;flex-direction:column;gap:.5rem}
        .sl-step{display:flex;gap:.6rem;align-items:flex-start;border:1px solid #374151;border-radius:6px;padding:.5rem .6rem;color:#111827;line-height:1.4}
        .sl-online,.sl-automatic{border-radius:14px}.sl-automatic{border-style:dashed}
        .sl-end{border:4px double #374151}.sl-flagged{border:3px solid #dc2626}
        .sl-number{flex:none;min-width:1.7rem;height:1.7rem;border-radius:50%;background:#111827;color:#fff;font-weight:bold;display:inline-flex;align-items:center;justify-content:center}
        .sl-body{display:flex;flex-direction:column;gap:.1rem;min-width:0;overflow-wrap:anywhere}
        .sl-facts,.sl-notes{font-size:.9rem}.sl-facts bdi:not(:first-child){white-space:nowrap}
        .sl-fate,.sl-badge{align-self:flex-start;font-size:.85rem;border-radius:4px;padding:0 .4rem}
        .sl-fate{background:#fff;border:1px solid #374151}.sl-badge{background:#b91c1c;color:#fff;font-weight:bold}
        .sl-notes{list-style:none;margin:.2rem 0 0;padding:0}.sl-rework,.sl-askedAgain{color:#7f1d1d;font-weight:bold}
        .sl-figures{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
        .sl-changes{flex-direction:column}
        .sl-legend ul{list-style:none;padding:0;margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
        .sl bdi[lang]{display:inline;margin-inline-start:0}
        .sl-swatch{display:inline-block;width:1rem;height:1rem;border:1px solid #374151;vertical-align:middle}
        """
}

extension HTMLPage {
    /// `inlineSVG` as an image with a text alternative (`label`), for screen readers: the
    /// diagram's own titles (node ids) are then not read out.
    public static func inlineSVG(_ svg: Data, label: String) -> String {
        labelled(inlineSVG(svg), label)
    }

    /// Inline SVG markup with `role="img"` and `aria-label` set on its root element.
    public static func labelled(_ svg: String, _ label: String) -> String {
        guard svg.hasPrefix("<svg") else { return svg }
        return "<svg role=\"img\" aria-label=\"\(label.htmlEscaped)\"" + svg.dropFirst(4)
    }
}
