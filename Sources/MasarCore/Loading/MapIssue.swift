/// A problem found while reading a service map or life event, located for the person who wrote it.
public struct MapIssue: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var step: String?
    /// In English, as the terminal prints it.
    public var message: String
    /// The same in Arabic, for a page in Arabic.
    public var arabic: String?

    public init(file: String, line: Int, step: String? = nil, message: String, arabic: String? = nil) {
        self.file = file
        self.line = line
        self.step = step
        self.message = message
        self.arabic = arabic
    }

    /// `FILE:LINE: step 'ID': message`, the form editors and terminals link to.
    public var description: String { description(in: .english) }

    /// The same in `language` (English where no Arabic was written). The file and step stay as
    /// written; in Arabic the line begins with Arabic words (`السطر 3 من map.yaml: …`), so that it
    /// reads right to left.
    public func description(in language: Language) -> String {
        guard language == .arabic, let arabic else { return "\(file):\(line): " + (step.map { "step '\($0)': " } ?? "") + message }
        return "السطر \(line) من \(file): " + (step.map { "الخطوة '\($0)': " } ?? "") + arabic
    }
}

/// Every problem of one load, reported together so a facilitator fixes them in one pass.
public struct MapIssues: Error, Sendable, CustomStringConvertible {
    public var issues: [MapIssue]

    public init(_ issues: [MapIssue]) {
        self.issues = issues
    }

    public var description: String { description(in: .english) }

    public func description(in language: Language) -> String {
        issues.map { $0.description(in: language) }.joined(separator: "\n")
    }
}

/// Collects the issues of one file as the loader walks it.
struct IssueLog {
    let file: String
    /// Whether a value holding a control or bidi character is an issue (`MapLoader.parse`).
    let refusesHiddenCharacters: Bool
    private(set) var issues: [MapIssue] = []

    init(file: String, refusesHiddenCharacters: Bool) {
        self.file = file
        self.refusesHiddenCharacters = refusesHiddenCharacters
    }

    /// An issue in English and Arabic: a facilitator reads it on the terminal or on a page in either.
    mutating func add(_ line: Int, step: String? = nil, _ message: String, ar arabic: String) {
        issues.append(MapIssue(file: file, line: line, step: step, message: message, arabic: arabic))
    }

    mutating func add(_ line: Int, step: String? = nil, _ words: Wording) {
        add(line, step: step, words.en, ar: words.ar)
    }
}

/// A phrase of an issue in English and in Arabic.
typealias Wording = (en: String, ar: String)

/// " — did you mean 'x'?", in both languages, when `word` looks like a typo of one of `candidates`.
func didYouMean(_ word: String, among candidates: [String]) -> Wording? {
    suggestion(for: word, among: candidates).map { (" — did you mean '\($0)'?", " — هل تقصد '\($0)'؟") }
}

/// The closest of `candidates` to a mistyped `word`, if one is close enough to be a typo.
func suggestion(for word: String, among candidates: [String]) -> String? {
    let scored = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    let allowed = max(1, min(3, best.0.count / 3))
    return best.1 <= allowed ? best.0 : nil
}

/// Levenshtein distance, counting a swap of two neighbours as one edit (typos swap letters).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
            }
        }
    }
    return table[a.count][b.count]
}
