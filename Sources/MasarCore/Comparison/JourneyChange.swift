/// One metric before and after a redesign.
public struct MetricChange: Equatable, Codable, Sendable {
    public var before: Double
    public var after: Double
    /// after − before.
    public var delta: Double
    /// delta ÷ before; nil when before is 0 and after is not (no meaningful ratio).
    public var relative: Double?

    public init(before: Double, after: Double) {
        self.before = before
        self.after = after
        delta = after - before
        relative = before != 0 ? delta / before : (after == 0 ? 0 : nil)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(before, forKey: .before)
        try container.encode(after, forKey: .after)
        try container.encode(delta, forKey: .delta)
        try container.encode(relative, forKey: .relative) // null, not absent, when there is no ratio
    }
}

/// Every metric's change between two paths (or two bundles), keyed as `JourneyMetrics`.
public struct JourneyChange: Equatable, Sendable, Encodable {
    public var before: JourneyMetrics
    public var after: JourneyMetrics

    public init(before: JourneyMetrics, after: JourneyMetrics) {
        self.before = before
        self.after = after
    }

    public subscript(key: JourneyMetrics.Key) -> MetricChange {
        MetricChange(before: before[key], after: after[key])
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: JourneyMetrics.Key.self)
        for key in JourneyMetrics.Key.allCases {
            try container.encode(self[key], forKey: key)
        }
    }
}
