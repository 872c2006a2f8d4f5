import Foundation
import MasarCore

/// Load, validate and compute every path's metrics: the whole job on a catalogue.
func measureCatalogue(_ paths: [String]) throws -> Int {
    let catalogue = try Catalogue.load(paths)
    var steps = 0
    for map in catalogue.services {
        steps += map.metrics(.current)!.steps + (map.metrics(.future)?.steps ?? 0)
    }
    return steps
}

/// Issue 2: load, validate and compute metrics for a national catalogue, against PyYAML's C loader.
func catalogueBenchmark(data: String) throws {
    let catalogueDir = data + "/catalogue"
    let dense = data + "/dense-500.yaml"
    let runs = 5
    let files: [String]
    do { // also warms the file cache, as PyYAML's run will find it
        files = try Catalogue.files(in: [catalogueDir])
        _ = try measureCatalogue([catalogueDir, dense])
    } catch {
        fail("\(error)\nRegenerate the data: rm -rf \(data) && make bench")
    }
    let bytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }

    print("## Loading a national catalogue — median of \(runs) runs")
    print("Catalogue: \(files.count) services, \(String(format: "%.1f", Double(bytes) / 1e6)) MB\n")

    let ours = try median(runs: runs) { _ = try measureCatalogue([catalogueDir]) }
    let peak = peakMemoryMB()

    let python = Process()
    python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    python.arguments = ["python3", "Benchmarks/pyyaml_parse.py", catalogueDir, "--runs", "\(runs)"]
    let pipe = Pipe()
    python.standardOutput = pipe
    try python.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    python.waitUntilExit()
    guard python.terminationStatus == 0,
          let json = try JSONSerialization.jsonObject(with: output) as? [String: Any],
          let pyyaml = json["median"] as? Double
    else {
        fail("PyYAML's C loader did not run (pip install pyyaml)")
    }

    let denseRun = try median(runs: 21) { _ = try measureCatalogue([dense]) }
    let denseMap = try Catalogue.load([dense]).services[0]
    let denseSolve = median(runs: 21) { _ = (denseMap.metrics(.current), denseMap.metrics(.future)) }

    print(row(["measure", "Masar", "reference", "ratio", "target", "met"]))
    print(row(["---", "---:", "---:", "---:", "---", "---"]))
    let ratio = ours.median / pyyaml
    print(row(["load + validate + metrics, \(files.count) services", String(format: "%.2f s", ours.median),
               String(format: "%.2f s (PyYAML CSafeLoader, parse only)", pyyaml), String(format: "%.3f", ratio),
               "≤ 0.5", ratio <= 0.5 ? "yes" : "NO"]))
    print(row(["peak memory", String(format: "%.0f MB", peak), "", "", "< 300 MB", peak < 300 ? "yes" : "NO"]))
    print(row(["one 500-step service, dense rework", String(format: "%.1f ms", denseRun.median * 1000), "", "",
               "< 50 ms", denseRun.median < 0.05 ? "yes" : "NO"]))
    print(row(["… of which metrics of both paths", String(format: "%.1f ms", denseSolve.median * 1000), "", "", "", ""]))
    print("\nruns (s): Masar " + ours.all.map { String(format: "%.2f", $0) }.joined(separator: ", ")
          + "; PyYAML " + ((json["runs"] as? [Double]) ?? []).map { String(format: "%.2f", $0) }.joined(separator: ", "))
}
