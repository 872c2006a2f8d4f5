/// How often, on average, a citizen walks each step and each edge of a path.
///
/// The path is an absorbing Markov chain: steps are the transient states, an end step
/// leads out of the chain. The expected number of walks of each step is the entry's row of
/// the fundamental matrix (I − Q)⁻¹, found here by solving (I − Q)ᵀ x = e_entry.
public struct ExpectedWalk: Equatable, Sendable {
    /// Expected walks of each step, in the order of `path.steps`.
    public var stepWalks: [Double]
    /// Expected traversals of each step's edges, in the order of its `next`.
    public var edgeWalks: [[Double]]
}

extension ServicePath {
    /// The expected walk from the entry, following the branch rule's probabilities.
    public func expectedWalk() -> ExpectedWalk {
        let n = steps.count
        var position: [String: Int] = [:]
        for (i, step) in steps.enumerated() where position[step.id] == nil { position[step.id] = i }
        let probabilities = steps.map { BranchRule.probabilities($0.next) }

        // A = I − Qᵀ, row-major: A[j][i] = δij − Q[i][j].
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { a[i * n + i] = 1 }
        for (i, step) in steps.enumerated() {
            for (edge, p) in zip(step.next, probabilities[i]) {
                guard let j = position[edge.to] else { continue }
                a[j * n + i] -= p
            }
        }
        var x = [Double](repeating: 0, count: n)
        if let entry, let e = position[entry] { x[e] = 1 }
        Self.solve(&a, &x, n)

        let edgeWalks = steps.enumerated().map { i, _ in probabilities[i].map { $0 * x[i] } }
        return ExpectedWalk(stepWalks: x, edgeWalks: edgeWalks)
    }

    /// Gaussian elimination in place, without pivoting: A is column diagonally dominant
    /// (each column of Qᵀ sums to at most 1), for which elimination is stable. Zero
    /// multipliers are skipped, so a mostly forward path costs far less than n³.
    private static func solve(_ a: inout [Double], _ b: inout [Double], _ n: Int) {
        a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeMutableBufferPointer { b in
                for k in 0..<n {
                    let pivot = a[k * n + k]
                    guard abs(pivot) > 1e-300 else { continue }
                    for r in (k + 1)..<max(k + 1, n) {
                        let factor = a[r * n + k] / pivot
                        if factor == 0 { continue }
                        a[r * n + k] = 0
                        for c in (k + 1)..<n where a[k * n + c] != 0 {
                            a[r * n + c] -= factor * a[k * n + c]
                        }
                        b[r] -= factor * b[k]
                    }
                }
                for k in stride(from: n - 1, through: 0, by: -1) {
                    var sum = b[k]
                    for c in (k + 1)..<max(k + 1, n) where a[k * n + c] != 0 {
                        sum -= a[k * n + c] * b[c]
                    }
                    let pivot = a[k * n + k]
                    b[k] = abs(pivot) > 1e-300 ? sum / pivot : .infinity
                }
            }
        }
    }
}
