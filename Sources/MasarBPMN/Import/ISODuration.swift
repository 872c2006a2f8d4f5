import MasarCore

/// ISO 8601 durations as BPMN timers write them (`PT30M`, `P7D`, `P1DT2H`, `P2W`), in minutes.
/// Months and years have no fixed length; they are read as 30 and 365 days.
enum ISODuration {
    static func minutes(_ text: String) -> Minutes? {
        var rest = Substring(text.uppercased())
        guard rest.first == "P", rest.count > 1 else { return nil }
        rest = rest.dropFirst()
        var inTime = false
        var total = 0.0
        var number = ""
        for character in rest {
            if character == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
            } else if character.isNumber || character == "." || character == "," {
                number.append(character == "," ? "." : character)
            } else {
                guard let value = Double(number) else { return nil }
                let unit: Double
                switch (character, inTime) {
                case ("Y", false): unit = 365 * 1440
                case ("M", false): unit = 30 * 1440
                case ("W", false): unit = 7 * 1440
                case ("D", false): unit = 1440
                case ("H", true): unit = 60
                case ("M", true): unit = 1
                case ("S", true): unit = 1.0 / 60
                default: return nil
                }
                total += value * unit
                number = ""
            }
        }
        guard number.isEmpty, total.isFinite, total < Double(Int32.max) else { return nil }
        return Int(total.rounded())
    }
}
