import Foundation

/// Elapsed or spent time, in whole minutes (the unit every duration in a map comes down to).
public typealias Minutes = Int

/// Money in baisa: 1 OMR = 1,000 baisa, so fees with three decimals stay exact.
public typealias Baisa = Int

/// Reading and writing the quantities of a service map: durations (`1d 4h`) and fees (`1.500`).
public enum Quantity {
    /// Minutes per unit, in the order a duration is written.
    static let durationUnits: [(symbol: UInt8, minutes: Int)] = [
        (UInt8(ascii: "w"), 7 * 24 * 60), (UInt8(ascii: "d"), 24 * 60), (UInt8(ascii: "h"), 60), (UInt8(ascii: "m"), 1),
    ]

    /// Parses `15m`, `3h`, `2d`, `1w`, combinations such as `1d 4h` or `1h30m`, decimals such
    /// as `1.5h`, and a bare `0`. Returns nil for anything else.
    public static func minutes(_ text: String) -> Minutes? {
        var total = 0.0
        var number: [UInt8] = []
        var spaceAfterNumber = false
        var lastUnit = -1
        var sawUnit = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: " ") {
                spaceAfterNumber = !number.isEmpty
                continue
            }
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".") {
                // "1 30m" is a forgotten unit, not 130 minutes.
                guard !spaceAfterNumber else { return nil }
                number.append(byte)
                continue
            }
            guard let unit = durationUnits.firstIndex(where: { $0.symbol == byte }),
                  unit > lastUnit,
                  let value = Double(String(decoding: number, as: UTF8.self))
            else { return nil }
            total += value * Double(durationUnits[unit].minutes)
            lastUnit = unit
            sawUnit = true
            number = []
            spaceAfterNumber = false
        }
        if !sawUnit { return number == [UInt8(ascii: "0")] ? 0 : nil }
        guard number.isEmpty, total <= Double(Int32.max) else { return nil }
        let rounded = total.rounded()
        guard abs(total - rounded) < 1e-9 else { return nil }
        return Int(rounded)
    }

    /// Parses a fee in OMR with at most three decimals (`1`, `0.5`, `7.500`) into baisa.
    public static func baisa(_ text: String) -> Baisa? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              let whole = parts.first, !whole.isEmpty, whole.count <= 9,
              whole.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 3, fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
              parts.count == 1 || !fraction.isEmpty
        else { return nil }
        fraction += String(repeating: "0", count: 3 - fraction.count)
        return Int(whole)! * 1000 + Int(fraction)!
    }

    /// `2 d 4 h`, `45 min`, `0`: the largest unit and the one below it, for reading at a glance.
    /// In Arabic the units are words in the plural form each count takes: `يومان و4 ساعات`, `45 دقيقة`.
    public static func format(minutes value: Double, in language: Language = .english) -> String {
        var rest = Int(value.rounded())
        if rest == 0 { return "0" }
        let units = [(TimeUnit.week, 7 * 1440), (.day, 1440), (.hour, 60), (.minute, 1)]
        guard let first = units.firstIndex(where: { rest >= $0.1 }) else { return "0" }
        if language == .english, first == units.count - 1 { return "\(rest) min" }
        var parts: [String] = []
        for (unit, size) in units[first...min(first + 1, units.count - 1)] where rest >= size {
            parts.append(unit.counted.text(rest / size, in: language))
            rest %= size
        }
        return parts.joined(separator: language == .arabic ? " و" : " ")
    }

    /// The units of a duration: short symbols in English, counted words in Arabic.
    enum TimeUnit {
        case week, day, hour, minute

        var counted: Counted {
            switch self {
            case .week: Counted(ar: [.one: "أسبوع", .two: "أسبوعان", .few: "{n} أسابيع", .many: "{n} أسبوعًا", .other: "{n} أسبوع"],
                                en: [.other: "{n} w"])
            case .day: Counted(ar: [.one: "يوم", .two: "يومان", .few: "{n} أيام", .many: "{n} يومًا", .other: "{n} يوم"],
                               en: [.other: "{n} d"])
            case .hour: Counted(ar: [.one: "ساعة", .two: "ساعتان", .few: "{n} ساعات", .many: "{n} ساعة", .other: "{n} ساعة"],
                                en: [.other: "{n} h"])
            case .minute: Counted(ar: [.one: "دقيقة", .two: "دقيقتان", .few: "{n} دقائق", .many: "{n} دقيقة", .other: "{n} دقيقة"],
                                  en: [.other: "{n} m"])
            }
        }
    }

    /// `7.500 OMR` (`7.500 ر.ع.` in Arabic): three decimals, as Omani prices are written.
    public static func format(baisa value: Double, in language: Language = .english) -> String {
        let total = Int(value.rounded())
        let sign = total < 0 ? "−" : ""
        let magnitude = abs(total)
        let fraction = String(magnitude % 1000)
        return sign + grouped(magnitude / 1000) + "." + String(repeating: "0", count: 3 - fraction.count)
            + fraction + (language == .arabic ? " ر.ع." : " OMR")
    }

    /// `1,234,567`: thousands separated, the same whatever the machine's locale.
    public static func grouped(_ value: Int) -> String {
        let digits = String(abs(value)).reversed().enumerated().reduce(into: "") { result, item in
            if item.offset > 0 && item.offset % 3 == 0 { result.append(",") }
            result.append(item.element)
        }
        return (value < 0 ? "−" : "") + String(digits.reversed())
    }

    /// `−53%`, `+12%`, `0%`; a true minus sign so it reads as one in reports.
    public static func format(relative value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let percent = Int((value * 100).rounded())
        if percent == 0 { return "0%" }
        return (percent < 0 ? "−" : "+") + "\(abs(percent))%"
    }

    /// A number with at most `decimals` decimals and no trailing zeros (`1.15`, `3`).
    public static func format(_ value: Double, decimals: Int = 2) -> String {
        var text = String(format: "%.\(decimals)f", value)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
