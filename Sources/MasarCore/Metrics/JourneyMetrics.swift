/// What the citizen's time is worth, and what a visit costs in travel (Standard Cost Model).
public struct CostModel: Equatable, Sendable {
    /// Travel and waiting time added for each in-person visit.
    public var travelMinutesPerVisit: Double
    /// Value of one hour of the citizen's time.
    public var hourValue: Baisa

    public init(travelMinutesPerVisit: Double = 60, hourValue: Baisa = 2000) {
        self.travelMinutesPerVisit = travelMinutesPerVisit
        self.hourValue = hourValue
    }

    public static let `default` = CostModel()
}

/// The figures of one path, as DESIGN "Metrics" defines them. Expected values are unrounded.
public struct JourneyMetrics: Equatable, Codable, Sendable {
    public var steps: Int
    /// Expected in-person steps.
    public var visits: Double
    /// Distinct documents asked of the citizen.
    public var documents: Int
    /// Distinct actors other than the citizen.
    public var institutions: Int
    /// Expected edges walked between two different actors.
    public var handoffs: Double
    public var elapsedMinutes: Double
    /// Expected effort plus travel for each visit.
    public var effortMinutes: Double
    /// Expected fees plus effort valued at the hour value.
    public var citizenCostBaisa: Double
    public var annualBurdenBaisa: Double
    /// Share of expected step walks through online, kiosk or automatic channels.
    public var digitalShare: Double

    public init(steps: Int, visits: Double, documents: Int, institutions: Int, handoffs: Double,
                elapsedMinutes: Double, effortMinutes: Double, citizenCostBaisa: Double,
                annualBurdenBaisa: Double, digitalShare: Double) {
        self.steps = steps
        self.visits = visits
        self.documents = documents
        self.institutions = institutions
        self.handoffs = handoffs
        self.elapsedMinutes = elapsedMinutes
        self.effortMinutes = effortMinutes
        self.citizenCostBaisa = citizenCostBaisa
        self.annualBurdenBaisa = annualBurdenBaisa
        self.digitalShare = digitalShare
    }

    /// Each metric by name, in the order reports show them.
    public enum Key: String, CaseIterable, Sendable, CodingKey {
        case steps, visits, documents, institutions, handoffs, elapsedMinutes, effortMinutes,
             citizenCostBaisa, annualBurdenBaisa, digitalShare
    }

    public subscript(key: Key) -> Double {
        switch key {
        case .steps: Double(steps)
        case .visits: visits
        case .documents: Double(documents)
        case .institutions: Double(institutions)
        case .handoffs: handoffs
        case .elapsedMinutes: elapsedMinutes
        case .effortMinutes: effortMinutes
        case .citizenCostBaisa: citizenCostBaisa
        case .annualBurdenBaisa: annualBurdenBaisa
        case .digitalShare: digitalShare
        }
    }
}

extension ServicePath {
    /// Expected figures for a citizen walking this path.
    public func metrics(_ costs: CostModel = .default, annualVolume: Int = 0) -> JourneyMetrics {
        let walk = expectedWalk()
        var visits = 0.0, elapsed = 0.0, effort = 0.0, fees = 0.0, digital = 0.0, handoffs = 0.0
        var actorOf: [String: String] = [:]
        for step in steps where actorOf[step.id] == nil { actorOf[step.id] = step.actor }
        for (i, step) in steps.enumerated() {
            let times = walk.stepWalks[i]
            if step.channel.isVisit { visits += times }
            if step.channel.isDigital { digital += times }
            elapsed += times * Double(step.duration)
            effort += times * Double(step.effort)
            fees += times * Double(step.fee)
            for (edge, edgeTimes) in zip(step.next, walk.edgeWalks[i]) where actorOf[edge.to] != step.actor {
                handoffs += edgeTimes
            }
        }
        effort += visits * costs.travelMinutesPerVisit
        let cost = fees + effort / 60 * Double(costs.hourValue)
        let totalWalks = walk.stepWalks.reduce(0, +)
        return JourneyMetrics(
            steps: steps.count,
            visits: visits,
            documents: Set(steps.flatMap(\.documents)).count,
            institutions: Set(steps.filter { !$0.isCitizen }.map(\.actor)).count,
            handoffs: handoffs,
            elapsedMinutes: elapsed,
            effortMinutes: effort,
            citizenCostBaisa: cost,
            annualBurdenBaisa: cost * Double(annualVolume),
            digitalShare: totalWalks > 0 ? digital / totalWalks : 0)
    }
}

extension ServiceMap {
    /// Figures of one of the service's paths; nil for a future path not yet designed.
    public func metrics(_ kind: PathKind, _ costs: CostModel = .default) -> JourneyMetrics? {
        path(kind)?.metrics(costs, annualVolume: annualVolume)
    }
}
