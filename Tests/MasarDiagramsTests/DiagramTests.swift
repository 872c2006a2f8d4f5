import Foundation
import MasarCore
import Testing
@testable import MasarDiagrams

/// The text a person sees in an SVG: every `<text>` element, entities decoded.
func svgTexts(_ svg: String) -> [String] {
    svg.matches(of: /<text[^>]*>([^<]*)<\/text>/).map { decodeXML(String($0.output.1)) }
}

func decodeXML(_ text: String) -> String {
    var decoded = text
    for match in text.matches(of: /&#(x?)([0-9a-fA-F]+);/).reversed() {
        let value = UInt32(String(match.output.2), radix: match.output.1.isEmpty ? 10 : 16) ?? 32
        decoded.replaceSubrange(match.range, with: String(UnicodeScalar(value).map(Character.init) ?? " "))
    }
    return decoded.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
        .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&#39;", with: "'")
        .replacingOccurrences(of: "&amp;", with: "&")
}

/// Graphviz node names in an SVG (each node's `<title>`).
func svgNodes(_ svg: String) -> [String] {
    svg.matches(of: /class="node">\s*<title>([^<]*)<\/title>/).map { decodeXML(String($0.output.1)) }
}

let hostileMap: ServiceMap = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("hostile.yaml")
    // Read as a stored revision: its tabs and line breaks are what maps now refuse, and diagrams
    // must still draw whatever a database kept from before.
    return try! MapLoader.parseService(String(contentsOf: url, encoding: .utf8), file: url.path, stored: true)
}()

let catalogueFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Services").path

@Suite("Diagrams: DOT from the model, escaped, in every view")
struct DiagramTests {
    @Test("Quotes and backslashes cannot leave a quoted DOT id")
    func quotedIDs() {
        #expect(DOTText.id(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(DOTText.id("line\nbreak") == #""line break""#)
    }

    @Test("Markup, brackets, backslashes and control characters are inert in HTML-like labels")
    func htmlLabels() {
        #expect(DOTText.html("<B>x</B> & \"y\" 'z'") == "&lt;B&gt;x&lt;/B&gt; &amp; &quot;y&quot; &#39;z&#39;")
        #expect(DOTText.html("[a] \\N\t\u{7}") == "&#91;a&#93; \\\\N  ")
        #expect(DOTText.html("تسجيل المواليد") == "تسجيل المواليد")
    }

    @Test("A bidi override stored in a map never reaches the DOT: gnp.exe cannot show as exe.png")
    func bidiControlsDropped() throws {
        let map = try MapLoader.parseService("""
            id: s
            title: {en: "Invoice \u{202E}fdp.exe"}
            entity: E
            sector: x
            current:
              steps:
                - id: a
                  title: "Open \u{2067}photo\u{202E}gnp.exe\u{2069}"
                  actor: "Act\u{202B}or"
                  channel: online
                  duration: 1h
            """, file: "stored", stored: true)
        let dot = try #require(Diagram.path(map, .current))
        #expect(!dot.unicodeScalars.contains(where: TextRules.isBidiControl))
        #expect(dot.contains("Open photognp.exe"))
        #expect(DOTText.id("a\u{202E}b\u{2066}") == #""ab""#)
        #expect(DOTText.html("a\u{202D}b\u{85}") == "ab ")
    }

    @Test("A hostile map renders with exactly its own nodes and every title verbatim")
    func hostileTitles() throws {
        let dot = try #require(Diagram.path(hostileMap, .current))
        let svg = String(decoding: try Graphviz.shared.render(dot, as: .svg), as: UTF8.self)
        let stepNodes = svgNodes(svg).filter { $0.hasPrefix("current:") }
        #expect(stepNodes.sorted() == ["current:a", "current:b", "current:c"])
        #expect(svgNodes(svg).count == 5) // the three steps, the start dot and the legend
        let texts = svgTexts(svg)
        for step in hostileMap.current.steps {
            for title in [step.title.en, step.title.ar].compactMap({ $0 }) {
                let shown = String(title.unicodeScalars.map { $0.value < 0x20 ? " " : Character($0) })
                #expect(texts.contains(shown), "title not shown verbatim: \(title)")
            }
        }
        for title in [hostileMap.title.en!, hostileMap.title.ar!] {
            #expect(texts.contains(title))
        }
        #expect(texts.contains(##"Actor "}" subgraph cluster_x { evil } \N"##))
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("<title>cluster_x"))  // the actor text made no cluster of its own
    }

    @Test("A hostile map renders in every format")
    func hostileFormats() throws {
        for view in [PathKind.current] {
            let dot = try #require(Diagram.path(hostileMap, view))
            for format in [DiagramFormat.png, .pdf] {
                #expect(try Graphviz.shared.render(dot, as: format).count > 1000)
            }
        }
    }

    @Test("Steps are drawn by channel, ends with a double border, rework dashed red with its condition")
    func pathView() throws {
        let map = try MapLoader.parseService("""
            id: s
            title: {en: S, ar: س}
            entity: E
            sector: x
            current:
              steps:
                - {id: apply, title: {en: Apply, ar: تقديم}, actor: citizen, channel: online, duration: 1h, next: [check]}
                - id: check
                  title: {en: Check, ar: تدقيق}
                  actor: Office
                  channel: in-person
                  duration: 2d
                  fee: 1.500
                  next: [{to: apply, when: missing papers, probability: 0.25}, done]
                - {id: done, title: {en: Done, ar: تم}, actor: Office, channel: automatic, duration: 10m}
            """)
        let dot = try #require(Diagram.path(map, .current, DiagramOptions(painPoints: ["check": 2])))
        #expect(dot.contains(##""current:apply" [shape="box", style="filled,rounded", fillcolor="#dbeafe""##))
        #expect(dot.contains(##""current:check" [shape="box", style="filled", fillcolor="#fde2e2""##))
        #expect(dot.contains(##""current:done" [shape="box", style="filled,rounded,dashed", fillcolor="#dcfce7", color="#374151", penwidth="1", peripheries="2""##))
        #expect(dot.contains(##""current:check" -> "current:apply" [label=<missing papers · 25%>, color="#b91c1c""##))
        #expect(dot.contains(##""current:check" -> "current:done" [label=<75%>]"##))
        #expect(dot.contains("2 d · 1.500 OMR"))
        #expect(dot.contains("2 pain points"))
        // one lane per actor
        #expect(dot.components(separatedBy: "subgraph \"cluster_lane").count - 1 == 2)
    }

    @Test("--lang en shows no Arabic, --lang ar no English titles")
    func languages() throws {
        let map = try #require(try Catalogue.load([catalogueFolder + "/birth-registration.yaml"]).services.first)
        let english = try #require(Diagram.path(map, .current, DiagramOptions(language: .en)))
        #expect(!english.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) })
        let arabic = try #require(Diagram.path(map, .current, DiagramOptions(language: .ar)))
        #expect(arabic.contains(map.current.steps[0].title.ar!))
        #expect(!arabic.contains(map.current.steps[0].title.en!))
        let both = try #require(Diagram.path(map, .current))
        #expect(both.contains(map.current.steps[0].title.ar!) && both.contains(map.current.steps[0].title.en!))
    }

    @Test("The comparison colours each step by its fate and links merged steps to their replacement")
    func comparisonView() throws {
        let map = try MapLoader.parseService("""
            id: s
            title: {en: S}
            entity: E
            sector: x
            current:
              steps:
                - {id: book, title: {en: Book}, actor: citizen, channel: online, duration: 1d, next: [visit]}
                - {id: visit, title: {en: Visit}, actor: Office, channel: in-person, duration: 1h, next: [pay]}
                - {id: pay, title: {en: Pay}, actor: Office, channel: in-person, duration: 10m, fee: 2, next: [issue]}
                - {id: issue, title: {en: Issue}, actor: Office, channel: in-person, duration: 1d}
            future:
              steps:
                - {id: apply, title: {en: Apply}, actor: citizen, channel: online, duration: 1h, replaces: [visit], next: [pay]}
                - {id: pay, title: {en: Pay}, actor: Office, channel: online, duration: 10m, fee: 2, next: [issue]}
                - {id: issue, title: {en: Issue}, actor: Office, channel: in-person, duration: 1d}
            """)
        let dot = try #require(Diagram.comparison(map))
        #expect(dot.contains(##""current:book" [shape="box", style="filled,rounded", fillcolor="#fca5a5""##))   // removed
        #expect(dot.contains(##""current:visit" [shape="box", style="filled", fillcolor="#fdba74""##))          // merged
        #expect(dot.contains(##""current:pay" [shape="box", style="filled", fillcolor="#fcd34d""##))            // changed
        #expect(dot.contains(##""current:issue" [shape="box", style="filled", fillcolor="#f3f4f6""##))          // kept
        #expect(dot.contains(##""future:apply" [shape="box", style="filled,rounded", fillcolor="#86efac""##))   // new
        #expect(dot.contains(##""current:visit" -> "future:apply" [style="dashed", color="#ea580c""##))
        // headline: steps 4 → 3 is −25%; visits 3 → 1 is −67%
        #expect(dot.contains("4 → 3 (−25%)"))
        #expect(dot.contains("3 → 1 (−67%)"))
        #expect(Diagram.comparison(ServiceMap(id: "x", title: LocalizedText(en: "X"), entity: "E", sector: "s",
                                              current: map.current)) == nil)
    }

    @Test("A life event draws one cluster per service in citizen order and marks the steps that ask again")
    func bundleView() throws {
        let catalogue = try Catalogue.load([catalogueFolder + "/life-events/birth-of-a-child.yaml"])
        let bundle = try catalogue.bundles()[0].get()
        let dot = Diagram.bundle(bundle)
        let clusters = dot.matches(of: /subgraph "cluster_service(\d+)"/).map { Int($0.output.1)! }
        #expect(clusters == [0, 1, 2, 3])
        let headings = bundle.services.enumerated().map { "\($0.offset + 1). \($0.element.title.en!)" }
        var position = dot.startIndex
        for heading in headings { // in citizen order
            let found = try #require(dot.range(of: heading, range: position..<dot.endIndex))
            position = found.upperBound
        }
        let marked = Set(bundle.onceOnlyViolations.map { "\"\($0.service):\($0.step)\"" })
        for line in dot.split(separator: "\n") where line.contains("[shape=") {
            let name = String(line.trimmingCharacters(in: .whitespaces).prefix { $0 != " " })
            #expect(line.contains("penwidth=\"3\"") == marked.contains(name), "\(name)")
        }
    }

    @Test("Every catalogue file renders in every view and format")
    func wholeCatalogue() throws {
        let catalogue = try Catalogue.load([catalogueFolder])
        let set = DiagramSet(catalogue, views: .all)
        let designed = catalogue.services.filter { $0.future != nil }.count
        #expect(set.jobs.count == catalogue.services.count + 2 * designed + catalogue.lifeEvents.count)
        #expect(set.skipped.isEmpty)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("masar-diagrams-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for format in DiagramFormat.allCases {
            let written = try set.write(as: format, to: folder)
            #expect(written.count == set.jobs.count)
        }
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder)
        #expect(files.contains("birth-registration.compare.png"))
        #expect(files.contains("building-permit.current.pdf"))
        #expect(files.contains("life-events/marriage.svg"))
        #expect(files.contains("life-events/marriage.dot"))
        #expect(!files.contains("building-permit.future.svg"))
    }

    @Test("Asking for the future of a map still being drawn is reported, not drawn")
    func skipped() throws {
        let catalogue = try Catalogue.load([catalogueFolder + "/building-permit.yaml"])
        let set = DiagramSet(catalogue, views: .future)
        #expect(set.jobs.isEmpty)
        #expect(set.skipped == ["building-permit.future: 'building-permit' has no future path yet"])
    }
}
