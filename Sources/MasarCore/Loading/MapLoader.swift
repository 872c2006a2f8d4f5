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
            throw MapIssues([MapIssue(file: path, line: 1, message: "cannot be read (\(error.localizedDescription))",
                                      arabic: "تتعذر قراءته (\(error.localizedDescription))")])
        }
        guard data.count <= maxFileSize else {
            throw tooLarge(path, data.count)
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw MapIssues([MapIssue(file: path, line: 1, message: "not UTF-8 text; save the map as UTF-8",
                                      arabic: "ليس نصًا بترميز UTF-8؛ احفظ الخريطة بترميز UTF-8")])
        }
        return try parse(text, file: path)
    }

    private static func tooLarge(_ path: String, _ size: Int) -> MapIssues {
        MapIssues([MapIssue(file: path, line: 1, message: "the file has \(size) bytes; a map may have at most \(maxFileSize) (1 MiB)",
                            arabic: "حجم الملف \(size) بايت؛ والحد الأقصى للخريطة \(maxFileSize) (1 ميبيبايت)")])
    }

    /// Reads YAML text; `file` names it in messages. A value holding a control or bidi character
    /// is an issue, unless the text is a revision the store accepted before they were refused
    /// (`stored`): it is read as it was, and its pages and diagrams drop them on output.
    public static func parse(_ text: String, file: String, stored: Bool = false) throws(MapIssues) -> MapFile {
        let root: YAMLNode
        do {
            root = try YAMLReader().read(text)
        } catch {
            throw MapIssues([MapIssue(file: file, line: error.line, message: error.message, arabic: error.arabic)])
        }
        guard case .mapping(let pairs, _) = root else {
            throw MapIssues([MapIssue(file: file, line: root.line, message:
                "a map file must be a mapping with 'id', 'title', … at the top, not \(root.kindName)",
                arabic: "يبدأ ملف الخريطة بمفاتيح وقيم ('id' و'title' …)، لا \(root.kindNameArabic)")])
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
            throw MapIssues([MapIssue(file: file, line: 1, message: "a life event, not a service map",
                                      arabic: "هذه رحلة حياة، لا خريطة خدمة")])
        }
        return map
    }

    // MARK: - Service maps

    static func service(_ root: YAMLNode, log: inout IssueLog) -> ServiceMap? {
        guard let fields = Fields(root, what: ("a service map", "خريطة الخدمة"), allowed: serviceKeys, log: &log) else { return nil }
        let id = fields.text("id", log: &log)
        if let id { checkID(id, what: ("service id", "معرّف الخدمة"), line: fields["id"]?.line ?? fields.line, log: &log) }
        let title = fields.localized("title", log: &log)
        let entity = fields.text("entity", log: &log, hint: (" (the institution that owns the service)", " (الجهة المالكة للخدمة)"))
        let sector = fields.text("sector", log: &log)
        let lifeEvents = fields.list("life_events", log: &log)
        var volume = 0
        if let text = fields.optionalText("annual_volume", log: &log) {
            if let value = Int(text.replacingOccurrences(of: "_", with: "")), value >= 0 {
                volume = value
            } else {
                log.add(fields["annual_volume"]!.line,
                        "'annual_volume' must be a whole number of transactions a year, not '\(text)'",
                        ar: "'annual_volume' يجب أن يكون عددًا صحيحًا من المعاملات في السنة، لا '\(text)'")
            }
        }
        var current: ServicePath?
        if let node = fields["current"] {
            current = path(node, kind: .current, currentIDs: nil, log: &log)
        } else {
            log.add(fields.line, "missing 'current' (the current path: current: {steps: […]})",
                    ar: "'current' مفقود (المسار الحالي: ‎current: {steps: […]})")
        }
        var future: ServicePath?
        if let node = fields["future"] {
            future = path(node, kind: .future, currentIDs: current.map { Set($0.steps.map(\.id)) }, log: &log)
        }
        guard let id, let title, let entity, let sector, let current else { return nil }
        return ServiceMap(id: id, title: title, entity: entity, sector: sector, lifeEvents: lifeEvents,
                          annualVolume: volume, current: current, future: future, file: log.file)
    }

    static func checkID(_ id: String, what: Wording, line: Int, step: String? = nil, log: inout IssueLog) {
        let valid = id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
        if !valid {
            log.add(line, step: step, "\(what.en) '\(id)' may hold only lower-case letters, digits and '-'",
                    ar: "\(what.ar) '\(id)' لا يحوي إلا حروفًا لاتينية صغيرة وأرقامًا و'-'")
        }
    }

    /// Reads a path and checks its rules; `currentIDs` is given for a future path.
    static func path(_ node: YAMLNode, kind: PathKind, currentIDs: Set<String>?, log: inout IssueLog) -> ServicePath? {
        guard let fields = Fields(node, what: ("the \(kind) path", kind.arabicName), allowed: pathKeys, log: &log) else { return nil }
        guard let stepsNode = fields["steps"] else {
            log.add(fields.line, "the \(kind) path has no 'steps'", ar: "\(kind.arabicName) بلا 'steps'")
            return nil
        }
        guard case .sequence(let items, let line) = stepsNode else {
            log.add(stepsNode.line, "'steps' must be a list of steps, not \(stepsNode.kindName)",
                    ar: "'steps' يجب أن تكون قائمة خطوات، لا \(stepsNode.kindNameArabic)")
            return nil
        }
        guard !items.isEmpty else {
            log.add(line, "the \(kind) path has no steps", ar: "\(kind.arabicName) بلا خطوات")
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
        guard let fields = Fields(node, what: ("a step", "الخطوة"), allowed: stepKeys, isStep: true, log: &log) else { return nil }
        let id = fields.text("id", log: &log)
        if let id { checkID(id, what: ("step id", "معرّف الخطوة"), line: fields["id"]?.line ?? fields.line, step: id, log: &log) }
        let title = fields.localized("title", log: &log)
        let actor = fields.text("actor", log: &log, hint: (" (an institution, or citizen)", " (جهة، أو citizen للمستفيد)"))
        let channels = Channel.allCases.map(\.rawValue)
        var channel: Channel?
        let oneOf: Wording = (" (one of \(channels.joined(separator: ", ")))", " (إحدى: \(channels.joined(separator: "، ")))")
        if let text = fields.text("channel", log: &log, hint: oneOf) {
            channel = Channel(rawValue: text)
            if channel == nil {
                let hint = didYouMean(text, among: channels) ?? oneOf
                log.add(fields["channel"]!.line, step: fields.step, "unknown channel '\(text)'\(hint.en)",
                        ar: "قناة غير معروفة '\(text)'\(hint.ar)")
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
                        "fee '\(text)' is not an amount in OMR with at most 3 decimals (e.g. 1.500)",
                        ar: "الرسم '\(text)' ليس مبلغًا بالريال العماني بثلاث خانات عشرية على الأكثر (مثل 1.500)")
            }
        }
        let documents = fields.list("documents", log: &log)
        let produces = fields.list("produces", log: &log)
        let replaces = fields.list("replaces", log: &log)
        if kind == .current, let node = fields["replaces"] {
            log.add(node.line, step: fields.step, "'replaces' belongs on future steps, to name the current steps they replace",
                    ar: "'replaces' مكانها خطوات المسار المستقبلي، لتسمية الخطوات الحالية التي تحل محلها")
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
        let text = required ? fields.text(key, log: &log, hint: (" (e.g. 15m, 3h, 2d, 1w)", " (مثل ‎15m أو 3h أو 2d أو 1w)"))
            : fields.optionalText(key, log: &log)
        guard let text else { return nil }
        guard let value = Quantity.minutes(text) else {
            log.add(fields[key]!.line, step: fields.step,
                    "\(key) '\(text)' is not a duration (write 15m, 3h, 2d, 1w or e.g. 1d 4h)",
                    ar: "\(key) '\(text)' ليست مدة (اكتب ‎15m أو 3h أو 2d أو 1w أو مثلًا 1d 4h)")
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
            log.add(node.line, step: fields.step, "'next' must be a list of step ids or {to: …} edges",
                    ar: "'next' يجب أن تكون قائمة معرّفات خطوات أو انتقالات ‎{to: …}")
            return []
        }
        return items.compactMap { item -> Transition? in
            if case .scalar = item {
                return fields.scalar(item, "next", log: &log).map { Transition(to: $0, line: item.line) }
            }
            guard let edge = Fields(item, what: ("an edge in 'next'", "الانتقال في 'next'"), allowed: transitionKeys,
                                    step: fields.step, log: &log) else { return nil }
            let to = edge.text("to", log: &log, hint: (" (the step this edge leads to)", " (الخطوة التي يؤدي إليها الانتقال)"))
            let when = edge.optionalText("when", log: &log)
            var probability: Double?
            if let text = edge.optionalText("probability", log: &log) {
                if let value = Double(text), value > 0, value <= 1 {
                    probability = value
                } else {
                    log.add(edge["probability"]!.line, step: fields.step,
                            "probability '\(text)' must be a number more than 0 and at most 1",
                            ar: "الاحتمال '\(text)' يجب أن يكون عددًا أكبر من 0 ولا يزيد على 1")
                }
            }
            return to.map { Transition(to: $0, when: when, probability: probability, line: item.line) }
        }
    }

    // MARK: - Life events

    static func lifeEvent(_ root: YAMLNode, log: inout IssueLog) -> LifeEvent? {
        guard let fields = Fields(root, what: ("a life event", "رحلة الحياة"), allowed: lifeEventKeys, log: &log) else { return nil }
        let id = fields.text("id", log: &log)
        if let id { checkID(id, what: ("life event id", "معرّف رحلة الحياة"), line: fields["id"]?.line ?? fields.line, log: &log) }
        let title = fields.localized("title", log: &log)
        var lines: [String: Int] = [:]
        var services: [String] = []
        if case .sequence(let items, _)? = fields["services"] {
            for item in items {
                guard let service = fields.scalar(item, "services", log: &log) else { continue }
                if let first = lines[service] {
                    log.add(item.line, "service '\(service)' is listed twice (first on line \(first))",
                            ar: "الخدمة '\(service)' مذكورة مرتين (أول مرة في السطر \(first))")
                    continue
                }
                lines[service] = item.line
                services.append(service)
            }
        } else {
            log.add(fields["services"]?.line ?? fields.line, "'services' must list the services of the life event",
                    ar: "'services' يجب أن تسرد خدمات رحلة الحياة")
        }
        var after: [String: [String]] = [:]
        if let node = fields["after"] {
            if case .mapping(let pairs, _) = node {
                for pair in pairs {
                    let service = pair.key.text
                    if lines[service] == nil {
                        log.add(pair.key.line, "'after' names '\(service)', which is not in 'services'",
                                ar: "'after' تذكر '\(service)'، وهي ليست في 'services'")
                    }
                    let list = Fields.list(of: pair.value, key: "after", log: &log)
                    for earlier in list where lines[earlier] == nil {
                        log.add(pair.value.line, "'after' of '\(service)' names '\(earlier)', which is not in 'services'",
                                ar: "'after' للخدمة '\(service)' تذكر '\(earlier)'، وهي ليست في 'services'")
                    }
                    after[service, default: []] += list
                }
            } else {
                log.add(node.line, "'after' must map a service to the services before it, e.g. {b: [a]}",
                        ar: "'after' تربط كل خدمة بالخدمات التي قبلها، مثل ‎{b: [a]}")
            }
        }
        guard let id, let title else { return nil }
        let event = LifeEvent(id: id, title: title, services: services, after: after, file: log.file, lines: lines)
        if case .failure(let cycle) = event.citizenOrder() {
            log.add(fields["after"]?.line ?? fields.line,
                    "'after' has a cycle: \(cycle.services.joined(separator: " → ")); no order satisfies it",
                    ar: "في 'after' دورة: \(cycle.services.joined(separator: " → "))؛ لا ترتيب يحققها")
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
            log.add(node.line, "'\(key)' must be a list, not a mapping", ar: "'\(key)' يجب أن يكون قائمة، لا مفاتيح وقيمًا")
            return []
        }
        return items.compactMap { item in
            guard case .scalar(let scalar) = item, !scalar.isNull else {
                log.add(item.line, "'\(key)' must list single values, not \(item.kindName)",
                        ar: "'\(key)' يجب أن يسرد قيمًا مفردة، لا \(item.kindNameArabic)")
                return nil
            }
            return scalar.text
        }
    }
}
