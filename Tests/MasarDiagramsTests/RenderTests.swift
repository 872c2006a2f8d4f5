import Foundation
import MasarCore
import Testing
@testable import MasarDiagrams

@Suite("Rendering through libgvc in process")
struct RenderTests {
    @Test("A small graph renders as SVG, PNG and PDF")
    func formats() throws {
        let dot = "digraph g { a -> b }"
        let svg = String(decoding: try Graphviz.shared.render(dot, as: .svg), as: UTF8.self)
        #expect(svg.contains("<svg"))
        let png = try Graphviz.shared.render(dot, as: .png)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let pdf = try Graphviz.shared.render(dot, as: .pdf)
        #expect(pdf.starts(with: Array("%PDF".utf8)))
    }

    @Test("Broken DOT is refused with what Graphviz said")
    func brokenDOT() {
        #expect(throws: RenderError.self) { try Graphviz.shared.render("digraph { a -> }", as: .svg) }
        do {
            _ = try Graphviz.shared.render("digraph { a -> }", as: .svg)
        } catch {
            #expect(error.message.contains("syntax error"))
        }
    }
}
