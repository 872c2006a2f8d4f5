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
                    throw BPMNFailure(line: flow.line, message: "sequence flow '\(flow.id)' has no \(role)")
                }
                if nodes[end] == nil && !process.hidden.contains(end) {
                    throw BPMNFailure(line: flow.line, message:
                        "sequence flow '\(flow.id)' points to '\(end)', which is nowhere in process '\(process.displayName)'")
                }
            }
            guard nodes[flow.source] != nil, nodes[flow.target] != nil else { continue }
            let label = flow.name.isEmpty ? flow.condition : flow.name
            links[leaving(flow.source), default: []].append(Link(
                to: flow.target, label: label.isEmpty ? nil : label,
                isDefault: nodes[flow.source]?.defaultFlow == flow.id, probability: flow.probability))
        }
        for message in messages where nodes[message.source] != nil && nodes[message.target] != nil {
            links[leaving(message.source), default: []].append(Link(
                to: message.target, label: message.name.isEmpty ? nil : message.name, isMessage: true))
            messaged.insert(message.target)
        }
        for node in process.nodes {
            if case .boundary(let host) = node.kind {
                guard !host.isEmpty else {
                    throw BPMNFailure(line: node.line, message: "boundary event '\(node.id)' has no attachedToRef")
                }
                guard nodes[host] != nil else {
                    throw BPMNFailure(line: node.line, message:
                        "boundary event '\(node.id)' is attached to '\(host)', which is nowhere in process '\(process.displayName)'")
                }
                links[host, default: []].append(Link(to: node.id))
                if subprocesses.contains(host) { links[Self.exit(host), default: []].append(Link(to: node.id)) }
            }
            // A link event is an off-page connector: the flow goes on at the catching event of that name.
            if let name = node.link, node.element == "intermediateThrowEvent" {
                for target in process.nodes where target.link == name && target.element == "intermediateCatchEvent" {
                    links[node.id, default: []].append(Link(to: target.id))
                }
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
        // A pool started by another's message is entered through that message, not on its own.
        starts = entries(of: members[""] ?? [], targets: targets).filter { !messaged.contains($0) }
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

    /// Nodes reachable from `start` by one link or more, not going past `stop`.
    private func reachable(from start: String, stoppingAt stop: String?) throws(BPMNFailure) -> Set<String> {
        try Reachability.reachable(from: [start], budget: budget) { id in
            outgoing(id).map(\.to).filter { $0 != stop }
        }
    }

    // MARK: - Parallel flow

    /// Makes each parallel split's branches run one after the other: the first branch, where it
    /// would reach the place all branches meet (the join), goes on to the second, and so on;
    /// the last reaches the join. Branches that never meet go on from their ends instead. A
    /// branch without a step adds nothing once the others run in turn, and is dropped.
    mutating func serialiseParallelSplits() throws(BPMNFailure) {
        for id in order {
            guard let gateway = nodes[id], gateway.kind == .gateway(.parallel) else { continue }
            let branches = links[id, default: []].map(\.to)
            guard branches.count > 1 else { continue }
            let join = try self.join(of: branches)
            var real: [(start: String, region: Set<String>)] = []
            for branch in branches where branch != join {
                var region = try reachable(from: branch, stoppingAt: join).union([branch])
                if let join { region.remove(join) }
                if region.contains(where: { nodes[$0]?.kind.isStep == true }) { real.append((branch, region)) }
            }
            guard let first = real.first else { continue }
            links[id] = [Link(to: first.start)]
            guard real.count > 1 else { continue }
            for index in real.indices.dropLast() {
                let following = real[index + 1].start
                // Only what this branch alone reaches is rewired, so no branch loops back on itself.
                let later = real[(index + 1)...].reduce(into: Set<String>()) { $0.formUnion($1.region) }
                for member in real[index].region where !later.contains(member) {
                    if let join {
                        for position in links[member, default: []].indices where links[member]![position].to == join {
                            links[member]![position].to = following
                        }
                    } else if nodes[member]?.kind == .end || links[member, default: []].isEmpty {
                        links[member, default: []].append(Link(to: following))
                    }
                }
            }
            serialised.append((gateway, real.map(\.start)))
        }
    }

    /// Where the branches first meet: usually the parallel join, though models also meet at a
    /// merging gateway, a task or a shared end. The branches are walked breadth first side by
    /// side, so finding a join costs what lies before it, not everything downstream.
    private func join(of branches: [String]) throws(BPMNFailure) -> String? {
        var reachedBy: [String: Set<Int>] = [:]
        for (index, branch) in branches.enumerated() { reachedBy[branch, default: []].insert(index) }
        if let met = branches.first(where: { reachedBy[$0]!.count == branches.count }) { return met }
        var frontiers = branches.map { [$0] }
        while frontiers.contains(where: { !$0.isEmpty }) {
            for index in branches.indices {
                var next: [String] = []
                for id in frontiers[index] {
                    for link in outgoing(id) where reachedBy[link.to, default: []].insert(index).inserted {
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
            var label = path.label ?? link.label
            if label == nil, let node, !node.name.isEmpty, Self.namesABranch(node.kind) { label = node.name }
            let next = Successors.Edge(to: link.to, label: label, isDefault: path.isDefault || link.isDefault,
                                       isHandoff: path.isHandoff || link.isMessage,
                                       probability: path.probability ?? link.probability)
            if node?.kind.isStep == true {
                if reached.insert(link.to).inserted { result.edges.append(next) }
            } else if seen.insert(link.to).inserted {
                let leaving = outgoing(link.to)
                if leaving.isEmpty && reached.insert(link.to).inserted { result.ends.append(next) }
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
        let unprompted = found.filter { !messaged.contains($0) }
        return unprompted.isEmpty ? found : unprompted
    }
}

/// A bound on the work of reading one process, so hostile files fail fast rather than slowly.
final class WorkBudget {
    /// Link traversals: a model of thousands of elements with dozens of parallel splits needs
    /// a fraction of this; a file built to explode the walks stops here in about a second.
    static let standard = 2_000_000
    private var left: Int

    init(_ limit: Int = WorkBudget.standard) {
        left = limit
    }

    func spend() throws(BPMNFailure) {
        left -= 1
        if left < 0 {
            throw BPMNFailure(line: 1, message:
                "the flow is too tangled to read within Masar's limits; split the model into smaller processes")
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
