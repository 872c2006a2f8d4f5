/// A problem found while reading a service map or life event, located for the person who wrote it.
public struct MapIssue: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var step: String?
    public var message: String

    public init(file: String, line: Int, step: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.step = step
        self.message = message
    }

    /// `FILE:LINE: step 'ID': message`, the form editors and terminals link to.
    public var description: String {
        "\(file):\(line): " + (step.map { "step '\($0)': " } ?? "") + message
    }
}

/// Every problem of one load, reported together so a facilitator fixes them in one pass.
public struct MapIssues: Error, Sendable, CustomStringConvertible {
    public var issues: [MapIssue]

    public init(_ issues: [MapIssue]) {
        self.issues = issues
    }

    public var description: String {
        issues.map(\.description).joined(separator: "\n")
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

    mutating func add(_ line: Int, step: String? = nil, _ message: String) {
        issues.append(MapIssue(file: file, line: line, step: step, message: message))
    }
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
