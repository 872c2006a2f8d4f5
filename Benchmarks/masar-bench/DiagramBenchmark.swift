import Foundation
import MasarCore
import MasarDiagrams

/// Issue 3: render every view of the synthetic catalogue in process, against spawning
/// `dot -Tsvg` once per file on the same DOT files; then both cores through worker
/// processes, and a leak check.
func diagramBenchmark(data: String) throws {
    let catalogue = try Catalogue.load([data + "/catalogue"])
    let dotFolder = data + "/diagrams/dot"
    try? FileManager.default.removeItem(atPath: data + "/diagrams")
    try FileManager.default.createDirectory(atPath: dotFolder, withIntermediateDirectories: true)

    // Ours: DOT generation, then for each diagram layout + SVG render and the file write.
    var clock = ContinuousClock.now
    let set = DiagramSet(catalogue, views: .all)
    let generation = (ContinuousClock.now - clock).seconds
    var inside = 0.0, writing = 0.0
    var perDiagram: [Double] = []
    let ourFolder = URL(fileURLWithPath: data + "/diagrams/masar")
    try FileManager.default.createDirectory(at: ourFolder, withIntermediateDirectories: true)
    clock = ContinuousClock.now
    for job in set.jobs {
        let (svg, timing) = try Graphviz.shared.renderTimed(job.source, as: .svg)
        let written = ContinuousClock.now
        try svg.write(to: ourFolder.appendingPathComponent(job.name.replacingOccurrences(of: "/", with: "_") + ".svg"))
        writing += (ContinuousClock.now - written).seconds
        inside += (timing.layout + timing.render).seconds
        perDiagram.append((ContinuousClock.now - written).seconds + (timing.layout + timing.render).seconds)
    }
    let ours = generation + (ContinuousClock.now - clock).seconds
    let count = set.jobs.count
    print("## Rendering every diagram of \(catalogue.services.count) services: \(count) diagrams (SVG)\n")

    // The reference: the same DOT files, one `dot -Tsvg` process each.
    for job in set.jobs {
        try Data(job.source.utf8).write(to: URL(fileURLWithPath: dotFolder + "/" + job.name.replacingOccurrences(of: "/", with: "_") + ".dot"))
    }
    let dotFiles = try FileManager.default.contentsOfDirectory(atPath: dotFolder).sorted()
    let cliFolder = data + "/diagrams/cli"
    try FileManager.default.createDirectory(atPath: cliFolder, withIntermediateDirectories: true)
    var perSpawn: [Double] = []
    clock = ContinuousClock.now
    for file in dotFiles {
        let start = ContinuousClock.now
        let dot = Process()
        dot.executableURL = URL(fileURLWithPath: "/usr/bin/dot")
        dot.arguments = ["-Tsvg", dotFolder + "/" + file, "-o", cliFolder + "/" + file + ".svg"]
        try dot.run()
        dot.waitUntilExit()
        guard dot.terminationStatus == 0 else { fail("dot failed on \(file)") }
        perSpawn.append((ContinuousClock.now - start).seconds)
    }
    let cli = (ContinuousClock.now - clock).seconds

    // Both cores: the render pool's helper processes, each rendering in process.
    let pool = RenderPool(executable: URL(fileURLWithPath: CommandLine.arguments[0]),
                          arguments: [data, "render-worker"], workers: 2)
    clock = ContinuousClock.now
    _ = try pool.render(set.jobs, as: .svg)
    let parallel = (ContinuousClock.now - clock).seconds

    // Leak check, in a fresh process so that this one's renders do not blur it.
    let compares = set.jobs.filter { $0.name.hasSuffix(".compare") }.sorted { $0.source.count < $1.source.count }
    let sample = data + "/diagrams/leak-sample.dot"
    try Data(compares[compares.count / 2].source.utf8).write(to: URL(fileURLWithPath: sample))
    let leak = Process()
    leak.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
    leak.arguments = [data, "leak", sample]
    let pipe = Pipe()
    leak.standardOutput = pipe
    try leak.run()
    let leakRows = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    leak.waitUntilExit()

    let ratio = middle(perSpawn) / middle(perDiagram)
    let overhead = (generation + writing) / inside
    print(row(["measure", "Masar (in process)", "reference", "ratio", "target", "met"]))
    print(row(["---", "---:", "---:", "---:", "---", "---"]))
    print(row(["median per diagram", String(format: "%.2f ms", middle(perDiagram) * 1000),
               String(format: "%.2f ms (dot -Tsvg spawned per file)", middle(perSpawn) * 1000),
               String(format: "%.1f×", ratio), "≥ 4×", ratio >= 4 ? "yes" : "NO"]))
    print(row(["all \(count) diagrams", String(format: "%.1f s", ours), String(format: "%.1f s", cli),
               String(format: "%.1f×", cli / ours), "", ""]))
    print(row(["our overhead (DOT generation + file writing) ÷ time in gvLayout + gvRenderData",
               String(format: "%.1f%%", overhead * 100),
               String(format: "%.2f s ÷ %.2f s", generation + writing, inside), "", "< 15%", overhead < 0.15 ? "yes" : "NO"]))
    print(row(["2 helper processes (both cores)", String(format: "%.1f s, %.0f diagrams/s", parallel, Double(count) / parallel),
               String(format: "one process: %.0f diagrams/s", Double(count) / ours), "", "stretch", ""]))
    print(leakRows, terminator: "")
}


/// The leak check: 10,000 renders of one diagram through the render pool (helpers replaced
/// every 200 renders), measuring this process; then Graphviz's own growth in one process.
func leakCheck(data: String, sample: String) throws {
    let source = try String(contentsOfFile: sample, encoding: .utf8)
    let job = DiagramJob(name: "sample", source: source)
    let pool = RenderPool(executable: URL(fileURLWithPath: CommandLine.arguments[0]),
                          arguments: [data, "render-worker"], workers: 2)
    _ = try pool.render(Array(repeating: job, count: 200), as: .svg)
    let before = residentMemoryMB()
    for _ in 0..<40 { _ = try pool.render(Array(repeating: job, count: 250), as: .svg) } // results dropped each time
    let growth = residentMemoryMB() - before
    for _ in 0..<100 { _ = try Graphviz.shared.render(source, as: .svg) }
    let inProcessBefore = residentMemoryMB()
    for _ in 0..<1_000 { _ = try Graphviz.shared.render(source, as: .svg) }
    let perRender = (residentMemoryMB() - inProcessBefore) / 1_000 * 1024
    print(row(["leak check: growth of masar's process over 10,000 renders (render pool)", String(format: "%.1f MB", growth),
               "", "", "< 50 MB", growth < 50 ? "yes" : "NO"]))
    print(row(["… Graphviz 2.43's own leak, rendering in one process", String(format: "%.0f KB a render", perRender),
               "", "", "", ""]))
}
