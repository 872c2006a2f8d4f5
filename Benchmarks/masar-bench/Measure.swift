import Foundation

/// Median of several timed runs, in seconds.
func median(runs: Int, _ body: () throws -> Void) rethrows -> (median: Double, all: [Double]) {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try body()
        times.append((ContinuousClock.now - start).seconds)
    }
    return (middle(times), times)
}

/// Median of several timed runs of something that awaits, in seconds.
func median(runs: Int, _ body: () async throws -> Void) async rethrows -> (median: Double, all: [Double]) {
    var times: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try await body()
        times.append((ContinuousClock.now - start).seconds)
    }
    return (middle(times), times)
}

/// The median of some figures.
func middle(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Peak resident memory of this process so far, in MB.
func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// Resident memory of this process now, in MB.
func residentMemoryMB() -> Double {
    let fields = (try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8))?.split(separator: " ") ?? []
    let pages = fields.count > 1 ? Double(fields[1]) ?? 0 : 0
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

/// A Markdown table row.
func row(_ cells: [String]) -> String { "| " + cells.joined(separator: " | ") + " |" }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}
