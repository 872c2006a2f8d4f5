import Foundation
import Testing
@testable import MasarCore

@Suite struct MapWriterTests {
    /// A map with its source lines and file cleared: what a written map must read back as.
    private func content(_ map: ServiceMap) -> ServiceMap {
        var map = map
        map.file = ""
        let clear = { (path: ServicePath) -> ServicePath in
            var path = path
            path.steps = path.steps.map { step in
                var step = step
                step.line = 0
                step.next = step.next.map { var edge = $0; edge.line = 0; return edge }
                return step
            }
            return path
        }
        map.current = clear(map.current)
        map.future = map.future.map(clear)
        return map
    }

    @Test func everyCatalogueMapReadsBackAsItWasWritten() throws {
        let catalogue = try bundledCatalogue()
        #expect(catalogue.services.count >= 16)
        for map in catalogue.services {
            let written = MapWriter().write(map)
            let reread = try MapLoader.parseService(written, file: map.id)
            #expect(content(reread) == content(map), "\(map.id)")
        }
    }

    @Test func hostileTextIsQuotedAndCommentsStayOnOneLine() throws {
        let title = "Pay: \"now\" # ]} \\ \n- id: injected\u{7}\u{2028}"
        let map = ServiceMap(id: "s", title: LocalizedText(en: title), entity: "yes", sector: "null",
                             current: ServicePath(steps: [Step(id: "a", title: LocalizedText(ar: "خطوة"), actor: "on",
                                                               channel: .online, duration: 90)]))
        let writer = MapWriter(header: ["first\nsecond"], stepComments: ["a": "BPMN task 'x'\r\n- id: evil"])
        let text = writer.write(map)
        #expect(text.hasPrefix("# first second\n"))
        #expect(text.contains("    # BPMN task 'x'  - id: evil\n    - id: a\n"))
        // Read back as stored text is (a new file with a line break or BEL in a title is refused),
        // the quoted title is one value, not YAML of its own.
        #expect(throws: MapIssues.self) { try MapLoader.parseService(text) }
        let reread = try MapLoader.parseService(text, stored: true)
        #expect(reread.title.en == title)
        // YAML 1.1 booleans and null stay strings.
        #expect(reread.entity == "yes" && reread.sector == "null" && reread.current.steps[0].actor == "on")
        #expect(reread.current.steps.count == 1)
    }

    @Test func durationsAreWrittenExactlyInLoaderUnits() {
        #expect(MapWriter.duration(0) == "0")
        #expect(MapWriter.duration(45) == "45m")
        #expect(MapWriter.duration(7 * 1440 + 2 * 1440 + 3 * 60 + 4) == "1w 2d 3h 4m")
        #expect(MapWriter.duration(1440 + 150) == "1d 2h 30m")
        #expect(Quantity.minutes(MapWriter.duration(1440 + 150)) == 1590)
    }
}
