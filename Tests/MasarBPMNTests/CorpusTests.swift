import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MasarCore
import Testing
@testable import MasarBPMN

/// The 21 BPMN MIWG reference models, written by other tools: each imports into maps that
/// validate and keep the model's flow, or is refused with the reason written here by hand.
@Suite struct CorpusTests {
    static let folder = Bundle.module.url(forResource: "Corpus/bpmn-miwg-reference", withExtension: nil)!
    static let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path))!
        .filter { $0.hasSuffix(".bpmn") }.sorted()

    /// Processes refused, by file, with the words their reason must hold.
    static let refusals: [String: [String]] = [
        "B.2.0.bpmn": ["process 'Pool' begins at 2 tasks ('Task 11', 'Task 25')"],
        "C.6.0.bpmn": ["process 'Simple Travel Booking' has an event subprocess 'Handle Compensation'"],
        "C.9.0.bpmn": ["process 'Customer Onboarding' has an event subprocess"],
        "C.9.2.bpmn": ["process 'Manual Check' has an event subprocess"],
    ]

    /// With `--join-pools`, collaborations whose pools start apart are refused as one map.
    static let joinedRefusals: [String: [String]] = [
        "B.1.0.bpmn": ["process 'B.1.0' begins at 3 tasks", "import them without --join-pools"],
        "B.2.0.bpmn": ["process 'B.2.0' begins at 4 tasks"],
        "C.4.0.bpmn": ["process 'C.4.0' begins at 4 tasks"],
        "C.5.0.bpmn": ["process 'C.5.0' begins at 2 tasks ('Interview customer', 'Check if group of connected clients exists')"],
        "C.6.0.bpmn": refusals["C.6.0.bpmn"]!,
        "C.9.0.bpmn": refusals["C.9.0.bpmn"]!,
        "C.9.2.bpmn": refusals["C.9.2.bpmn"]!,
    ]

    @Test func theCorpusHasAllTwentyOneModels() {
        #expect(Self.files.count == 21)
    }

    @Test(arguments: files)
    func eachModelImportsFaithfullyOrIsRefusedByName(_ file: String) throws {
        try check(file, joinPools: false, refusals: (Self.refusals[file] ?? []).map { [$0] })
    }

    /// Pools read as one: message flows become handoffs, and the reference walk follows them too.
    @Test(arguments: files)
    func eachModelWithItsPoolsJoinedImportsFaithfullyOrIsRefusedByName(_ file: String) throws {
        try check(file, joinPools: true, refusals: Self.joinedRefusals[file].map { [$0] } ?? [])
    }

    private func check(_ file: String, joinPools: Bool, refusals expected: [[String]]) throws {
        let path = Self.folder.appendingPathComponent(file).path
        let result = BPMNImport.read(files: [path], joinPools: joinPools)[0]
        #expect(result.refused.count == expected.count, "\(file): \(result.refused)")
        for (refusal, words) in zip(result.refused, expected) {
            #expect(refusal.description.hasPrefix("\(file):"))
            for word in words { #expect(refusal.message.contains(word), "\(refusal)") }
        }

        let model = try ReferenceModel(contentsOf: path)
        #expect(!result.imported.isEmpty || !result.refused.isEmpty, "\(file) gave neither maps nor reasons")
        let processes = joinPools && model.processes.count { !$0.edges.isEmpty || !$0.taskLike.isEmpty } > 1
            ? [model.joined] : model.processes
        for imported in result.imported {
            let process = try #require(processes.first { $0.id == imported.processID })
            // The map passes the loader's own rules, read back from the YAML written.
            let map = try MapLoader.parseService(imported.yaml, file: imported.map.id + ".yaml")
            // One step per task-like element, plus an end step for each end a task can reach
            // besides going on; each of those stands for an end event of the model.
            #expect(map.current.steps.count == process.taskLike.count + imported.outcomes.count, "\(file) \(process.id)")
            let fromTasks = imported.sources.filter { !imported.outcomes.contains($0.key) }
            #expect(Set(fromTasks.values) == process.taskLike, "\(file) \(process.id)")
            for outcome in imported.outcomes {
                #expect(map.current.step(outcome)?.isEnd == true)
                #expect(process.ends.contains(imported.sources[outcome] ?? ""), "\(file): \(outcome) stands for no end")
            }
            checkReachability(imported: imported, map: map, process: process, file: file)
            // Without parallel splits (and with each pool its own map) the map keeps BPMN's
            // flow exactly: each task's next tasks, and whether it can end the process.
            if !joinPools && process.parallelGateways.isEmpty {
                checkDirectFlow(imported: imported, map: map, process: process, file: file)
            }
        }
    }

    /// For every pair of tasks, B is reachable from A in the map exactly when it is in BPMN —
    /// except that branches of a parallel split, which the import runs one after another, now
    /// reach each other: each extra pair must lie on two different branches of one split.
    private func checkReachability(imported: BPMNImport.ImportedProcess, map: ServiceMap,
                                   process: ReferenceModel.Process, file: String) {
        let stepOf = Dictionary(uniqueKeysWithValues: imported.sources.filter { !imported.outcomes.contains($0.key) }.map { ($1, $0) })
        guard Set(stepOf.keys) == process.taskLike else { return }
        let mapReach = reachability(map.current)
        let branches = process.parallelGateways.map(process.branches(of:))
        for a in process.taskLike {
            let inBPMN = process.reachable(from: a).intersection(process.taskLike)
            let inMap = Set(process.taskLike.filter { mapReach[stepOf[a]!]!.contains(stepOf[$0]!) })
            #expect(inBPMN.isSubset(of: inMap), "\(file) \(process.id): from \(a) lost \(inBPMN.subtracting(inMap))")
            for b in inMap.subtracting(inBPMN) {
                let concurrent = branches.contains { sides in
                    sides.indices.contains { i in
                        sides.indices.contains { j in i != j && sides[i].contains(a) && sides[j].contains(b) }
                    }
                }
                #expect(concurrent, "\(file) \(process.id): \(a) → \(b) is in the map only, and not across a parallel split")
            }
        }
    }

    private func checkDirectFlow(imported: BPMNImport.ImportedProcess, map: ServiceMap,
                                 process: ReferenceModel.Process, file: String) {
        let stepOf = Dictionary(uniqueKeysWithValues: imported.sources.map { ($1, $0) })
        for task in process.taskLike {
            guard let step = stepOf[task].flatMap(map.current.step) else { continue }
            let (following, canEnd) = process.directlyFollowing(task)
            let next = step.next.map(\.to)
            let tasks = Set(next.filter { !imported.outcomes.contains($0) }.compactMap { imported.sources[$0] })
            #expect(tasks == following, "\(file) \(process.id): after \(task)")
            #expect((step.isEnd || next.contains { imported.outcomes.contains($0) }) == canEnd, "\(file) \(process.id): \(task) ending")
        }
    }

    /// Steps reachable from each step by one or more `next` edges.
    private func reachability(_ path: ServicePath) -> [String: Set<String>] {
        var result: [String: Set<String>] = [:]
        let next = Dictionary(uniqueKeysWithValues: path.steps.map { ($0.id, $0.next.map(\.to)) })
        for step in path.steps {
            var seen: Set<String> = []
            var stack = next[step.id]!
            while let id = stack.popLast() {
                if seen.insert(id).inserted { stack += next[id]! }
            }
            result[step.id] = seen
        }
        return result
    }
}

/// The test's own reading of a BPMN file: flow nodes, sequence flows, boundary events and
/// subprocesses, walked as BPMN defines them, independent of the importer.
struct ReferenceModel {
    static let model = "http://www.omg.org/spec/BPMN/20100524/MODEL"
    static let tasks: Set<String> = ["task", "userTask", "serviceTask", "sendTask", "receiveTask", "manualTask",
                                     "businessRuleTask", "scriptTask", "callActivity"]
    static let flowNodes: Set<String> = tasks.union([
        "subProcess", "transaction", "adHocSubProcess", "startEvent", "endEvent", "intermediateCatchEvent",
        "intermediateThrowEvent", "boundaryEvent", "exclusiveGateway", "inclusiveGateway", "parallelGateway",
        "eventBasedGateway", "complexGateway",
    ])

    struct Process {
        var id: String
        var taskLike: Set<String> = []
        /// End events, and nodes no flow leaves: where an added end step may come from.
        var ends: Set<String> = []
        var parallelGateways: [String] = []
        var edges: [String: [String]] = [:]
        /// Expanded subprocesses, whose outgoing flows leave from `id/out`.
        var expanded: Set<String> = []
        /// The subprocess each node sits in, and boundary events by the node they are attached to.
        var parent: [String: String] = [:]
        var boundaries: [(host: String, event: String)] = []

        /// A boundary event can fire while its task runs — on a subprocess, while any task
        /// inside it runs (or, with none inside, as it finishes).
        mutating func attachBoundaries() {
            for (host, event) in boundaries {
                guard expanded.contains(host) else {
                    edges[host, default: []].append(event)
                    continue
                }
                let inside = taskLike.filter { task in
                    var scope = parent[task]
                    while let current = scope, current != host { scope = parent[current] }
                    return scope == host
                }
                for task in inside.isEmpty ? [host + "/out"] : Array(inside) { edges[task, default: []].append(event) }
            }
        }

        /// The tasks a task leads to without passing another, and whether it can reach an end
        /// (a node no flow leaves) on the way.
        func directlyFollowing(_ task: String) -> (tasks: Set<String>, canEnd: Bool) {
            var tasks: Set<String> = []
            var canEnd = edges[task, default: []].isEmpty
            var seen: Set<String> = [task]
            var stack = edges[task, default: []]
            while let id = stack.popLast() {
                if taskLike.contains(id) {
                    tasks.insert(id)
                    continue
                }
                guard seen.insert(id).inserted else { continue }
                if edges[id, default: []].isEmpty { canEnd = true }
                stack += edges[id, default: []]
            }
            return (tasks, canEnd)
        }

        /// What each branch of a parallel split reaches before the branches meet.
        func branches(of gateway: String) -> [Set<String>] {
            let sides = edges[gateway, default: []].map { reachable(from: $0).union([$0]) }
            let shared = sides.dropFirst().reduce(sides.first ?? []) { $0.intersection($1) }
            return sides.map { $0.subtracting(shared) }
        }

        func reachable(from start: String) -> Set<String> {
            var seen: Set<String> = []
            var stack = edges[start, default: []]
            while let id = stack.popLast() {
                if seen.insert(id).inserted { stack += edges[id, default: []] }
            }
            return seen
        }
    }

    var processes: [Process] = []
    var messages: [(source: String, target: String)] = []

    /// Every process as one, message flows as edges (for pools read as one).
    var joined: Process {
        let parts = processes.filter { !$0.edges.isEmpty || !$0.taskLike.isEmpty }
        var joined = Process(id: parts.map(\.id).joined(separator: "+"))
        for part in parts {
            joined.taskLike.formUnion(part.taskLike)
            joined.ends.formUnion(part.ends)
            joined.parallelGateways += part.parallelGateways
            joined.edges.merge(part.edges) { $0 + $1 }
            joined.parent.merge(part.parent) { first, _ in first }
            joined.expanded.formUnion(part.expanded)
        }
        for message in messages {
            let from = joined.expanded.contains(message.source) ? message.source + "/out" : message.source
            joined.edges[from, default: []].append(message.target)
        }
        return joined
    }

    init(contentsOf path: String) throws {
        let reader = ElementReader()
        let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        #expect(parser.parse(), "the test's own reading of \(path) failed")
        let collapsed = Set(reader.collapsed)
        for collaboration in reader.root!.children where collaboration.name == "collaboration" {
            for flow in collaboration.children where flow.name == "messageFlow" {
                messages.append((flow.attributes["sourceRef"]!, flow.attributes["targetRef"]!))
            }
        }
        for process in reader.root!.children where process.name == "process" && process.namespace == Self.model {
            var model = Process(id: process.attributes["id"]!)
            model.add(process, scope: nil, collapsed: collapsed)
            model.attachBoundaries()
            processes.append(model)
        }
    }
}

extension ReferenceModel.Process {
    /// Adds a scope's nodes and flows: an expanded subprocess leads to where its content starts,
    /// and its content's ends lead on to where the subprocess goes.
    mutating func add(_ scope: ReferenceModel.Element, scope id: String?, collapsed: Set<String>) {
        let nodes = scope.children.filter { ReferenceModel.flowNodes.contains($0.name) && $0.namespace == ReferenceModel.model }
        let flows = scope.children.filter { $0.name == "sequenceFlow" }
        let leaves = { (node: String) -> String in
            let element = nodes.first { $0.attributes["id"] == node }
            return element.map { ReferenceModel.isExpanded($0, collapsed: collapsed) } == true ? node + "/out" : node
        }
        for flow in flows {
            edges[leaves(flow.attributes["sourceRef"]!), default: []].append(flow.attributes["targetRef"]!)
        }
        for node in nodes {
            let nodeID = node.attributes["id"]!
            if ReferenceModel.tasks.contains(node.name)
                || (node.name.hasSuffix("ubProcess") || node.name == "transaction") && !ReferenceModel.isExpanded(node, collapsed: collapsed)
                && node.attributes["triggeredByEvent"] != "true" {
                taskLike.insert(nodeID)
            }
            if node.name == "intermediateCatchEvent",
               let timer = node.children.first(where: { $0.name == "timerEventDefinition" }),
               timer.children.contains(where: { $0.name == "timeDuration" && $0.text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("P") }) {
                taskLike.insert(nodeID)
            }
            if node.name == "parallelGateway" { parallelGateways.append(nodeID) }
            // Several unconditioned flows leaving an activity are a parallel split in BPMN.
            let leaving = flows.filter { $0.attributes["sourceRef"] == nodeID }
            if ReferenceModel.tasks.contains(node.name), leaving.count > 1, node.attributes["default"] == nil,
               !leaving.contains(where: { flow in flow.children.contains { $0.name == "conditionExpression" } }) {
                parallelGateways.append(nodeID)
            }
            if node.name == "endEvent" || !flows.contains(where: { $0.attributes["sourceRef"] == nodeID }) { ends.insert(nodeID) }
            // A throwing link event goes on at the catching one of the same name.
            if node.name == "intermediateThrowEvent",
               let link = node.children.first(where: { $0.name == "linkEventDefinition" })?.attributes["name"] {
                for target in nodes where target.name == "intermediateCatchEvent"
                    && target.children.first(where: { $0.name == "linkEventDefinition" })?.attributes["name"] == link {
                    edges[nodeID, default: []].append(target.attributes["id"]!)
                }
            }
            if node.name == "boundaryEvent", let host = node.attributes["attachedToRef"] {
                boundaries.append((host, nodeID))
            }
            parent[nodeID] = id
            if ReferenceModel.isExpanded(node, collapsed: collapsed) && node.attributes["triggeredByEvent"] != "true" {
                expanded.insert(nodeID)
                add(node, scope: nodeID, collapsed: collapsed)
                let inner = node.children.filter { ReferenceModel.flowNodes.contains($0.name) }
                let innerFlows = node.children.filter { $0.name == "sequenceFlow" }
                let targets = Set(innerFlows.compactMap { $0.attributes["targetRef"] })
                let sources = Set(innerFlows.compactMap { $0.attributes["sourceRef"] })
                let starts = inner.filter { $0.name == "startEvent" }
                let entries = starts.isEmpty
                    ? inner.filter { !targets.contains($0.attributes["id"]!) && $0.name != "boundaryEvent" } : starts
                edges[nodeID, default: []] += entries.map { $0.attributes["id"]! }
                for end in inner where end.name == "endEvent" || !sources.contains(end.attributes["id"]!) {
                    let endID = end.attributes["id"]!
                    let from = ReferenceModel.isExpanded(end, collapsed: collapsed) ? endID + "/out" : endID
                    edges[from, default: []].append(nodeID + "/out")
                }
            }
        }
    }
}

extension ReferenceModel {
    final class Element {
        let name: String
        let namespace: String
        let attributes: [String: String]
        var children: [Element] = []
        var text = ""

        init(name: String, namespace: String, attributes: [String: String]) {
            self.name = name
            self.namespace = namespace
            self.attributes = attributes
        }
    }

    /// A subprocess with flow nodes inside that no diagram draws collapsed.
    static func isExpanded(_ element: Element, collapsed: Set<String>) -> Bool {
        ["subProcess", "transaction", "adHocSubProcess"].contains(element.name)
            && element.children.contains { flowNodes.contains($0.name) }
            && !collapsed.contains(element.attributes["id"] ?? "")
    }

    final class ElementReader: NSObject, XMLParserDelegate {
        var root: Element?
        var stack: [Element] = []
        var collapsed: [String] = []

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let element = Element(name: name, namespace: namespaceURI ?? "", attributes: attributes)
            if name == "BPMNShape", attributes["isExpanded"] == "false", let id = attributes["bpmnElement"] {
                collapsed.append(id)
            }
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.text += string
        }
    }
}
