import Foundation
import MasarCore

/// A value as both backends store it: SQLite's storage classes, which PostgreSQL's columns
/// (BIGINT, DOUBLE PRECISION, TEXT, BYTEA) map onto one for one. Datetimes are text in one
/// format on both (`SQLValue.dateText`), so the audit chain hashes the same bytes everywhere.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    /// The value as the audit chain hashes it: the stored text, or nil.
    var hashedText: String? {
        switch self {
        case .null: nil
        case .integer(let int): String(int)
        case .real(let double): String(double)
        case .text(let string): string
        case .blob(let data): data.base64EncodedString()
        }
    }
}

/// A Swift value that one column holds.
public protocol SQLValueConvertible: Sendable {
    var sqlValue: SQLValue { get }
    /// Nil when the stored value is not one of this type.
    static func from(_ value: SQLValue) -> Self?
}

extension String: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(self) }
    public static func from(_ value: SQLValue) -> String? {
        if case .text(let text) = value { return text }
        return nil
    }
}

extension Int64: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self) }
    public static func from(_ value: SQLValue) -> Int64? {
        switch value {
        case .integer(let int): int
        case .real(let double): Int64(exactly: double)
        default: nil
        }
    }
}

extension Int: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(Int64(self)) }
    public static func from(_ value: SQLValue) -> Int? { Int64.from(value).map(Int.init) }
}

extension Double: SQLValueConvertible {
    public var sqlValue: SQLValue { .real(self) }
    public static func from(_ value: SQLValue) -> Double? {
        switch value {
        case .real(let double): double
        case .integer(let int): Double(int)
        default: nil
        }
    }
}

/// Stored as 0 or 1, as SQLite does; PostgreSQL's boolean results arrive so too.
extension Bool: SQLValueConvertible {
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
    public static func from(_ value: SQLValue) -> Bool? { Int64.from(value).map { $0 != 0 } }
}

extension Data: SQLValueConvertible {
    public var sqlValue: SQLValue { .blob(self) }
    public static func from(_ value: SQLValue) -> Data? {
        if case .blob(let data) = value { return data }
        return nil
    }
}

extension Date: SQLValueConvertible {
    public var sqlValue: SQLValue { .text(SQLValue.dateText(self)) }
    public static func from(_ value: SQLValue) -> Date? {
        if case .text(let text) = value { return SQLValue.date(text) }
        return nil
    }
}

extension Optional: SQLValueConvertible where Wrapped: SQLValueConvertible {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
    public static func from(_ value: SQLValue) -> Wrapped?? {
        if case .null = value { return .some(nil) }
        return Wrapped.from(value).map { .some($0) }
    }
}

/// The lab's enumerations are stored by their raw text.
public protocol SQLTextEnum: SQLValueConvertible, RawRepresentable where RawValue == String {}

extension SQLTextEnum {
    public var sqlValue: SQLValue { .text(rawValue) }
    public static func from(_ value: SQLValue) -> Self? { String.from(value).flatMap(Self.init(rawValue:)) }
}

extension Stage: SQLTextEnum {}
extension LabRole: SQLTextEnum {}
extension PainPointCategory: SQLTextEnum {}
extension PainPointSource: SQLTextEnum {}
extension ImprovementStatus: SQLTextEnum {}
extension ReviewVerdict: SQLTextEnum {}
extension Track: SQLTextEnum {}
extension ParticipantKind: SQLTextEnum {}
extension Verification: SQLTextEnum {}
extension VoteMode: SQLTextEnum {}
extension BallotOrigin: SQLTextEnum {}
extension Moderation: SQLTextEnum {}

extension SQLValue {
    /// `2023-01-01 09:30:00.000`, in UTC: the text GRDB has always written for a date, so that
    /// databases and audit chains written before keep reading the same.
    static func dateText(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let days = milliseconds.floorDivided(by: 86_400_000)
        let inDay = milliseconds - days * 86_400_000
        let (year, month, day) = civil(days: days)
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let millis = inDay % 1000
        return "\(year)-\(two(month))-\(two(day)) \(two(inDay / 3_600_000)):\(two(inDay / 60_000 % 60)):\(two(inDay / 1000 % 60))."
            + (millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)")
    }

    /// Reads `yyyy-MM-dd`, `yyyy-MM-dd HH:mm`, `yyyy-MM-dd HH:mm:ss` and `yyyy-MM-dd HH:mm:ss.SSS`
    /// (or with a `T`), in UTC, as GRDB reads them; nil for anything else.
    static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for index in range {
                let digit = Int64(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        func at(_ index: Int, _ character: Character) -> Bool { index < bytes.count && bytes[index] == character.asciiValue! }
        guard bytes.count == 10 || bytes.count == 16 || bytes.count >= 19, at(4, "-"), at(7, "-"),
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        var (hour, minute, second, millis): (Int64, Int64, Int64, Int64) = (0, 0, 0, 0)
        if bytes.count > 10 {
            guard at(10, " ") || at(10, "T"), at(13, ":"), let h = number(11..<13), let m = number(14..<16) else { return nil }
            (hour, minute) = (h, m)
        }
        if bytes.count > 16 {
            guard at(16, ":"), let s = number(17..<19) else { return nil }
            second = s
        }
        if bytes.count > 19 {
            let digits = min(bytes.count, 23) - 20
            guard at(19, "."), digits > 0, let fraction = number(20..<(20 + digits)) else { return nil }
            millis = fraction * [1, 100, 10, 1][digits]
        }
        let days = Self.days(year: year, month: month, day: day)
        let total = ((days * 24 + hour) * 60 + minute) * 60 + second
        return Date(timeIntervalSince1970: Double(total) + Double(millis) / 1000)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

private extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
