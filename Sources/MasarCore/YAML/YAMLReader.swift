import CYaml

/// Reads YAML text into a `YAMLNode` tree through libyaml's event stream.
///
/// Yams' own `compose` builds richer nodes and resolves every scalar's tag by regular
/// expression; on a national catalogue that is ten times slower than the events themselves,
/// so the loader walks libyaml (the copy Yams bundles) directly.
/// Aliases are kept cheap and bounded: an alias shares its anchor's node, and the size the
/// tree would have once every alias is expanded is counted as it is built, so a
/// "billion laughs" file is refused long before it could grow.
public struct YAMLReader {
    /// How many nodes a document may hold with its aliases expanded.
    public var nodeLimit: Int

    public init(nodeLimit: Int = 1_000_000) {
        self.nodeLimit = nodeLimit
    }

    /// Why a text could not be read as one YAML document.
    public struct Failure: Error, Equatable {
        public var line: Int
        public var message: String
        /// The same in Arabic (libyaml's own words for a syntax error stay English within it).
        public var arabic: String
    }

    /// Parses exactly one document; an empty text or a second document is a failure.
    public func read(_ text: String) throws(Failure) -> YAMLNode {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(Failure) in
            var session = Session(nodeLimit: nodeLimit)
            return try session.parse(buffer)
        }
    }
}

private struct Session {
    let nodeLimit: Int
    var parser = yaml_parser_t()
    var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    var expandedSize = 0

    init(nodeLimit: Int) {
        self.nodeLimit = nodeLimit
    }

    mutating func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws(Failure) -> YAMLNode {
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Failure(line: 1, message: "the YAML parser could not start (out of memory)",
                          arabic: "تعذّر بدء قارئ YAML (نفدت الذاكرة)")
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

        var event = try next()
        defer { yaml_event_delete(&event) }
        guard event.type == YAML_STREAM_START_EVENT else { throw unexpected(event) }
        yaml_event_delete(&event)
        event = try next()
        if event.type == YAML_STREAM_END_EVENT {
            throw Failure(line: 1, message: "the file is empty", arabic: "الملف فارغ")
        }
        guard event.type == YAML_DOCUMENT_START_EVENT else { throw unexpected(event) }
        yaml_event_delete(&event)
        event = try next()
        let (root, _) = try node(from: &event)
        yaml_event_delete(&event)
        event = try next() // document end
        yaml_event_delete(&event)
        event = try next()
        if event.type == YAML_DOCUMENT_START_EVENT {
            throw Failure(line: Int(event.start_mark.line) + 1,
                          message: "a second YAML document starts here; a file holds one",
                          arabic: "يبدأ هنا مستند YAML ثانٍ؛ الملف يحوي مستندًا واحدًا")
        }
        return root
    }

    typealias Failure = YAMLReader.Failure

    mutating func next() throws(Failure) -> yaml_event_t {
        var event = yaml_event_t()
        guard yaml_parser_parse(&parser, &event) == 1 else {
            throw Failure(line: Int(parser.problem_mark.line) + 1, message: "not valid YAML: " + syntaxMessage(),
                          arabic: "ليس YAML صالحًا: " + syntaxMessage(in: .arabic))
        }
        return event
    }

    /// libyaml's own words (English), and where the construct it was reading began.
    func syntaxMessage(in language: Language = .english) -> String {
        var message = parser.problem.map { String(cString: $0) } ?? "unreadable text"
        if let context = parser.context {
            let line = parser.context_mark.line + 1
            message += " " + String(cString: context) + (language == .arabic ? " (من السطر \(line))" : " (from line \(line))")
        }
        return message
    }

    func unexpected(_ event: yaml_event_t) -> Failure {
        Failure(line: Int(event.start_mark.line) + 1, message: "unexpected YAML structure", arabic: "بنية YAML غير متوقعة")
    }

    /// Builds the node `event` starts, consuming its events; returns it with its expanded size.
    mutating func node(from event: inout yaml_event_t) throws(Failure) -> (YAMLNode, Int) {
        let line = Int(event.start_mark.line) + 1
        switch event.type {
        case YAML_ALIAS_EVENT:
            let name = String(cString: event.data.alias.anchor)
            guard let anchored = anchors[name] else {
                throw Failure(line: line, message: "alias '*\(name)' names no anchor defined before it",
                              arabic: "الاسم المستعار '*\(name)' لا يشير إلى مرساة معرّفة قبله")
            }
            try count(anchored.size, line: line)
            return anchored

        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length),
                              as: UTF8.self)
            let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE && scalar.tag == nil
            try count(1, line: line)
            let result = (YAMLNode.scalar(YAMLScalar(text: text, isPlain: plain, line: line)), 1)
            remember(anchor: scalar.anchor, result)
            return result

        case YAML_SEQUENCE_START_EVENT:
            let anchor = event.data.sequence_start.anchor.map { String(cString: $0) }
            try count(1, line: line)
            var items: [YAMLNode] = []
            var size = 1
            while true {
                var child = try next()
                defer { yaml_event_delete(&child) }
                if child.type == YAML_SEQUENCE_END_EVENT { break }
                let (item, itemSize) = try node(from: &child)
                items.append(item)
                size += itemSize
            }
            let result = (YAMLNode.sequence(items, line: line), size)
            if let anchor { anchors[anchor] = result }
            return result

        case YAML_MAPPING_START_EVENT:
            let anchor = event.data.mapping_start.anchor.map { String(cString: $0) }
            try count(1, line: line)
            var pairs: [YAMLPair] = []
            var size = 1
            while true {
                var keyEvent = try next()
                defer { yaml_event_delete(&keyEvent) }
                if keyEvent.type == YAML_MAPPING_END_EVENT { break }
                let (keyNode, keySize) = try node(from: &keyEvent)
                guard case .scalar(let key) = keyNode else {
                    throw Failure(line: keyNode.line, message: "a mapping key must be a single value, not \(keyNode.kindName)",
                                  arabic: "المفتاح يجب أن يكون قيمة واحدة، لا \(keyNode.kindNameArabic)")
                }
                var valueEvent = try next()
                defer { yaml_event_delete(&valueEvent) }
                let (value, valueSize) = try node(from: &valueEvent)
                pairs.append(YAMLPair(key: key, value: value))
                size += keySize + valueSize
            }
            let result = (YAMLNode.mapping(pairs, line: line), size)
            if let anchor { anchors[anchor] = result }
            return result

        default:
            throw unexpected(event)
        }
    }

    mutating func remember(anchor: UnsafeMutablePointer<yaml_char_t>?, _ result: (YAMLNode, Int)) {
        if let anchor { anchors[String(cString: anchor)] = result }
    }

    /// Adds `nodes` to the expanded size, refusing once it passes the limit.
    mutating func count(_ nodes: Int, line: Int) throws(Failure) {
        expandedSize += nodes
        if expandedSize > nodeLimit {
            throw Failure(line: line, message: "aliases here expand the file past \(nodeLimit) values; "
                + "a service map never needs that many (a \"billion laughs\" file?)",
                          arabic: "الأسماء المستعارة هنا توسّع الملف إلى أكثر من \(nodeLimit) قيمة؛ ولا تحتاج خريطة خدمة إلى ذلك")
        }
    }
}
