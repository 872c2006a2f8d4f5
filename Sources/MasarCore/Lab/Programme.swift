/// Where the targeted services of a phase, a sector or the programme stand, and the two
/// figures the programme office reports. Each figure is defined here and nowhere else.
public struct StageCounts: Codable, Equatable, Sendable {
    /// Services targeted, whether or not their map has been imported yet (those count as mapping).
    public var targeted: Int
    public var byStage: [Stage: Int]

    public init(stages: [Stage]) {
        targeted = stages.count
        byStage = Dictionary(uniqueKeysWithValues: Stage.allCases.map { stage in (stage, stages.filter { $0 == stage }.count) })
    }

    public var signedOff: Int { byStage[.signedOff] ?? 0 }

    /// completion = services signed off ÷ services targeted.
    public var completion: Double {
        targeted > 0 ? Double(signedOff) / Double(targeted) : 0
    }

    /// progress = mean over targeted services of the stage weight (mapping 0 … signed-off 1).
    public var progress: Double {
        targeted > 0 ? byStage.reduce(0) { $0 + $1.key.weight * Double($1.value) } / Double(targeted) : 0
    }

    enum CodingKeys: String, CodingKey { case targeted, byStage, signedOff, completion, progress }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        targeted = try container.decode(Int.self, forKey: .targeted)
        let raw = try container.decode([String: Int].self, forKey: .byStage)
        byStage = Dictionary(uniqueKeysWithValues: raw.compactMap { key, value in Stage(rawValue: key).map { ($0, value) } })
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(targeted, forKey: .targeted)
        try container.encode(Dictionary(uniqueKeysWithValues: Stage.allCases.map { ($0.rawValue, byStage[$0] ?? 0) }),
                             forKey: .byStage)
        try container.encode(signedOff, forKey: .signedOff)
        try container.encode(completion, forKey: .completion)
        try container.encode(progress, forKey: .progress)
    }
}
