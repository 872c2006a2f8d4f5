import Foundation
import MasarCore
import Synchronization

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
public final class SignInThrottle: Sendable {
    public let freeAttempts: Int
    public let longestDelay: TimeInterval
    public let window: TimeInterval
    public let addressBudget: Int
    public let registrationBudget: Int
    public let registrationWindow: TimeInterval
    let now: @Sendable () -> Date
    private let state = Mutex(State())

    public init(freeAttempts: Int = 5, longestDelay: TimeInterval = 60, window: TimeInterval = 15 * 60,
                addressBudget: Int = 500, registrationBudget: Int = 200, registrationWindow: TimeInterval = 3600,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.freeAttempts = freeAttempts
        self.longestDelay = longestDelay
        self.window = window
        self.addressBudget = addressBudget
        self.registrationBudget = registrationBudget
        self.registrationWindow = registrationWindow
        self.now = now
    }

    /// An account's failures in a row, and when the last one was.
    struct Streak {
        var count: Int
        var last: Date
    }

    /// What a key has spent of its budget since the window began.
    struct Spent {
        var since: Date
        var count: Int
    }

    struct State {
        var accounts: [String: Streak] = [:]
        var addresses: [String: Spent] = [:]
        var registrations: [String: Spent] = [:]
    }

    /// Guessing across many made-up names must not grow the tables without end.
    static let pruneAbove = 100_000

    /// Starts a sign-in attempt: refused with how long to wait, or let through and counted as a
    /// failure until `succeeded` says otherwise, so that attempts sent all at once wait as
    /// attempts sent one after another do.
    public func attempt(account: String, address: String) -> Refusal? {
        let at = now(), key = account.lowercased()
        return state.withLock { state in
            if state.accounts.count + state.addresses.count > Self.pruneAbove {
                state.accounts = state.accounts.filter { at.timeIntervalSince($0.value.last) < window }
                state.addresses = state.addresses.filter { at.timeIntervalSince($0.value.since) < window }
            }
            var spent = Self.current(state.addresses[address], at: at, window: window)
            if spent.count >= addressBudget { return Self.wait(.addressWait, until: spent.since + window, at: at) }
            var streak = state.accounts[key].flatMap { at.timeIntervalSince($0.last) < window ? $0 : nil } ?? Streak(count: 0, last: at)
            if streak.count >= freeAttempts {
                let ready = streak.last + min(pow(2, Double(streak.count - freeAttempts)), longestDelay)
                if ready > at { return Self.wait(.signInWait, until: ready, at: at) }
            }
            streak.count += 1
            streak.last = at
            spent.count += 1
            state.accounts[key] = streak
            state.addresses[address] = spent
            return nil
        }
    }

    /// The attempt was right: the account starts afresh and the address gets its attempt back.
    public func succeeded(account: String, address: String) {
        state.withLock { state in
            state.accounts[account.lowercased()] = nil
            state.addresses[address]?.count -= 1
        }
    }

    /// Counts a registration from this address, or refuses it with how long to wait once the budget is spent.
    public func register(from address: String) -> Refusal? {
        let at = now()
        return state.withLock { state in
            if state.registrations.count > Self.pruneAbove {
                state.registrations = state.registrations.filter { at.timeIntervalSince($0.value.since) < registrationWindow }
            }
            var spent = Self.current(state.registrations[address], at: at, window: registrationWindow)
            if spent.count >= registrationBudget { return Self.wait(.registrationWait, until: spent.since + registrationWindow, at: at) }
            spent.count += 1
            state.registrations[address] = spent
            return nil
        }
    }

    /// The budget spent in the window that holds `at` (a new window once the last one is over).
    static func current(_ spent: Spent?, at: Date, window: TimeInterval) -> Spent {
        spent.flatMap { at.timeIntervalSince($0.since) < window ? $0 : nil } ?? Spent(since: at, count: 0)
    }

    static func wait(_ code: RefusalCode, until ready: Date, at: Date) -> Refusal {
        Refusal(code, ["seconds": String(max(1, Int(ready.timeIntervalSince(at).rounded(.up))))])
    }
}
