import Foundation

/// The lab's clock: Oman keeps Gulf Standard Time, UTC+04:00 all year (no daylight saving), so a
/// time typed into a form is read as Muscat's, whatever the server's zone.
enum MuscatTime {
    static let zone = TimeZone(identifier: "Asia/Muscat") ?? TimeZone(secondsFromGMT: 4 * 3600)!

    /// A `datetime-local` field's value (`2026-12-15T18:30`, seconds optional) as Muscat time; nil if it is not one.
    static func instant(_ text: String) -> Date? {
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?/) != nil else { return nil }
        let formatter = fieldFormat(text.count == 16 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss")
        formatter.isLenient = false
        return formatter.date(from: text)
    }

    /// An instant as a `datetime-local` field shows it, in Muscat time, to the minute.
    static func field(_ date: Date) -> String {
        fieldFormat("yyyy-MM-dd'T'HH:mm").string(from: date)
    }

    /// A fixed-format formatter in Muscat time, as HTML's date fields write dates.
    private static func fieldFormat(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter
    }
}
