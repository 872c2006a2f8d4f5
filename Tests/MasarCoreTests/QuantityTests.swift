import Testing
@testable import MasarCore

@Suite("Quantities: durations, fees and how they are shown")
struct QuantityTests {
    @Test("Durations in the units a facilitator writes come down to minutes", arguments: [
        ("15m", 15),
        ("3h", 180),              // 3 × 60
        ("2d", 2880),             // 2 × 24 × 60
        ("1w", 10080),            // 7 × 24 × 60
        ("1d 4h", 1680),          // 1440 + 4 × 60
        ("1h30m", 90),            // 60 + 30
        ("1h 30m", 90),
        ("1.5h", 90),             // 1.5 × 60
        ("0.5d", 720),            // 0.5 × 1440
        ("1w 1d 1h 1m", 11581),   // 10080 + 1440 + 60 + 1
        ("0", 0),
        ("0m", 0),
    ])
    func minutes(text: String, expected: Int) {
        #expect(Quantity.minutes(text) == expected)
    }

    @Test("Anything that is not a duration is refused rather than guessed", arguments: [
        "",            // nothing
        " ",           // only a space
        "15",          // a number without a unit (only a bare 0 is allowed)
        "h",           // a unit without a number
        "3x",          // an unknown unit
        "3 hours",     // words are not units
        "1m30s",       // seconds are no unit of a map
        "-1h",         // negative time
        "1h 2d",       // units must go from large to small
        "1h1h",        // a unit twice
        "1.2.3h",      // not a number
        "0.1m",        // 0.1 minute is not a whole minute
        "4h30",        // a trailing number without its unit
    ])
    func notMinutes(text: String) {
        #expect(Quantity.minutes(text) == nil)
    }

    @Test("A space inside a number is refused, not glued into a larger number")
    func spaceInsideNumber() {
        #expect(Quantity.minutes("1 30m") == nil)   // not 130
        #expect(Quantity.minutes("2 5m") == nil)    // not 25
        #expect(Quantity.minutes("1 d") == 1440)    // a space between a number and its unit is fine
    }

    @Test("Fees in OMR with up to three decimals become exact baisa", arguments: [
        ("1", 1000),          // 1 × 1000
        ("0.5", 500),         // 0.5 × 1000
        ("7.500", 7500),      // 7 × 1000 + 500
        ("0.005", 5),
        ("12.25", 12250),     // 12 × 1000 + 250
        ("0", 0),
    ])
    func baisa(text: String, expected: Int) {
        #expect(Quantity.baisa(text) == expected)
    }

    @Test("Fees that are not an amount with at most three decimals are refused", arguments: [
        "1.2345",   // four decimals: a fraction of a baisa
        "-1",       // a negative fee
        "",         // nothing
        "1.",       // a point without decimals
        ".5",       // decimals without a whole part
        "1,5",      // a comma is no decimal point
        "1.2.3",
        "OMR 1",
        "1e3",
    ])
    func notBaisa(text: String) {
        #expect(Quantity.baisa(text) == nil)
    }

    @Test("Durations are shown as the largest unit and the one below it")
    func formatMinutes() {
        #expect(Quantity.format(minutes: 3120) == "2 d 4 h")   // 3120 = 2 × 1440 + 240 = 2 d + 4 × 60
        #expect(Quantity.format(minutes: 45) == "45 min")
        #expect(Quantity.format(minutes: 90) == "1 h 30 m")    // 60 + 30
        #expect(Quantity.format(minutes: 2880) == "2 d")       // exactly 2 × 1440, no zero hours shown
        #expect(Quantity.format(minutes: 10080 + 1440 + 60) == "1 w 1 d") // the hour below days is dropped
        #expect(Quantity.format(minutes: 0) == "0")
    }

    @Test("In Arabic, durations are counted words in the plural form each count takes, and money is in ر.ع.")
    func arabicUnits() {
        #expect(Quantity.format(minutes: 3120, in: .arabic) == "يومان و4 ساعات")    // 2 d 4 h: the dual, then 3–10
        #expect(Quantity.format(minutes: 45, in: .arabic) == "45 دقيقة")          // 11–99 take the singular
        #expect(Quantity.format(minutes: 61, in: .arabic) == "ساعة ودقيقة")       // one of each: the noun alone
        #expect(Quantity.format(minutes: 2, in: .arabic) == "دقيقتان")
        #expect(Quantity.format(minutes: 15840, in: .arabic) == "أسبوع و4 أيام")  // 11 d = 7 + 4
        #expect(Quantity.format(minutes: 100 * 1440, in: .arabic) == "14 أسبوعًا ويومان") // 100 d = 14 × 7 + 2
        #expect(Quantity.format(minutes: 0, in: .arabic) == "0")
        #expect(Quantity.format(baisa: 7500, in: .arabic) == "7.500 ر.ع.")
        #expect(JourneyMetrics.Key.digitalShare.formatDelta(0.7, in: .arabic) == "+70 نقطة مئوية")   // 11–99: singular
        #expect(JourneyMetrics.Key.digitalShare.formatDelta(0.02, in: .arabic) == "+نقطتان مئويتان")  // the dual
        #expect(JourneyMetrics.Key.digitalShare.formatDelta(-0.05, in: .arabic) == "−5 نقاط مئوية")   // 3–10: plural
        #expect(JourneyMetrics.Key.digitalShare.formatDelta(0.7) == "+70 pp")
        #expect(JourneyMetrics.Key.elapsedMinutes.formatDelta(-180, in: .arabic) == "−3 ساعات")
    }

    @Test("Money is shown in OMR with three decimals and grouped thousands")
    func formatBaisa() {
        #expect(Quantity.format(baisa: 7500) == "7.500 OMR")          // 7500 baisa = 7.500 OMR
        #expect(Quantity.format(baisa: 1_234_500) == "1,234.500 OMR") // 1,234,500 baisa
        #expect(Quantity.format(baisa: 5) == "0.005 OMR")
        #expect(Quantity.format(baisa: 0) == "0.000 OMR")
        #expect(Quantity.format(baisa: 1000.4) == "1.000 OMR")        // rounded to whole baisa
    }

    @Test("Relative changes are whole percents with a true minus sign, and a dash when there is none")
    func formatRelative() {
        #expect(Quantity.format(relative: -0.53) == "\u{2212}53%")
        #expect(Quantity.format(relative: 0.12) == "+12%")
        #expect(Quantity.format(relative: nil) == "—")
        #expect(Quantity.format(relative: 0) == "0%")
        #expect(Quantity.format(relative: -1) == "\u{2212}100%")
        #expect(Quantity.format(relative: -0.53).unicodeScalars.first == "\u{2212}") // not "-" (U+002D)
    }
}
