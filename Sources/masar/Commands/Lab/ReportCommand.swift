import ArgumentParser
import Foundation
import MasarCore
import MasarReports
import MasarStore

extension Masar {
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The programme office's report: completion, progress, participation, what redesigns changed.",
            discussion: """
                completion = services signed off ÷ services targeted; progress = mean over targeted \
                services of the stage weight (mapping 0, pain-points 0.25, future-design 0.5, review 0.75, \
                signed-off 1). Every format shows the same figures.
                """)
        @Option(help: "One phase (default: the whole programme).") var phase: String?
        @OptionGroup var store: StoreOptions
        @Option(help: "table, markdown, csv, json or html") var format: OutputFormat = .table

        func run() async throws {
            let db = try await store.open()
            let report = try await store.act { ProgrammeReport.make(try await db.programmeSnapshot(phase: phase), phase: phase) }
            switch format {
            case .json: try Terminal.printJSON(report)
            case .csv: FileHandle.standardOutput.write(Data(report.csv.utf8))
            case .markdown: Terminal.print(report.document.markdown)
            case .html: FileHandle.standardOutput.write(Data(report.html.utf8))
            case .table: Terminal.print(plainText(report.document))
            }
        }

        /// The document for a terminal: headings, paragraphs and aligned tables.
        func plainText(_ document: MasarReports.Document) -> String {
            var lines = [[document.title.en, document.title.ar].compactMap { $0 }.joined(separator: " · "), ""]
            for block in document.blocks {
                switch block {
                case .heading(_, let text): lines += [(text.en ?? text.ar ?? "").uppercased()]
                case .paragraph(let text), .arabic(let text): lines += [text, ""]
                case .table(let headers, let rows):
                    var table = Table(headers)
                    rows.forEach { table.add($0) }
                    lines += [table.rendered, ""]
                case .figure: break
                }
            }
            return lines.joined(separator: "\n")
        }
    }
}
