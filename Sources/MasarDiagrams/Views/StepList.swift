import MasarCore

/// The phone form of a diagram: what the drawn diagram shows — steps with their colours, badges,
/// branches and figures — as lists read top to bottom, one per path (or per service of a life
/// event), so a 390-px screen reads it without panning. A pure value of the model; `html` writes it.
public struct StepList: Equatable, Sendable {
    /// A text in the languages asked for: one line each, with the language it is in (nil for map
    /// data of no known language, such as an actor's name or a branch's condition).
    public typealias Text = [Line]

    public struct Line: Equatable, Sendable {
        public var text: String
        public var language: Language?
    }

    /// A figure of a path or of the change: a label and its value (`Steps`, `6 → 5 (−17%)`).
    public struct Figure: Equatable, Sendable {
        public var label: Text
        public var value: String
    }

    /// Where a step leads other than simply to the next one in the list, or what it became.
    public struct Note: Equatable, Sendable {
        public enum Kind: String, Sendable {
            /// To a later step, with a condition or a probability.
            case branch
            /// Back to an earlier step (red and dashed in the diagram).
            case rework
            /// A current step merged into future steps (the dashed orange arrow of the comparison).
            case replacedBy
            /// A document a life event asks for again (once-only).
            case askedAgain
        }

        public var kind: Kind
        /// Words before the target (where a merged step went).
        public var label: Text = []
        /// The step it leads to, by its number in its list, and that step's title.
        public var target: (number: Int, title: Text)?
        /// The condition, probability or document named.
        public var details: [Text]

        public static func == (lhs: Note, rhs: Note) -> Bool {
            lhs.kind == rhs.kind && lhs.label == rhs.label && lhs.details == rhs.details
                && lhs.target?.number == rhs.target?.number && lhs.target?.title == rhs.target?.title
        }
    }

    public struct Item: Equatable, Sendable {
        /// 1-based position in its list.
        public var number: Int
        public var id: String
        public var title: Text
        /// Actor (when the diagram shows it), channel, duration and fee.
        public var facts: [Text]
        public var channel: Channel
        /// The diagram's fill: the channel's colour, or the step's fate in a comparison.
        public var fill: String
        /// The fate's name in a comparison (the colour's meaning, said in words).
        public var fate: Text?
        /// The pain-point badge.
        public var badge: Text?
        public var notes: [Note]
        public var isEnd: Bool
        /// A red border, as the diagram draws a step that asks again for a document.
        public var flagged: Bool
    }

    public struct Section: Equatable, Sendable {
        public var heading: Text
        public var figures: [Figure]
        public var items: [Item]
    }

    public struct Swatch: Equatable, Sendable {
        public var colour: String
        public var name: Text
    }

    public var sections: [Section]
    public var legendHeading: Text
    public var legend: [Swatch]
    /// The comparison's headline (before → after), as the diagram's legend shows it.
    public var changes: [Figure]
    /// Notes under the legend (a life event's visits that could be merged).
    public var notes: [Text]
    /// What the text alternative says before the lists' figures (a life event's once-only count).
    public var lead: Text = []

    /// The figures each list opens with, and that the text alternative states.
    static let pathFigures: [JourneyMetrics.Key] = [.steps, .elapsedMinutes, .visits]
}

extension LabelLanguage {
    /// The labels of a page in `language`.
    public init(_ language: Language) {
        self = language == .arabic ? .ar : .en
    }
}

extension StepList {
    /// The phone form of `Diagram.service`: the comparison, or the current path before a future is drawn.
    public init(service map: ServiceMap, _ options: DiagramOptions = DiagramOptions(), costs: CostModel = .default) {
        self = StepList(comparison: map, options, costs: costs) ?? StepList(path: map, .current, options, costs: costs)!
    }

    /// The phone form of `Diagram.path`: one list, coloured by channel.
    public init?(path map: ServiceMap, _ kind: PathKind, _ options: DiagramOptions = DiagramOptions(),
                 costs: CostModel = .default) {
        guard let path = map.path(kind) else { return nil }
        let lines = Self.text(options.language)
        sections = [Self.section(lines(DiagramWords.path(kind)), path, map: map, costs: costs, options) { step in
            (DiagramStyle.fill(step.channel), nil)
        }]
        legendHeading = lines(DiagramWords.channel)
        legend = Channel.allCases.map { Swatch(colour: DiagramStyle.fill($0), name: lines(DiagramStyle.channelName($0))) }
        changes = []
        notes = []
    }

    /// The phone form of `Diagram.comparison`: the current list above the future one, each step
    /// coloured and named by its fate, merged steps pointing at what replaced them.
    public init?(comparison map: ServiceMap, _ options: DiagramOptions = DiagramOptions(), costs: CostModel = .default) {
        guard let future = map.future, let comparison = map.comparison(costs) else { return nil }
        let lines = Self.text(options.language)
        func fate(_ step: Step) -> (String, Text?) {
            let fate = comparison.fate(of: step.id) ?? .kept
            return (DiagramStyle.fill(fate), lines(DiagramStyle.fateName(fate)))
        }
        var current = Self.section(lines(DiagramWords.currentPath), map.current, map: map, costs: costs, options,
                                   actor: true, colour: fate)
        var futureOptions = options
        futureOptions.painPoints = [:]
        let upcoming = Self.section(lines(DiagramWords.futurePath), future, map: map, costs: costs, futureOptions,
                                    actor: true, colour: fate)
        let position = Dictionary(upcoming.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for index in current.items.indices {
            for replacement in comparison.replacedBy[current.items[index].id] ?? [] {
                guard let target = position[replacement] else { continue }
                current.items[index].notes.append(Note(kind: .replacedBy, label: lines(DiagramWords.inFuturePath),
                                                       target: (target.number, target.title), details: []))
            }
        }
        sections = [current, upcoming]
        legendHeading = lines(DiagramWords.whatChanges)
        legend = StepFate.allCases.map { Swatch(colour: DiagramStyle.fill($0), name: lines(DiagramStyle.fateName($0))) }
        changes = comparison.change.headline().map { Figure(label: lines($0.label), value: $0.figures) }
        notes = []
    }

    /// The phone form of `Diagram.bundle`: one list per service in citizen order, the steps that
    /// ask again for a document flagged and saying which.
    public init(bundle: LifeEventBundle, _ options: DiagramOptions = DiagramOptions(), costs: CostModel = .default) {
        let lines = Self.text(options.language)
        var asked: [String: [OnceOnlyViolation]] = [:]
        for violation in bundle.onceOnlyViolations {
            asked[violation.service + ":" + violation.step, default: []].append(violation)
        }
        sections = bundle.services.enumerated().map { index, map in
            var heading = lines(map.title)
            if !heading.isEmpty { heading[0].text = "\(index + 1). " + heading[0].text }
            var section = Self.section(heading, map.current, map: map, costs: costs, options, actor: true) { step in
                (DiagramStyle.fill(step.channel), nil)
            }
            for index in section.items.indices {
                let violations = asked[map.id + ":" + section.items[index].id] ?? []
                section.items[index].flagged = !violations.isEmpty
                section.items[index].notes += violations.map {
                    Note(kind: .askedAgain, target: nil, details: [lines(DiagramWords.askedAgain($0))])
                }
            }
            return section
        }
        legendHeading = lines(DiagramWords.onceOnly)
        legend = [Swatch(colour: DiagramStyle.violationColour,
                         name: lines(DiagramWords.documentsAskedAgain(bundle.onceOnlyViolations.count)))]
        changes = []
        lead = legend[0].name
        notes = bundle.mergeableVisits.isEmpty ? [] : [lines(DiagramWords.mergeableVisits)]
            + bundle.mergeableVisits.map { [Line(text: "\($0.institution): " + $0.services.joined(separator: ", "), language: nil)] }
    }

    /// The text alternative of the drawn diagram: its lead, then each list's heading and figures, in the first
    /// language the list is in — "Current path: Steps 6, Elapsed time 5 d 10 h, Visits 5.56; Future path: …".
    public var summary: String {
        let arabic = sections.first?.heading.first?.language == .arabic
        let (comma, semicolon) = arabic ? ("، ", "؛ ") : (", ", "; ")
        return (lead.prefix(1).map(\.text) + sections.map { section in
            (section.heading.first?.text ?? "") + ": "
                + section.figures.map { ($0.label.first?.text ?? "") + " " + $0.value }.joined(separator: comma)
        }).joined(separator: semicolon)
    }

    /// `text` in the languages asked for, one line each; falls back to whichever exists.
    static func text(_ language: LabelLanguage) -> (LocalizedText) -> Text {
        { text in
            let en = text.en.map { [Line(text: $0, language: .english)] } ?? []
            let ar = text.ar.map { [Line(text: $0, language: .arabic)] } ?? []
            switch language {
            case .en: return en.isEmpty ? ar : en
            case .ar: return ar.isEmpty ? en : ar
            case .both: return en + ar
            }
        }
    }

    /// The pain-point badge: the diagram's flag, then the count in each language.
    static func badge(_ text: Text) -> Text {
        text.enumerated().map { index, line in index == 0 ? Line(text: "⚑ " + line.text, language: line.language) : line }
    }

    /// One path as a list. A step's notes are the edges the order of the list does not already
    /// say: a branch with a condition or probability, a jump ahead, and rework back to an earlier step.
    static func section(_ heading: Text, _ path: ServicePath, map: ServiceMap, costs: CostModel, _ options: DiagramOptions,
                        actor: Bool = false, colour: (Step) -> (fill: String, fate: Text?)) -> Section {
        let lines = text(options.language)
        let metrics = path.metrics(costs, annualVolume: map.annualVolume)
        let position = Dictionary(path.steps.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let items = path.steps.enumerated().map { index, step -> Item in
            var facts: [Text] = actor ? [[Line(text: step.actor, language: nil)]] : []
            facts.append(lines(DiagramStyle.channelName(step.channel)))
            let units = options.language.figures
            facts.append([Line(text: Quantity.format(minutes: Double(step.duration), in: units), language: nil)])
            if step.fee > 0 { facts.append([Line(text: Quantity.format(baisa: Double(step.fee), in: units), language: nil)]) }
            let count = options.painPoints[step.id] ?? 0
            let probabilities = BranchRule.probabilities(step.next)
            let notes = zip(step.next, probabilities).compactMap { edge, probability -> Note? in
                guard let target = position[edge.to] else { return nil }
                let labelled = step.next.count > 1 || probability < 1
                guard target != index + 1 || labelled || edge.when != nil else { return nil }
                var details: [Text] = edge.when.map { [[Line(text: $0, language: nil)]] } ?? []
                if labelled { details.append([Line(text: "\(Int((probability * 100).rounded()))%", language: nil)]) }
                return Note(kind: target <= index ? .rework : .branch,
                            target: (target + 1, lines(path.steps[target].title)), details: details)
            }
            let (fill, fate) = colour(step)
            return Item(number: index + 1, id: step.id, title: lines(step.title), facts: facts, channel: step.channel,
                        fill: fill, fate: fate,
                        badge: count > 0 ? badge(lines(DiagramWords.painPoints(count))) : nil,
                        notes: notes, isEnd: step.isEnd, flagged: false)
        }
        return Section(heading: heading,
                       figures: pathFigures.map { Figure(label: lines($0.label), value: $0.format(metrics[$0], in: options.language.figures)) },
                       items: items)
    }
}
