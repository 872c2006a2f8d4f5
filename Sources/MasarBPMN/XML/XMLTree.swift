import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import MasarCore

/// One element of an XML document, by local name and namespace, so that whatever prefix a
/// tool chose (`semantic:`, `bpmn:`, `bpmn2:`, none) reads the same.
final class XMLNode {
    let name: String
    let namespace: String
    let attributes: [String: String]
    let line: Int
    var children: [XMLNode] = []
    var text = ""

    init(name: String, namespace: String, attributes: [String: String], line: Int) {
        self.name = name
        self.namespace = namespace
        self.attributes = attributes
        self.line = line
    }

    subscript(attribute: String) -> String? { attributes[attribute] }

    func children(_ name: String, in namespace: String) -> [XMLNode] {
        children.filter { $0.name == name && $0.namespace == namespace }
    }

    func child(_ name: String, in namespace: String) -> XMLNode? {
        children.first { $0.name == name && $0.namespace == namespace }
    }
}

/// Reads an XML file that came from elsewhere, refusing before parsing what could hurt: files
/// too large, any DOCTYPE (and so any entity, external or nested: BPMN needs none), encodings
/// other than UTF-8 and ISO-8859-1, and nesting deep enough to exhaust the stack.
enum SafeXML {
    /// BPMN exports from ministries' tools run to a few megabytes at most.
    static let maxFileSize = 16 << 20
    static let maxDepth = 256

    static func read(file path: String) throws(BPMNFailure) -> XMLNode {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= maxFileSize else { throw tooLarge(size) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw BPMNFailure(line: 1, message: "cannot be read (no such file, or no permission)",
                              arabic: "تعذّرت قراءة الملف (فلا ملف بهذا الاسم، أو لا إذن بقراءته)")
        }
        defer { try? handle.close() }
        // Read one byte past the limit, so a file that grew after the check is still refused.
        let data = (try? handle.read(upToCount: maxFileSize + 1)) ?? Data()
        guard data.count <= maxFileSize else { throw tooLarge(data.count) }
        return try parse(data)
    }

    private static func tooLarge(_ size: Int) -> BPMNFailure {
        BPMNFailure(line: 1, message: "the file has \(size) bytes; a BPMN file may have at most \(maxFileSize) (16 MiB)",
                    arabic: "حجم الملف \(size) بايت؛ والحد الأقصى لملف BPMN هو \(maxFileSize) بايت (16 MiB)")
    }

    static func parse(_ data: Data) throws(BPMNFailure) -> XMLNode {
        let text = try decode(data)
        if let line = doctypeLine(text) {
            throw BPMNFailure(line: line, message:
                "the file declares a DOCTYPE; BPMN needs none, and Masar reads no DTD or entity (they can reach files and the network, or expand without end)",
                arabic: "في الملف تعريف DOCTYPE؛ ولا يحتاج BPMN إليه، ولا يقرأ «مسار» أي DTD أو كيان (entity)، إذ قد تصل إلى الملفات والشبكة أو تتضخم بلا حد")
        }
        let builder = TreeBuilder(maxDepth: maxDepth)
        let parser = XMLParser(data: Data(utf8Declared(text).utf8))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        // libxml2 recovers from some errors and `parse()` can still report success, so the
        // first error the delegate heard decides.
        let parsed = parser.parse()
        if let failure = builder.failure { throw failure }
        guard parsed, let root = builder.root else {
            throw BPMNFailure(line: max(parser.lineNumber, 1), message: "not well-formed XML (the document ends early or is empty)",
                              arabic: "الملف ليس XML سليم البنية (ينتهي المستند قبل أوانه، أو هو فارغ)")
        }
        return root
    }

    /// The text in the encoding its declaration names; the parser is then given UTF-8 only, so
    /// the DOCTYPE check above sees exactly what the parser will.
    static func decode(_ data: Data) throws(BPMNFailure) -> String {
        let bytes = [UInt8](data.prefix(4))
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.contains(0) {
            throw BPMNFailure(line: 1, message: "the file is UTF-16 or binary; save it as UTF-8",
                              arabic: "الملف بترميز UTF-16 أو ملف ثنائي؛ احفظه بترميز UTF-8")
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data
        let head = String(decoding: body.prefix(200), as: UTF8.self)
        let encoding = declaredEncoding(head)?.lowercased() ?? "utf-8"
        switch encoding {
        case "utf-8", "utf8", "us-ascii", "ascii":
            guard let text = String(validating: body, as: UTF8.self) else {
                throw BPMNFailure(line: 1, message: "the file says it is \(encoding) but is not; save it as UTF-8",
                                  arabic: "يذكر الملف أنه بترميز \(encoding) وليس كذلك؛ احفظه بترميز UTF-8")
            }
            return text
        case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
            return String(String.UnicodeScalarView(body.map { Unicode.Scalar($0) }))
        default:
            throw BPMNFailure(line: 1, message: "the file is encoded '\(encoding)'; Masar reads UTF-8 and ISO-8859-1 — save it as UTF-8",
                              arabic: "ترميز الملف '\(encoding)'؛ ويقرأ «مسار» الترميزين UTF-8 وISO-8859-1 — احفظه بترميز UTF-8")
        }
    }

    private static func declaredEncoding(_ head: String) -> String? {
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>") else { return nil }
        let declaration = head[..<end.lowerBound]
        guard let key = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[key.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    /// The text with its declaration rewritten to say UTF-8, which is what the parser receives.
    private static func utf8Declared(_ text: String) -> String {
        guard text.hasPrefix("<?xml"), let end = text.range(of: "?>") else { return text }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + text[end.upperBound...]
    }

    /// The line of a DOCTYPE in the prolog (before the root element), where XML allows one.
    static func doctypeLine(_ text: String) -> Int? {
        var rest = Substring(text)
        var line = 1
        while let open = rest.firstIndex(of: "<") {
            line += rest[..<open].count { $0 == "\n" }
            rest = rest[open...]
            if rest.hasPrefix("<!DOCTYPE") || rest.hasPrefix("<!ENTITY") { return line }
            let close: String
            if rest.hasPrefix("<?") { close = "?>" } else if rest.hasPrefix("<!--") { close = "-->" } else { return nil }
            guard let end = rest.range(of: close) else { return nil }
            line += rest[..<end.upperBound].count { $0 == "\n" }
            rest = rest[end.upperBound...]
        }
        return nil
    }
}

/// Builds the `XMLNode` tree from the parser's events, stopping at `maxDepth`.
private final class TreeBuilder: NSObject, XMLParserDelegate {
    let maxDepth: Int
    var root: XMLNode?
    var stack: [XMLNode] = []
    var failure: BPMNFailure?

    init(maxDepth: Int) {
        self.maxDepth = maxDepth
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard stack.count < maxDepth else {
            failure = BPMNFailure(line: parser.lineNumber, message: "elements nest more than \(maxDepth) deep",
                                  arabic: "تتداخل العناصر أعمق من \(maxDepth) مستوى")
            parser.abortParsing()
            return
        }
        for (attribute, value) in attributeDict.sorted(by: { $0.key < $1.key }) {
            refuseHiddenCharacters(value, field: ("'\(attribute)' of \(elementName)", "الحقل '\(attribute)' في العنصر \(elementName)"), parser)
        }
        let node = XMLNode(name: elementName, namespace: namespaceURI ?? "", attributes: attributeDict,
                           line: parser.lineNumber)
        if let parent = stack.last { parent.children.append(node) } else { root = node }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        append(string, parser)
    }

    private func append(_ text: String, _ parser: XMLParser) {
        refuseHiddenCharacters(text, field: stack.last.map { ("text of \($0.name)", "نص العنصر \($0.name)") }
                                   ?? ("text of the document", "نص المستند"), parser)
        stack.last?.text += text
    }

    /// XML's own white space, which names and text may hold: the importer folds it to spaces.
    static let whiteSpace: Set<Unicode.Scalar> = ["\t", "\n", "\r"]

    /// Names and text become a map's titles, actors and labels: a control or bidi character in
    /// them stops the file where it stands, as a map file is refused.
    /// `field` names where the character is, in English and in Arabic.
    private func refuseHiddenCharacters(_ text: String, field: (en: String, ar: String), _ parser: XMLParser) {
        guard failure == nil, let refusal = LabRules.hiddenCharacters(text, field: field.en, allowing: Self.whiteSpace) else { return }
        var inArabic = refusal
        inArabic.arguments["field"] = field.ar
        failure = BPMNFailure(line: max(parser.lineNumber, 1), message: refusal.message(in: .english),
                              arabic: inArabic.message(in: .arabic))
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        guard failure == nil else { return }
        let code = (parseError as NSError).code
        let reason = Self.reasons[code] ?? ("libxml2 error \(code)", "خطأ libxml2 رقم \(code)")
        failure = BPMNFailure(line: max(parser.lineNumber, 1), message: "not well-formed XML (\(reason.en))",
                              arabic: "الملف ليس XML سليم البنية (\(reason.ar))")
    }

    /// What the commonest libxml2 error codes mean, in a facilitator's words, English and Arabic.
    private static let reasons: [Int: (en: String, ar: String)] = [
        4: ("the document is empty", "المستند فارغ"),
        5: ("the document ends early, or has content after its root element", "ينتهي المستند قبل أوانه، أو فيه محتوى بعد عنصره الجذر"),
        9: ("a character not allowed in XML", "فيه محرف غير مسموح به في XML"),
        23: ("an entity reference without its ';'", "إشارة إلى كيان (entity) دون ';' في آخرها"),
        26: ("an entity that is not defined", "كيان (entity) غير معرَّف"),
        27: ("an entity that is not defined", "كيان (entity) غير معرَّف"),
        38: ("a '<' inside an attribute value", "'<' داخل قيمة سمة"),
        39: ("an attribute value without quotes", "قيمة سمة بلا علامتي تنصيص"),
        40: ("an attribute value that is never closed", "قيمة سمة لا تُغلق علامة تنصيصها"),
        41: ("an attribute without a value", "سمة بلا قيمة"),
        42: ("an attribute given twice", "سمة مذكورة مرتين"),
        68: ("a name is missing", "اسم ناقص"),
        73: ("a '>' is missing", "'>' ناقصة"),
        76: ("an end tag that does not match its start tag", "وسم إغلاق لا يطابق وسم فتحه"),
        77: ("an element that is never closed", "عنصر لا يُغلق"),
        201: ("a namespace prefix that is not declared", "بادئة نطاق أسماء (namespace) غير معرَّفة"),
    ]

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        append(String(decoding: CDATABlock, as: UTF8.self), parser)
    }
}
