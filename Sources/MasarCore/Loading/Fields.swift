/// A YAML mapping read as a record with known keys: unknown and repeated keys become issues.
struct Fields {
    /// Accepted entries; a few keys at most, so a list beats hashing.
    private var values: [(key: String, value: YAMLNode)] = []
    let line: Int
    let step: String?

    /// Reads `node` as a mapping of `allowed` keys; nil (with an issue) when it is not a mapping.
    /// Issues name `step`, or for a step itself (`isStep`) the id it declares.
    init?(_ node: YAMLNode, what: Wording, allowed: [String], step: String? = nil, isStep: Bool = false,
          log: inout IssueLog) {
        guard case .mapping(let pairs, let line) = node else {
            log.add(node.line, step: step, "\(what.en) must be a mapping of keys, not \(node.kindName)",
                    ar: "يُكتب \(what.ar) مفاتيحَ وقيمًا، لا \(node.kindNameArabic)")
            return nil
        }
        self.line = line
        self.step = step ?? (isStep ? Fields.id(in: pairs) : nil)
        for (index, pair) in pairs.enumerated() {
            let key = pair.key.text
            if let first = pairs[..<index].first(where: { $0.key.text == key }) {
                log.add(pair.key.line, step: self.step, "'\(key)' is given twice (first on line \(first.key.line))",
                        ar: "'\(key)' مكرر (أول مرة في السطر \(first.key.line))")
                continue
            }
            guard allowed.contains(key) else {
                let hint = didYouMean(key, among: allowed)
                    ?? (" (\(what.en) takes: \(allowed.joined(separator: ", ")))", " (مفاتيح \(what.ar): \(allowed.joined(separator: "، ")))")
                log.add(pair.key.line, step: self.step, "unknown key '\(key)'\(hint.en)", ar: "مفتاح غير معروف '\(key)'\(hint.ar)")
                continue
            }
            values.append((key, pair.value))
        }
    }

    /// The `id` of a mapping, so issues inside a step can name it before it is read.
    private static func id(in pairs: [YAMLPair]) -> String? {
        guard let pair = pairs.first(where: { $0.key.text == "id" }),
              case .scalar(let scalar) = pair.value, !scalar.isNull else { return nil }
        return scalar.text
    }

    subscript(_ key: String) -> YAMLNode? {
        guard let node = values.first(where: { $0.key == key })?.value else { return nil }
        if case .scalar(let scalar) = node, scalar.isNull { return nil }
        return node
    }

    /// A required single value.
    func text(_ key: String, log: inout IssueLog, hint: Wording = ("", "")) -> String? {
        guard let node = self[key] else {
            log.add(line, step: step, "missing '\(key)'\(hint.en)", ar: "'\(key)' مفقود\(hint.ar)")
            return nil
        }
        return scalar(node, key, log: &log)
    }

    /// An optional single value.
    func optionalText(_ key: String, log: inout IssueLog) -> String? {
        self[key].flatMap { scalar($0, key, log: &log) }
    }

    func scalar(_ node: YAMLNode, _ key: String, log: inout IssueLog) -> String? {
        guard case .scalar(let scalar) = node else {
            log.add(node.line, step: step, "'\(key)' must be a single value, not \(node.kindName)",
                    ar: "'\(key)' يجب أن يكون قيمة واحدة، لا \(node.kindNameArabic)")
            return nil
        }
        let text = scalar.text
        guard text.utf8.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else {
            log.add(node.line, step: step, "'\(key)' is empty", ar: "'\(key)' فارغ")
            return nil
        }
        // Every value of a map is one line of text shown on pages and diagrams.
        if log.refusesHiddenCharacters, let refusal = LabRules.hiddenCharacters(text, field: "'\(key)'") {
            log.add(node.line, step: step, refusal.message(in: .english), ar: refusal.message(in: .arabic))
            return nil
        }
        return text
    }

    /// A list of single values; one bare value counts as a list of one.
    func list(_ key: String, log: inout IssueLog) -> [String] {
        guard let node = self[key] else { return [] }
        switch node {
        case .scalar:
            return scalar(node, key, log: &log).map { [$0] } ?? []
        case .sequence(let items, _):
            return items.compactMap { scalar($0, key, log: &log) }
        case .mapping:
            log.add(node.line, step: step, "'\(key)' must be a list, not a mapping", ar: "'\(key)' يجب أن يكون قائمة، لا مفاتيح وقيمًا")
            return []
        }
    }

    /// Text in English and Arabic: `{en: …, ar: …}`, or one string (Arabic script goes to `ar`).
    func localized(_ key: String, log: inout IssueLog) -> LocalizedText? {
        guard let node = self[key] else {
            log.add(line, step: step, "missing '\(key)' (write {en: …, ar: …})", ar: "'\(key)' مفقود (اكتب ‎{en: …, ar: …})")
            return nil
        }
        if case .scalar = node {
            guard let text = scalar(node, key, log: &log) else { return nil }
            return text.unicodeScalars.contains(where: { (0x0600...0x06FF).contains($0.value) })
                ? LocalizedText(ar: text) : LocalizedText(en: text)
        }
        guard let fields = Fields(node, what: ("'\(key)'", "'\(key)'"), allowed: ["en", "ar"], step: step, log: &log)
        else { return nil }
        let text = LocalizedText(en: fields.optionalText("en", log: &log), ar: fields.optionalText("ar", log: &log))
        if text.en == nil && text.ar == nil {
            log.add(node.line, step: step, "'\(key)' needs an English ('en') or Arabic ('ar') text",
                    ar: "'\(key)' يحتاج إلى نص بالإنجليزية ('en') أو بالعربية ('ar')")
            return nil
        }
        return text
    }
}
