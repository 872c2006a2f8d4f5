import ArgumentParser
import Foundation
import MasarBPMN
import MasarCore

extension PathKind: ExpressibleByArgument {}

extension Masar {
    struct ExportBPMN: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export-bpmn",
            abstract: "Write a service path as BPMN 2.0 XML, for Camunda Modeler, Signavio, bpmn.io and the like.",
            discussion: """
                One pool (the owning institution) with a lane per actor, a task per step, an \
                exclusive gateway where a step branches (conditions as flow names), and a \
                diagram laid out by Graphviz. What BPMN has no place for (both title languages, \
                channel, duration, effort, fee, documents, branch probabilities) rides along in \
                Masar's extension elements, so `masar import-bpmn` reads the file back into the \
                same service, even after another tool has edited it.
                """)

        @Argument(help: "The service map (YAML).")
        var serviceFile: String

        @Option(help: "Which path to export: current or future.")
        var path: PathKind = .current

        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        var out: String?

        func validate() throws {
            if isFolder(serviceFile) {
                throw ValidationError("'\(serviceFile)' is a folder; give one service map (a .yaml file).")
            }
        }

        func run() throws {
            let catalogue = try loadCatalogue([serviceFile])
            guard let map = catalogue.services.first else {
                throw refuse("\(serviceFile) is a life event, not a service map; export-bpmn needs a service.")
            }
            let xml: String
            do {
                xml = try BPMNExport.xml(map, path: path)
            } catch {
                throw refuse(error.description)
            }
            guard let out else {
                FileHandle.standardOutput.write(Data(xml.utf8))
                return
            }
            do {
                try Data(xml.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            } catch {
                throw refuse("Could not write '\(out)': \(error.localizedDescription)")
            }
            Terminal.error("✓ \(map.id) (\(path.rawValue) path, \(map.path(path)!.steps.count) steps) → \(out)")
        }
    }
}
