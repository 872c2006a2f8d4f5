import Foundation
import MasarStore
import Synchronization

/// Who holds a sign-in token, remembered for a short while so that a burst of ballots does not
/// read the same sign-in from the database again and again. Signing out here forgets it at once;
/// a sign-in ended by another server process is honoured within `freshness`.
final class SignInCache: Sendable {
    let store: any LabStore
    let freshness: TimeInterval
    private let known = Mutex<[String: (who: SignedIn?, until: Date)]>([:])
    /// Enough for every participant of a national vote signed in at once.
    static let capacity = 500_000

    init(store: any LabStore, freshness: TimeInterval = 30) {
        self.store = store
        self.freshness = freshness
    }

    func lookUp(_ tokenHash: String) async throws -> SignedIn? {
        let now = Date()
        if let entry = known.withLock({ $0[tokenHash] }), entry.until > now { return entry.who }
        let who = try await store.signedIn(tokenHash: tokenHash)
        known.withLock { table in
            if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
            table[tokenHash] = (who, now.addingTimeInterval(freshness))
        }
        return who
    }

    /// Forgets every sign-in of an account, whose sign-ins the store has just ended (a new password).
    func forget(account id: Int64?) {
        known.withLock { table in
            table = table.filter { _, entry in
                if case .staff(let account)? = entry.who { return account.id != id }
                return true
            }
        }
    }

    func end(_ tokenHash: String) async throws {
        try await store.endSignIn(tokenHash: tokenHash)
        _ = known.withLock { $0.removeValue(forKey: tokenHash) }
    }
}
