import ArgumentParser
import MasarCore

extension Masar {
    struct Bundle: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Figures of a life event: its services in citizen order, added up.",
            discussion: """
                Also lists once-only violations (a document asked again although an earlier \
                service already asked for it or issued it) and institutions visited in person \
                in several services.
                """)

        @Argument(help: ArgumentHelp("A life-event file.", valueName: "file"))
        var file: String
        @Option(help: ArgumentHelp("Folder of service maps the life event names (default: the folder that holds life-events/).",
                                   valueName: "dir"))
        var catalogue: String?
        @OptionGroup var costs: CostOptions
        @Option(help: "table or json") var format: OutputFormat = .table

        func validate() throws {
            try OutputFormat.check(format, offered: [.table, .json])
        }

        func run() throws {
            let lookup = try catalogue.map { try loadCatalogue([$0]).services }
            let loaded = try loadCatalogue([file], lookup: lookup)
            guard loaded.lifeEvents.count == 1, loaded.services.isEmpty else {
                throw refuse("\(file): bundle takes one life-event file (with 'services:').")
            }
            let bundle: LifeEventBundle
            switch loaded.bundles(costs.model)[0] {
            case .success(let value): bundle = value
            case .failure(let problem): throw refuse("\(file): cannot bundle: \(problem)")
            }
            if format == .json {
                try Terminal.printJSON(BundleJSON(bundle))
            } else {
                Terminal.print(BundleReport(bundle).text)
            }
        }
    }
}

/// DESIGN's bundle JSON, with the future violations and mergeable visits after it.
struct BundleJSON: Encodable {
    let bundle: LifeEventBundle

    init(_ bundle: LifeEventBundle) {
        self.bundle = bundle
    }

    enum CodingKeys: String, CodingKey {
        case lifeEvent, order, current, future, onceOnlyViolations, futureOnceOnlyViolations, mergeableVisits
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bundle.lifeEvent.id, forKey: .lifeEvent)
        try container.encode(bundle.order, forKey: .order)
        try container.encode(bundle.current, forKey: .current)
        try container.encode(bundle.future, forKey: .future)
        try container.encode(bundle.onceOnlyViolations, forKey: .onceOnlyViolations)
        try container.encode(bundle.futureOnceOnlyViolations, forKey: .futureOnceOnlyViolations)
        try container.encode(bundle.mergeableVisits, forKey: .mergeableVisits)
    }
}

/// A life event's figures as a terminal reads them.
struct BundleReport {
    let bundle: LifeEventBundle

    init(_ bundle: LifeEventBundle) {
        self.bundle = bundle
    }

    var text: String {
        let event = bundle.lifeEvent
        var lines = ["\(event.id) — \(event.title.preferred)" + (event.title.ar.map { "  (\($0))" } ?? ""),
                     "order: " + bundle.order.joined(separator: " → "), ""]
        var figures = Table(["", "before", "after", "change", ""])
        for key in JourneyMetrics.Key.allCases {
            guard let future = bundle.future else {
                figures.add([key.label.preferred, key.format(bundle.current[key]), "not designed", "", ""])
                continue
            }
            let change = JourneyChange(before: bundle.current, after: future)[key]
            figures.add([key.label.preferred, key.format(change.before), key.format(change.after),
                         key.formatDelta(change.delta),
                         Quantity.format(relative: change.relative)])
        }
        lines.append(figures.rendered)
        lines.append("")
        lines.append(violations("Once-only violations today", bundle.onceOnlyViolations))
        if let future = bundle.futureOnceOnlyViolations {
            lines.append(violations("Once-only violations left after the redesign", future))
        }
        if !bundle.mergeableVisits.isEmpty {
            lines.append("Visits that could be merged:")
            for visit in bundle.mergeableVisits {
                lines.append("  \(visit.institution): " + visit.services.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    func violations(_ heading: String, _ list: [OnceOnlyViolation]) -> String {
        guard !list.isEmpty else { return "\(heading): none" }
        var table = Table(["document", "asked again by", "step", "already held by"],
                          alignments: [.left, .left, .left, .left])
        for violation in list {
            table.add([violation.document, violation.service, violation.step, violation.heldBy])
        }
        return "\(heading): \(list.count)\n" + table.rendered + "\n"
    }
}
