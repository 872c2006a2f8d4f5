import Foundation
import Testing

// The `masar` tool run as a user runs it: a subprocess, its exit code, its standard output and
// standard error. Fixtures live in temporary folders.

/// The package folder: Tests/masarTests/ → the package.
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()   // masarTests
    .deletingLastPathComponent()   // Tests
    .deletingLastPathComponent()   // the package

let servicesFolder = packageRoot.appendingPathComponent("Services").path

/// The built `masar`: next to the test bundle (on Linux `Bundle.main` is the build products
/// folder), else in the package's `.build/debug`.
let masarBinary: URL = {
    let products = Bundle.main.bundleURL
    let candidates = [
        products.appendingPathComponent("masar"),
        products.deletingLastPathComponent().appendingPathComponent("masar"), // macOS: inside the .xctest bundle's folder
        packageRoot.appendingPathComponent(".build/debug/masar"),
    ]
    return candidates.first { url in
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && !isFolder.boolValue
            && FileManager.default.isExecutableFile(atPath: url.path)
    } ?? candidates.last!
}()

/// What one run of the tool gave.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
    var elapsed: Duration

    /// Standard output read as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
    }
}

/// Runs `masar` with `arguments` in `folder` (a fresh temporary one by default), killing it if it
/// has not finished within `timeout`.
func masar(_ arguments: [String], in folder: String? = nil, environment: [String: String] = [:],
           input: String? = nil, timeout: Double = 60) throws -> Run {
    let scratch = FileManager.default.temporaryDirectory
        .appendingPathComponent("masar-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: outURL.path, contents: nil)
    FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL)
    let err = try FileHandle(forWritingTo: errURL)

    let process = Process()
    process.executableURL = masarBinary
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder ?? scratch.path)
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, given in given }
    process.standardOutput = out
    process.standardError = err
    if let input {
        let inURL = scratch.appendingPathComponent("stdin")
        try Data(input.utf8).write(to: inURL)
        process.standardInput = try FileHandle(forReadingFrom: inURL)
    } else {
        process.standardInput = FileHandle.nullDevice
    }
    let started = ContinuousClock.now
    try process.run()
    let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
    process.waitUntilExit()
    watchdog.cancel()
    let elapsed = ContinuousClock.now - started
    try out.close()
    try err.close()
    return Run(status: process.terminationStatus,
               stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
               stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
               elapsed: elapsed)
}

/// A folder of fixture files, removed by the caller.
func fixtures(_ files: [String: String]) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("masar-cli-fixtures-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for (name, text) in files {
        let path = (folder as NSString).appendingPathComponent(name)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
    return folder
}


/// The PostgreSQL server `make test` starts (`MASAR_TEST_POSTGRES`), when the CLI's tests are to
/// run on it (`MASAR_TEST_BACKEND=postgres`); its tools are Debian's, run as a user runs them.
enum TestServer {
    static let url: URL? = ProcessInfo.processInfo.environment["MASAR_TEST_BACKEND"] == "postgres"
        ? ProcessInfo.processInfo.environment["MASAR_TEST_POSTGRES"].flatMap(URL.init(string:)) : nil

    /// A new, empty database's URL; nil when the tests run on SQLite.
    static func newDatabase() throws -> String? {
        guard let url else { return nil }
        let name = "masar_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "_").lowercased()
        try run("createdb", ["--host=\(url.host!)", "--port=\(url.port!)", "--username=\(url.user!)", name])
        var components = URLComponents(url: url, resolvingAgainstBaseURL: false)!
        components.path = "/" + name
        return components.string!
    }

    /// Statements through psql, with the rights of the URL's user.
    static func psql(_ database: String, _ sql: String) throws {
        try run("psql", ["--dbname=\(database)", "--quiet", "--set=ON_ERROR_STOP=1", "--command=\(sql)"])
    }

    private static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["PGPASSWORD": url?.password ?? ""]) { $1 }
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) \(arguments.joined(separator: " "))")
    }
}
