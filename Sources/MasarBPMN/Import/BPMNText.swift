import MasarCore
import Foundation

/// Text as BPMN tools write it in names: line breaks and runs of spaces folded to one space.
enum BPMNText {
    static func folded(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace || $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } })
            .joined(separator: " ")
    }

    /// True when the text is written in Arabic letters (and so belongs in a title's `ar`).
    static func isArabic(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) || (0x0750...0x077F).contains($0.value) }
    }
}
