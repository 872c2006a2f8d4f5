import MasarCore

/// A lab's texts in English and Arabic, as pages show them and forms take them.
extension Language {
    /// `text` for the `content` partial: in this language when it has some, else in the other,
    /// tagged with the language it is in and marked "English only" / "بالعربية فقط" in this one.
    func content(_ text: LocalizedText) -> [String: Any] {
        let shown = text.shown(in: self)
        return ["text": shown.text, "lang": shown.language.rawValue, "otherOnly": shown.language != self,
                "only": words["onlyIn." + shown.language.rawValue]!]
    }
}

extension Form {
    /// The English and Arabic of a text, from the fields `NAME-en` and `NAME-ar`; which of them
    /// must be given is the rules' to say (`LabRules.text`).
    func bilingual(_ name: String) -> LocalizedText {
        LocalizedText(en: optionalText(name + "-en"), ar: optionalText(name + "-ar"))
    }

    /// Texts one a line in `NAME-en` and `NAME-ar`, paired line by line (`LocalizedText.paired`).
    func bilingualLines(_ name: String) -> [LocalizedText] {
        func lines(_ field: String) -> [String] {
            (optionalText(field) ?? "").split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return LocalizedText.paired(en: lines(name + "-en"), ar: lines(name + "-ar"))
    }
}
