import Foundation
import MasarDiagrams

// `make bench`: Masar's speed against the reference each issue names, side by side in one run.
//   masar-bench DATA_DIR                     every benchmark (DATA_DIR from generate_catalogue.py)
//   masar-bench DATA_DIR catalogue|diagrams|store|votes|web  one of them
//   masar-bench DATA_DIR render-worker --limit N   (internal) a RenderPool helper

let arguments = Array(CommandLine.arguments.dropFirst())
guard let data = arguments.first else {
    fail("usage: masar-bench DATA_DIR [catalogue|diagrams|store|votes|web] (see `make bench`)")
}
let heading = "# Masar benchmarks — \(ProcessInfo.processInfo.activeProcessorCount) cores\n"
switch arguments.dropFirst().first {
case nil:
    print(heading)
    try catalogueBenchmark(data: data)
    print()
    try diagramBenchmark(data: data)
    print()
    try await storeBenchmark(data: data)
    print()
    try await voteBenchmark(data: data)
    print()
    try await webBenchmark(data: data, repository: FileManager.default.currentDirectoryPath)
case "web":
    print(heading)
    try await webBenchmark(data: data, repository: FileManager.default.currentDirectoryPath)
case "catalogue":
    print(heading)
    try catalogueBenchmark(data: data)
case "diagrams":
    print(heading)
    try diagramBenchmark(data: data)
case "leak" where arguments.count == 3: // run by the diagram benchmark in a fresh process
    try leakCheck(data: data, sample: arguments[2])
case "votes":
    print(heading)
    try await voteBenchmark(data: data)
case "store":
    print(heading)
    try await storeBenchmark(data: data)
case "render-worker" where arguments.count == 4: // `render-worker --limit N`, started by RenderPool
    RenderPool.serve(limit: Int(arguments[3]) ?? 200)
default:
    fail("unknown benchmark '\(arguments[1])': use catalogue, diagrams, store, votes or web")
}
