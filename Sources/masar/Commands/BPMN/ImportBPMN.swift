import ArgumentParser
import Foundation
import MasarBPMN
import MasarCore

extension Masar {
    struct ImportBPMN: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-bpmn",
            abstract: "Start service maps from BPMN 2.0 process models (Signavio, ARIS, Bizagi, Camunda…).",
            discussion: """
                Writes one service map (its current path) per BPMN process into --out, named \
                after the map's id; with --join-pools, one per file, the pools' steps together. Tasks, call activities and collapsed subprocesses become \
                steps; lanes (or else pools) their actors; gateways branches. BPMN holds no \
                channel, fee or effort: each map starts with a comment listing what to check.

                A file is refused, never half-read, when it is not BPMN, is malformed, declares \
                a DOCTYPE or entities, or is over 16 MiB. When any process is refused nothing is \
                written, unless --skip-refused. Existing maps are not overwritten without --force.
                """)

        @Argument(help: "BPMN files (.bpmn or .xml), or folders holding them.")
        var paths: [String]

        @Option(help: "The folder the maps are written into.")
        var out = "."

        @Flag(help: "Read each file's pools as one service: one map per file, message flows between pools as handoffs.")
        var joinPools = false

        @Flag(help: "Write the processes that import, and list the refused ones, instead of writing nothing.")
        var skipRefused = false

        @Flag(help: "Overwrite maps that already exist in --out.")
        var force = false

        func validate() throws {
            for path in paths where !FileManager.default.fileExists(atPath: path) {
                throw ValidationError("'\(path)' does not exist; give BPMN files or folders that hold them.")
            }
        }

        func run() throws {
            let files = paths.flatMap { isFolder($0) ? bpmnFiles(in: $0) : [$0] }
            guard !files.isEmpty else { throw refuse("No .bpmn or .xml file in \(paths.joined(separator: ", ")).") }
            let progress = ProgressLine("Reading BPMN")
            let results = BPMNImport.read(files: files, joinPools: joinPools) { progress.update($0, of: files.count) }

            let refused = results.flatMap(\.refused)
            let imported = results.flatMap(\.imported)
            for refusal in refused { Terminal.error(refusal.description) }
            if !refused.isEmpty && (!skipRefused || imported.isEmpty) {
                throw refuse("Nothing written: \(count(refused.count, "refusal", "refusals"))"
                    + (imported.isEmpty ? "." : "; pass --skip-refused to write the \(imported.count) that import."))
            }
            let existing = imported.map(target).filter { FileManager.default.fileExists(atPath: $0) }
            if !existing.isEmpty && !force {
                throw refuse("Nothing written: \(existing.joined(separator: ", ")) already exist; pass --force to overwrite.")
            }
            for path in existing {
                if case .service(let old)? = try? MapLoader.load(file: path), old.future != nil {
                    Terminal.error("⚠ \(path) had a future path; the imported map replaces it with a current path only.")
                }
            }
            try write(imported)
            for result in results {
                for process in result.imported {
                    Terminal.print("\(result.file): process '\(process.name)' → \(target(process)) "
                        + "(\(count(process.map.current.steps.count, "step", "steps")))")
                    for warning in process.warnings { Terminal.print("  ⚠ \(warning)") }
                }
                for note in result.skipped { Terminal.print("\(result.file): skipped: \(note)") }
            }
            Terminal.print("✓ \(count(imported.count, "map", "maps")) written. Check the fields each lists at its top, then run `masar validate \(out)`.")
        }

        private func target(_ process: BPMNImport.ImportedProcess) -> String {
            (out as NSString).appendingPathComponent(process.map.id + ".yaml")
        }

        /// All maps or none: each is written beside its target first, and only once every one
        /// is written are they renamed into place.
        private func write(_ imported: [BPMNImport.ImportedProcess]) throws {
            var written: [(temporary: String, target: String)] = []
            do {
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                for process in imported {
                    let target = target(process)
                    let temporary = (out as NSString).appendingPathComponent(".\(process.map.id).\(UUID().uuidString).yaml")
                    try Data(process.yaml.utf8).write(to: URL(fileURLWithPath: temporary))
                    written.append((temporary, target))
                }
            } catch {
                for file in written { try? FileManager.default.removeItem(atPath: file.temporary) }
                throw refuse("Nothing written: could not write into '\(out)' (\(error.localizedDescription)).")
            }
            // rename(2) replaces a target in one step; it fails only if the folder itself goes away.
            for (index, file) in written.enumerated() where rename(file.temporary, file.target) != 0 {
                for rest in written[index...] { try? FileManager.default.removeItem(atPath: rest.temporary) }
                throw refuse("Wrote \(index) of \(written.count) maps into '\(out)', then could not write \(file.target).")
            }
        }

        private func bpmnFiles(in folder: String) -> [String] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.filter { $0.lowercased().hasSuffix(".bpmn") || $0.lowercased().hasSuffix(".xml") }.sorted()
                .map { (folder as NSString).appendingPathComponent($0) }
        }

        private func count(_ number: Int, _ one: String, _ many: String) -> String {
            "\(number) \(number == 1 ? one : many)"
        }
    }
}
