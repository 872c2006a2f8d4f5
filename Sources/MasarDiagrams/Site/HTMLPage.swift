import Foundation
import MasarCore

/// The frame of Masar's self-contained HTML pages, and diagrams set inline in them.
public enum HTMLPage {
    /// A whole page, in English and left to right (Arabic runs in it carry their own `lang` and
    /// `dir`), its content one `main` landmark: `title` is plain text (escaped here), `body` is HTML already built from escaped text.
    public static func render(title: String, style: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en" dir="ltr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title.htmlEscaped)</title>
        <style>\(style)</style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// SVG from Graphviz without its XML prolog, ready to sit inside HTML.
    public static func inlineSVG(_ svg: Data) -> String {
        let text = String(decoding: svg, as: UTF8.self)
        return text.range(of: "<svg").map { String(text[$0.lowerBound...]) } ?? ""
    }
}
