import Foundation
import MasarCore
import MasarStore

/// Gathers ballots that arrive together into one transaction (group commit). A durable commit
/// costs about as much for one ballot as for a hundred, so while one batch is being written the
/// next ballots wait and then go in together; each is still checked on its own by the store
/// (`castOnlineBallots`), and a refused one does not affect the rest.
actor BallotBox {
    let store: any LabStore
    private var waiting: [(ballot: OnlineBallot, reply: CheckedContinuation<Result<Void, Error>, Never>)] = []
    private var writing = false

    init(store: any LabStore) {
        self.store = store
    }

    /// Casts (or changes) one online ballot; returns once it is durably recorded, or throws its refusal.
    func cast(_ ballot: OnlineBallot) async throws {
        let result = await withCheckedContinuation { reply in
            waiting.append((ballot, reply))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
        try result.get()
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = waiting
            waiting = []
            let store = self.store
            let ballots = batch.map(\.ballot)
            let outcome: Result<[Refusal?], Error>
            do {
                outcome = .success(try await store.castOnlineBallots(ballots))
            } catch {
                outcome = .failure(error)
            }
            for (index, entry) in batch.enumerated() {
                switch outcome {
                case .success(let refusals): entry.reply.resume(returning: refusals[index].map { .failure($0) } ?? .success(()))
                case .failure(let error): entry.reply.resume(returning: .failure(error))
                }
            }
        }
        writing = false
    }
}
