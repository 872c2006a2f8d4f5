import Foundation

/// Ids for maps and steps, made from names: lower-case letters, digits and hyphens.
enum Slug {
    static func make(_ text: String) -> String {
        var out = ""
        let text = text.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: nil)
        var previous: Character?
        for character in text {
            if character.isLetter, character.isASCII {
                // camelCase ids ("reviewInvoice") split where the case turns.
                if character.isUppercase, let previous, previous.isLowercase { out += "-" }
                out += character.lowercased()
            } else if character.isASCII, character.isNumber {
                out.append(character)
            } else if !out.isEmpty, out.last != "-" {
                out += "-"
            }
            previous = character
        }
        out = String(out.prefix(60))
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// An id already lower-case, hyphenated and short: kept as it is.
    static func isReadable(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first), id.count <= 60 else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func unique(_ id: String, among used: Set<String>) -> String {
        guard used.contains(id) else { return id }
        var number = 2
        while used.contains("\(id)-\(number)") { number += 1 }
        return "\(id)-\(number)"
    }
}
