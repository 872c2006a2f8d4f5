/// One step of a service path: who does what, through which channel, at what cost to the citizen.
public struct Step: Equatable, Sendable {
    public var id: String
    public var title: LocalizedText
    /// An institution, or `citizen` for what the citizen does alone.
    public var actor: String
    public var channel: Channel
    /// Elapsed time the step takes.
    public var duration: Minutes
    /// The citizen's own time spent on the step.
    public var effort: Minutes
    public var fee: Baisa
    /// Documents asked of the citizen here.
    public var documents: [String]
    /// Documents the government issues here.
    public var produces: [String]
    public var next: [Transition]
    /// Current-path steps this future step takes the place of.
    public var replaces: [String]
    /// Line of the step in its file, for messages.
    public var line: Int

    public init(id: String, title: LocalizedText, actor: String, channel: Channel,
                duration: Minutes, effort: Minutes = 0, fee: Baisa = 0,
                documents: [String] = [], produces: [String] = [], next: [Transition] = [],
                replaces: [String] = [], line: Int = 0) {
        self.id = id
        self.title = title
        self.actor = actor
        self.channel = channel
        self.duration = duration
        self.effort = effort
        self.fee = fee
        self.documents = documents
        self.produces = produces
        self.next = next
        self.replaces = replaces
        self.line = line
    }

    /// True when the actor is the citizen rather than an institution.
    public var isCitizen: Bool { Step.isCitizen(actor) }

    static func isCitizen(_ actor: String) -> Bool {
        actor.lowercased() == "citizen"
    }

    /// A step with no `next` ends the journey.
    public var isEnd: Bool { next.isEmpty }
}

/// A `next` edge: where the flow goes, and under what condition and with what probability.
public struct Transition: Equatable, Sendable {
    public var to: String
    public var when: String?
    /// Given probability; edges without one share what is left evenly (the branch rule).
    public var probability: Double?
    public var line: Int

    public init(to: String, when: String? = nil, probability: Double? = nil, line: Int = 0) {
        self.to = to
        self.when = when
        self.probability = probability
        self.line = line
    }
}
