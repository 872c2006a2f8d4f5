import Foundation
import MasarCore
import MasarDiagrams

/// A document as blocks of plain text, written out as Markdown or as printable HTML; each
/// writer escapes every text itself, so nothing from a map or a form can become markup.
public struct Document: Sendable {
    public enum Block: Sendable {
        case heading(level: Int, LocalizedText)
        case paragraph(String)
        /// Right-to-left text, for Arabic paragraphs.
        case arabic(String)
        case table(headers: [String], rows: [[String]])
        /// An inline SVG figure (HTML only; Markdown names the file it comes as). A diagram comes
        /// with its phone form, which narrow screens show instead and whose summary is the SVG's
        /// text alternative; a chart carries its own.
        case figure(caption: String, svg: Data, phone: StepList? = nil)
    }

    public var title: LocalizedText
    public var blocks: [Block] = []

    public init(title: LocalizedText) {
        self.title = title
    }

    public mutating func add(_ block: Block) {
        blocks.append(block)
    }

    // MARK: Markdown

    public var markdown: String {
        var lines = ["# " + Self.md(Self.both(title)), ""]
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                lines += [String(repeating: "#", count: level) + " " + Self.md(Self.both(text)), ""]
            case .paragraph(let text), .arabic(let text):
                lines += [Self.md(text), ""]
            case .table(let headers, let rows):
                lines.append("| " + headers.map(Self.cell).joined(separator: " | ") + " |")
                lines.append("|" + String(repeating: " --- |", count: headers.count))
                lines += rows.map { "| " + $0.map(Self.cell).joined(separator: " | ") + " |" }
                lines.append("")
            case .figure(let caption, _, _):
                lines += ["*" + Self.md(caption) + " — see the HTML document for the diagram.*", ""]
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Markdown passes HTML through, so markup characters become entities; `|` would split a cell.
    static func md(_ text: String) -> String {
        var escaped = text.replacingOccurrences(of: "\n", with: " ")
        for character in ["\\", "*", "_", "`", "[", "]"] {
            escaped = escaped.replacingOccurrences(of: character, with: "\\" + character)
        }
        if escaped.hasPrefix("#") { escaped = "\\" + escaped } // a leading # would make a heading
        return escaped.htmlEscaped
    }

    static func cell(_ text: String) -> String {
        md(text).replacingOccurrences(of: "|", with: "\\|")
    }

    static func both(_ text: LocalizedText) -> String {
        [text.en, text.ar].compactMap { $0 }.joined(separator: " · ")
    }

    // MARK: HTML

    public var html: String {
        var body: [String] = ["<h1>\(Self.bilingual(title))</h1>"]
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                body.append("<h\(level)>\(Self.bilingual(text))</h\(level)>")
            case .paragraph(let text):
                body.append("<p>\(Self.marked(text))</p>")
            case .arabic(let text):
                body.append("<p lang=\"ar\" dir=\"rtl\">\(text.htmlEscaped)</p>")
            case .table(let headers, let rows):
                // A table wider than a phone scrolls inside itself, not the page; a keyboard can scroll it too.
                body.append("<div class=\"scroll\" tabindex=\"0\"><table><thead><tr>" + headers.map { "<th>\(Self.marked($0))</th>" }.joined()
                    + "</tr></thead><tbody>"
                    + rows.map { "<tr>" + $0.map { "<td>\(Self.marked($0))</td>" }.joined() + "</tr>" }.joined()
                    + "</tbody></table></div>")
            case .figure(let caption, let svg, let phone):
                let drawn = phone.map { "<div class=\"diagram-wide\" tabindex=\"0\">" + HTMLPage.inlineSVG(svg, label: $0.summary) + "</div>" + $0.html() }
                    ?? HTMLPage.inlineSVG(svg)
                let page = phone != nil && Self.isWide(svg) ? " class=\"landscape\"" : ""
                body.append("<figure\(page)>\(drawn)<figcaption>\(Self.marked(caption))</figcaption></figure>")
            }
        }
        return HTMLPage.render(title: Self.both(title), style: Self.style, body: body.joined(separator: "\n"))
    }

    /// Whether a drawn diagram is wider than tall (by its root's `width` and `height`), so that
    /// it prints on a landscape page, larger than a portrait page's width would let it.
    static func isWide(_ svg: Data) -> Bool {
        let head = String(decoding: svg.prefix(2_000), as: UTF8.self)
        guard let size = head.firstMatch(of: /<svg width="([0-9.]+)pt" height="([0-9.]+)pt"/),
              let width = Double(size.output.1), let height = Double(size.output.2) else { return false }
        return width > height
    }

    /// Text with each run of Arabic words marked as Arabic and set right-to-left, so that the
    /// document, English and left-to-right, reads `Name · الاسم` or an Arabic pain point right.
    /// Digits and punctuation between two Arabic words stay in their run.
    static func marked(_ text: String) -> String {
        enum Kind { case arabic, latin, neutral }
        func kind(_ word: Substring) -> Kind {
            if word.unicodeScalars.contains(where: { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }) { return .latin }
            let blocks: [ClosedRange<UInt32>] = [0x0600...0x06FF, 0x0750...0x077F, 0xFB50...0xFDFF, 0xFE70...0xFEFF]
            let arabic = word.unicodeScalars.contains { scalar in blocks.contains { $0.contains(scalar.value) } }
            return arabic ? .arabic : .neutral
        }
        var output: [String] = []
        var run: [Substring] = [], tail: [Substring] = []
        func close() {
            if !run.isEmpty { output.append("<span lang=\"ar\" dir=\"rtl\">" + run.joined(separator: " ").htmlEscaped + "</span>") }
            output += tail.map { String($0).htmlEscaped }
            run = []
            tail = []
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            switch kind(word) {
            case .arabic:
                run += tail + [word]
                tail = []
            case .neutral where !run.isEmpty:
                tail.append(word)
            case .neutral, .latin:
                close()
                output.append(String(word).htmlEscaped)
            }
        }
        close()
        return output.joined(separator: " ")
    }

    static func bilingual(_ text: LocalizedText) -> String {
        [text.en.map(\.htmlEscaped), text.ar.map { "<span lang=\"ar\" dir=\"rtl\">\($0.htmlEscaped)</span>" }]
            .compactMap { $0 }.joined(separator: " · ")
    }

    /// Screen: a phone reads the diagrams in their phone form and scrolls wide tables inside
    /// themselves; a wider screen scrolls a diagram at its own size. Print: A4, diagrams fitted
    /// to the page, no table row, list item or figure split across pages.
    static let style = """
        body{font-family:"Noto Sans","Noto Sans Arabic",system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#111827;line-height:1.45;overflow-wrap:break-word}
        [lang=ar]{font-family:"Noto Naskh Arabic","Noto Sans Arabic",serif}
        .scroll{overflow-x:auto} table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%}
        th,td{border:1px solid #d1d5db;padding:.3rem .5rem;text-align:start;vertical-align:top} th{background:#f3f4f6}
        figure{margin:1rem 0} .diagram-wide{overflow-x:auto} .diagram-wide svg{max-width:none;height:auto}
        figure>svg{max-width:100%;height:auto}
        figcaption{color:#4b5563;font-size:.9rem} h2{border-top:1px solid #e5e7eb;padding-top:1rem;margin-top:2rem}
        @page{size:A4;margin:14mm 12mm} @page landscape{size:A4 landscape;margin:12mm}
        @media print{body{max-width:none;padding:0;font-size:10pt} h2{break-before:page;border-top:0}
        h2,h3,caption{break-after:avoid} figure,tr,li{break-inside:avoid} thead{display:table-header-group}
        .scroll,.diagram-wide{overflow:visible} .diagram-wide svg{width:100%;height:auto;max-height:240mm}
        figure.landscape{page:landscape} .landscape .diagram-wide svg{max-height:165mm}}
        """ + "\n" + StepList.css
}
