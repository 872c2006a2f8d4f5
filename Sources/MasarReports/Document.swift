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
        /// An inline SVG figure (HTML only; Markdown names the file it comes as).
        case figure(caption: String, svg: Data)
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
            case .figure(let caption, _):
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
                body.append("<p>\(text.htmlEscaped)</p>")
            case .arabic(let text):
                body.append("<p lang=\"ar\" dir=\"rtl\">\(text.htmlEscaped)</p>")
            case .table(let headers, let rows):
                body.append("<table><thead><tr>" + headers.map { "<th>\(Self.cellHTML($0))</th>" }.joined()
                    + "</tr></thead><tbody>"
                    + rows.map { "<tr>" + $0.map { "<td>\(Self.cellHTML($0))</td>" }.joined() + "</tr>" }.joined()
                    + "</tbody></table>")
            case .figure(let caption, let svg):
                body.append("<figure>\(HTMLPage.inlineSVG(svg))<figcaption>\(caption.htmlEscaped)</figcaption></figure>")
            }
        }
        return HTMLPage.render(title: Self.both(title), style: Self.style, body: body.joined(separator: "\n"))
    }

    /// Arabic text in a cell is set right-to-left; other text follows the page.
    static func cellHTML(_ text: String) -> String {
        let arabic = text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) }
        let latin = text.unicodeScalars.contains { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        return arabic && !latin ? "<span lang=\"ar\" dir=\"rtl\">\(text.htmlEscaped)</span>" : text.htmlEscaped
    }

    static func bilingual(_ text: LocalizedText) -> String {
        [text.en.map(\.htmlEscaped), text.ar.map { "<span lang=\"ar\" dir=\"rtl\">\($0.htmlEscaped)</span>" }]
            .compactMap { $0 }.joined(separator: " · ")
    }

    static let style = """
        body{font-family:"Noto Sans","Noto Sans Arabic",system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1.5rem;color:#111827;line-height:1.45}
        [lang=ar]{font-family:"Noto Naskh Arabic","Noto Sans Arabic",serif}
        table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%} th,td{border:1px solid #d1d5db;padding:.3rem .5rem;text-align:start;vertical-align:top}
        th{background:#f3f4f6} figure{margin:1rem 0;overflow-x:auto} svg{max-width:100%;height:auto}
        figcaption{color:#4b5563;font-size:.9rem} h2{border-top:1px solid #e5e7eb;padding-top:1rem;margin-top:2rem}
        @media print{body{max-width:none;padding:0} h2{break-before:page} figure,table{break-inside:avoid}}
        """
}
