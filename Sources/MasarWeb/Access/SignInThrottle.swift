import Foundation
import Synchronization

/// Limits failed sign-ins, per account (or registration code) and per address, so that neither
/// one account nor one machine can guess for long. Failures older than the window are forgotten;
/// a success clears the account's count.
public final class SignInThrottle: Sendable {
    public let limit: Int
    public let window: TimeInterval
    let now: @Sendable () -> Date
    let failures = Mutex<[String: [Date]]>([:])

    public init(limit: Int = 5, window: TimeInterval = 15 * 60, now: @escaping @Sendable () -> Date = Date.init) {
        self.limit = limit
        self.window = window
        self.now = now
    }

    /// Whether another attempt for this account from this address may be tried now.
    public func allows(account: String, address: String) -> Bool {
        let since = now().addingTimeInterval(-window)
        return failures.withLock { table in
            [Self.key(account: account), Self.key(address: address)].allSatisfy { key in
                table[key, default: []].filter { $0 > since }.count < limit
            }
        }
    }

    public func failed(account: String, address: String) {
        let at = now(), since = at.addingTimeInterval(-window)
        failures.withLock { table in
            // Guessing across many made-up names must not grow the table without end.
            if table.count > Self.pruneAbove {
                table = table.filter { $0.value.contains { $0 > since } }
            }
            for key in [Self.key(account: account), Self.key(address: address)] {
                table[key] = table[key, default: []].filter { $0 > since } + [at]
            }
        }
    }

    static let pruneAbove = 100_000

    public func succeeded(account: String) {
        _ = failures.withLock { $0.removeValue(forKey: Self.key(account: account)) }
    }

    static func key(account: String) -> String { "account:" + account.lowercased() }
    static func key(address: String) -> String { "address:" + address }
}
