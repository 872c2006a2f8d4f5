import Foundation
import Synchronization

/// A progress line for long work: count, rate and time left, redrawn in place on a
/// terminal; silent when standard error is not a terminal (CI logs, pipes). Safe to update
/// from several threads.
final class ProgressLine: Sendable {
    let label: String
    private let start = ContinuousClock.now
    private let enabled = isatty(STDERR_FILENO) == 1
    private let lastDrawn = Mutex(ContinuousClock.now - .seconds(1))

    init(_ label: String) {
        self.label = label
    }

    func update(_ done: Int, of total: Int) {
        guard enabled, total > 0 else { return }
        let now = ContinuousClock.now
        let due = lastDrawn.withLock { last in
            guard done == total || now - last > .milliseconds(100) else { return false }
            last = now
            return true
        }
        guard due else { return }
        let elapsed = (now - start).seconds
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let left = rate > 0 ? Double(total - done) / rate : 0
        let line = String(format: "\r%@ %d/%d · %.0f/s · %@ left ", label, done, total, rate, clock(left))
        FileHandle.standardError.write(Data(line.utf8))
        if done == total { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
