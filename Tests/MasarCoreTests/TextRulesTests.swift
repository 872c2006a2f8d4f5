import Foundation
import Testing
@testable import MasarCore

private let overrideMessage = "the participant name holds U+202E, a bidi control that reorders what is shown (gnp.exe shows as exe.png); remove it"

@Suite("Text that lies: hidden characters, lengths, look-alike names")
struct TextRulesTests {
    @Test("A right-to-left override that makes gnp.exe read exe.png is refused, in both languages")
    func rightToLeftOverride() {
        let refusal = LabRules.text("photo\u{202E}gnp.exe", .participantName).refusal
        #expect(refusal?.code == .bidiControl)
        #expect(refusal?.message(in: .english) == overrideMessage)
        #expect(refusal?.message(in: .arabic)
            == "يحتوي اسم المشارك على U+202E، وهو محرف يتحكم في الاتجاه ويعيد ترتيب ما يظهر (فيبدو gnp.exe كأنه exe.png)؛ احذفه")
    }

    @Test("Every embedding, override and isolate (LRE … RLO, LRI … PDI) is refused, even where lines are allowed")
    func everyBidiControl() {
        for value in Array(0x202A...0x202E) + Array(0x2066...0x2069) {
            let scalar = Unicode.Scalar(UInt32(value))!
            let refusal = LabRules.text("a\(Character(scalar))b", .painPointText).refusal
            #expect(refusal == Refusal(.bidiControl, ["field": "pain point text", "character": TextRules.codePoint(scalar)]))
        }
        // U+2066 is written with four hex digits, as Unicode names it.
        #expect(TextRules.codePoint("\u{2066}") == "U+2066")
    }

    @Test("NUL, an ANSI escape that turns a terminal red, and DEL are refused")
    func controlCharacters() {
        #expect(LabRules.text("Ai\u{0}sha", .accountName).refusal?.message(in: .english)
            == "the account name holds the control character U+0000, which is not shown but can change what is; remove it")
        #expect(LabRules.text("\u{1B}[31mAisha", .participantName).refusal
            == Refusal(.controlCharacter, ["field": "participant name", "character": "U+001B"]))
        #expect(LabRules.text("Aisha\u{7F}", .place).refusal?.arguments["character"] == "U+007F")
        // C1 controls are category Cc too: U+009B is an 8-bit ANSI escape.
        #expect(LabRules.text("\u{9B}31m", .sector).refusal?.code == .controlCharacter)
    }

    @Test("A carriage return alone is refused, even in a multi-line field; CRLF becomes LF")
    func carriageReturns() {
        #expect(LabRules.text("first\rsecond", .painPointText).refusal
            == Refusal(.controlCharacter, ["field": "pain point text", "character": "U+000D"]))
        #expect(LabRules.text("first\r\nsecond", .painPointText) == .success("first\nsecond"))
        // A one-line field takes no line break at all, and no tab.
        #expect(LabRules.text("Aisha\nSaid", .participantName).refusal?.arguments["character"] == "U+000A")
        #expect(LabRules.text("Aisha\tSaid", .participantName).refusal?.arguments["character"] == "U+0009")
        #expect(LabRules.text("two\tcolumns", .reviewReasons).refusal?.arguments["character"] == "U+0009")
    }

    @Test("A 2,001-character pain point and a 121-character name are refused; 2,000 and 120 are taken")
    func lengths() {
        #expect(LabRules.text(String(repeating: "x", count: 2_001), .painPointText).refusal?.message(in: .english)
            == "the pain point text has 2001 characters; it may have at most 2000")
        #expect(LabRules.text(String(repeating: "x", count: 2_000), .painPointText) == .success(String(repeating: "x", count: 2_000)))
        #expect(LabRules.text(String(repeating: "n", count: 121), .participantName).refusal?.message(in: .arabic)
            == "في اسم المشارك 121 محرفًا؛ والحد الأقصى 120")
        #expect(LabRules.text(String(repeating: "n", count: 120), .participantName).refusal == nil)
        #expect(LabRules.text(String(repeating: "q", count: 301), .voteQuestion).refusal?.code == .textTooLong)
        // 120 combining accents on one letter are one character on screen, but 121 for the limit.
        let piled = "a" + String(repeating: "\u{301}", count: 120)
        #expect(piled.count == 1)
        #expect(LabRules.text(piled, .participantName).refusal?.arguments["length"] == "121")
    }

    @Test("Arabic text, emoji and line breaks in a multi-line field are taken as typed")
    func honestText() {
        let text = "الانتظار طويل جدًا عند الشباك 😞\nوالموظف يطلب نسخة ورقية\n"
        #expect(LabRules.text(text, .painPointText) == .success(text))
        // Arabic with the marks that keep numbers in order (LRM, RLM, ALM) is not a bidi control.
        #expect(LabRules.text("رقم الطلب \u{200E}12-34\u{200F}\u{061C}", .participantName).refusal == nil)
        // An emoji counts two, as a browser's maxlength counts it: 60 fit a name, 61 do not.
        #expect(LabRules.text(String(repeating: "😀", count: 60), .participantName).refusal == nil)
        #expect(LabRules.text(String(repeating: "😀", count: 61), .participantName).refusal?.arguments["length"] == "122")
    }

    @Test("Registering a person asks the text rule of their name and institution")
    func registration() {
        #expect(LabRules.register(NewParticipant(name: "photo\u{202E}gnp.exe", track: .inPerson, kind: .community))?
            .message(in: .english) == overrideMessage)
        #expect(LabRules.register(NewParticipant(name: "Salim", track: .inPerson, kind: .institution,
                                                 institution: String(repeating: "i", count: 121)))?.code == .textTooLong)
    }

    // MARK: - Skeletons: expected values written by hand

    @Test("NFC and NFD spellings of é have one skeleton")
    func composedAndDecomposed() {
        #expect(TextRules.skeleton("Jos\u{E9}") == "jos\u{E9}")
        #expect(TextRules.skeleton("Jose\u{301}") == "jos\u{E9}")
    }

    @Test("Full-width letters, capitals, a zero-width space or a soft hyphen do not make another name")
    func latinLookAlikes() {
        #expect(TextRules.skeleton("ａｉｓｈａ") == "aisha")
        #expect(TextRules.skeleton("AISHA") == "aisha")
        #expect(TextRules.skeleton("Ai\u{200B}sha") == "aisha")
        #expect(TextRules.skeleton("Ai\u{AD}sh\u{FEFF}a") == "aisha")
        #expect(TextRules.skeleton("  Aisha \u{A0} Said ") == "aisha said")
        // A different name stays different.
        #expect(TextRules.skeleton("Aysha") == "aysha")
    }

    @Test("A Cyrillic а or a Greek Α in Aisha is Aisha")
    func cyrillicAndGreek() {
        #expect(TextRules.skeleton("\u{410}isha") == "aisha")  // Cyrillic capital A
        // Latin strokes drawn alike: capital I (folded to i), small l, 1, dotless ı; O and 0; rn and m.
        #expect(TextRules.skeleton("faciIitator") == TextRules.skeleton("facilitator"))
        #expect(TextRules.skeleton("faci1itator") == TextRules.skeleton("facilitator"))
        #expect(TextRules.skeleton("fac\u{131}l\u{131}tator") == TextRules.skeleton("facilitator"))
        #expect(TextRules.skeleton("0ffice") == TextRules.skeleton("office"))
        #expect(TextRules.skeleton("rnaryam") == TextRules.skeleton("maryam"))
        #expect(TextRules.skeleton("\u{430}isha") == "aisha")  // Cyrillic small a
        #expect(TextRules.skeleton("\u{391}isha") == "aisha")  // Greek capital alpha
        #expect(TextRules.skeleton("\u{420}\u{415}\u{425}") == "pex")  // Cyrillic РЕХ
    }

    @Test("Persian and Arabic forms of one letter, digits and tatweel fold to one")
    func arabicAndPersian() {
        let ali = "\u{0639}\u{0644}\u{064A}"  // علي, with the Arabic yeh
        #expect(TextRules.skeleton("\u{0639}\u{0644}\u{06CC}") == ali)  // Persian yeh
        #expect(TextRules.skeleton("\u{0639}\u{0644}\u{0649}") == ali)  // alef maksura
        #expect(TextRules.skeleton("\u{FECB}\u{FEE0}\u{FEF2}") == ali)  // presentation forms, through NFKC
        #expect(TextRules.skeleton("\u{06A9}\u{0631}\u{064A}\u{0645}") == "\u{0643}\u{0631}\u{064A}\u{0645}")  // keheh → kaf: كريم
        #expect(TextRules.skeleton("\u{0641}\u{0627}\u{0637}\u{0645}\u{06C1}") == "\u{0641}\u{0627}\u{0637}\u{0645}\u{0647}")  // heh goal → heh
        #expect(TextRules.skeleton("\u{0645}\u{062D}\u{0640}\u{0640}\u{0645}\u{062F}") == "\u{0645}\u{062D}\u{0645}\u{062F}")  // tatweel: محمد
        #expect(TextRules.skeleton("Salim \u{0662}\u{0663}") == "saiim 23")  // Arabic-Indic digits (and l, drawn as a capital I, as i)
        #expect(TextRules.skeleton("Salim \u{06F2}\u{06F3}") == "saiim 23")  // Persian digits
    }

    @Test("Account names are stored in NFKC")
    func accountNames() {
        #expect(TextRules.accountName("ａｉｓｈａ") == "aisha")
        #expect(TextRules.accountName("Jose\u{301}") == "Jos\u{E9}")
    }

    // MARK: - Output of text stored before

    @Test("For a terminal, an ANSI escape and an override are written out, never sent")
    func terminalEscapes() {
        #expect(TextRules.escapingControls("\u{1B}[31mred\u{202E}", keepingLayout: true) == "\\u001B[31mred\\u202E")
        #expect(TextRules.escapingControls("a\nb\tc\rd", keepingLayout: true) == "a\nb\tc\\u000Dd")
        #expect(TextRules.escapingControls("a\nb", keepingLayout: false) == "a\\u000Ab")
        #expect(TextRules.withoutBidiControls("photo\u{202E}gnp.exe\u{2069}") == "photognp.exe")
    }

    // MARK: - Files

    @Test("A map with an override in a title is refused, naming file, line and key; a stored revision still reads")
    func mapWithOverride() throws {
        let yaml = """
            id: evil
            title: {en: "Invoice \u{202E}fdp.exe", ar: فاتورة}
            entity: Ministry
            sector: health
            current:
              steps:
                - id: only
                  title: "Pay \\e[31mnow"
                  actor: citizen
                  channel: online
                  duration: 1h
            """
        let issues = #expect(throws: MapIssues.self) { try MapLoader.parse(yaml, file: "evil.yaml") }
        #expect(issues?.issues.map(\.description) == [
            "evil.yaml:2: the 'en' holds U+202E, a bidi control that reorders what is shown (gnp.exe shows as exe.png); remove it",
            // A YAML escape (\e) reaches the value all the same.
            "evil.yaml:8: step 'only': the 'title' holds the control character U+001B, which is not shown but can change what is; remove it",
        ])
        // A revision stored before the rule is read as it was; its outputs drop the characters.
        #expect(try MapLoader.parseService(yaml, file: "evil revision 1", stored: true).title.en == "Invoice \u{202E}fdp.exe")
    }

    @Test("Sheets refuse a hidden character with file, line and field")
    func sheets() throws {
        let people = "name,track,kind,institution\nSalim,in-person,community,\nphoto\u{202E}gnp.exe,in-person,community,\n"
        let refused = #expect(throws: MapIssues.self) { try ParticipantSheet.read(people, file: "people.csv") }
        #expect(refused?.description == "people.csv:3: " + overrideMessage)
        let ballots = "code,choices\n9CMBAHWC,3\n\u{1B}[2J,3\n"
        let cleared = #expect(throws: MapIssues.self) { try BallotSheet.read(ballots, file: "ballots.csv") }
        #expect(cleared?.description
            == "ballots.csv:3: the code holds the control character U+001B, which is not shown but can change what is; remove it")
    }

    @Test("A bilingual text needs English or Arabic, refused in both languages when it has neither; blanks count as none")
    func oneOfTwoLanguages() throws {
        let refusal = LabRules.text(LocalizedText(en: "  ", ar: nil), .improvementText).refusal
        #expect(refusal == Refusal(.textMissing, ["field": "improvement text"]))
        #expect(refusal?.message(in: .english) == "the improvement text is empty; give it in English, in Arabic, or in both")
        #expect(refusal?.message(in: .arabic) == "نص التحسين فارغ؛ اكتبه بالعربية أو بالإنجليزية أو بكلتيهما")
        #expect(try LabRules.text(LocalizedText(en: "", ar: "موعد"), .improvementText).get() == LocalizedText(ar: "موعد"))
        #expect(try LabRules.text(LocalizedText(en: "Wait\r\nthen pay", ar: "انتظر"), .painPointText).get()
                == LocalizedText(en: "Wait\nthen pay", ar: "انتظر"))
    }

    @Test("Each language of a bilingual text is held to the field's rules: hidden characters and length")
    func bothLanguagesChecked() {
        #expect(LabRules.text(LocalizedText(en: "fine", ar: "نص\u{202E}"), .voteQuestion).refusal?.code == .bidiControl)
        #expect(LabRules.text(LocalizedText(en: String(repeating: "a", count: 301), ar: "سؤال"), .voteQuestion).refusal
                == Refusal(.textTooLong, ["field": "vote question", "length": "301", "limit": "300"]))
    }

    @Test("A text is shown in the page's language when it has one, else in the other, which is named")
    func shownInLanguage() {
        let english = LocalizedText(en: "Long wait")
        #expect(english.shown(in: .arabic) == ("Long wait", .english))
        #expect(english.shown(in: .english) == ("Long wait", .english))
        let both = LocalizedText(en: "Long wait", ar: "انتظار طويل")
        #expect(both.shown(in: .arabic) == ("انتظار طويل", .arabic))
        // Old single-language texts: Arabic letters make it Arabic, anything else English.
        #expect(LocalizedText(detecting: "Form 7 (نموذج ٧)") == LocalizedText(ar: "Form 7 (نموذج ٧)"))
        #expect(LocalizedText(detecting: "Form 7") == LocalizedText(en: "Form 7"))
        #expect(LocalizedText.paired(en: ["Yes", "No"], ar: ["نعم"]) == [LocalizedText(en: "Yes", ar: "نعم"), LocalizedText(en: "No")])
    }
}
