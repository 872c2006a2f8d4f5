/// One path of a service (current or future): its steps and where a citizen enters.
public struct ServicePath: Equatable, Sendable {
    public var steps: [Step]
    /// The entry given by `start:`; without it the first step is the entry.
    public var start: String?

    public init(steps: [Step], start: String? = nil) {
        self.steps = steps
        self.start = start
    }

    /// The step a citizen starts at.
    public var entry: String? { start ?? steps.first?.id }

    public func step(_ id: String) -> Step? {
        steps.first { $0.id == id }
    }
}

/// Which of a service's two paths.
public enum PathKind: String, CaseIterable, Sendable, Codable {
    case current, future
}

/// A public service as a lab maps it: the current path and, once designed, the future path.
public struct ServiceMap: Equatable, Sendable {
    public var id: String
    public var title: LocalizedText
    /// The institution that owns the service.
    public var entity: String
    public var sector: String
    public var lifeEvents: [String]
    /// Transactions a year, for burden figures.
    public var annualVolume: Int
    public var current: ServicePath
    public var future: ServicePath?
    /// The file the map was read from.
    public var file: String

    public init(id: String, title: LocalizedText, entity: String, sector: String,
                lifeEvents: [String] = [], annualVolume: Int = 0,
                current: ServicePath, future: ServicePath? = nil, file: String = "") {
        self.id = id
        self.title = title
        self.entity = entity
        self.sector = sector
        self.lifeEvents = lifeEvents
        self.annualVolume = annualVolume
        self.current = current
        self.future = future
        self.file = file
    }

    public func path(_ kind: PathKind) -> ServicePath? {
        kind == .current ? current : future
    }
}

/// Services a citizen needs for one moment of life, in the order they meet them.
public struct LifeEvent: Equatable, Sendable {
    public var id: String
    public var title: LocalizedText
    public var services: [String]
    /// For a service, the services that must come before it.
    public var after: [String: [String]]
    public var file: String
    /// Line of each service id in `services`, and of the file, for messages.
    public var lines: [String: Int]

    public init(id: String, title: LocalizedText, services: [String],
                after: [String: [String]] = [:], file: String = "", lines: [String: Int] = [:]) {
        self.id = id
        self.title = title
        self.services = services
        self.after = after
        self.file = file
        self.lines = lines
    }
}
