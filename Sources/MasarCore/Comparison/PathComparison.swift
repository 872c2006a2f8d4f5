/// What became of a step when the future path was designed.
public enum StepFate: String, Codable, Sendable, CaseIterable {
    /// A current step with no counterpart in the future path.
    case removed
    /// Same id in both paths, nothing the citizen notices changed.
    case kept
    /// Same id in both paths, with a different channel, duration, fee or documents.
    case changed
    /// A current step that future steps replace (`replaces`).
    case merged
    /// A future step with no current step of its id.
    case new
}

/// A service's current path set against its future path.
public struct PathComparison: Equatable, Sendable {
    public var service: String
    /// Every step of both paths with its fate: current steps first in path order, then new ones.
    public var classification: [(step: String, fate: StepFate)]
    /// For a merged current step, the future steps that replace it.
    public var replacedBy: [String: [String]]
    public var change: JourneyChange

    public static func == (lhs: PathComparison, rhs: PathComparison) -> Bool {
        lhs.service == rhs.service && lhs.replacedBy == rhs.replacedBy && lhs.change == rhs.change
            && lhs.classification.map(\.step) == rhs.classification.map(\.step)
            && lhs.classification.map(\.fate) == rhs.classification.map(\.fate)
    }

    public func fate(of step: String) -> StepFate? {
        classification.first { $0.step == step }?.fate
    }
}

extension ServiceMap {
    /// The before/after comparison; nil until a future path is designed.
    public func comparison(_ costs: CostModel = .default) -> PathComparison? {
        guard let future else { return nil }
        var replacedBy: [String: [String]] = [:]
        for step in future.steps {
            for replaced in step.replaces { replacedBy[replaced, default: []].append(step.id) }
        }
        var classification: [(String, StepFate)] = current.steps.map { step in
            if let successor = future.step(step.id) {
                return (step.id, Self.sameForCitizen(step, successor) ? .kept : .changed)
            }
            return (step.id, replacedBy[step.id] != nil ? .merged : .removed)
        }
        let currentIDs = Set(current.steps.map(\.id))
        classification += future.steps.filter { !currentIDs.contains($0.id) }.map { ($0.id, .new) }
        return PathComparison(
            service: id, classification: classification, replacedBy: replacedBy,
            change: JourneyChange(before: current.metrics(costs, annualVolume: annualVolume),
                                  after: future.metrics(costs, annualVolume: annualVolume)))
    }

    /// Kept rather than changed: channel, duration, fee and documents are all the same.
    static func sameForCitizen(_ a: Step, _ b: Step) -> Bool {
        a.channel == b.channel && a.duration == b.duration && a.fee == b.fee
            && Set(a.documents) == Set(b.documents)
    }
}
