/// The rules a path must keep to be walked: DESIGN "Service maps", each reported on its step.
enum PathRules {
    /// Probabilities on a step's edges must add up to 1 within this.
    static let tolerance = 0.001

    static func check(_ path: ServicePath, kind: PathKind, startLine: Int, currentIDs: Set<String>?,
                      log: inout IssueLog) {
        var index: [String: Step] = [:]
        for step in path.steps {
            if let first = index[step.id] {
                log.add(step.line, step: step.id, "id '\(step.id)' is used again (first on line \(first.line))")
            } else {
                index[step.id] = step
            }
        }
        let ids = path.steps.map(\.id)
        var edgesValid = true
        for step in path.steps {
            var targets: Set<String> = []
            for edge in step.next {
                if index[edge.to] == nil {
                    edgesValid = false
                    let hint = suggestion(for: edge.to, among: ids).map { " — did you mean '\($0)'?" } ?? ""
                    log.add(edge.line, step: step.id, "next '\(edge.to)' is not a step of the \(kind) path\(hint)")
                } else if !targets.insert(edge.to).inserted {
                    log.add(edge.line, step: step.id, "next lists '\(edge.to)' twice")
                }
            }
            if let problem = BranchRule.problem(step.next) {
                log.add(step.next.first?.line ?? step.line, step: step.id, problem)
            }
            if kind == .future, let currentIDs {
                for replaced in step.replaces where !currentIDs.contains(replaced) {
                    let hint = suggestion(for: replaced, among: Array(currentIDs)).map { " — did you mean '\($0)'?" } ?? ""
                    log.add(step.line, step: step.id, "replaces '\(replaced)', which is not a step of the current path\(hint)")
                }
            }
        }
        if let start = path.start, index[start] == nil {
            log.add(startLine, "start '\(start)' is not a step of the \(kind) path")
            return
        }
        guard edgesValid, let entry = path.entry else { return }

        let reachable = walk(from: [entry]) { index[$0]?.next.map(\.to) ?? [] }
        for step in path.steps where !reachable.contains(step.id) {
            log.add(step.line, step: step.id, "cannot be reached from the entry step '\(entry)'")
        }
        var predecessors: [String: [String]] = [:]
        for step in path.steps {
            for edge in step.next { predecessors[edge.to, default: []].append(step.id) }
        }
        let ends = path.steps.filter(\.isEnd).map(\.id)
        let canEnd = walk(from: ends) { predecessors[$0] ?? [] }
        for step in path.steps where !canEnd.contains(step.id) && reachable.contains(step.id) {
            log.add(step.line, step: step.id, ends.isEmpty
                ? "the \(kind) path has no end step (a step with no 'next'), so no journey can finish"
                : "can never reach an end step: the flow from here loops without a way out")
        }
    }

    /// Every id reached from `starts` by following `neighbours`.
    static func walk(from starts: [String], neighbours: (String) -> [String]) -> Set<String> {
        var seen = Set(starts)
        var stack = starts
        while let id = stack.popLast() {
            for next in neighbours(id) where seen.insert(next).inserted {
                stack.append(next)
            }
        }
        return seen
    }
}

/// How a step's flow splits among its edges (DESIGN's branch rule), defined once.
public enum BranchRule {
    /// An edge with a probability takes it; 1 − Σp is split evenly among the edges without one.
    public static func probabilities(_ edges: [Transition]) -> [Double] {
        let given = edges.compactMap(\.probability).reduce(0, +)
        let open = edges.filter { $0.probability == nil }.count
        let share = open > 0 ? max(0, 1 - given) / Double(open) : 0
        return edges.map { $0.probability ?? share }
    }

    /// Why `edges` break the rule, or nil when they keep it.
    static func problem(_ edges: [Transition]) -> String? {
        let given = edges.compactMap(\.probability)
        guard !given.isEmpty else { return nil }
        let sum = given.reduce(0, +)
        var shown: String { Quantity.format(sum, decimals: 3) }
        if sum > 1 + PathRules.tolerance {
            return "branch probabilities add up to \(shown), more than 1"
        }
        if given.count == edges.count {
            return abs(sum - 1) > PathRules.tolerance
                ? "every edge has a probability, but they add up to \(shown) instead of 1" : nil
        }
        if sum >= 1 - PathRules.tolerance, let open = edges.first(where: { $0.probability == nil }) {
            return "probabilities already add up to \(shown), so the edge to '\(open.to)' (with none) could never be taken"
        }
        return nil
    }
}
