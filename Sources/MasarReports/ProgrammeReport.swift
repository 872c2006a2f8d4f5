import Foundation
import MasarCore
import MasarDiagrams
import MasarStore

/// The programme office's report, over one phase or the whole programme: where targeted
/// services stand (completion and progress, by phase, sector and institution), who took part,
/// and what signed-off redesigns changed. Every format is written from this one value.
public struct ProgrammeReport: Codable, Equatable, Sendable {
    public struct Group: Codable, Equatable, Sendable {
        public var name: String
        public var stages: StageCounts
    }

    public struct Participation: Codable, Equatable, Sendable {
        public var institutionRepresentatives: Int
        public var communityInPerson: Int
        public var communityDigital: Int
        /// Distinct institutions that sent representatives.
        public var institutions: Int
        public var sessions: Int
    }

    /// A metric summed over signed-off services, before and after.
    public struct Improvement: Codable, Equatable, Sendable {
        public var metric: String
        public var before: Double
        public var after: Double
        public var delta: Double
        public var relative: Double?
    }

    public var scope: String
    public var overall: StageCounts
    public var byPhase: [Group]
    public var bySector: [Group]
    public var byInstitution: [Group]
    public var participation: Participation
    public var improvements: [Improvement]
    /// Life events that targeted services belong to.
    public var lifeEventsCovered: [String]

    /// The report for `phase`, or for the whole programme when nil. Figures use the default
    /// cost model, as they were computed when each map was imported.
    public static func make(_ snapshot: ProgrammeSnapshot, phase: String? = nil) -> ProgrammeReport {
        let services = snapshot.services.filter { phase == nil || $0.phase == phase }
        func groups(_ key: (ProgrammeSnapshot.TargetedService) -> String) -> [Group] {
            Dictionary(grouping: services, by: key).map { Group(name: $0.key, stages: StageCounts(stages: $0.value.map { $0.stage ?? .mapping })) }
                .sorted { $0.name < $1.name }
        }
        let people = snapshot.participants.filter { phase == nil || $0.phase == phase }
        func count(_ kind: ParticipantKind, _ track: Track? = nil) -> Int {
            people.filter { $0.kind == kind && (track == nil || $0.track == track) }.reduce(0) { $0 + $1.count }
        }
        let signedOff = services.compactMap { $0.stage == .signedOff ? $0.summary : nil }
        let keys: [JourneyMetrics.Key] = [.steps, .visits, .documents, .elapsedMinutes, .annualBurdenBaisa]
        let improvements = keys.map { key -> Improvement in
            let before = signedOff.reduce(0) { $0 + $1.current[key] }
            let after = signedOff.reduce(0) { $0 + ($1.future ?? $1.current)[key] }
            let change = MetricChange(before: before, after: after)
            return Improvement(metric: key.rawValue, before: before, after: after, delta: change.delta, relative: change.relative)
        }
        return ProgrammeReport(
            scope: phase ?? "programme",
            overall: StageCounts(stages: services.map { $0.stage ?? .mapping }),
            byPhase: groups(\.phase),
            bySector: groups { $0.summary?.sector ?? "not yet mapped" },
            byInstitution: groups { $0.summary?.entity ?? "not yet mapped" },
            participation: Participation(
                institutionRepresentatives: count(.institution),
                communityInPerson: count(.community, .inPerson),
                communityDigital: count(.community, .digital),
                institutions: Set(people.compactMap(\.institution)).count,
                sessions: snapshot.sessions.filter { phase == nil || $0.phase == phase }.count),
            improvements: improvements,
            lifeEventsCovered: Array(Set(services.flatMap { $0.summary?.lifeEvents ?? [] })).sorted())
    }

    // MARK: - Figures as text, one formatting for every format

    /// `41.0%`: completion and progress as every format prints them.
    public static func percent(_ value: Double) -> String {
        String(format: "%.1f%%", value * 100)
    }

    /// The report as a document: Markdown and HTML come from it, and the terminal table.
    public var document: Document {
        let whole = scope == "programme"
        var document = Document(title: LocalizedText(en: whole ? "Programme report" : "Programme report — \(scope)",
                                                     ar: whole ? "تقرير البرنامج" : "تقرير البرنامج — \(scope)"))
        document.add(.paragraph("Completion (signed off ÷ targeted): \(Self.percent(overall.completion)) — "
            + "\(overall.signedOff) of \(overall.targeted) services. Progress (mean stage weight): \(Self.percent(overall.progress))."))
        for (title, list) in [(LocalizedText(en: "By phase", ar: "حسب المرحلة"), byPhase),
                              (LocalizedText(en: "By sector", ar: "حسب القطاع"), bySector),
                              (LocalizedText(en: "By institution", ar: "حسب الجهة"), byInstitution)] {
            document.add(.heading(level: 2, title))
            document.add(stageTable(list))
        }
        document.add(.heading(level: 2, LocalizedText(en: "Participation", ar: "المشاركة")))
        document.add(.table(headers: ["Institution representatives", "Community (in person)", "Community (digital)",
                                      "Institutions", "Sessions"],
                            rows: [[participation.institutionRepresentatives, participation.communityInPerson,
                                    participation.communityDigital, participation.institutions, participation.sessions].map(String.init)]))
        document.add(.heading(level: 2, LocalizedText(en: "What signed-off redesigns changed", ar: "ما غيّرته الخدمات المعتمدة")))
        document.add(.table(headers: ["Metric", "Before", "After", "Change", "Relative"],
                            rows: improvements.map { line in
                                let key = JourneyMetrics.Key(rawValue: line.metric)!
                                return [key.label.en ?? line.metric, key.format(line.before), key.format(line.after),
                                        key.formatDelta(line.delta), Quantity.format(relative: line.relative)]
                            }))
        document.add(.heading(level: 2, LocalizedText(en: "Life events covered", ar: "رحلات الحياة المشمولة")))
        document.add(.paragraph(lifeEventsCovered.isEmpty ? "None yet." : lifeEventsCovered.joined(separator: ", ")))
        return document
    }

    func stageTable(_ list: [Group]) -> Document.Block {
        .table(headers: ["Name", "Targeted"] + Stage.allCases.map(\.rawValue) + ["Completion", "Progress"],
               rows: list.map { group in
                   [group.name, String(group.stages.targeted)] + Stage.allCases.map { String(group.stages.byStage[$0] ?? 0) }
                       + [Self.percent(group.stages.completion), Self.percent(group.stages.progress)]
               })
    }

    /// One row a figure: section, group, figure, value (numbers unrounded).
    public var csv: String {
        var lines = ["section,group,figure,value"]
        func add(_ section: String, _ group: String, _ figure: String, _ value: String) {
            lines.append([section, group, figure, value].map(CSVTable.field).joined(separator: ","))
        }
        for (section, list) in [("overall", [Group(name: scope, stages: overall)]), ("phase", byPhase), ("sector", bySector),
                                ("institution", byInstitution)] {
            for group in list {
                add(section, group.name, "targeted", String(group.stages.targeted))
                for stage in Stage.allCases { add(section, group.name, stage.rawValue, String(group.stages.byStage[stage] ?? 0)) }
                add(section, group.name, "completion", String(group.stages.completion))
                add(section, group.name, "progress", String(group.stages.progress))
            }
        }
        let p = participation
        for (figure, value) in [("institutionRepresentatives", p.institutionRepresentatives), ("communityInPerson", p.communityInPerson),
                                ("communityDigital", p.communityDigital), ("institutions", p.institutions), ("sessions", p.sessions)] {
            add("participation", scope, figure, String(value))
        }
        for line in improvements {
            add("improvement", line.metric, "before", String(line.before))
            add("improvement", line.metric, "after", String(line.after))
            add("improvement", line.metric, "relative", line.relative.map { String($0) } ?? "")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The HTML page, with SVG charts: completion by phase, and stages by sector.
    public var html: String {
        var document = self.document
        document.blocks.insert(.figure(caption: "Completion by phase", svg: Data(Self.bars(byPhase).utf8)), at: 1)
        document.blocks.insert(.figure(caption: "Stages by sector", svg: Data(Self.stacked(bySector).utf8)), at: 2)
        return document.html
    }

    static let stageColours: [Stage: String] = [.mapping: "#e5e7eb", .painPoints: "#fca5a5", .futureDesign: "#fcd34d",
                                                .review: "#93c5fd", .signedOff: "#4ade80"]

    /// Charts are drawn in a 360-unit-wide box that scales to its container (`viewBox`, width
    /// 100%, height following), so a 390-px phone shows them at about their own size, every row
    /// and the whole legend; a wider screen enlarges them up to `maxWidth`. Each row's name sits
    /// on its own line above its bar, wrapped, so long names need no room beside the bars. The
    /// drawing is left to right whatever the page's direction (its coordinates are), while the
    /// chart itself stands at the start of the line, right in an Arabic page.
    static let chartWidth = 360, rowGap = 10, lineHeight = 17, barHeight = 16
    static let maxWidth = "30rem"

    static func svgOpen(height: Int, label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(chartWidth) \(height)\" width=\"100%\" "
            + "style=\"max-width:\(maxWidth);height:auto;direction:ltr\" role=\"img\" aria-label=\"\(label.htmlEscaped)\">"
    }

    /// A name in lines of at most `limit` characters, broken between words (a longer word stands alone).
    static func wrap(_ text: String, limit: Int = 40) -> [String] {
        var lines: [String] = []
        for word in text.split(separator: " ") {
            if let last = lines.last, last.count + 1 + word.count <= limit {
                lines[lines.count - 1] = last + " " + word
            } else {
                lines.append(String(word))
            }
        }
        return lines.isEmpty ? [""] : lines
    }

    /// A group's name as text lines starting at `y`; returns the markup and the y below it.
    static func nameLines(_ name: String, y: Int) -> (markup: String, below: Int) {
        let lines = wrap(name)
        let markup = lines.enumerated().map { index, line in
            "<text x=\"0\" y=\"\(y + (index + 1) * lineHeight - 4)\" font-size=\"14\">\(line.htmlEscaped)</text>"
        }.joined()
        return (markup, y + lines.count * lineHeight + 2)
    }

    /// Horizontal bars of completion, one a group; the text alternative states every figure.
    public static func bars(_ groups: [Group], title: String = "Completion by phase") -> String {
        var parts: [String] = []
        var y = 2
        for group in groups {
            let name = nameLines(group.name, y: y)
            parts.append(name.markup)
            let bar = Int((Double(chartWidth - 60) * group.stages.completion).rounded())
            parts.append("<rect x=\"0\" y=\"\(name.below)\" width=\"\(bar)\" height=\"\(barHeight)\" fill=\"#16a34a\"/>")
            parts.append("<rect x=\"0\" y=\"\(name.below)\" width=\"\(chartWidth - 60)\" height=\"\(barHeight)\" fill=\"none\" stroke=\"#9ca3af\"/>")
            parts.append("<text x=\"\(chartWidth - 54)\" y=\"\(name.below + 13)\" font-size=\"13\">\(percent(group.stages.completion))</text>")
            y = name.below + barHeight + rowGap
        }
        let label = title + ": " + groups.map { "\($0.name) \(percent($0.stages.completion))" }.joined(separator: "; ")
        return svgOpen(height: y, label: label) + parts.joined() + "</svg>"
    }

    /// One stacked bar a group — its targeted services by stage, each part showing its count —
    /// then the legend, two stages a line. `stageName` names a stage in the page's language.
    public static func stacked(_ groups: [Group], title: String = "Stages by sector",
                               stageName: (Stage) -> String = \.rawValue) -> String {
        var parts: [String] = []
        var y = 2
        for group in groups {
            let name = nameLines(group.name, y: y)
            parts.append(name.markup)
            var x = 0.0
            for stage in Stage.allCases {
                let count = group.stages.byStage[stage] ?? 0
                guard count > 0, group.stages.targeted > 0 else { continue }
                let width = Double(chartWidth) * Double(count) / Double(group.stages.targeted)
                parts.append("<rect x=\"\(Int(x.rounded()))\" y=\"\(name.below)\" width=\"\(max(1, Int(width.rounded())))\" "
                    + "height=\"\(barHeight)\" fill=\"\(stageColours[stage]!)\" stroke=\"#ffffff\"><title>\(stageName(stage).htmlEscaped): \(count)</title></rect>")
                if width >= 14 {
                    parts.append("<text x=\"\(Int((x + width / 2).rounded()))\" y=\"\(name.below + 12)\" font-size=\"11\" "
                        + "text-anchor=\"middle\">\(count)</text>")
                }
                x += width
            }
            y = name.below + barHeight + rowGap
        }
        let column = chartWidth / 2
        for (index, stage) in Stage.allCases.enumerated() {
            let left = (index % 2) * column, top = y + (index / 2) * 20
            parts.append("<rect x=\"\(left)\" y=\"\(top)\" width=\"12\" height=\"12\" fill=\"\(stageColours[stage]!)\" stroke=\"#6b7280\"/>")
            parts.append("<text x=\"\(left + 16)\" y=\"\(top + 11)\" font-size=\"12\">\(stageName(stage).htmlEscaped)</text>")
        }
        let height = y + (Stage.allCases.count + 1) / 2 * 20
        let label = title + ": " + groups.map { group in
            group.name + " — " + Stage.allCases.compactMap { stage in
                (group.stages.byStage[stage] ?? 0) > 0 ? "\(stageName(stage)) \(group.stages.byStage[stage]!)" : nil
            }.joined(separator: ", ")
        }.joined(separator: "; ")
        return svgOpen(height: height, label: label) + parts.joined() + "</svg>"
    }
}
