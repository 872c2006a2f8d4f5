import Foundation
import MasarCore

/// Where the command writes: results to standard output, problems to standard error. Control
/// and bidi characters in what is written (a name stored before they were refused, a value
/// repeated in a refusal) come out escaped, `\u001B`, so a terminal never runs an ANSI escape.
enum Terminal {
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((TextRules.escapingControls(text, keepingLayout: true) + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((TextRules.escapingControls(text, keepingLayout: true) + "\n").utf8))
    }

    /// Encodes `value` as indented JSON, keys sorted so that output diffs cleanly; times in
    /// ISO 8601, as the web API writes them.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
