import Foundation
@testable import MasarCore

/// A service map around the given step lists (indented as under `steps:`).
func serviceYAML(id: String = "sample", volume: Int = 0, current: String, future: String? = nil) -> String {
    var text = """
        id: \(id)
        title: {en: Sample service, ar: خدمة تجريبية}
        entity: Ministry A
        sector: test
        annual_volume: \(volume)
        current:
          steps:
        \(current)
        """
    if let future {
        text += "\nfuture:\n  steps:\n" + future
    }
    return text + "\n"
}

/// Parses a service map that must be valid.
func map(_ yaml: String) throws -> ServiceMap {
    try MapLoader.parseService(yaml, file: "test.yaml")
}

/// The messages a map's loading reports, as `FILE:LINE: …` lines; empty when it loads.
func problems(_ yaml: String, file: String = "bad.yaml") -> [String] {
    do throws(MapIssues) {
        _ = try MapLoader.parse(yaml, file: file)
        return []
    } catch {
        return error.issues.map(\.description)
    }
}

/// A folder of files for one test, removed by the caller with `try? FileManager.default.removeItem`.
func temporaryFolder(_ files: [String: String]) throws -> String {
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("masar-test-\(UUID().uuidString)").path
    for (name, text) in files {
        let path = (folder as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
    return folder
}

/// Equal within the precision reports promise.
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}
