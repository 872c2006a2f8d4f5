import MasarCore

/// What reports need of a revision's map — its sector, owner, life events and figures —
/// computed once at import (with the default cost model), so a national report reads a few
/// hundred bytes a service instead of parsing every map again.
public struct ServiceSummary: Codable, Equatable, Sendable {
    public var sector: String
    public var entity: String
    public var lifeEvents: [String]
    public var current: JourneyMetrics
    public var future: JourneyMetrics?

    public init(_ map: ServiceMap) {
        sector = map.sector
        entity = map.entity
        lifeEvents = map.lifeEvents
        current = map.current.metrics(.default, annualVolume: map.annualVolume)
        future = map.future?.metrics(.default, annualVolume: map.annualVolume)
    }
}
