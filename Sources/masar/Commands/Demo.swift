import ArgumentParser
import Foundation
import MasarCore
import MasarDiagrams

extension Masar {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The main job on a catalogue: validate it, draw every diagram, print every figure.",
            discussion: """
                Reads the bundled Services/ catalogue unless another folder is named; writes every \
                diagram (SVG) and an index page, Diagrams/index.html, in English and Arabic.
                """)

        @Argument(help: ArgumentHelp("Catalogue folder.", valueName: "dir"))
        var catalogue: String = "Services"
        @OptionGroup var costs: CostOptions
        @Option(help: ArgumentHelp("Folder the diagrams and index page go to.", valueName: "dir"))
        var out: String = "Diagrams"

        func run() throws {
            let loaded = try loadCatalogue([catalogue])
            let designed = loaded.services.filter { $0.future != nil }
            Terminal.print("Masar — \(catalogue): \(loaded.services.count) services, \(loaded.lifeEvents.count) life events, "
                + "all valid. \(designed.count) redesigned, \(loaded.services.count - designed.count) still being mapped.\n")

            var services = Table(["service", "sector", "steps", "visits", "documents", "time", "citizen cost",
                                  "annual burden saved", "title"])
            services.alignments[1] = .left
            services.alignments[8] = .left
            var before = [JourneyMetrics](), after = [JourneyMetrics]()
            for map in loaded.services {
                let current = map.current.metrics(costs.model, annualVolume: map.annualVolume)
                let future = map.future?.metrics(costs.model, annualVolume: map.annualVolume)
                func cell(_ key: JourneyMetrics.Key) -> String {
                    guard let future else { return key.format(current[key]) }
                    return "\(key.format(current[key])) → \(key.format(future[key]))"
                }
                let saved = future.map { Quantity.format(baisa: current.annualBurdenBaisa - $0.annualBurdenBaisa) } ?? "mapping"
                services.add([map.id, map.sector, cell(.steps), cell(.visits), cell(.documents), cell(.elapsedMinutes),
                              cell(.citizenCostBaisa), saved, "\(map.title.en ?? "") · \(map.title.ar ?? "")"])
                if let future {
                    before.append(current)
                    after.append(future)
                }
            }
            Terminal.print(services.rendered + "\n")
            Terminal.print(headline(before: before, after: after) + "\n")

            for result in loaded.bundles(costs.model) {
                switch result {
                case .success(let bundle): Terminal.print(BundleReport(bundle).text + "\n")
                case .failure(let problem): throw refuse("cannot bundle a life event: \(problem)")
                }
            }

            let set = DiagramSet(loaded, views: .all, costs: costs.model)
            let svgs = try render(set, format: .svg, to: out)
            let index = URL(fileURLWithPath: out).appendingPathComponent("index.html")
            try Data(CatalogueIndex.html(loaded, svgs: svgs, costs: costs.model).utf8).write(to: index, options: .atomic)
            Terminal.print("Open \(index.path) for every service and life event, in English and Arabic.")
        }

        /// The figures labs announce, over redesigned services: "steps −53%, time −73%".
        func headline(before: [JourneyMetrics], after: [JourneyMetrics]) -> String {
            let keys: [JourneyMetrics.Key] = [.steps, .visits, .documents, .elapsedMinutes, .annualBurdenBaisa]
            let parts = keys.map { key in
                let change = MetricChange(before: before.map { $0[key] }.reduce(0, +),
                                          after: after.map { $0[key] }.reduce(0, +))
                return "\(key.label.preferred.lowercased()) \(Quantity.format(relative: change.relative))"
            }
            return "Across the \(before.count) redesigned services: " + parts.joined(separator: ", ")
        }
    }
}
