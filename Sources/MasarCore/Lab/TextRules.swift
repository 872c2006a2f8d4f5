import Foundation

/// A text field of the lab: its name in refusals, whether it holds one line or several, and
/// how long it may be. Lengths are counted as a browser counts a form's `maxlength` (UTF-16
/// code units: an emoji counts two), so a form never sends what the store refuses, and
/// combining marks piled on one letter still count.
public struct TextField: Sendable, Equatable {
    public enum Lines: Sendable {
        case one, many

        /// The only control characters a field keeps: a line break in a multi-line field.
        var allowedControls: Set<Unicode.Scalar> { self == .many ? ["\n"] : [] }
    }

    /// The field in English as refusals name it; `Messages.terms` has it in Arabic.
    public var name: String
    public var lines: Lines
    public var limit: Int

    public init(_ name: String, _ lines: Lines, limit: Int) {
        self.name = name
        self.lines = lines
        self.limit = limit
    }

    /// Names and labels: people, accounts, institutions, phases, labs, sectors, places.
    public static let nameLimit = 120
    /// A vote's question and a poll's options.
    public static let questionLimit = 300
    /// What people say: pain points, improvements, a review's reasons.
    public static let textLimit = 2_000

    public static let accountName = TextField("account name", .one, limit: nameLimit)
    public static let participantName = TextField("participant name", .one, limit: nameLimit)
    public static let institution = TextField("institution", .one, limit: nameLimit)
    public static let phaseName = TextField("phase name", .one, limit: nameLimit)
    public static let labName = TextField("lab name", .one, limit: nameLimit)
    public static let sector = TextField("sector", .one, limit: nameLimit)
    public static let targetService = TextField("target service", .one, limit: nameLimit)
    public static let place = TextField("place", .one, limit: nameLimit)
    public static let voteQuestion = TextField("vote question", .one, limit: questionLimit)
    public static let pollOption = TextField("poll option", .one, limit: questionLimit)
    public static let painPointText = TextField("pain point text", .many, limit: textLimit)
    public static let improvementText = TextField("improvement text", .many, limit: textLimit)
    public static let reviewReasons = TextField("review reasons", .many, limit: textLimit)
    /// A SHA-256 in hex.
    public static let documentHash = TextField("document hash", .one, limit: 64)

    /// The limits as the web's forms give them to `maxlength`.
    public static let formLimits = ["name": nameLimit, "question": questionLimit, "text": textLimit]
}

/// Characters that make a text lie about itself, and the look-alike test for account names.
/// Pure functions: the store, the loaders and every output ask these, and nothing else decides.
public enum TextRules {
    /// Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what
    /// is shown around them, so that `gnp.exe` reads `exe.png`.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// Unicode's control characters (category Cc: C0, DEL and C1), ANSI's escape among them.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }

    /// The first control or bidi character of `text` outside `allowed`.
    public static func hiddenCharacter(in text: some StringProtocol, allowing allowed: Set<Unicode.Scalar> = []) -> Unicode.Scalar? {
        text.unicodeScalars.first { (isControl($0) && !allowed.contains($0)) || isBidiControl($0) }
    }

    /// True when the text is written in Arabic letters (the Arabic and Arabic Supplement blocks).
    public static func isArabic(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) || (0x0750...0x077F).contains($0.value) }
    }

    /// `U+202E`, as refusals name a character that cannot be shown.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `text` without bidi controls: how pages and diagrams show text stored before they were refused.
    public static func withoutBidiControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isBidiControl) else { return text }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.filter { !isBidiControl($0) })
        return String(kept)
    }

    /// `text` for a terminal: every control and bidi character written `\u001B`, so an ANSI
    /// escape in a stored name is read, never run. The form is JSON's, so JSON output stays JSON.
    /// Line breaks and tabs stay when `keepingLayout` (the output's own lines and columns).
    public static func escapingControls(_ text: String, keepingLayout: Bool) -> String {
        let kept: Set<Unicode.Scalar> = keepingLayout ? ["\n", "\t"] : []
        guard hiddenCharacter(in: text, allowing: kept) != nil else { return text }
        var escaped = ""
        for scalar in text.unicodeScalars {
            if (isControl(scalar) && !kept.contains(scalar)) || isBidiControl(scalar) {
                escaped += "\\u" + codePoint(scalar).dropFirst(2)
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    // MARK: - Account names

    /// An account name as it is stored: NFKC, so that full-width letters, ligatures and
    /// presentation forms are stored as the letters they show.
    public static func accountName(_ typed: String) -> String {
        typed.precomposedStringWithCompatibilityMapping
    }

    /// What a name looks like, for telling two names apart: NFKC, case-folded, invisible
    /// characters removed, white space folded, and letters that look alike across Arabic and
    /// Persian, and across Latin, Cyrillic and Greek, made one. Two accounts whose names have the
    /// same skeleton would be told apart by nobody reading them.
    public static func skeleton(_ name: String) -> String {
        let folded = accountName(name).folding(options: .caseInsensitive, locale: nil)
        var skeleton = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if scalar.properties.isDefaultIgnorableCodePoint || scalar == "\u{0640}" { continue }  // tatweel only stretches a letter
            if scalar.properties.isWhitespace {
                pendingSpace = !skeleton.isEmpty
                continue
            }
            if pendingSpace { skeleton.append(" ") }
            pendingSpace = false
            let mapped = lookAlikes[scalar] ?? scalar
            // A capital I, once folded, is drawn as a small l, a 1 or a bar: one stroke, one letter.
            skeleton.append(["l", "1", "|", "\u{0131}"].contains(mapped) ? "i" : mapped == "0" ? "o" : mapped)
        }
        return String(skeleton).precomposedStringWithCompatibilityMapping.replacingOccurrences(of: "rn", with: "m")
    }

    /// Letters drawn the same as another, mapped to it (after case folding, so capitals are here
    /// as their small letters): Persian and Arabic forms of one letter, Arabic-Indic and Persian
    /// digits, and Cyrillic and Greek letters drawn like Latin ones.
    static let lookAlikes: [Unicode.Scalar: Unicode.Scalar] = {
        var table: [Unicode.Scalar: Unicode.Scalar] = [
            "\u{06CC}": "\u{064A}", "\u{0649}": "\u{064A}",  // Persian yeh, alef maksura → yeh
            "\u{06A9}": "\u{0643}",                          // keheh → kaf
            "\u{06D5}": "\u{0647}", "\u{06C1}": "\u{0647}",  // ae, heh goal → heh
        ]
        for digit in 0...9 {
            let ascii = Unicode.Scalar(0x30 + UInt32(digit))!
            table[Unicode.Scalar(0x0660 + UInt32(digit))!] = ascii  // Arabic-Indic
            table[Unicode.Scalar(0x06F0 + UInt32(digit))!] = ascii  // Persian
        }
        let latin: [(String, String)] = [
            ("аеорсхуіјѕԁһԛԝвнкмтӏ", "aeopcxyijsdhqwbhkmtl"),  // Cyrillic
            ("αβεζηικμνορτυχ", "abezhikmnoptyx"),               // Greek
        ]
        for (from, to) in latin {
            for (a, b) in zip(from.unicodeScalars, to.unicodeScalars) { table[a] = b }
        }
        return table
    }()
}

extension LabRules {
    /// `text` as `field` stores it, or why it cannot be: a multi-line field's CRLF line breaks
    /// (as browsers send them) become LF; then no control character but that LF, no bidi
    /// control, and no more than the field's limit.
    public static func text(_ text: String, _ field: TextField) -> Result<String, Refusal> {
        let text = field.lines == .many ? text.replacing("\r\n", with: "\n") : text
        if let refusal = hiddenCharacters(text, field: field.name, allowing: field.lines.allowedControls) {
            return .failure(refusal)
        }
        let length = text.utf16.count
        guard length <= field.limit else {
            return .failure(Refusal(.textTooLong, ["field": field.name, "length": String(length), "limit": String(field.limit)]))
        }
        return .success(text)
    }

    /// Bilingual `text` as `field` stores it, or why it cannot be: English and Arabic each as
    /// `text(_:_:)` takes them, a blank one (as an empty form field sends it) left out, and at
    /// least one of the two given.
    public static func text(_ text: LocalizedText, _ field: TextField) -> Result<LocalizedText, Refusal> {
        func taken(_ text: String?) -> Result<String?, Refusal> {
            guard let text, !text.allSatisfy(\.isWhitespace) else { return .success(nil) }
            return Self.text(text, field).map { $0 }
        }
        return taken(text.en).flatMap { en in
            taken(text.ar).flatMap { ar in
                en == nil && ar == nil ? .failure(Refusal(.textMissing, ["field": field.name])) : .success(LocalizedText(en: en, ar: ar))
            }
        }
    }

    /// Why `text` cannot be taken for `field`, if it holds a control character outside `allowed`
    /// or a bidi control. Loaders of files ask this of every value, to say where it stands.
    public static func hiddenCharacters(_ text: some StringProtocol, field: String,
                                        allowing allowed: Set<Unicode.Scalar> = []) -> Refusal? {
        guard let scalar = TextRules.hiddenCharacter(in: text, allowing: allowed) else { return nil }
        return Refusal(TextRules.isBidiControl(scalar) ? .bidiControl : .controlCharacter,
                       ["field": field, "character": TextRules.codePoint(scalar)])
    }
}

extension Result where Failure == Refusal {
    /// The refusal, when the rule refused.
    public var refusal: Refusal? {
        if case .failure(let refusal) = self { return refusal }
        return nil
    }
}
