import ArgumentParser
import MasarCore

/// Service or life-event files and folders to read.
struct MapPaths: ParsableArguments {
    @Argument(help: ArgumentHelp("Service maps or life events: YAML files or folders of them.",
                                 valueName: "path"))
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Name at least one map file or folder, e.g. 'Services'.") }
    }
}

/// The Standard Cost Model's two prices, shared by every command that shows cost figures.
struct CostOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Travel and waiting minutes added for each in-person visit.", valueName: "minutes"))
    var travel: Double = 60

    @Option(name: .customLong("hour-value"),
            help: ArgumentHelp("Value of one hour of a citizen's time, in OMR (e.g. 2.000).", valueName: "OMR"))
    var hourValue: String = "2.000"

    func validate() throws {
        guard travel >= 0, travel.isFinite else {
            throw ValidationError("--travel must be zero or more minutes, e.g. --travel 45.")
        }
        guard Quantity.baisa(hourValue) != nil else {
            throw ValidationError("--hour-value takes OMR with at most 3 decimals, e.g. --hour-value 2.500.")
        }
    }

    var model: CostModel {
        CostModel(travelMinutesPerVisit: travel, hourValue: Quantity.baisa(hourValue) ?? 2000)
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, markdown, html
}

extension OutputFormat {
    /// Refuses a format a command does not offer, naming the ones it does.
    static func check(_ format: OutputFormat, offered: [OutputFormat]) throws {
        guard offered.contains(format) else {
            throw ValidationError("--format \(format.rawValue) is not offered here; use "
                + offered.map(\.rawValue).joined(separator: " or ") + ".")
        }
    }
}
