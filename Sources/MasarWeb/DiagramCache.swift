import Foundation
import MasarCore
import MasarDiagrams
import Synchronization

/// Before/after diagrams as SVG, rendered once per revision (a revision never changes). Through
/// the render pool when there is one, since Graphviz 2.43 leaks a little with every layout.
final class DiagramCache: Sendable {
    let pool: RenderPool?
    let svgs = Mutex<[String: String]>([:])
    /// Enough for a national catalogue's pages in use; beyond it the cache starts again.
    static let capacity = 2_000

    init(pool: RenderPool?) {
        self.pool = pool
    }

    /// The comparison diagram (or the current path, before a future is drawn) of a revision.
    func svg(revision: Int64, map: ServiceMap) async throws -> String {
        try await svg(key: "revision \(revision)", name: map.id) { Diagram.service(map) }
    }

    /// A diagram under a key that names what it draws (e.g. the revisions it is made of), so
    /// that the same key always stands for the same drawing; `source` is its DOT.
    func svg(key: String, name: String, source makeSource: () -> String) async throws -> String {
        if let svg = svgs.withLock({ $0[key] }) { return svg }
        let source = makeSource()
        let pool = self.pool
        let data: Data = try await Task.detached {
            if let pool { return try pool.render([DiagramJob(name: name, source: source)], as: .svg)[0] }
            return try Graphviz.shared.render(source, as: .svg)
        }.value
        let svg = HTMLPage.inlineSVG(data)
        svgs.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll() }
            cache[key] = svg
        }
        return svg
    }
}
