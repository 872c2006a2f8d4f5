import Testing
@testable import MasarCore

@Suite("Plural forms")
struct PluralTests {
    @Test("Arabic counts take their six forms by CLDR's rule; English its two")
    func forms() {
        let arabic: [(Int, PluralForm)] = [(0, .zero), (1, .one), (2, .two), (3, .few), (10, .few), (11, .many), (99, .many),
                                            (100, .other), (101, .other), (102, .other), (103, .few), (111, .many), (1000, .other)]
        for (count, form) in arabic { #expect(PluralForm.of(count, in: .arabic) == form, "\(count)") }
        #expect(PluralForm.of(1, in: .english) == .one)
        for count in [0, 2, 11, 100] { #expect(PluralForm.of(count, in: .english) == .other) }
    }

    @Test("One ballot is «بطاقة واحدة», never «1 بطاقات»; a form the noun lacks falls back to other")
    func counted() {
        let ballots = Counted(ar: [.one: "بطاقة واحدة", .two: "بطاقتان", .few: "{n} بطاقات", .other: "{n} بطاقة"],
                              en: [.one: "1 ballot", .other: "{n} ballots"])
        #expect(ballots.text(1, in: .arabic) == "بطاقة واحدة")
        #expect(ballots.text(2, in: .arabic) == "بطاقتان")
        #expect(ballots.text(7, in: .arabic) == "7 بطاقات")
        #expect(ballots.text(25, in: .arabic) == "25 بطاقة")  // many → other
        #expect(ballots.text(0, in: .arabic) == "0 بطاقة")  // zero → other
        #expect(ballots.text(1, in: .english) == "1 ballot")
        #expect(ballots.text(3, in: .english) == "3 ballots")
    }
}
