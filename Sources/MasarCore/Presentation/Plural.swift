import Foundation

/// The plural forms a count takes, after Unicode CLDR's rules: Arabic has six (لا بطاقات،
/// بطاقة واحدة، بطاقتان، 3 بطاقات، 11 بطاقة، 100 بطاقة), English two.
public enum PluralForm: String, CaseIterable, Sendable {
    case zero, one, two, few, many, other

    /// The form `count` takes in `language`.
    public static func of(_ count: Int, in language: Language) -> PluralForm {
        let n = abs(count)
        guard language == .arabic else { return n == 1 ? .one : .other }
        switch (n, n % 100) {
        case (0, _): return .zero
        case (1, _): return .one
        case (2, _): return .two
        case (_, 3...10): return .few
        case (_, 11...99): return .many
        default: return .other
        }
    }
}

/// A countable noun in both languages, each form a template with `{n}` for the count:
/// `Counted(ar: [.one: "بطاقة واحدة", …], en: [.one: "1 ballot", .other: "{n} ballots"])`.
public struct Counted: Sendable {
    public var ar: [PluralForm: String]
    public var en: [PluralForm: String]

    public init(ar: [PluralForm: String], en: [PluralForm: String]) {
        self.ar = ar
        self.en = en
    }

    /// `count` with this noun in `language`. A form the table lacks falls back to `other`.
    public func text(_ count: Int, in language: Language) -> String {
        let forms = language == .arabic ? ar : en
        let form = PluralForm.of(count, in: language)
        return (forms[form] ?? forms[.other] ?? "{n}").replacingOccurrences(of: "{n}", with: String(count))
    }
}
