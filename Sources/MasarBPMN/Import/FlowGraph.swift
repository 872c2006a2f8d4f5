/// A process's flow as one directed graph over its nodes: sequence flows, boundary events hung
/// on their activities, and expanded subprocesses opened up in place. Steps are then read off
/// it by walking from each step through everything that is not one.
struct FlowGraph {
    struct Link: Equatable {
        var to: String
        /// The flow's name, or else its condition.
        var label: String?
        var isDefault: Bool
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

    /// Where a node's outgoing flows leave from: an expanded subprocess leaves from its exit.
    private static func exit(_ id: String) -> String { id + "#exit" }

    struct Failure: Error {
        var line: Int
        var message: String
    }

    /// `messages` are the message flows to follow as handoffs, when pools are read as one.
    init(_ process: ProcessModel, messages: [MessageFlow] = []) throws(Failure) {
        for node in process.nodes {
            nodes[node.id] = node
            order.append(node.id)
        }
        let subprocesses = Set(process.nodes.filter { $0.kind == .expandedSubprocess }.map(\.id))
        for flow in process.flows where !process.hidden.contains(flow.id) {
            for end in [flow.source, flow.target] where nodes[end] == nil && !process.hidden.contains(end) {
                throw Failure(line: flow.line, message:
                    "sequence flow '\(flow.id)' points to '\(end)', which is nowhere in process '\(process.displayName)'")
            }
            guard nodes[flow.source] != nil, nodes[flow.target] != nil else { continue }
            let from = subprocesses.contains(flow.source) ? Self.exit(flow.source) : flow.source
            let isDefault = nodes[flow.source]?.defaultFlow == flow.id
            let label = flow.name.isEmpty ? flow.condition : flow.name
            links[from, default: []].append(Link(to: flow.target, label: label.isEmpty ? nil : label, isDefault: isDefault,
                                                 probability: flow.probability))
        }
        for message in messages where nodes[message.source] != nil && nodes[message.target] != nil {
            let from = subprocesses.contains(message.source) ? Self.exit(message.source) : message.source
            links[from, default: []].append(Link(to: message.target, label: message.name.isEmpty ? nil : message.name,
                                                 isDefault: false, isMessage: true))
            messaged.insert(message.target)
        }
        for node in process.nodes {
            if case .boundary(let host) = node.kind {
                guard nodes[host] != nil else {
                    throw Failure(line: node.line, message:
                        "boundary event '\(node.id)' is attached to '\(host)', which is nowhere in process '\(process.displayName)'")
                }
                links[host, default: []].append(Link(to: node.id, label: nil, isDefault: false))
                if subprocesses.contains(host) {
                    links[Self.exit(host), default: []].append(Link(to: node.id, label: nil, isDefault: false))
                }
            }
        }
        for subprocess in subprocesses {
            for entry in entries(inside: subprocess) {
                links[subprocess, default: []].append(Link(to: entry, label: nil, isDefault: false))
            }
            for node in order where nodes[node]?.parent == subprocess && isExit(node) {
                links[node, default: []].append(Link(to: Self.exit(subprocess), label: nil, isDefault: false))
            }
        }
        // A pool started by another's message is entered through that message, not on its own.
        starts = entries(inside: nil).filter { !messaged.contains($0) }
    }

    /// Where the content of a scope (the process, or a subprocess) begins: its start events, or
    /// without any, what no flow leads to.
    private func entries(inside scope: String?) -> [String] {
        let members = order.filter { nodes[$0]?.parent == scope }
        let startEvents = members.filter { nodes[$0]?.kind == .start }
        if !startEvents.isEmpty { return startEvents }
        let targets = Set(links.values.flatMap { $0.map(\.to) })
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
        if case .boundary = node.kind { return links[id, default: []].isEmpty }
        let from = node.kind == .expandedSubprocess ? Self.exit(id) : id
        return links[from, default: []].isEmpty && node.kind != .eventSubprocess
    }

    // MARK: - Parallel flow

    /// Makes each parallel split's branches run one after the other: the first branch, where it
    /// would wait at the join, goes on to the second, and so on; the last reaches the join.
    mutating func serialiseParallelSplits() {
        for id in order {
            guard let gateway = nodes[id], gateway.kind == .gateway(.parallel) else { continue }
            let branches = links[id, default: []].map(\.to)
            guard branches.count > 1 else { continue }
            let join = self.join(of: branches)
            let real = branches.filter { $0 != join }
            guard real.count > 1 else { continue }
            for (index, branch) in real.enumerated().dropLast() {
                let following = real[index + 1]
                for member in region(from: branch, stoppingAt: join) {
                    if let join {
                        for position in links[member, default: []].indices where links[member]![position].to == join {
                            links[member]![position].to = following
                        }
                    } else if nodes[member]?.kind == .end || links[member, default: []].isEmpty {
                        links[member, default: []].append(Link(to: following, label: nil, isDefault: false))
                    }
                }
            }
            // A branch straight to the join adds nothing once the others run in turn.
            links[id] = [Link(to: real[0], label: nil, isDefault: false)]
            serialised.append((gateway, real))
        }
    }

    /// The parallel gateway where all branches meet first, if they meet.
    private func join(of branches: [String]) -> String? {
        let reaches = branches.map { reachable(from: $0, stoppingAt: nil) }
        for candidate in breadthFirst(from: branches[0]) {
            guard nodes[candidate]?.kind == .gateway(.parallel) else { continue }
            if zip(branches, reaches).allSatisfy({ $0.0 == candidate || $0.1.contains(candidate) }) { return candidate }
        }
        return nil
    }

    private func region(from start: String, stoppingAt stop: String?) -> Set<String> {
        var seen: Set<String> = [start]
        var stack = [start]
        while let id = stack.popLast() {
            for link in outgoing(id) where link.to != stop {
                if seen.insert(link.to).inserted { stack.append(link.to) }
            }
        }
        return seen
    }

    private func reachable(from start: String, stoppingAt stop: String?) -> Set<String> {
        var seen: Set<String> = []
        var stack = [start]
        while let id = stack.popLast() {
            for link in outgoing(id) where link.to != stop {
                if seen.insert(link.to).inserted { stack.append(link.to) }
            }
        }
        return seen
    }

    private func breadthFirst(from start: String) -> [String] {
        var seen: Set<String> = [start]
        var queue = [start]
        var index = 0
        while index < queue.count {
            for link in outgoing(queue[index]) where seen.insert(link.to).inserted { queue.append(link.to) }
            index += 1
        }
        return queue
    }

    // MARK: - Steps

    /// The links that leave a node (an expanded subprocess's outgoing flows leave from its exit).
    func outgoing(_ id: String) -> [Link] {
        links[id, default: []]
    }

    /// A step's next steps, walking through gateways and events; `mayEnd` is set when an end
    /// event (or a dead end) can also be reached without passing another step. An end event
    /// that sends a message on is no end when the pools are read as one.
    struct Successors {
        var edges: [(to: String, label: String?, isDefault: Bool, isHandoff: Bool, probability: Double?)] = []
        var mayEnd = false
    }

    func successors(of id: String) -> Successors {
        var result = Successors()
        var seen: Set<String> = [id]
        var reachedTargets: Set<String> = []
        func walk(_ from: String, label: String?, isDefault: Bool, isHandoff: Bool, probability: Double?) {
            let leaving = outgoing(from)
            if leaving.isEmpty && from != id { result.mayEnd = true }
            for link in leaving {
                let node = nodes[link.to]
                var carried = label ?? link.label
                if carried == nil, let node, !node.name.isEmpty, Self.namesABranch(node.kind) { carried = node.name }
                let defaulted = isDefault || link.isDefault
                let handoff = isHandoff || link.isMessage
                let likelihood = probability ?? link.probability
                if let node, node.kind.isStep {
                    if reachedTargets.insert(link.to).inserted {
                        result.edges.append((link.to, carried, defaulted, handoff, likelihood))
                    }
                    continue
                }
                guard seen.insert(link.to).inserted else { continue }
                walk(link.to, label: carried, isDefault: defaulted, isHandoff: handoff, probability: likelihood)
            }
        }
        walk(id, label: nil, isDefault: false, isHandoff: false, probability: nil)
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
    func entrySteps() -> [String] {
        var found: [String] = []
        for start in starts {
            if nodes[start]?.kind.isStep == true {
                if !found.contains(start) { found.append(start) }
                continue
            }
            for edge in successors(of: start).edges where !found.contains(edge.to) { found.append(edge.to) }
        }
        let unprompted = found.filter { !messaged.contains($0) }
        return unprompted.isEmpty ? found : unprompted
    }
}

extension ProcessModel {
    /// How messages name the process: its name, else its pool's, else its id.
    var displayName: String { !name.isEmpty ? name : pool ?? id }
}
