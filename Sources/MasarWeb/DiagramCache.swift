import Foundation
import MasarCore
import MasarDiagrams
import Synchronization

/// Before/after diagrams as SVG, rendered once per revision (a revision never changes). Through
/// the render pool when there is one, since Graphviz 2.43 leaks a little with every layout.
final class DiagramCache: Sendable {
    let pool: RenderPool?
    let svgs = Mutex<[Int64: String]>([:])
    /// Enough for a national catalogue's pages in use; beyond it the cache starts again.
    static let capacity = 2_000

    init(pool: RenderPool?) {
        self.pool = pool
    }

    /// The comparison diagram (or the current path, before a future is drawn) of a revision.
    func svg(revision: Int64, map: ServiceMap) async throws -> String {
        if let svg = svgs.withLock({ $0[revision] }) { return svg }
        let source = Diagram.service(map)
        let pool = self.pool
        let data: Data = try await Task.detached {
            if let pool { return try pool.render([DiagramJob(name: map.id, source: source)], as: .svg)[0] }
            return try Graphviz.shared.render(source, as: .svg)
        }.value
        let svg = HTMLPage.inlineSVG(data)
        svgs.withLock { cache in
            if cache.count >= Self.capacity { cache.removeAll() }
            cache[revision] = svg
        }
        return svg
    }
}
