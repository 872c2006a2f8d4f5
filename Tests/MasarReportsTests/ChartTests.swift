import Foundation
import MasarCore
import Testing
@testable import MasarReports

/// Every rectangle's right and bottom edge and every text's baseline, to check that nothing
/// lies outside the chart's viewBox (which a phone would clip).
private func extents(_ svg: String) -> (right: [Int], bottom: [Int]) {
    var right: [Int] = [], bottom: [Int] = []
    for rect in svg.matches(of: /<rect x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)"/) {
        right.append(Int(rect.output.1)! + Int(rect.output.3)!)
        bottom.append(Int(rect.output.2)! + Int(rect.output.4)!)
    }
    for text in svg.matches(of: /<text x="(\d+)" y="(\d+)"/) { bottom.append(Int(text.output.2)!) }
    return (right, bottom)
}

private func viewBox(_ svg: String) throws -> (width: Int, height: Int) {
    let match = try #require(svg.firstMatch(of: /viewBox="0 0 (\d+) (\d+)" width="100%"/))
    return (Int(match.output.1)!, Int(match.output.2)!)
}

@Suite("The programme charts scale to a phone and show every row and the legend")
struct ChartTests {
    let groups = [
        ProgrammeReport.Group(name: "Phase 1", stages: StageCounts(stages: [.signedOff, .mapping])),
        ProgrammeReport.Group(name: "Phase 2", stages: StageCounts(stages: [.signedOff])),
        ProgrammeReport.Group(name: "Ministry of Commerce, Industry and Investment Promotion",
                              stages: StageCounts(stages: [.painPoints, .review, .review, .futureDesign])),
    ]

    @Test("Completion bars: a viewBox, every row, the 100% bar and its figure inside the box")
    func bars() throws {
        let svg = ProgrammeReport.bars(groups, title: "Completion by phase")
        let box = try viewBox(svg)
        // rows of 2 + 45, 45, and 62 for the name wrapped on two lines
        #expect(box == (360, 154))
        // drawn left to right even inside a right-to-left page, whose coordinates it keeps
        #expect(svg.contains("width=\"100%\" style=\"max-width:30rem;height:auto;direction:ltr\""))
        for text in ["Phase 1", "50.0%", "Phase 2", "100.0%", "Ministry of Commerce, Industry and", "Investment Promotion", "0.0%"] {
            #expect(svg.contains(">\(text)</text>"), "\(text)")
        }
        #expect(svg.contains("<rect x=\"0\" y=\"66\" width=\"300\" height=\"16\" fill=\"#16a34a\"/>")) // Phase 2 full
        #expect(svg.contains("<text x=\"306\" y=\"79\" font-size=\"13\">100.0%</text>"))
        let (right, bottom) = extents(svg)
        #expect(right.allSatisfy { $0 <= box.width } && bottom.allSatisfy { $0 <= box.height })
        #expect(svg.contains("role=\"img\" aria-label=\"Completion by phase: Phase 1 50.0%; Phase 2 100.0%; Ministry of Commerce, Industry and Investment Promotion 0.0%\""))
    }

    @Test("Stacked stages: every group, each part's count, and the whole legend in the page's language")
    func stacked() throws {
        let names: [Stage: String] = [.mapping: "رسم المسار", .painPoints: "نقاط الألم", .futureDesign: "تصميم المسار المستقبلي",
                                      .review: "المراجعة", .signedOff: "معتمدة"]
        let svg = ProgrammeReport.stacked(groups, title: "المراحل حسب القطاع", stageName: { names[$0]! })
        let box = try viewBox(svg)
        // the rows end at 154, as the bars'; the legend's three lines of 20 follow
        #expect(box == (360, 214))
        for name in names.values { #expect(svg.contains(">\(name)</text>"), "\(name)") }
        // the ministry's four services: review takes half the bar, 180 units, and shows its count
        #expect(svg.contains("width=\"180\" height=\"16\" fill=\"#93c5fd\" stroke=\"#ffffff\"><title>المراجعة: 2</title>"))
        #expect(svg.contains(">2</text>"))
        let (right, bottom) = extents(svg)
        #expect(right.allSatisfy { $0 <= box.width } && bottom.allSatisfy { $0 <= box.height })
        #expect(svg.contains("aria-label=\"المراحل حسب القطاع: Phase 1 — رسم المسار 1, معتمدة 1; "))
    }

    @Test("A long name wraps between words; a word longer than a line stands alone")
    func wrapping() {
        #expect(ProgrammeReport.wrap("Ministry of Commerce, Industry and Investment Promotion")
            == ["Ministry of Commerce, Industry and", "Investment Promotion"])
        #expect(ProgrammeReport.wrap(String(repeating: "x", count: 45) + " y") == [String(repeating: "x", count: 45), "y"])
        #expect(ProgrammeReport.wrap("") == [""])
    }
}
