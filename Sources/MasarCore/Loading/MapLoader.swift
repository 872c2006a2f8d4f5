import Foundation

/// What one map file holds once read.
public enum MapFile: Sendable {
    case service(ServiceMap)
    case lifeEvent(LifeEvent)
}

/// Reads service maps and life events from YAML text, enforcing DESIGN's rules.
///
/// All issues of a file are gathered before anything is returned; a file with any issue
/// yields no value, so nothing is ever half-read.
public enum MapLoader {
    /// Files larger than this are refused before parsing.
    public static let maxFileSize = 1 << 20

    static let serviceKeys = ["id", "title", "entity", "sector", "life_events", "annual_volume", "current", "future"]
    static let lifeEventKeys = ["id", "title", "services", "after"]
    static let pathKeys = ["start", "steps"]
    static let stepKeys = ["id", "title", "actor", "channel", "duration", "effort", "fee", "documents",
                           "produces", "next", "replaces"]
    static let transitionKeys = ["to", "when", "probability"]

    /// Reads a file from disk: a service map or a life event, told apart by their keys.
    public static func load(file path: String) throws(MapIssues) -> MapFile {
        let data: Data
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > maxFileSize {
                throw tooLarge(path, size)
            }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let issues as MapIssues {
            throw issues
        } catch {
            throw MapIssues([MapIssue(file: path, line: 1, message: "cannot be read (\(error.localizedDescription))")])
        }
        guard data.count <= maxFileSize else {
            throw tooLarge(path, data.count)
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw MapIssues([MapIssue(file: path, line: 1, message: "not UTF-8 text; save the map as UTF-8")])
        }
        return try parse(text, file: path)
    }

    private static func tooLarge(_ path: String, _ size: Int) -> MapIssues {
        MapIssues([MapIssue(file: path, line: 1, message:
            "the file has \(size) bytes; a map may have at most \(maxFileSize) (1 MiB)")])
    }

    /// Reads YAML text; `file` names it in messages. A value holding a control or bidi character
    /// is an issue, unless the text is a revision the store accepted before they were refused
    /// (`stored`): it is read as it was, and its pages and diagrams drop them on output.
    public static func parse(_ text: String, file: String, stored: Bool = false) throws(MapIssues) -> MapFile {
        let root: YAMLNode
        do {
            root = try YAMLReader().read(text)
        } catch {
            throw MapIssues([MapIssue(file: file, line: error.line, message: error.message)])
        }
        guard case .mapping(let pairs, _) = root else {
            throw MapIssues([MapIssue(file: file, line: root.line, message:
                "a map file must be a mapping with 'id', 'title', … at the top, not \(root.kindName)")])
        }
        let keys = Set(pairs.map(\.key.text))
        var log = IssueLog(file: file, refusesHiddenCharacters: !stored)
        if keys.contains("current") || !keys.contains("services") {
            let map = service(root, log: &log)
            if let map, log.issues.isEmpty { return .service(map) }
        } else {
            let event = lifeEvent(root, log: &log)
            if let event, log.issues.isEmpty { return .lifeEvent(event) }
        }
        throw MapIssues(log.issues.enumerated()
            .sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map(\.element))
    }

    /// Reads YAML text that must be a service map.
    public static func parseService(_ text: String, file: String = "<text>", stored: Bool = false) throws(MapIssues) -> ServiceMap {
        guard case .service(let map) = try parse(text, file: file, stored: stored) else {
            throw MapIssues([MapIssue(file: file, line: 1, message: "a life event, not a service map")])
        }
        return map
    }

    // MARK: - Service maps

    static func service(_ root: YAMLNode, log: inout IssueLog) -> ServiceMap? {
        guard let fields = Fields(root, what: "a service map", allowed: serviceKeys, log: &log) else { return nil }
        let id = fields.text("id", log: &log)
        if let id { checkID(id, what: "service id", line: fields["id"]?.line ?? fields.line, log: &log) }
        let title = fields.localized("title", log: &log)
        let entity = fields.text("entity", log: &log, hint: " (the institution that owns the service)")
        let sector = fields.text("sector", log: &log)
        let lifeEvents = fields.list("life_events", log: &log)
        var volume = 0
        if let text = fields.optionalText("annual_volume", log: &log) {
            if let value = Int(text.replacingOccurrences(of: "_", with: "")), value >= 0 {
                volume = value
            } else {
                log.add(fields["annual_volume"]!.line,
                        "'annual_volume' must be a whole number of transactions a year, not '\(text)'")
            }
        }
        var current: ServicePath?
        if let node = fields["current"] {
            current = path(node, kind: .current, currentIDs: nil, log: &log)
        } else {
            log.add(fields.line, "missing 'current' (the current path: current: {steps: […]})")
        }
        var future: ServicePath?
        if let node = fields["future"] {
            future = path(node, kind: .future, currentIDs: current.map { Set($0.steps.map(\.id)) }, log: &log)
        }
        guard let id, let title, let entity, let sector, let current else { return nil }
        return ServiceMap(id: id, title: title, entity: entity, sector: sector, lifeEvents: lifeEvents,
                          annualVolume: volume, current: current, future: future, file: log.file)
    }

    static func checkID(_ id: String, what: String, line: Int, step: String? = nil, log: inout IssueLog) {
        let valid = id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
        if !valid {
            log.add(line, step: step, "\(what) '\(id)' may hold only lower-case letters, digits and '-'")
        }
    }

    /// Reads a path and checks its rules; `currentIDs` is given for a future path.
    static func path(_ node: YAMLNode, kind: PathKind, currentIDs: Set<String>?, log: inout IssueLog) -> ServicePath? {
        guard let fields = Fields(node, what: "the \(kind) path", allowed: pathKeys, log: &log) else { return nil }
        guard let stepsNode = fields["steps"] else {
            log.add(fields.line, "the \(kind) path has no 'steps'")
            return nil
        }
        guard case .sequence(let items, let line) = stepsNode else {
            log.add(stepsNode.line, "'steps' must be a list of steps, not \(stepsNode.kindName)")
            return nil
        }
        guard !items.isEmpty else {
            log.add(line, "the \(kind) path has no steps")
            return nil
        }
        let steps = items.compactMap { step($0, kind: kind, log: &log) }
        let start = fields.optionalText("start", log: &log)
        guard steps.count == items.count else { return nil }
        let path = ServicePath(steps: steps, start: start)
        PathRules.check(path, kind: kind, startLine: fields["start"]?.line ?? fields.line,
                        currentIDs: currentIDs, log: &log)
        return path
    }

    static func step(_ node: YAMLNode, kind: PathKind, log: inout IssueLog) -> Step? {
        guard let fields = Fields(node, what: "a step", allowed: stepKeys, isStep: true, log: &log) else { return nil }
        let id = fields.text("id", log: &log)
        if let id { checkID(id, what: "step id", line: fields["id"]?.line ?? fields.line, step: id, log: &log) }
        let title = fields.localized("title", log: &log)
        let actor = fields.text("actor", log: &log, hint: " (an institution, or citizen)")
        let channels = Channel.allCases.map(\.rawValue)
        var channel: Channel?
        if let text = fields.text("channel", log: &log, hint: " (one of \(channels.joined(separator: ", ")))") {
            channel = Channel(rawValue: text)
            if channel == nil {
                let hint = suggestion(for: text, among: channels).map { " — did you mean '\($0)'?" }
                    ?? " (one of \(channels.joined(separator: ", ")))"
                log.add(fields["channel"]!.line, step: fields.step, "unknown channel '\(text)'\(hint)")
            }
        }
        let duration = minutes("duration", fields, required: true, log: &log)
        let effort = minutes("effort", fields, required: false, log: &log)
        var fee: Baisa = 0
        if let text = fields.optionalText("fee", log: &log) {
            if let value = Quantity.baisa(text) {
                fee = value
            } else {
                log.add(fields["fee"]!.line, step: fields.step,
                        "fee '\(text)' is not an amount in OMR with at most 3 decimals (e.g. 1.500)")
            }
        }
        let documents = fields.list("documents", log: &log)
        let produces = fields.list("produces", log: &log)
        let replaces = fields.list("replaces", log: &log)
        if kind == .current, let node = fields["replaces"] {
            log.add(node.line, step: fields.step, "'replaces' belongs on future steps, to name the current steps they replace")
        }
        let next = transitions(fields, log: &log)
        // A step with a bad field is still returned (the file is refused anyway) so that the
        // path's rules are checked too and every issue is reported in one pass.
        guard let id else { return nil }
        return Step(id: id, title: title ?? LocalizedText(), actor: actor ?? "", channel: channel ?? .inPerson,
                    duration: duration ?? 0,
                    effort: effort ?? 0, fee: fee, documents: documents, produces: produces,
                    next: next, replaces: replaces, line: fields.line)
    }

    static func minutes(_ key: String, _ fields: Fields, required: Bool, log: inout IssueLog) -> Minutes? {
        let text = required ? fields.text(key, log: &log, hint: " (e.g. 15m, 3h, 2d, 1w)")
            : fields.optionalText(key, log: &log)
        guard let text else { return nil }
        guard let value = Quantity.minutes(text) else {
            log.add(fields[key]!.line, step: fields.step,
                    "\(key) '\(text)' is not a duration (write 15m, 3h, 2d, 1w or e.g. 1d 4h)")
            return nil
        }
        return value
    }

    static func transitions(_ fields: Fields, log: inout IssueLog) -> [Transition] {
        guard let node = fields["next"] else { return [] }
        let items: [YAMLNode]
        switch node {
        case .sequence(let list, _): items = list
        case .scalar: items = [node]
        case .mapping:
            log.add(node.line, step: fields.step, "'next' must be a list of step ids or {to: …} edges")
            return []
        }
        return items.compactMap { item -> Transition? in
            if case .scalar = item {
                return fields.scalar(item, "next", log: &log).map { Transition(to: $0, line: item.line) }
            }
            guard let edge = Fields(item, what: "an edge in 'next'", allowed: transitionKeys,
                                    step: fields.step, log: &log) else { return nil }
            let to = edge.text("to", log: &log, hint: " (the step this edge leads to)")
            let when = edge.optionalText("when", log: &log)
            var probability: Double?
            if let text = edge.optionalText("probability", log: &log) {
                if let value = Double(text), value > 0, value <= 1 {
                    probability = value
                } else {
                    log.add(edge["probability"]!.line, step: fields.step,
                            "probability '\(text)' must be a number more than 0 and at most 1")
                }
            }
            return to.map { Transition(to: $0, when: when, probability: probability, line: item.line) }
        }
    }

    // MARK: - Life events

    static func lifeEvent(_ root: YAMLNode, log: inout IssueLog) -> LifeEvent? {
        guard let fields = Fields(root, what: "a life event", allowed: lifeEventKeys, log: &log) else { return nil }
        let id = fields.text("id", log: &log)
        if let id { checkID(id, what: "life event id", line: fields["id"]?.line ?? fields.line, log: &log) }
        let title = fields.localized("title", log: &log)
        var lines: [String: Int] = [:]
        var services: [String] = []
        if case .sequence(let items, _)? = fields["services"] {
            for item in items {
                guard let service = fields.scalar(item, "services", log: &log) else { continue }
                if let first = lines[service] {
                    log.add(item.line, "service '\(service)' is listed twice (first on line \(first))")
                    continue
                }
                lines[service] = item.line
                services.append(service)
            }
        } else {
            log.add(fields["services"]?.line ?? fields.line, "'services' must list the services of the life event")
        }
        var after: [String: [String]] = [:]
        if let node = fields["after"] {
            if case .mapping(let pairs, _) = node {
                for pair in pairs {
                    let service = pair.key.text
                    if lines[service] == nil {
                        log.add(pair.key.line, "'after' names '\(service)', which is not in 'services'")
                    }
                    let list = Fields.list(of: pair.value, key: "after", log: &log)
                    for earlier in list where lines[earlier] == nil {
                        log.add(pair.value.line, "'after' of '\(service)' names '\(earlier)', which is not in 'services'")
                    }
                    after[service, default: []] += list
                }
            } else {
                log.add(node.line, "'after' must map a service to the services before it, e.g. {b: [a]}")
            }
        }
        guard let id, let title else { return nil }
        let event = LifeEvent(id: id, title: title, services: services, after: after, file: log.file, lines: lines)
        if case .failure(let cycle) = event.citizenOrder() {
            log.add(fields["after"]?.line ?? fields.line,
                    "'after' has a cycle: \(cycle.services.joined(separator: " → ")); no order satisfies it")
        }
        return event
    }
}

extension Fields {
    /// A value read as a list of single values, outside any record.
    static func list(of node: YAMLNode, key: String, log: inout IssueLog) -> [String] {
        let items: [YAMLNode]
        switch node {
        case .sequence(let list, _): items = list
        case .scalar: items = [node]
        case .mapping:
            log.add(node.line, "'\(key)' must be a list, not a mapping")
            return []
        }
        return items.compactMap { item in
            guard case .scalar(let scalar) = item, !scalar.isNull else {
                log.add(item.line, "'\(key)' must list single values, not \(item.kindName)")
                return nil
            }
            return scalar.text
        }
    }
}
