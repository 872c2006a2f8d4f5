import MasarCore
import Foundation

/// Text as BPMN tools write it in names: line breaks and runs of spaces folded to one space.
enum BPMNText {
    static func folded(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace || $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } })
            .joined(separator: " ")
    }
}
