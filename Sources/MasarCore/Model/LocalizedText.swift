/// Text a lab shows in English and Arabic; at least one of the two is present.
public struct LocalizedText: Equatable, Hashable, Sendable, Codable {
    public var en: String?
    public var ar: String?

    public init(en: String? = nil, ar: String? = nil) {
        self.en = en
        self.ar = ar
    }

    /// English if there is some, else Arabic: the text a terminal table shows.
    public var preferred: String { en ?? ar ?? "" }

    /// Texts given as two lists, English and Arabic, paired by position (the second English with
    /// the second Arabic); where one list is longer, its extra texts are in that language only.
    public static func paired(en: [String], ar: [String]) -> [LocalizedText] {
        (0..<max(en.count, ar.count)).map { LocalizedText(en: $0 < en.count ? en[$0] : nil, ar: $0 < ar.count ? ar[$0] : nil) }
    }

    /// Both texts, English first, as one line: for the audit log and the bilingual lab document.
    public var bothLanguages: String { [en, ar].compactMap { $0 }.joined(separator: " · ") }

    /// The text in `language` when there is some, else in the other language, with the language
    /// it is in: a page in Arabic shows an English-only text as English, and marks it so.
    public func shown(in language: Language) -> (text: String, language: Language) {
        switch language {
        case .arabic: ar.map { ($0, .arabic) } ?? (en ?? "", .english)
        case .english: en.map { ($0, .english) } ?? (ar ?? "", .arabic)
        }
    }

    /// The text of a single-language source (an old database, a BPMN name) in the language its
    /// script says: Arabic when it has Arabic letters, else English.
    public init(detecting text: String) {
        self = TextRules.isArabic(text) ? LocalizedText(ar: text) : LocalizedText(en: text)
    }
}

/// A literal text is in the language its script says (`init(detecting:)`): `"Long wait"` is
/// English and `"انتظار طويل"` Arabic. Only literals: typed input names its language.
extension LocalizedText: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) {
        self.init(detecting: text)
    }
}
