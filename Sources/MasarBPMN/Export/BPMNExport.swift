import Foundation
import MasarCore
import MasarDiagrams

/// Writes a service path as BPMN 2.0 XML that modelling tools open as drawn: one pool (the
/// owning institution), a lane per actor, a task per step, an exclusive gateway where a step
/// branches, and diagram interchange for every element, placed from Graphviz's layout.
///
/// Titles go in `name` (English, else Arabic). Both languages and every figure BPMN has no
/// place for are kept in Masar's extension elements, which `import-bpmn` reads back.
public enum BPMNExport {
    /// Why a path could not be exported.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// The path as BPMN XML; a path the map does not have yet is an error, not an empty file.
    public static func xml(_ map: ServiceMap, path kind: PathKind, graphviz: Graphviz = .shared) throws(Failure) -> String {
        guard let path = map.path(kind) else {
            throw Failure(description: "\(map.id) has no \(kind.rawValue) path yet; export the current path, or design the future path first.")
        }
        let flow = ExportFlow(path)
        let layout: BandLayout
        do {
            layout = try BandLayout(boxes: flow.nodes.map { node in
                BandLayout.Box(id: node.id, width: node.kind.size.width, height: node.kind.size.height, band: node.actor)
            }, links: flow.flows.map { ($0.from, $0.to) }, graphviz: graphviz)
        } catch {
            throw Failure(description: error.description)
        }

        let serviceName = map.title.en ?? map.title.ar ?? map.id
        var xml = XMLWriter()
        xml.line("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        xml.open("bpmn:definitions", [
            ("xmlns:bpmn", BPMNNamespace.model), ("xmlns:bpmndi", BPMNNamespace.di), ("xmlns:dc", BPMNNamespace.dc),
            ("xmlns:di", BPMNNamespace.ddi), ("xmlns:masar", MasarExtension.namespace),
            ("id", "Definitions_1"), ("targetNamespace", "urn:masar:service:" + map.id),
            ("exporter", "Masar"), ("exporterVersion", "1"),
        ])
        xml.open("bpmn:collaboration", [("id", "Collaboration_1")])
        xml.empty("bpmn:participant", [("id", "Participant_1"), ("name", map.entity), ("processRef", "Process_1")])
        xml.close("bpmn:collaboration")

        xml.open("bpmn:process", [("id", "Process_1"), ("name", "\(serviceName) (\(kind.rawValue) path)"),
                                  ("isExecutable", "false")])
        xml.open("bpmn:extensionElements", [])
        MasarExtension.write(map, path: kind, into: &xml)
        xml.close("bpmn:extensionElements")
        xml.open("bpmn:laneSet", [("id", "LaneSet_1")])
        for (number, band) in layout.bands.enumerated() {
            xml.open("bpmn:lane", [("id", "Lane_\(number + 1)"), ("name", band.name)])
            for node in flow.nodes where node.actor == band.name { xml.element("bpmn:flowNodeRef", text: node.id) }
            xml.close("bpmn:lane")
        }
        xml.close("bpmn:laneSet")
        let leaving = Dictionary(grouping: flow.flows, by: \.from)
        let arriving = Dictionary(grouping: flow.flows, by: \.to)
        for node in flow.nodes {
            write(node, incoming: arriving[node.id] ?? [], outgoing: leaving[node.id] ?? [], into: &xml)
        }
        for edge in flow.flows {
            var attributes = [("id", edge.id), ("sourceRef", edge.from), ("targetRef", edge.to)]
            if let name = edge.name { attributes.insert(("name", name), at: 1) }
            guard let probability = edge.probability else {
                xml.empty("bpmn:sequenceFlow", attributes)
                continue
            }
            xml.open("bpmn:sequenceFlow", attributes)
            xml.open("bpmn:extensionElements", [])
            MasarExtension.write(probability: probability, into: &xml)
            xml.close("bpmn:extensionElements")
            xml.close("bpmn:sequenceFlow")
        }
        xml.close("bpmn:process")

        xml.open("bpmndi:BPMNDiagram", [("id", "BPMNDiagram_1")])
        xml.open("bpmndi:BPMNPlane", [("id", "BPMNPlane_1"), ("bpmnElement", "Collaboration_1")])
        shape(&xml, "Participant_1", BandLayout.Rect(x: 0, y: 0, width: layout.width, height: layout.height))
        for (number, band) in layout.bands.enumerated() { shape(&xml, "Lane_\(number + 1)", band.rect) }
        for node in flow.nodes { shape(&xml, node.id, layout.boxes[node.id]!, horizontal: false) }
        var loops = 0
        let boxes = Array(layout.boxes.values)
        for edge in flow.flows {
            xml.open("bpmndi:BPMNEdge", [("id", edge.id + "_di"), ("bpmnElement", edge.id)])
            let source = layout.boxes[edge.from]!, target = layout.boxes[edge.to]!
            if target.x <= source.maxX { loops += 1 }
            for point in waypoints(from: source, to: target, loop: loops, around: boxes) {
                xml.empty("di:waypoint", [("x", XMLWriter.number(point.x)), ("y", XMLWriter.number(point.y))])
            }
            xml.close("bpmndi:BPMNEdge")
        }
        xml.close("bpmndi:BPMNPlane")
        xml.close("bpmndi:BPMNDiagram")
        xml.close("bpmn:definitions")
        return xml.text
    }

    private static func write(_ node: ExportFlow.Node, incoming: [ExportFlow.Flow], outgoing: [ExportFlow.Flow],
                              into xml: inout XMLWriter) {
        var attributes = [("id", node.id)]
        switch node.kind {
        case .start:
            attributes.append(("name", "Start"))
        case .end:
            attributes.append(("name", "End"))
        case .task(let step):
            attributes.append(("name", step.title.en ?? step.title.ar ?? step.id))
        case .gateway:
            if let fallback = outgoing.first(where: \.isDefault) { attributes.append(("default", fallback.id)) }
        }
        xml.open(node.kind.element, attributes)
        if case .task(let step) = node.kind {
            xml.open("bpmn:extensionElements", [])
            MasarExtension.write(step, into: &xml)
            xml.close("bpmn:extensionElements")
        }
        for edge in incoming { xml.element("bpmn:incoming", text: edge.id) }
        for edge in outgoing { xml.element("bpmn:outgoing", text: edge.id) }
        xml.close(node.kind.element)
    }

    private static func shape(_ xml: inout XMLWriter, _ element: String, _ rect: BandLayout.Rect, horizontal: Bool = true) {
        var attributes = [("id", element + "_di"), ("bpmnElement", element)]
        if horizontal { attributes.append(("isHorizontal", "true")) }
        xml.open("bpmndi:BPMNShape", attributes)
        xml.empty("dc:Bounds", [("x", XMLWriter.number(rect.x)), ("y", XMLWriter.number(rect.y)),
                                ("width", XMLWriter.number(rect.width)), ("height", XMLWriter.number(rect.height))])
        xml.close("bpmndi:BPMNShape")
    }

    /// Right angles from the source's right side to the target's left. A flow going back (the
    /// `loop`th rework loop) runs under every box between its ends, from the source's bottom to
    /// the target's, each loop a little lower so that none overlaps another.
    private static func waypoints(from source: BandLayout.Rect, to target: BandLayout.Rect, loop: Int,
                                  around boxes: [BandLayout.Rect]) -> [(x: Double, y: Double)] {
        if target.x > source.maxX {
            guard abs(source.midY - target.midY) > 0.5 else { return [(source.maxX, source.midY), (target.x, target.midY)] }
            let middle = (source.maxX + target.x) / 2
            return [(source.maxX, source.midY), (middle, source.midY), (middle, target.midY), (target.x, target.midY)]
        }
        let between = boxes.filter { $0.maxX >= target.x && $0.x <= source.maxX }
        let floor = (between.map(\.maxY).max() ?? source.maxY) + 8 + 7 * Double(loop)
        return [(source.midX, source.maxY), (source.midX, floor), (target.midX, floor), (target.midX, target.maxY)]
    }
}

/// A path's steps with the start, end and gateway nodes BPMN draws around them.
struct ExportFlow {
    enum Kind {
        case start, end, gateway
        case task(Step)

        var element: String {
            switch self {
            case .start: "bpmn:startEvent"
            case .end: "bpmn:endEvent"
            case .gateway: "bpmn:exclusiveGateway"
            case .task: "bpmn:task"
            }
        }

        /// BPMN's customary sizes, which modelling tools draw at.
        var size: (width: Double, height: Double) {
            switch self {
            case .start, .end: (36, 36)
            case .gateway: (50, 50)
            case .task: (100, 80)
            }
        }
    }

    struct Node {
        var id: String
        var kind: Kind
        var actor: String
    }

    struct Flow {
        var id: String
        var from: String
        var to: String
        var name: String?
        var isDefault: Bool
        var probability: Double?
    }

    var nodes: [Node] = []
    var flows: [Flow] = []

    init(_ path: ServicePath) {
        var ids: [String: String] = [:]
        var used: Set<String> = []
        for (number, step) in path.steps.enumerated() {
            // A step keeps its id when it is one BPMN allows and `import-bpmn` keeps.
            let id = Slug.isReadable(step.id) && !used.contains(step.id) ? step.id : "Step_\(number + 1)"
            ids[step.id] = id
            used.insert(id)
        }
        let entry = path.entry.flatMap { ids[$0] }
        if let entry, let first = path.step(path.entry!) {
            nodes.append(Node(id: "StartEvent_1", kind: .start, actor: first.actor))
            connect("StartEvent_1", entry)
        }
        for (number, step) in path.steps.enumerated() {
            let id = ids[step.id]!
            nodes.append(Node(id: id, kind: .task(step), actor: step.actor))
            switch step.next.count {
            case 0:
                nodes.append(Node(id: "EndEvent_\(number + 1)", kind: .end, actor: step.actor))
                connect(id, "EndEvent_\(number + 1)")
            case 1:
                connect(id, ids[step.next[0].to] ?? step.next[0].to)
            default:
                let gateway = "Gateway_\(number + 1)"
                nodes.append(Node(id: gateway, kind: .gateway, actor: step.actor))
                connect(id, gateway)
                let unnamed = step.next.filter { $0.when == nil }.count
                for edge in step.next {
                    connect(gateway, ids[edge.to] ?? edge.to, name: edge.when, isDefault: edge.when == nil && unnamed == 1,
                            probability: edge.probability)
                }
            }
        }
    }

    private mutating func connect(_ from: String, _ to: String, name: String? = nil, isDefault: Bool = false,
                                  probability: Double? = nil) {
        flows.append(Flow(id: "Flow_\(flows.count + 1)", from: from, to: to, name: name, isDefault: isDefault,
                          probability: probability))
    }
}

/// XML text written element by element, every attribute value and text escaped.
struct XMLWriter {
    private(set) var text = ""
    private var depth = 0

    mutating func line(_ raw: String) {
        text += String(repeating: "  ", count: depth) + raw + "\n"
    }

    mutating func open(_ name: String, _ attributes: [(String, String)]) {
        line("<\(name)\(Self.attributes(attributes))>")
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        line("</\(name)>")
    }

    mutating func empty(_ name: String, _ attributes: [(String, String)]) {
        line("<\(name)\(Self.attributes(attributes))/>")
    }

    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text content: String) {
        line("<\(name)\(Self.attributes(attributes))>\(Self.escaped(content))</\(name)>")
    }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escaped($0.1))\"" }.joined()
    }

    /// Markup characters as entities (`htmlEscaped`, which serves XML too); line breaks and
    /// tabs as character references, so attribute normalisation keeps them; other characters
    /// XML 1.0 forbids are dropped.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.htmlEscaped.unicodeScalars {
            let value = scalar.value
            if value == 0x9 || value == 0xA || value == 0xD {
                out += "&#\(value);"
            } else if value >= 0x20 && value != 0xFFFE && value != 0xFFFF {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        String(format: "%.0f", value)
    }
}
