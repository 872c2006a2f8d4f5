/// A cycle in a life event's `after`: the services that wait on each other.
public struct OrderCycle: Error, Equatable, Sendable {
    public var services: [String]
}

extension LifeEvent {
    /// Services in the order a citizen meets them: every `after` respected, otherwise list order.
    public func citizenOrder() -> Result<[String], OrderCycle> {
        var waiting = Dictionary(uniqueKeysWithValues: services.map { ($0, Set(after[$0] ?? []).intersection(services)) })
        var order: [String] = []
        while order.count < services.count {
            guard let ready = services.first(where: { waiting[$0]?.isEmpty == true }) else {
                return .failure(OrderCycle(services: cycle(in: waiting)))
            }
            order.append(ready)
            waiting[ready] = nil
            for key in waiting.keys { waiting[key]?.remove(ready) }
        }
        return .success(order)
    }

    /// One cycle among services that still wait, closed (its first service repeated at the end).
    private func cycle(in waiting: [String: Set<String>]) -> [String] {
        guard var current = services.first(where: { waiting[$0] != nil }) else { return [] }
        var path: [String] = []
        while !path.contains(current) {
            path.append(current)
            current = services.first { waiting[current]?.contains($0) == true } ?? current
        }
        let loop = Array(path[path.firstIndex(of: current)!...])
        return loop.reversed() + [loop.last!]
    }
}

/// A document asked again in a bundle although an earlier service already holds it.
public struct OnceOnlyViolation: Equatable, Codable, Sendable {
    public var service: String
    public var step: String
    public var document: String
    /// The earlier service that asked for it or issued it.
    public var heldBy: String
}

/// An institution the citizen visits in person in several services of one bundle.
public struct MergeableVisit: Equatable, Codable, Sendable {
    public var institution: String
    public var services: [String]
}

/// A life event's figures: its services' metrics added up, and what only a bundle reveals.
public struct LifeEventBundle: Equatable, Sendable {
    public var lifeEvent: LifeEvent
    /// The services, in citizen order.
    public var services: [ServiceMap]
    public var current: JourneyMetrics
    /// Each service's future path, or its current one where none is designed yet; nil when no
    /// service of the bundle has a future path.
    public var future: JourneyMetrics?
    public var onceOnlyViolations: [OnceOnlyViolation]
    /// Once-only violations left after the redesign.
    public var futureOnceOnlyViolations: [OnceOnlyViolation]?
    public var mergeableVisits: [MergeableVisit]

    public var order: [String] { services.map(\.id) }
}

/// Why a life event could not be bundled.
public enum BundleProblem: Error, Equatable, Sendable {
    case missingServices([String])
    case cycle(OrderCycle)
}

extension LifeEvent {
    /// Bundles the life event's services, looked up by id in `catalogue`.
    public func bundle(_ catalogue: [String: ServiceMap], _ costs: CostModel = .default)
        -> Result<LifeEventBundle, BundleProblem> {
        let missing = services.filter { catalogue[$0] == nil }
        guard missing.isEmpty else { return .failure(.missingServices(missing)) }
        let order: [String]
        switch citizenOrder() {
        case .success(let value): order = value
        case .failure(let cycle): return .failure(.cycle(cycle))
        }
        let maps = order.map { catalogue[$0]! }
        let hasFuture = maps.contains { $0.future != nil }
        return .success(LifeEventBundle(
            lifeEvent: self,
            services: maps,
            current: Self.total(maps.map { ($0, $0.current) }, costs),
            future: hasFuture ? Self.total(maps.map { ($0, $0.future ?? $0.current) }, costs) : nil,
            onceOnlyViolations: Self.onceOnly(maps.map { ($0.id, $0.current) }),
            futureOnceOnlyViolations: hasFuture ? Self.onceOnly(maps.map { ($0.id, $0.future ?? $0.current) }) : nil,
            mergeableVisits: Self.mergeableVisits(maps)))
    }

    /// Metrics added up; documents counted once across the bundle, digital share over all walks.
    static func total(_ paths: [(ServiceMap, ServicePath)], _ costs: CostModel) -> JourneyMetrics {
        var sum = JourneyMetrics(steps: 0, visits: 0, documents: 0, institutions: 0, handoffs: 0,
                                 elapsedMinutes: 0, effortMinutes: 0, citizenCostBaisa: 0,
                                 annualBurdenBaisa: 0, digitalShare: 0)
        var digitalWalks = 0.0, walks = 0.0
        for (map, path) in paths {
            let m = path.metrics(costs, annualVolume: map.annualVolume)
            let pathWalks = path.expectedWalk().stepWalks.reduce(0, +)
            sum.steps += m.steps
            sum.visits += m.visits
            sum.institutions += m.institutions
            sum.handoffs += m.handoffs
            sum.elapsedMinutes += m.elapsedMinutes
            sum.effortMinutes += m.effortMinutes
            sum.citizenCostBaisa += m.citizenCostBaisa
            sum.annualBurdenBaisa += m.annualBurdenBaisa
            digitalWalks += m.digitalShare * pathWalks
            walks += pathWalks
        }
        sum.documents = Set(paths.flatMap { $0.1.steps.flatMap(\.documents) }).count
        sum.digitalShare = walks > 0 ? digitalWalks / walks : 0
        return sum
    }

    /// Documents asked by a service that an earlier service in the order already asked for or issued.
    static func onceOnly(_ paths: [(service: String, path: ServicePath)]) -> [OnceOnlyViolation] {
        var holder: [String: String] = [:]
        var violations: [OnceOnlyViolation] = []
        for (service, path) in paths {
            var held: [String: String] = [:]
            for step in path.steps {
                for document in step.documents {
                    if let earlier = holder[document] {
                        violations.append(OnceOnlyViolation(service: service, step: step.id,
                                                            document: document, heldBy: earlier))
                    }
                }
                for document in step.documents + step.produces where holder[document] == nil {
                    held[document] = service
                }
            }
            holder.merge(held) { first, _ in first }
        }
        return violations
    }

    /// Institutions met in person in more than one service of the bundle.
    static func mergeableVisits(_ maps: [ServiceMap]) -> [MergeableVisit] {
        var servicesOf: [String: [String]] = [:]
        for map in maps {
            let visited = map.current.steps.filter { $0.channel.isVisit && !$0.isCitizen }.map(\.actor)
            for institution in Set(visited) { servicesOf[institution, default: []].append(map.id) }
        }
        return servicesOf.keys.sorted().compactMap { institution in
            let services = servicesOf[institution]!
            return services.count > 1 ? MergeableVisit(institution: institution, services: services) : nil
        }
    }
}
