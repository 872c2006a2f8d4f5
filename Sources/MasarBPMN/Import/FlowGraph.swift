/// A process's flow as one directed graph over its nodes: sequence flows, boundary events hung
/// on their activities, link events joined to their targets, and expanded subprocesses opened
/// up in place. Steps are then read off it by walking from each step through everything that
/// is not one.
///
/// Every walk draws on one `WorkBudget`, so a file built to make the walks explode is refused
/// after a bounded amount of work instead of running for minutes.
struct FlowGraph {
    struct Link: Equatable {
        var to: String
        /// The flow's name, or else its condition.
        var label: String?
        var isDefault = false
        /// A message flow to another pool: a handoff.
        var isMessage = false
        var probability: Double?
    }

    private(set) var nodes: [String: FlowNode] = [:]
    private(set) var order: [String] = []
    private(set) var links: [String: [Link]] = [:]
    /// Entry nodes of the process's top level.
    private(set) var starts: [String] = []
    /// Nodes a message flow leads to, when pools are read as one.
    private(set) var messaged: Set<String> = []
    /// Parallel splits made sequential, for the warning that names them.
    private(set) var serialised: [(gateway: FlowNode, branches: [String])] = []
    let budget: WorkBudget

    /// Where a node's outgoing flows leave from: an expanded subprocess leaves from its exit.
    private static func exit(_ id: String) -> String { id + "#exit" }

    /// `messages` are the message flows to follow as handoffs, when pools are read as one.
    init(_ process: ProcessModel, messages: [MessageFlow] = [], budget: WorkBudget = WorkBudget()) throws(BPMNFailure) {
        self.budget = budget
        for node in process.nodes {
            nodes[node.id] = node
            order.append(node.id)
        }
        let subprocesses = Set(process.nodes.filter { $0.kind == .expandedSubprocess }.map(\.id))
        let leaving = { (id: String) in subprocesses.contains(id) ? Self.exit(id) : id }
        for flow in process.flows where !process.hidden.contains(flow.id) {
            for (end, role) in [(flow.source, "sourceRef"), (flow.target, "targetRef")] {
                if end.isEmpty {
                    throw BPMNFailure(line: flow.line, message: "sequence flow '\(flow.id)' has no \(role)",
                                      arabic: "التدفق التسلسلي (sequence flow) '\(flow.id)' ليس له \(role)")
                }
                if nodes[end] == nil && !process.hidden.contains(end) {
                    throw BPMNFailure(line: flow.line, message:
                        "sequence flow '\(flow.id)' points to '\(end)', which is nowhere in process '\(process.displayName)'",
                        arabic: "التدفق التسلسلي (sequence flow) '\(flow.id)' يشير إلى '\(end)'، ولا وجود له في العملية '\(process.displayName)'")
                }
            }
            guard nodes[flow.source] != nil, nodes[flow.target] != nil else { continue }
            let label = flow.name.isEmpty ? flow.condition : flow.name
            links[leaving(flow.source), default: []].append(Link(
                to: flow.target, label: label.isEmpty ? nil : label,
                isDefault: nodes[flow.source]?.defaultFlow == flow.id, probability: flow.probability))
        }
        forkUncontrolledFlows(process)
        for message in messages where nodes[message.source] != nil && nodes[message.target] != nil {
            links[leaving(message.source), default: []].append(Link(
                to: message.target, label: message.name.isEmpty ? nil : message.name, isMessage: true))
            messaged.insert(message.target)
        }
        for node in process.nodes {
            if case .boundary(let host) = node.kind {
                guard !host.isEmpty else {
                    throw BPMNFailure(line: node.line, message: "boundary event '\(node.id)' has no attachedToRef",
                                      arabic: "الحدث الحدّي (boundary event) '\(node.id)' ليس له attachedToRef")
                }
                guard nodes[host] != nil else {
                    throw BPMNFailure(line: node.line, message:
                        "boundary event '\(node.id)' is attached to '\(host)', which is nowhere in process '\(process.displayName)'",
                        arabic: "الحدث الحدّي (boundary event) '\(node.id)' مربوط بـ'\(host)'، ولا وجود له في العملية '\(process.displayName)'")
                }
                // On a subprocess it can fire during any step inside; on a task, during that task.
                let during = subprocesses.contains(host) ? steps(inside: host) : [host]
                for step in during.isEmpty ? [Self.exit(host)] : during {
                    links[step, default: []].append(Link(to: node.id))
                }
            }
            // A link event is an off-page connector: the flow goes on at the catching event of
            // that name in the same process and scope.
            if let name = node.link, node.element == "intermediateThrowEvent" {
                let pairs = process.nodes.filter {
                    $0.link == name && $0.element == "intermediateCatchEvent" && $0.processID == node.processID
                        && $0.parent == node.parent
                }
                guard !name.isEmpty, !pairs.isEmpty else {
                    throw BPMNFailure(line: node.line, message:
                        "link event '\(name.isEmpty ? node.id : name)' has no catching link event of that name to go on at",
                        arabic: "حدث الربط (link event) '\(name.isEmpty ? node.id : name)' ليس له حدث ربط مستقبِل بالاسم نفسه يستمر التدفق عنده")
                }
                for target in pairs { links[node.id, default: []].append(Link(to: target.id)) }
            }
        }
        let members = Dictionary(grouping: order) { nodes[$0]?.parent ?? "" }
        let targets = Set(links.values.flatMap { $0.map(\.to) })
        for subprocess in subprocesses {
            for entry in entries(of: members[subprocess] ?? [], targets: targets) {
                links[subprocess, default: []].append(Link(to: entry))
            }
            for node in members[subprocess] ?? [] where isExit(node) {
                links[node, default: []].append(Link(to: Self.exit(subprocess)))
            }
        }
        starts = entries(of: members[""] ?? [], targets: targets)
    }

    /// The steps inside an expanded subprocess, at any depth.
    private func steps(inside subprocess: String) -> [String] {
        order.filter { id in
            guard nodes[id]?.kind.isStep == true else { return false }
            var parent = nodes[id]?.parent
            while let current = parent, current != subprocess { parent = nodes[current]?.parent }
            return parent == subprocess
        }
    }

    /// BPMN runs every unconditioned flow that leaves an activity: several of them are a
    /// parallel split without the gateway, so one is put in, for `serialiseParallelSplits`.
    private mutating func forkUncontrolledFlows(_ process: ProcessModel) {
        let conditioned = Set(process.flows.filter { !$0.condition.isEmpty }.map(\.source))
        for id in order {
            guard let node = nodes[id], node.kind.isStep, node.defaultFlow == nil, !conditioned.contains(id),
                  let leaving = links[id], leaving.count > 1
            else { continue }
            let fork = id + "#fork"
            nodes[fork] = FlowNode(id: fork, element: "implicitFork", kind: .gateway(.parallel), name: node.name,
                                   line: node.line, parent: node.parent, processID: node.processID)
            order.append(fork)
            links[fork] = leaving
            links[id] = [Link(to: fork)]
        }
    }

    /// Where a scope's content (the process's, or a subprocess's) begins: its start events, or
    /// without any, what no flow leads to.
    private func entries(of members: [String], targets: Set<String>) -> [String] {
        let startEvents = members.filter { nodes[$0]?.kind == .start }
        if !startEvents.isEmpty { return startEvents }
        return members.filter { id in
            guard let kind = nodes[id]?.kind else { return false }
            if case .boundary = kind { return false }
            return kind != .eventSubprocess && !targets.contains(id)
        }
    }

    /// A node that finishes its scope: an end event, or a node no flow leaves.
    private func isExit(_ id: String) -> Bool {
        guard let node = nodes[id] else { return false }
        if node.kind == .end { return true }
        let from = node.kind == .expandedSubprocess ? Self.exit(id) : id
        return links[from, default: []].isEmpty && node.kind != .eventSubprocess
    }

    /// The links that leave a node (an expanded subprocess's outgoing flows leave from its exit).
    func outgoing(_ id: String) -> [Link] {
        links[id, default: []]
    }

    /// Nodes reachable from `start` by one link or more, not going past `stop` nor `avoiding`.
    private func reachable(from start: String, stoppingAt stop: String?, avoiding: String) throws(BPMNFailure) -> Set<String> {
        try Reachability.reachable(from: [start], budget: budget) { id in
            outgoing(id).map(\.to).filter { $0 != stop && $0 != avoiding }
        }
    }

    // MARK: - Parallel flow

    /// Makes each parallel split's branches run one after the other: where the first branch
    /// would leave its own part of the flow (for the join, or for a part it shares with a later
    /// branch), it goes on to the second branch instead, and so on; the last keeps its way to
    /// the join. Branches that never meet go on from their ends. A branch without a step adds
    /// nothing once the others run in turn, and is dropped. Every step reachable before must
    /// stay reachable after, or the process is refused.
    mutating func serialiseParallelSplits() throws(BPMNFailure) {
        let before = try reachableSteps()
        for id in order {
            guard let gateway = nodes[id], gateway.kind == .gateway(.parallel) else { continue }
            let branches = links[id, default: []].map(\.to)
            guard branches.count > 1 else { continue }
            let join = try self.join(of: branches, splitAt: id)
            var real: [(start: String, region: Set<String>)] = []
            for branch in branches where branch != join {
                var region = try reachable(from: branch, stoppingAt: join, avoiding: id).union([branch])
                if let join { region.remove(join) }
                if region.contains(where: { nodes[$0]?.kind.isStep == true }) { real.append((branch, region)) }
            }
            guard let first = real.first else { continue }
            links[id] = [Link(to: first.start)]
            guard real.count > 1 else { continue }
            for index in real.indices.dropLast() {
                let following = real[index + 1].start
                let later = real[(index + 1)...].reduce(into: Set<String>()) { $0.formUnion($1.region) }
                let own = real[index].region.subtracting(later)
                for member in own {
                    let leaving = links[member, default: []]
                    if leaving.isEmpty || nodes[member]?.kind == .end {
                        if join == nil { links[member, default: []].append(Link(to: following)) }
                        continue
                    }
                    for position in leaving.indices where leaving[position].to == join || later.contains(leaving[position].to) {
                        links[member]![position].to = following
                    }
                }
            }
            serialised.append((gateway, real.map(\.start)))
        }
        let after = try reachableSteps()
        if let lost = order.first(where: { before.contains($0) && !after.contains($0) }), let node = nodes[lost] {
            let named = node.name.isEmpty ? node.id : node.name
            throw BPMNFailure(line: node.line, message:
                "'\(named)' is lost when the parallel branches around it are put in sequence; the branches split and join in a way Masar cannot follow — simplify the parallel block",
                arabic: "تضيع الخطوة '\(named)' حين تُجعل الفروع المتوازية حولها متتابعة؛ فالفروع تتفرع وتلتقي بطريقة لا يستطيع «مسار» تتبّعها — بسّط الكتلة المتوازية")
        }
    }

    /// Steps reachable from the process's starts.
    private func reachableSteps() throws(BPMNFailure) -> Set<String> {
        try Reachability.reachable(from: starts, budget: budget) { outgoing($0).map(\.to) }
            .union(starts).filter { nodes[$0]?.kind.isStep == true }
    }

    /// Where the branches first meet: usually the parallel join, though models also meet at a
    /// merging gateway, a task or a shared end. The branches are walked breadth first side by
    /// side, never back through their own split, so finding a join costs what lies before it.
    private func join(of branches: [String], splitAt split: String) throws(BPMNFailure) -> String? {
        var reachedBy: [String: Set<Int>] = [:]
        for (index, branch) in branches.enumerated() { reachedBy[branch, default: []].insert(index) }
        if let met = branches.first(where: { reachedBy[$0]!.count == branches.count }) { return met }
        var frontiers = branches.map { [$0] }
        while frontiers.contains(where: { !$0.isEmpty }) {
            for index in branches.indices {
                var next: [String] = []
                for id in frontiers[index] {
                    for link in outgoing(id) where link.to != split && reachedBy[link.to, default: []].insert(index).inserted {
                        try budget.spend()
                        if reachedBy[link.to]!.count == branches.count { return link.to }
                        next.append(link.to)
                    }
                }
                frontiers[index] = next
            }
        }
        return nil
    }

    // MARK: - Steps

    /// Where a step leads, walking through gateways and events: the next steps, and the ends
    /// (end events, or dead ends) reachable without passing another step. An end event that
    /// sends a message on is no end when the pools are read as one.
    struct Successors {
        struct Edge {
            var to: String
            var label: String?
            var isDefault: Bool
            var isHandoff: Bool
            var probability: Double?
        }

        var edges: [Edge] = []
        var ends: [Edge] = []
    }

    func successors(of id: String) throws(BPMNFailure) -> Successors {
        var result = Successors()
        var seen: Set<String> = [id]
        var reached: Set<String> = []
        // Depth first, in the file's order, as a stack of frames rather than recursion (a
        // chain of thousands of gateways must not overflow the stack). Each path carries its
        // first label, default flag, handoff and probability.
        typealias Frame = (path: Successors.Edge, links: [Link], next: Int)
        var stack: [Frame] = [(Successors.Edge(to: id, label: nil, isDefault: false, isHandoff: false, probability: nil),
                               outgoing(id), 0)]
        while let top = stack.indices.last {
            guard stack[top].next < stack[top].links.count else {
                stack.removeLast()
                continue
            }
            let path = stack[top].path
            let link = stack[top].links[stack[top].next]
            stack[top].next += 1
            try budget.spend()
            let node = nodes[link.to]
            // Labels along the way are joined ("valid · paid"); an event names a hop without one.
            var hop = link.label
            if hop == nil, let node, !node.name.isEmpty, Self.namesABranch(node.kind) { hop = node.name }
            let label = [path.label, hop].compactMap { $0 }.joined(separator: " · ")
            let next = Successors.Edge(to: link.to, label: label.isEmpty ? nil : label, isDefault: link.isDefault,
                                       isHandoff: path.isHandoff || link.isMessage,
                                       probability: link.probability ?? path.probability)
            if node?.kind.isStep == true {
                if reached.insert(link.to).inserted { result.edges.append(next) }
            } else if seen.insert(link.to).inserted {
                let leaving = outgoing(link.to)
                // A subprocess's exit stands for the end event inside it that led there.
                let end = link.to.hasSuffix("#exit") ? Successors.Edge(to: path.to, label: path.label, isDefault: path.isDefault,
                                                                        isHandoff: path.isHandoff, probability: path.probability) : next
                if leaving.isEmpty && reached.insert(end.to).inserted { result.ends.append(end) }
                stack.append((next, leaving, 0))
            }
        }
        return result
    }

    /// Events met on a branch name it ("Timeout", "Invoice received") when its flow has no name.
    private static func namesABranch(_ kind: NodeKind) -> Bool {
        switch kind {
        case .boundary, .intermediate, .end: true
        default: false
        }
    }

    /// The steps a citizen can enter at: the first steps after the process's starts. A pool
    /// whose first step waits for another pool's message is entered through that message.
    func entrySteps() throws(BPMNFailure) -> [String] {
        var found: [String] = []
        for start in starts {
            if nodes[start]?.kind.isStep == true {
                if !found.contains(start) { found.append(start) }
                continue
            }
            for edge in try successors(of: start).edges where !found.contains(edge.to) { found.append(edge.to) }
        }
        var prompted: Set<String> = []
        for target in messaged {
            if nodes[target]?.kind.isStep == true { prompted.insert(target) }
            else { prompted.formUnion(try successors(of: target).edges.map(\.to)) }
        }
        let unprompted = found.filter { !prompted.contains($0) }
        return unprompted.isEmpty ? found : unprompted
    }
}

/// A bound on the work of reading one process, so hostile files fail fast rather than slowly.
final class WorkBudget {
    /// Link traversals: a model of thousands of elements with dozens of parallel splits needs
    /// a fraction of this.
    static let standard = 2_000_000
    private var left: Int
    /// The line the refusal names: the process's.
    private let line: Int

    init(_ limit: Int = WorkBudget.standard, line: Int = 1) {
        left = limit
        self.line = line
    }

    func spend() throws(BPMNFailure) {
        left -= 1
        if left < 0 {
            throw BPMNFailure(line: line, message:
                "the flow is too tangled to read within Masar's limits; split the model into smaller processes",
                arabic: "التدفق أشد تشابكًا من أن يُقرأ ضمن حدود «مسار»؛ قسّم النموذج إلى عمليات أصغر")
        }
    }
}

/// The one graph walk of the importer: what can be reached from some starts, one link or more away.
enum Reachability {
    static func reachable(from starts: [String], budget: WorkBudget,
                          next: (String) -> [String]) throws(BPMNFailure) -> Set<String> {
        var seen: Set<String> = []
        var stack = starts
        while let id = stack.popLast() {
            for target in next(id) where seen.insert(target).inserted {
                try budget.spend()
                stack.append(target)
            }
        }
        return seen
    }
}

extension ProcessModel {
    /// How messages name the process: its name, else its pool's, else its id.
    var displayName: String { !name.isEmpty ? name : pool ?? id }
}
