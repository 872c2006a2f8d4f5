import Foundation
import MasarCore

/// Which diagrams of a service to draw.
public enum DiagramView: String, CaseIterable, Sendable {
    case current, future, compare, all

    var concrete: [DiagramView] { self == .all ? [.current, .future, .compare] : [self] }
}

/// One diagram to draw: where it goes (without extension) and its DOT source.
public struct DiagramJob: Sendable {
    /// Path relative to the output folder, e.g. `birth-registration.compare` or `life-events/marriage`.
    public var name: String
    public var source: String

    public init(name: String, source: String) {
        self.name = name
        self.source = source
    }
}

/// The diagrams of a catalogue, and what could not be drawn and why.
public struct DiagramSet: Sendable {
    public var jobs: [DiagramJob]
    /// Diagrams asked for that a service cannot have yet (e.g. the future of a map still being drawn).
    public var skipped: [String]

    /// Every asked-for view of every service, then every life event.
    public init(_ catalogue: Catalogue, views: DiagramView, options: DiagramOptions = DiagramOptions(),
                costs: CostModel = .default) {
        jobs = []
        skipped = []
        for map in catalogue.services {
            for view in views.concrete {
                let source: String? = switch view {
                case .current: Diagram.path(map, .current, options)
                case .future: Diagram.path(map, .future, options)
                case .compare, .all: Diagram.comparison(map, options, costs: costs)
                }
                if let source {
                    jobs.append(DiagramJob(name: "\(map.id).\(view.rawValue)", source: source))
                } else if views != .all { // `all` means every view the service has
                    skipped.append("\(map.id).\(view.rawValue): '\(map.id)' has no future path yet")
                }
            }
        }
        for case .success(let bundle) in catalogue.bundles(costs) {
            jobs.append(DiagramJob(name: "life-events/\(bundle.lifeEvent.id)", source: Diagram.bundle(bundle, options)))
        }
    }

    /// Renders every job — through `pool` when given, else in this process — then writes each
    /// under `folder`, replaced whole; nothing is written if any diagram fails. `progress` is
    /// told after each diagram; returns the rendered bytes by job name.
    @discardableResult
    public func write(as format: DiagramFormat, to folder: String, pool: RenderPool? = nil,
                      progress: @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }) throws -> [String: Data] {
        let rendered: [Data]
        if let pool {
            rendered = try pool.render(jobs, as: format, progress: progress)
        } else {
            rendered = try jobs.enumerated().map { index, job in
                defer { progress(index + 1, jobs.count) }
                return try Graphviz.shared.render(job.source, as: format)
            }
        }
        var written: [String: Data] = [:]
        for (job, data) in zip(jobs, rendered) {
            let url = URL(fileURLWithPath: folder).appendingPathComponent(job.name + "." + format.fileExtension)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
            written[job.name] = data
        }
        return written
    }
}
