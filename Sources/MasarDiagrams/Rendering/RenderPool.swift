import Foundation
import Synchronization

/// Graphviz in helper processes, one per core, each rendering in process through libgvc.
///
/// Graphviz 2.43 (Debian 12) leaks inside its own layout of clusters and sizing of HTML-like
/// labels — tens of kilobytes a diagram, which no caller can free. A helper is therefore
/// replaced after `rendersPerWorker` diagrams, so a long run (a national catalogue, a server)
/// keeps a flat memory profile; and since one Graphviz cannot use two threads, helpers are
/// also how rendering uses every core.
public struct RenderPool: Sendable {
    /// The program that serves renders (`serve(limit:)`) when started with `arguments`
    /// followed by `--limit N`.
    public var executable: URL
    public var arguments: [String]
    public var workers: Int
    public var rendersPerWorker: Int

    public init(executable: URL, arguments: [String], workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                rendersPerWorker: Int = 200) {
        self.executable = executable
        self.arguments = arguments
        self.workers = max(1, workers)
        self.rendersPerWorker = max(1, rendersPerWorker)
    }

    /// Renders every job as `format`; the result is in the order of `jobs`. Fails whole on the
    /// first diagram Graphviz refuses, so a caller writes nothing or everything.
    public func render(_ jobs: [DiagramJob], as format: DiagramFormat,
                       progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> [Data] {
        if format == .dot { return jobs.map { Data($0.source.utf8) } }
        signal(SIGPIPE, SIG_IGN) // a helper that dies must fail the render, not end this process
        let next = Mutex(0)
        let results = Mutex([Data?](repeating: nil, count: jobs.count))
        let failure = Mutex<Error?>(nil)
        let done = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: min(workers, jobs.count)) { _ in
            var worker: Worker?
            defer { worker?.finish() }
            while failure.withLock({ $0 == nil }) {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < jobs.count else { return }
                do {
                    if worker == nil || worker!.rendered >= rendersPerWorker {
                        worker?.finish()
                        worker = try Worker(executable: executable,
                                            arguments: arguments + ["--limit", "\(rendersPerWorker)"])
                    }
                    let data = try worker!.render(jobs[index].source, as: format)
                    results.withLock { $0[index] = data }
                    let count = done.withLock { value -> Int in
                        value += 1
                        return value
                    }
                    progress(count, jobs.count)
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0.map { $0! } }
    }

    /// The helper's side: answers render requests on standard input and output until `limit`
    /// diagrams are done or the input ends.
    public static func serve(limit: Int) {
        let input = FileHandle.standardInput
        let output = FileHandle.standardOutput
        var served = 0
        while served < limit, let header = readLine(input), let request = Header(header),
              let format = DiagramFormat(rawValue: request.word) {
            let source = String(decoding: input.readData(ofLength: request.length), as: UTF8.self)
            do {
                let data = try Graphviz.shared.render(source, as: format)
                try? output.write(contentsOf: Data("ok \(data.count)\n".utf8) + data)
            } catch {
                let message = Data(error.message.utf8)
                try? output.write(contentsOf: Data("error \(message.count)\n".utf8) + message)
            }
            served += 1
        }
    }

    /// `WORD LENGTH`, the line before each request and answer.
    struct Header {
        var word: String
        var length: Int

        init?(_ line: String) {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let length = Int(parts[1]), length >= 0 else { return nil }
            word = String(parts[0])
            self.length = length
        }
    }

    static func readLine(_ handle: FileHandle) -> String? {
        var bytes: [UInt8] = []
        while true {
            let byte = handle.readData(ofLength: 1)
            guard let first = byte.first else { return nil }
            if first == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(first)
        }
    }

    /// One running helper, owned by one thread of `render`.
    struct Worker {
        let process = Process()
        let requests = Pipe()
        let answers = Pipe()
        var rendered = 0

        init(executable: URL, arguments: [String]) throws {
            process.executableURL = executable
            process.arguments = arguments
            process.standardInput = requests
            process.standardOutput = answers
            try process.run()
        }

        mutating func render(_ source: String, as format: DiagramFormat) throws -> Data {
            let body = Data(source.utf8)
            try requests.fileHandleForWriting.write(contentsOf: Data("\(format.rawValue) \(body.count)\n".utf8) + body)
            rendered += 1
            guard let line = RenderPool.readLine(answers.fileHandleForReading), let answer = Header(line) else {
                throw RenderError(message: "the render helper stopped unexpectedly")
            }
            let payload = answers.fileHandleForReading.readData(ofLength: answer.length)
            guard answer.word == "ok" else { throw RenderError(message: String(decoding: payload, as: UTF8.self)) }
            return payload
        }

        /// Closes the helper's input, which ends it, and waits for it.
        func finish() {
            try? requests.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }
}
