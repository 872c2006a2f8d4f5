import Foundation
import MasarCore
import MasarDiagrams

/// The namespaces of BPMN 2.0 XML; elements are matched by these, never by prefix.
enum BPMNNamespace {
    static let model = "http://www.omg.org/spec/BPMN/20100524/MODEL"
    static let di = "http://www.omg.org/spec/BPMN/20100524/DI"
    static let dc = "http://www.omg.org/spec/DD/20100524/DC"
    static let ddi = "http://www.omg.org/spec/DD/20100524/DI"
}

/// What a BPMN flow node is to a service map.
enum NodeKind: Equatable {
    /// Any task, a call activity or a collapsed subprocess: one step.
    case activity
    /// An expanded subprocess, whose content is inlined.
    case expandedSubprocess
    /// A subprocess started by an event rather than by flow.
    case eventSubprocess
    case gateway(GatewayKind)
    case start, end
    /// An intermediate event; with a timer duration it becomes a waiting step.
    case intermediate(wait: Minutes?)
    case boundary(attachedTo: String)

    var isStep: Bool {
        switch self {
        case .activity: true
        case .intermediate(let wait): wait != nil
        default: false
        }
    }
}

enum GatewayKind: Equatable {
    case exclusive, inclusive, eventBased, parallel, complex
}

/// A flow node of a process, wherever it is nested.
struct FlowNode {
    var id: String
    var element: String
    var kind: NodeKind
    var name: String
    var line: Int
    /// The expanded subprocess the node sits in, if any.
    var parent: String?
    /// The id of the flow taken when no condition holds (gateways and activities).
    var defaultFlow: String?
    /// Titles in both languages and figures, when Masar exported the model.
    var titles: LocalizedText?
    var figures: MasarExtension.StepFigures?
    /// The pool of the node's process, if a collaboration names one.
    var pool: String?
    /// A link event's name (its definition's, else its own): a throwing link goes on at the
    /// catching link of the same name, in the same process and scope.
    var link: String?
    /// The process the node belongs to (pools read as one keep them apart).
    var processID = ""
}

struct SequenceFlow {
    var id: String
    var source: String
    var target: String
    var name: String
    var condition: String
    var line: Int
    /// The branch's probability, when Masar exported the model.
    var probability: Double?
}

/// A lane and the lanes nested in it.
struct Lane {
    var id: String
    var name: String
    var nodes: Set<String>
    var children: [Lane]
}

extension BandLayout.Rect {
    /// Whether `other`'s centre lies inside: how a diagram puts a task in a lane.
    func containsCentre(of other: BandLayout.Rect) -> Bool {
        other.midX >= x && other.midX <= maxX && other.midY >= y && other.midY <= maxY
    }
}

/// A process as read from a file: flow nodes (subprocess content included), flows and lanes.
struct ProcessModel {
    var id: String
    var name: String
    var line: Int
    /// The pool (participant) that holds the process, if a collaboration names one.
    var pool: String?
    var nodes: [FlowNode] = []
    var flows: [SequenceFlow] = []
    var lanes: [Lane] = []
    /// Nodes hidden inside collapsed subprocesses: neither steps nor part of the flow.
    var hidden: Set<String> = []
    /// The service the process is a path of, when Masar exported it.
    var service: MasarExtension.ServiceFacts?
    /// Compensation handlers left out, by name.
    var compensations: [String] = []
}

struct MessageFlow {
    var id: String
    var name: String
    var source: String
    var target: String
}

/// The parts of a BPMN file the importer reads.
struct BPMNDocument {
    var processes: [ProcessModel] = []
    var messageFlows: [MessageFlow] = []
    /// Diagram bounds by element id, and which subprocesses a diagram shows expanded.
    var bounds: [String: BandLayout.Rect] = [:]
    var expanded: [String: Bool] = [:]

    /// Every process with content as one, for a collaboration read as one service: each
    /// node keeps its own pool, and message flows join the pools (see `FlowGraph`).
    func joined(name: String) -> ProcessModel {
        let parts = processes.filter { !$0.nodes.isEmpty }
        var joined = ProcessModel(id: parts.map(\.id).joined(separator: "+"), name: name, line: parts.first?.line ?? 1)
        for part in parts {
            joined.nodes += part.nodes
            joined.flows += part.flows
            joined.lanes += part.lanes
            joined.hidden.formUnion(part.hidden)
            joined.compensations += part.compensations
        }
        return joined
    }

    static let activities: Set<String> = [
        "task", "userTask", "serviceTask", "sendTask", "receiveTask", "manualTask", "businessRuleTask",
        "scriptTask", "callActivity",
    ]
    static let subprocesses: Set<String> = ["subProcess", "transaction", "adHocSubProcess"]
    static let gateways: [String: GatewayKind] = [
        "exclusiveGateway": .exclusive, "inclusiveGateway": .inclusive, "eventBasedGateway": .eventBased,
        "parallelGateway": .parallel, "complexGateway": .complex,
    ]
    static let events: Set<String> = [
        "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    ]

    init(root: XMLNode) throws(BPMNFailure) {
        guard root.name == "definitions", root.namespace == BPMNNamespace.model else {
            throw BPMNFailure(line: root.line, message:
                "not a BPMN 2.0 file: the root element is '\(root.name)' in namespace '\(root.namespace)', not BPMN's 'definitions'",
                arabic: "ليس ملف BPMN 2.0: العنصر الجذر '\(root.name)' في نطاق الأسماء '\(root.namespace)'، وليس 'definitions' الذي يبدأ به BPMN")
        }
        readDiagram(root)
        var pools: [String: String] = [:]
        for collaboration in root.children("collaboration", in: BPMNNamespace.model) {
            for participant in collaboration.children("participant", in: BPMNNamespace.model) {
                if let process = participant["processRef"], let name = participant["name"], !name.isEmpty {
                    pools[process] = BPMNText.folded(name)
                }
            }
            for flow in collaboration.children("messageFlow", in: BPMNNamespace.model) {
                messageFlows.append(MessageFlow(id: flow["id"] ?? "", name: BPMNText.folded(flow["name"] ?? ""),
                                                source: flow["sourceRef"] ?? "", target: flow["targetRef"] ?? ""))
            }
        }
        var ids: [String: Int] = [:]
        for element in root.children("process", in: BPMNNamespace.model) {
            let id = element["id"] ?? ""
            var process = ProcessModel(id: id, name: BPMNText.folded(element["name"] ?? ""), line: element.line,
                                       pool: pools[id])
            process.service = MasarExtension.service(element)
            try read(element, parent: nil, into: &process, ids: &ids)
            process.lanes = element.children("laneSet", in: BPMNNamespace.model)
                .flatMap { $0.children("lane", in: BPMNNamespace.model) }.map(Self.lane)
            processes.append(process)
        }
    }

    private mutating func readDiagram(_ root: XMLNode) {
        for diagram in root.children("BPMNDiagram", in: BPMNNamespace.di) {
            for plane in diagram.children("BPMNPlane", in: BPMNNamespace.di) {
                for shape in plane.children("BPMNShape", in: BPMNNamespace.di) {
                    guard let element = shape["bpmnElement"] else { continue }
                    if let flag = shape["isExpanded"] { expanded[element] = flag == "true" }
                    if let box = shape.child("Bounds", in: BPMNNamespace.dc),
                       let x = Double(box["x"] ?? ""), let y = Double(box["y"] ?? ""),
                       let width = Double(box["width"] ?? ""), let height = Double(box["height"] ?? "") {
                        bounds[element] = BandLayout.Rect(x: x, y: y, width: width, height: height)
                    }
                }
            }
        }
    }

    /// Reads the flow elements of a process or subprocess, descending into expanded subprocesses.
    /// Every flow element needs an id of its own: flows and lanes find their elements by it.
    private func read(_ container: XMLNode, parent: String?, into process: inout ProcessModel,
                      ids: inout [String: Int]) throws(BPMNFailure) {
        for element in container.children where element.namespace == BPMNNamespace.model {
            let isFlowElement = Self.isFlowNode(element) || element.name == "sequenceFlow"
            let id = element["id"] ?? ""
            if isFlowElement {
                guard !id.isEmpty else {
                    throw BPMNFailure(line: element.line, message: "\(element.name) has no id; each flow element needs one",
                                      arabic: "العنصر \(element.name) ليس له id؛ ويلزم كل عنصر من عناصر التدفق id خاص به")
                }
                if let earlier = ids.updateValue(element.line, forKey: id) {
                    throw BPMNFailure(line: element.line, message:
                        "id '\(BPMNText.folded(id))' is used again (first on line \(earlier)); each element needs its own",
                        arabic: "المعرّف '\(BPMNText.folded(id))' مستعمل مرة أخرى (أول مرة في السطر \(earlier))؛ ويلزم كل عنصر معرّف خاص به")
                }
            }
            let name = BPMNText.folded(element["name"] ?? "")
            var kind: NodeKind?
            if element["isForCompensation"] == "true" {
                // A compensation handler runs only to undo a step; it is no part of the journey.
                process.compensations.append(name.isEmpty ? id : name)
                process.hidden.insert(id)
            } else if Self.activities.contains(element.name) {
                kind = .activity
            } else if Self.subprocesses.contains(element.name) {
                let content = element.children.contains { Self.isFlowNode($0) }
                if element["triggeredByEvent"] == "true" {
                    kind = .eventSubprocess
                } else if content && expanded[id] != false {
                    kind = .expandedSubprocess
                    try read(element, parent: id, into: &process, ids: &ids)
                } else {
                    kind = .activity
                    process.hidden.formUnion(Self.ids(inside: element))
                }
            } else if let gateway = Self.gateways[element.name] {
                kind = .gateway(gateway)
            } else if element.name == "startEvent" {
                kind = .start
            } else if element.name == "endEvent" {
                kind = .end
            } else if element.name == "boundaryEvent" {
                kind = .boundary(attachedTo: element["attachedToRef"] ?? "")
            } else if element.name == "intermediateCatchEvent" || element.name == "intermediateThrowEvent" {
                kind = .intermediate(wait: Self.timerWait(element))
            } else if element.name == "sequenceFlow" {
                let condition = element.child("conditionExpression", in: BPMNNamespace.model)?.text ?? ""
                process.flows.append(SequenceFlow(id: id, source: element["sourceRef"] ?? "",
                                                  target: element["targetRef"] ?? "", name: name,
                                                  condition: BPMNText.folded(condition), line: element.line,
                                                  probability: MasarExtension.probability(element)))
            }
            if let kind {
                process.nodes.append(FlowNode(id: id, element: element.name, kind: kind, name: name,
                                              line: element.line, parent: parent, defaultFlow: element["default"],
                                              titles: MasarExtension.stepTitles(element),
                                              figures: kind == .activity ? MasarExtension.figures(element) : nil,
                                              pool: process.pool,
                                              link: element.child("linkEventDefinition", in: BPMNNamespace.model)
                                                  .map { BPMNText.folded($0["name"] ?? "") }.map { $0.isEmpty ? name : $0 },
                                              processID: process.id))
            }
        }
    }

    static func isFlowNode(_ element: XMLNode) -> Bool {
        element.namespace == BPMNNamespace.model
            && (activities.contains(element.name) || subprocesses.contains(element.name)
                || gateways[element.name] != nil || events.contains(element.name))
    }

    private static func ids(inside element: XMLNode) -> Set<String> {
        var ids: Set<String> = []
        for child in element.children {
            if let id = child["id"] { ids.insert(id) }
            ids.formUnion(Self.ids(inside: child))
        }
        return ids
    }

    /// The duration of a timer event's `timeDuration`, when it has one that reads as ISO 8601.
    private static func timerWait(_ event: XMLNode) -> Minutes? {
        guard let timer = event.child("timerEventDefinition", in: BPMNNamespace.model),
              let duration = timer.child("timeDuration", in: BPMNNamespace.model)
        else { return nil }
        return ISODuration.minutes(duration.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private static func lane(_ element: XMLNode) -> Lane {
        let refs = element.children("flowNodeRef", in: BPMNNamespace.model)
            .map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
        let children = element.children("childLaneSet", in: BPMNNamespace.model)
            .flatMap { $0.children("lane", in: BPMNNamespace.model) }.map(lane)
        return Lane(id: element["id"] ?? "", name: BPMNText.folded(element["name"] ?? ""), nodes: Set(refs),
                    children: children)
    }
}
