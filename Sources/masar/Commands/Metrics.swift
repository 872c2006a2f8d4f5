import ArgumentParser
import MasarCore

extension Masar {
    struct Metrics: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Journey figures for each path of one or more services, and their change.",
            discussion: """
                Expected values follow the branch probabilities (rework loops included). \
                JSON gives one object for one file, an array for a folder or several files.
                """)

        @OptionGroup var input: MapPaths
        @OptionGroup var costs: CostOptions
        @Option(help: "table, json or csv") var format: OutputFormat = .table

        func validate() throws {
            try OutputFormat.check(format, offered: [.table, .json, .csv])
        }

        func run() throws {
            let catalogue = try loadCatalogue(input.paths)
            let figures = catalogue.services.map { ServiceFigures($0, costs.model) }
            switch format {
            case .json:
                let single = input.paths.count == 1 && figures.count == 1 && !isFolder(input.paths[0])
                if single { try Terminal.printJSON(figures[0]) } else { try Terminal.printJSON(figures) }
            case .csv:
                Terminal.print(csv(figures))
            case .table, .markdown, .html:
                Terminal.print(figures.map(table).joined(separator: "\n\n"))
            }
        }

        func table(_ figures: ServiceFigures) -> String {
            var table = Table(["\(figures.map.id) — \(figures.map.title.preferred)", "current", "future", "change", ""])
            for key in JourneyMetrics.Key.allCases {
                let change = figures.change?[key]
                table.add([key.label.preferred, key.format(figures.current[key]),
                           figures.future.map { key.format($0[key]) } ?? "not designed",
                           change.map { key.formatDelta($0.delta) } ?? "",
                           change.map { Quantity.format(relative: $0.relative) } ?? ""])
            }
            return table.rendered
        }

        func csv(_ all: [ServiceFigures]) -> String {
            let keys = JourneyMetrics.Key.allCases
            var lines = [(["service", "path"] + keys.map(\.rawValue)).joined(separator: ",")]
            for figures in all {
                for (kind, metrics) in [("current", figures.current), ("future", figures.future)] {
                    guard let metrics else { continue }
                    lines.append(([CSVTable.field(figures.map.id), kind] + keys.map { String(metrics[$0]) }).joined(separator: ","))
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}

/// A service's figures in DESIGN's JSON shape: current, future (or null) and change (or null).
struct ServiceFigures: Encodable {
    let map: ServiceMap
    let current: JourneyMetrics
    let future: JourneyMetrics?
    let change: JourneyChange?

    init(_ map: ServiceMap, _ costs: CostModel) {
        self.map = map
        let current = map.current.metrics(costs, annualVolume: map.annualVolume)
        self.current = current
        future = map.future?.metrics(costs, annualVolume: map.annualVolume)
        change = future.map { JourneyChange(before: current, after: $0) }
    }

    enum CodingKeys: String, CodingKey { case service, current, future, change }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(map.id, forKey: .service)
        try container.encode(current, forKey: .current)
        try container.encode(future, forKey: .future)
        try container.encode(change, forKey: .change)
    }
}
