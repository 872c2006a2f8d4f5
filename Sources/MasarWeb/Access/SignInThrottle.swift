import Foundation
import MasarCore
import MasarStore

/// Slows guessing without locking out the rightful user.
///
/// Per account (or registration code): the first `freeAttempts` failures cost nothing; after
/// them each attempt waits 1, 2, 4 … seconds after the last one, never more than
/// `longestDelay`, from whichever address it comes — and the right password after the wait
/// signs in. The count is forgotten after a success, or `window` after the last failure.
///
/// Per address: `addressBudget` failures in a `window`, more than a lab room of 60 behind one NAT
/// ever makes; past it the address waits for the window's end. Registrations have a budget
/// per address of their own (`registrationBudget` an hour).
///
/// The counters are the database's (`LabStore.throttle`), so that every server on one database
/// counts the same attempts: a guesser spread over two servers behind a load balancer waits as
/// one on a single server does.
public final class SignInThrottle: Sendable {
    public let freeAttempts: Int
    public let longestDelay: TimeInterval
    public let window: TimeInterval
    public let addressBudget: Int
    public let registrationBudget: Int
    public let registrationWindow: TimeInterval
    let store: any LabStore
    let now: @Sendable () -> Date

    public init(store: any LabStore, freeAttempts: Int = 5, longestDelay: TimeInterval = 60, window: TimeInterval = 15 * 60,
                addressBudget: Int = 500, registrationBudget: Int = 200, registrationWindow: TimeInterval = 3600,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.freeAttempts = freeAttempts
        self.longestDelay = longestDelay
        self.window = window
        self.addressBudget = addressBudget
        self.registrationBudget = registrationBudget
        self.registrationWindow = registrationWindow
        self.now = now
    }

    /// The counters' names: an account's failures in a row, and what an address has spent.
    static func account(_ name: String) -> String { "signin:" + name.lowercased() }
    static func address(_ address: String) -> String { "address:" + address }
    static func registrations(_ address: String) -> String { "registrations:" + address }

    /// Counters untouched for longer than every window mean nothing any more.
    var cutoff: Date { now() - max(window, registrationWindow) }

    /// Starts a sign-in attempt: refused with how long to wait, or let through and counted as a
    /// failure until `succeeded` says otherwise, so that attempts sent all at once wait as
    /// attempts sent one after another do.
    public func attempt(account: String, address: String) async throws -> Refusal? {
        let at = now(), (accountKey, addressKey) = (Self.account(account), Self.address(address))
        let (freeAttempts, longestDelay, window, addressBudget) = (freeAttempts, longestDelay, window, addressBudget)
        return try await store.throttle([accountKey, addressKey], forgettingBefore: cutoff) { stored in
            var spent = Self.current(stored[addressKey], at: at, window: window)
            if spent.count >= addressBudget { return ([:], Self.wait(.addressWait, until: spent.since + window, at: at)) }
            var streak = stored[accountKey].flatMap { at.timeIntervalSince($0.last) < window ? $0 : nil }
                ?? ThrottleCounter(count: 0, since: at, last: at)
            if streak.count >= freeAttempts {
                let ready = streak.last + min(pow(2, Double(streak.count - freeAttempts)), longestDelay)
                if ready > at { return ([:], Self.wait(.signInWait, until: ready, at: at)) }
            }
            streak.count += 1
            streak.last = at
            spent.count += 1
            spent.last = at
            return ([accountKey: streak, addressKey: spent], nil)
        }
    }

    /// The attempt was right: the account starts afresh and the address gets its attempt back.
    public func succeeded(account: String, address: String) async throws {
        let (accountKey, addressKey) = (Self.account(account), Self.address(address))
        try await store.throttle([accountKey, addressKey], forgettingBefore: cutoff) { stored in
            var spent = stored[addressKey]
            if let count = spent?.count { spent?.count = max(0, count - 1) }
            return ([accountKey: nil, addressKey: spent], ())
        }
    }

    /// Counts a registration from this address, or refuses it with how long to wait once the budget is spent.
    public func register(from address: String) async throws -> Refusal? {
        let at = now(), key = Self.registrations(address)
        let (budget, window) = (registrationBudget, registrationWindow)
        return try await store.throttle([key], forgettingBefore: cutoff) { stored in
            var spent = Self.current(stored[key], at: at, window: window)
            if spent.count >= budget { return ([:], Self.wait(.registrationWait, until: spent.since + window, at: at)) }
            spent.count += 1
            spent.last = at
            return ([key: spent], nil)
        }
    }

    /// The budget spent in the window that holds `at` (a new window once the last one is over).
    static func current(_ spent: ThrottleCounter?, at: Date, window: TimeInterval) -> ThrottleCounter {
        spent.flatMap { at.timeIntervalSince($0.since) < window ? $0 : nil } ?? ThrottleCounter(count: 0, since: at, last: at)
    }

    static func wait(_ code: RefusalCode, until ready: Date, at: Date) -> Refusal {
        Refusal(code, ["seconds": String(max(1, Int(ready.timeIntervalSince(at).rounded(.up))))])
    }
}
