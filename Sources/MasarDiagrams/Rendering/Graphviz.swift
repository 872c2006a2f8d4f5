import CGraphviz
import Foundation
import Synchronization

/// An output format of a diagram.
public enum DiagramFormat: String, CaseIterable, Sendable {
    case svg, png, pdf
    /// The Graphviz source itself, written without laying anything out.
    case dot

    public var fileExtension: String { rawValue }
}

/// A diagram Graphviz could not lay out or render, with what Graphviz said.
public struct RenderError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { "Graphviz could not render the diagram: \(message)" }
}

/// Graphviz, in process, through libgvc.
///
/// libgvc and libcgraph are not thread-safe (even with one context per thread), and creating
/// and freeing contexts repeatedly leaks and has caused invalid reads in the pango plugin, so
/// there is one context for the whole process and every call into Graphviz holds one lock.
public final class Graphviz: Sendable {
    public static let shared = Graphviz()

    private struct Context: ~Copyable {
        let gvc: OpaquePointer
    }

    private let context: Mutex<Context>

    private init() {
        context = Mutex(Context(gvc: gvContext()))
    }

    /// How long the last render spent inside Graphviz, for benchmarks.
    public struct Timing: Sendable {
        public var layout: Duration
        public var render: Duration
    }

    /// Lays out DOT source with `dot` and renders it as `format` (svg, png or pdf).
    public func render(_ source: String, as format: DiagramFormat) throws(RenderError) -> Data {
        try renderTimed(source, as: format).data
    }

    /// `render`, also reporting the time spent parsing and laying out, and rendering.
    public func renderTimed(_ source: String, as format: DiagramFormat) throws(RenderError) -> (data: Data, timing: Timing) {
        guard format != .dot else { return (Data(source.utf8), Timing(layout: .zero, render: .zero)) }
        return try renderTimed(source, graphvizFormat: format.rawValue)
    }

    /// Lays out DOT source and renders it with Graphviz's renderer named `format` (`json` too).
    func renderTimed(_ source: String, graphvizFormat format: String) throws(RenderError) -> (data: Data, timing: Timing) {
        let result: Result<(Data, Timing), RenderError> = context.withLock { context in
            GraphvizErrors.begin()
            let clock = ContinuousClock()
            let start = clock.now
            guard let graph = agmemread(source) else {
                return .failure(RenderError(message: GraphvizErrors.end() ?? "the DOT source could not be read"))
            }
            defer { agclose(graph) }
            guard gvLayout(context.gvc, graph, "dot") == 0 else {
                return .failure(RenderError(message: GraphvizErrors.end() ?? "layout failed"))
            }
            defer { gvFreeLayout(context.gvc, graph) }
            let laidOut = clock.now
            var bytes: UnsafeMutablePointer<CChar>?
            var length = 0
            let status = masar_gv_render_data(context.gvc, graph, format, &bytes, &length)
            defer { if let bytes { gvFreeRenderData(bytes) } }
            guard status == 0, let bytes else {
                return .failure(RenderError(message: GraphvizErrors.end() ?? "no renderer for \(format)"))
            }
            let data = Data(bytes: bytes, count: length)
            _ = GraphvizErrors.end()
            return .success((data, Timing(layout: laidOut - start, render: clock.now - laidOut)))
        }
        switch result {
        case .success(let (data, timing)): return (data, timing)
        case .failure(let error): throw error
        }
    }
}

/// Messages Graphviz reports while the lock is held; they arrive in pieces, so they are joined.
private enum GraphvizErrors {
    nonisolated(unsafe) static var text = ""

    static func begin() {
        text = ""
        _ = agreseterrors()
        _ = agseterrf { piece in
            if let piece { GraphvizErrors.text += String(cString: piece) }
            return 0
        }
    }

    /// What was reported since `begin`, or nil when nothing was.
    static func end() -> String? {
        let message = text.trimmingCharacters(in: .whitespacesAndNewlines)
        text = ""
        return message.isEmpty ? nil : message.replacingOccurrences(of: "\n", with: " ")
    }
}
