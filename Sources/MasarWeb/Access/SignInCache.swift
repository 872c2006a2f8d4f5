import Foundation
import MasarStore
import Synchronization

/// Who holds a sign-in token, remembered for a short while so that a burst of ballots does not
/// read the same sign-in from the database again and again. A sign-in ended here is forgotten
/// at once, and so is one another server on the same database ends (`LabStore.endedSignIns`).
final class SignInCache: Sendable {
    let store: any LabStore
    let freshness: TimeInterval
    private let known = Known()
    /// Reads what other servers end, for as long as the cache lives.
    private let listening: Task<Void, Never>
    /// Enough for every participant of a national vote signed in at once.
    static let capacity = 500_000

    /// The table, apart from the cache so that the listening task holds it and not the cache.
    final class Known: Sendable {
        let table = Mutex<[String: (who: SignedIn?, until: Date)]>([:])
        /// Counts what was forgotten, so that a lookup read before a sign-out ended is not kept after it.
        let forgotten = Atomic<Int>(0)

        func forget(_ ended: EndedSignIn) {
            forgotten.add(1, ordering: .sequentiallyConsistent)
            table.withLock { table in
                switch ended {
                case .token(let hash): table[hash] = nil
                case .account(let id):
                    table = table.filter { _, entry in
                        if case .staff(let account)? = entry.who { return account.id != id }
                        return true
                    }
                case .any: table.removeAll()
                }
            }
        }
    }

    init(store: any LabStore, freshness: TimeInterval = 30) {
        self.store = store
        self.freshness = freshness
        let known = self.known
        listening = Task {
            for await ended in store.endedSignIns() { known.forget(ended) }
        }
    }

    deinit { listening.cancel() }

    func lookUp(_ tokenHash: String) async throws -> SignedIn? {
        let now = Date()
        if let entry = known.table.withLock({ $0[tokenHash] }), entry.until > now { return entry.who }
        let before = known.forgotten.load(ordering: .sequentiallyConsistent)
        let who = try await store.signedIn(tokenHash: tokenHash)
        known.table.withLock { table in
            guard known.forgotten.load(ordering: .sequentiallyConsistent) == before else { return }
            if table.count >= Self.capacity { table.removeAll(keepingCapacity: true) }
            table[tokenHash] = (who, now.addingTimeInterval(freshness))
        }
        return who
    }

    /// Forgets every sign-in of an account, whose sign-ins the store has just ended (a new password).
    func forget(account id: Int64?) {
        if let id { known.forget(.account(id: id)) }
    }

    func end(_ tokenHash: String) async throws {
        try await store.endSignIn(tokenHash: tokenHash)
        known.forget(.token(hash: tokenHash))
    }
}
