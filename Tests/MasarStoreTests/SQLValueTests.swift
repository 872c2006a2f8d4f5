import Foundation
import GRDB
import Testing
@testable import MasarStore

/// Both backends store a datetime as the text GRDB has always written, so that databases and
/// audit chains written before read the same, and the chain hashes the same bytes on each.
@Suite("Stored values")
struct SQLValueTests {
    @Test("A date is written as GRDB writes it, and read back to the millisecond")
    func datesAsGRDBWritesThem() throws {
        var generator = SystemRandomNumberGenerator()
        // From 1900 to 2100, with milliseconds, and the edges of days, leap days and the epoch.
        var dates = (0..<2000).map { _ in
            Date(timeIntervalSince1970: Double(Int64.random(in: -2_208_988_800_000...4_102_444_800_000, using: &generator)) / 1000)
        }
        // and times between milliseconds, as a clock gives them
        dates += (0..<2000).map { _ in Date(timeIntervalSince1970: Double.random(in: -2e9...4e9, using: &generator)) }
        dates += [0, -0.001, 86_399.999, 951_782_400, 1_709_164_800, 1_672_531_200].map { Date(timeIntervalSince1970: $0) }
        for date in dates {
            guard case .string(let grdb) = date.databaseValue.storage else { Issue.record("GRDB wrote \(date) as a non-text"); continue }
            #expect(SQLValue.dateText(date) == grdb)
            let read = try #require(SQLValue.date(grdb))
            #expect(abs(read.timeIntervalSince(date)) < 0.001, "\(grdb)")
        }
        #expect(SQLValue.dateText(Date(timeIntervalSince1970: 1_672_574_400)) == "2023-01-01 12:00:00.000")
    }

    @Test("Shorter date texts read as GRDB reads them; anything else is no date")
    func dateTexts() {
        let noon = Date(timeIntervalSince1970: 1_672_574_400)
        #expect(SQLValue.date("2023-01-01") == Date(timeIntervalSince1970: 1_672_531_200))
        #expect(SQLValue.date("2023-01-01 12:00") == noon)
        #expect(SQLValue.date("2023-01-01T12:00:00") == noon)
        #expect(SQLValue.date("2023-01-01 12:00:00.5") == noon.addingTimeInterval(0.5))
        for bad in ["", "2023", "2023-1-01", "2023-01-01 12", "2023-01-01 12:00:0x", "2023-01-01 12:00:00.", "٢٠٢٣-٠١-٠١", "yesterday"] {
            #expect(SQLValue.date(bad) == nil, "\(bad)")
        }
    }
}
