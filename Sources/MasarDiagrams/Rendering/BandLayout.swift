import Foundation

/// Boxes placed left to right in horizontal bands (swim lanes), by Graphviz's `dot`: for
/// diagrams that another tool draws from coordinates, such as a BPMN file's diagram.
///
/// `dot` orders and spaces the boxes, one cluster per band; each band then becomes a full-width
/// stripe, the boxes keeping their place along the flow and their offset within the band.
public struct BandLayout: Sendable {
    public struct Box: Sendable {
        public var id: String
        /// Size in points (BPMN tools use the same unit as pixels).
        public var width: Double
        public var height: Double
        public var band: String

        public init(id: String, width: Double, height: Double, band: String) {
            self.id = id
            self.width = width
            self.height = height
            self.band = band
        }
    }

    public struct Rect: Equatable, Sendable {
        public var x, y, width, height: Double

        public init(x: Double, y: Double, width: Double, height: Double) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }

        public var midX: Double { x + width / 2 }
        public var midY: Double { y + height / 2 }
        public var maxX: Double { x + width }
        public var maxY: Double { y + height }
    }

    /// Where each box went (top-left origin, y growing down), each band's stripe, and the size.
    public var boxes: [String: Rect]
    public var bands: [(name: String, rect: Rect)]
    public var width: Double
    public var height: Double

    /// Space left of the boxes for the pool's and the lanes' titles, and around each band.
    static let labelMargin = 60.0
    static let padding = 30.0

    /// `links` connect boxes in the order given; a link back to an earlier box (a rework loop)
    /// does not push that box to the right, so the flow reads left to right in the boxes' order.
    public init(boxes: [Box], links: [(from: String, to: String)], graphviz: Graphviz = .shared) throws(RenderError) {
        var bandOrder: [String] = []
        for box in boxes where !bandOrder.contains(box.band) { bandOrder.append(box.band) }
        let index = Dictionary(uniqueKeysWithValues: boxes.enumerated().map { ($1.id, $0) })
        var dot = "digraph {\nrankdir=LR; nodesep=0.4; ranksep=0.5; node [shape=box, fixedsize=true, label=\"\"];\n"
        for (bandNumber, band) in bandOrder.enumerated() {
            dot += "subgraph cluster_\(bandNumber) {\n"
            for (number, box) in boxes.enumerated() where box.band == band {
                dot += "n\(number) [width=\(box.width / 72), height=\(box.height / 72)];\n"
            }
            dot += "}\n"
        }
        for link in links {
            guard let from = index[link.from], let to = index[link.to] else { continue }
            dot += "n\(from) -> n\(to)\(to <= from ? " [constraint=false]" : "");\n"
        }
        dot += "}\n"
        let centres = try Self.centres(of: graphviz.renderTimed(dot, graphvizFormat: "json").data)
        guard centres.count == boxes.count else { throw RenderError(message: "Graphviz placed \(centres.count) of \(boxes.count) boxes") }

        // Graphviz's y grows upwards; each band's boxes keep their offsets from the band's top.
        var placed: [String: Rect] = [:]
        var stripes: [(String, Rect)] = []
        var top = 0.0
        let right = (centres.values.map { $0.x }.max() ?? 0) + (boxes.map(\.width).max() ?? 0)
        let width = right + Self.labelMargin + Self.padding
        for band in bandOrder {
            let members = boxes.enumerated().filter { $0.element.band == band }
            let highest = members.map { centres[$0.offset]!.y + $0.element.height / 2 }.max() ?? 0
            let lowest = members.map { centres[$0.offset]!.y - $0.element.height / 2 }.min() ?? 0
            for (number, box) in members {
                let centre = centres[number]!
                placed[box.id] = Rect(x: Self.labelMargin + centre.x - box.width / 2,
                                      y: top + Self.padding + (highest - centre.y) - box.height / 2,
                                      width: box.width, height: box.height)
            }
            let height = highest - lowest + 2 * Self.padding
            stripes.append((band, Rect(x: Self.labelMargin / 2, y: top, width: width - Self.labelMargin / 2, height: height)))
            top += height
        }
        self.boxes = placed
        self.bands = stripes
        self.width = width
        self.height = top
    }

    /// Node centres, by the number in the node's name, from Graphviz's JSON output.
    private static func centres(of json: Data) throws(RenderError) -> [Int: (x: Double, y: Double)] {
        guard let graph = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
              let objects = graph["objects"] as? [[String: Any]]
        else { throw RenderError(message: "Graphviz gave no layout") }
        var centres: [Int: (x: Double, y: Double)] = [:]
        for object in objects {
            guard let name = object["name"] as? String, name.hasPrefix("n"), let number = Int(name.dropFirst()),
                  let position = object["pos"] as? String
            else { continue }
            let parts = position.split(separator: ",").compactMap { Double($0) }
            guard parts.count == 2 else { continue }
            centres[number] = (parts[0], parts[1])
        }
        return centres
    }
}
