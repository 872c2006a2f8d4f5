import ArgumentParser
import Foundation
import MasarCore
import MasarDiagrams

extension DiagramView: ExpressibleByArgument {}
extension DiagramFormat: ExpressibleByArgument {}
extension LabelLanguage: ExpressibleByArgument {}

/// How diagrams are drawn: views, format, languages and where they go.
struct DiagramOutputOptions: ParsableArguments {
    @Option(help: "current, future, compare or all") var view: DiagramView = .all
    @Option(help: "svg, png, pdf or dot (the Graphviz source)") var format: DiagramFormat = .svg
    @Option(help: "Label languages: en, ar or both") var lang: LabelLanguage = .both
    @Option(help: ArgumentHelp("Folder the diagrams are written to.", valueName: "dir")) var out: String = "Diagrams"
}

extension Masar {
    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw journey diagrams with Graphviz: current, future, before/after and life events.",
            discussion: """
                Writes DIR/<service>.<view>.<ext> for services and DIR/life-events/<id>.<ext> for \
                life events. Arabic is shaped right-to-left in PNG and PDF; SVG keeps the text.
                """)

        @OptionGroup var input: MapPaths
        @OptionGroup var diagrams: DiagramOutputOptions
        @OptionGroup var costs: CostOptions

        func run() throws {
            let catalogue = try loadCatalogue(input.paths)
            let set = DiagramSet(catalogue, views: diagrams.view, options: DiagramOptions(language: diagrams.lang),
                                 costs: costs.model)
            _ = try render(set, format: diagrams.format, to: diagrams.out)
        }
    }
}

/// Renders a diagram set on every core, with a progress line and a summary; refuses cleanly
/// on failure.
func render(_ set: DiagramSet, format: DiagramFormat, to folder: String) throws -> [String: Data] {
    let progress = ProgressLine("Rendering")
    let start = ContinuousClock.now
    let written: [String: Data]
    do {
        written = try set.write(as: format, to: folder, pool: Masar.RenderWorker.pool) { progress.update($0, of: $1) }
    } catch {
        throw refuse("\(error)")
    }
    let seconds = (ContinuousClock.now - start).seconds
    Terminal.print("Rendered \(written.count) diagram\(written.count == 1 ? "" : "s") (\(format.rawValue)) into \(folder)/ in "
        + String(format: "%.1f s", seconds) + ".")
    for skipped in set.skipped { Terminal.print("  skipped \(skipped)") }
    return written
}

extension Masar {
    /// The helper process of `RenderPool`: not for people, so not listed in `--help`.
    struct RenderWorker: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "render-worker",
            abstract: "Serve render requests on standard input (used by render and demo).",
            shouldDisplay: false)

        @Option(help: "Diagrams to render before exiting.") var limit: Int = 200

        func run() {
            RenderPool.serve(limit: limit)
        }

        /// Helpers are this same program, started as `masar render-worker`.
        static var pool: RenderPool {
            RenderPool(executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
                       arguments: ["render-worker"])
        }
    }
}
