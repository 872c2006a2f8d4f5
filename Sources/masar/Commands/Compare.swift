import ArgumentParser
import MasarCore

extension Masar {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a service's future path against its current path, step by step.",
            discussion: """
                Every step is classified: removed, kept, changed (channel, duration, fee or \
                documents differ), merged (replaced by future steps) or new.
                """)

        @Argument(help: ArgumentHelp("A service map with a future path.", valueName: "file"))
        var file: String
        @OptionGroup var costs: CostOptions
        @Option(help: "table or json") var format: OutputFormat = .table

        func validate() throws {
            try OutputFormat.check(format, offered: [.table, .json])
        }

        func run() throws {
            let catalogue = try loadCatalogue([file])
            guard catalogue.services.count == 1, let map = catalogue.services.first else {
                throw refuse("\(file): compare takes one service map file.")
            }
            guard let comparison = map.comparison(costs.model) else {
                throw refuse("\(file): service '\(map.id)' has no future path yet; there is nothing to compare.")
            }
            if format == .json {
                try Terminal.printJSON(ComparisonJSON(comparison))
                return
            }
            Terminal.print("\(map.id) — \(map.title.preferred)\n")
            var figures = Table(["", "before", "after", "change", ""])
            for key in JourneyMetrics.Key.allCases {
                let change = comparison.change[key]
                figures.add([key.label.preferred, key.format(change.before), key.format(change.after),
                             key.formatDelta(change.delta),
                             Quantity.format(relative: change.relative)])
            }
            Terminal.print(figures.rendered + "\n")
            var steps = Table(["step", "fate", "title", "now"], alignments: [.left, .left, .left, .left])
            for (step, fate) in comparison.classification {
                let title = (map.current.step(step) ?? map.future?.step(step))?.title.preferred ?? ""
                let now = comparison.replacedBy[step].map { "→ " + $0.joined(separator: ", ") } ?? ""
                steps.add([step, fate.rawValue, title, now])
            }
            Terminal.print(steps.rendered)
        }
    }
}

/// DESIGN's compare JSON: service, classification (step → fate, in path order), change.
struct ComparisonJSON: Encodable {
    let comparison: PathComparison

    init(_ comparison: PathComparison) {
        self.comparison = comparison
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(comparison.service, forKey: Key(stringValue: "service"))
        var classification = container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "classification"))
        for (step, fate) in comparison.classification {
            try classification.encode(fate, forKey: Key(stringValue: step))
        }
        try container.encode(comparison.change, forKey: Key(stringValue: "change"))
    }
}
