import Foundation
import MasarCore
import Testing
@testable import MasarBPMN

/// Every refusal and warning of the importer is written in Arabic too, for a page in Arabic;
/// the English (the terminal, the YAML header) stays as it was.
@Suite struct ArabicMessageTests {
    /// Whether `text` holds Arabic letters, and only Western digits.
    static func readsAsArabic(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        return scalars.contains { (0x0621...0x064A).contains($0.value) }
            && !scalars.contains { (0x0660...0x0669).contains($0.value) || (0x06F0...0x06F9).contains($0.value) }
    }

    @Test func aRefusalIsWrittenInArabicAsWellAsEnglish() throws {
        let text = MappingTests.bpmn("""
            <process id="p" name="Forever"><startEvent id="s"/><task id="a" name="A"/><task id="b" name="B"/>
              <sequenceFlow id="f1" sourceRef="s" targetRef="a"/><sequenceFlow id="f2" sourceRef="a" targetRef="b"/>
              <sequenceFlow id="f3" sourceRef="b" targetRef="a"/></process>
            """)
        let refusal = try #require(MappingTests.read(text).refused.first)
        #expect(refusal.description == "model.bpmn:3: from 'A' the flow never reaches an end: it loops with no way out in process 'Forever'")
        #expect(refusal.description(in: .english) == refusal.description)
        #expect(refusal.arabic == "لا يبلغ التدفق من 'A' أي نهاية: فهو يدور في حلقة لا مخرج منها في العملية 'Forever'")
        #expect(refusal.description(in: .arabic) == "السطر 3 من model.bpmn: " + refusal.arabic)
        // As the web hands it on: a map issue that reads in the page's language.
        let issue = MapIssue(file: refusal.file, line: refusal.line, message: refusal.message, arabic: refusal.arabic)
        #expect(issue.description(in: .arabic) == refusal.description(in: .arabic))
    }

    @Test func aWarningIsWrittenInArabicAndTheYAMLHeaderStaysEnglish() throws {
        let text = MappingTests.bpmn(MappingTests.checkOrEnd)
        let imported = try MappingTests.only(text)
        let english = "'Check the form' (line 4) can end the process or go on: the end step 'form-accepted' stands for that end"
        let arabic = "'Check the form' (السطر 4): قد تُنهي العملية أو تستمر، وخطوة النهاية 'form-accepted' تمثّل تلك النهاية"
        #expect(imported.warnings == [english])
        #expect(imported.warnings(in: .english) == [english])
        #expect(imported.warnings(in: .arabic) == [arabic])
        #expect(imported.warningNotes == [BPMNImport.Note(en: english, ar: arabic)])
        #expect(imported.yaml.contains("#   - " + english))
        #expect(!Self.readsAsArabic(imported.yaml))
    }

    @Test func aSkippedPoolIsWrittenInArabic() {
        let text = MappingTests.bpmn("""
            <process id="black-box"/>
            <process id="p" name="Notify"><startEvent id="s"/><endEvent id="e"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/></process>
            """)
        let result = MappingTests.read(text, file: "A.1.0.bpmn")
        #expect(result.skipped == ["process 'black-box' is empty (a pool drawn as a black box)"])
        #expect(result.skipped(in: .arabic) == ["العملية 'black-box' فارغة (حوضٌ مرسوم صندوقًا أسود)"])
        #expect(result.refused.map { $0.description(in: .arabic) } == ["السطر 4 من A.1.0.bpmn: ليس في العملية 'Notify' أي مهمة"])
    }

    /// Every reason and warning the reference models and the reviewer's cases give, pools apart
    /// and joined, has Arabic that reads as Arabic, with Western digits.
    @Test(arguments: [false, true])
    func everyMessageOfTheCorpusAndTheCasesHasArabic(joinPools: Bool) throws {
        let folders = [CorpusTests.folder, EdgeCaseTests.folder]
        let paths = try folders.flatMap { folder in
            try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".bpmn") }.sorted()
                .map { folder.appendingPathComponent($0).path }
        }
        #expect(paths.count == 36)
        var refusals = 0, warnings = 0
        for result in BPMNImport.read(files: paths, joinPools: joinPools) {
            for refusal in result.refused {
                refusals += 1
                #expect(!refusal.message.isEmpty && !Self.readsAsArabic(refusal.message), "\(refusal)")
                #expect(Self.readsAsArabic(refusal.arabic), "\(result.file): \(refusal.arabic)")
            }
            let notes = result.imported.flatMap(\.warningNotes) + result.skippedNotes
            for note in notes {
                warnings += 1
                #expect(!note.en.isEmpty && !Self.readsAsArabic(note.en), "\(result.file): \(note.en)")
                #expect(Self.readsAsArabic(note.ar), "\(result.file): \(note.ar)")
            }
        }
        #expect(refusals >= 4 && warnings > 0)
    }

    /// The refusals of files that are broken or built to hurt, each with its Arabic.
    @Test(arguments: [
        ("<html><body/></html>",
         "ليس ملف BPMN 2.0: العنصر الجذر 'html' في نطاق الأسماء ''، وليس 'definitions' الذي يبدأ به BPMN"),
        ("<?xml version=\"1.0\"?>\n<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\">\n<process id=\"p\">\n</definitions>",
         "الملف ليس XML سليم البنية (وسم إغلاق لا يطابق وسم فتحه)"),
        ("<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><process id=\"p\"><task id=\"t\" name=\"Open&#x202E;fdp.exe\"/></process></definitions>",
         "يحتوي الحقل 'name' في العنصر task على U+202E، وهو محرف يتحكم في الاتجاه ويعيد ترتيب ما يظهر (فيبدو gnp.exe كأنه exe.png)؛ احذفه"),
        ("<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"/>", "لا يحوي الملف أي عملية"),
        ("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><definitions/>",
         "ترميز الملف 'shift_jis'؛ ويقرأ «مسار» الترميزين UTF-8 وISO-8859-1 — احفظه بترميز UTF-8"),
    ])
    func brokenFilesAreRefusedInArabic(text: String, arabic: String) throws {
        let refusal = try #require(BPMNImport.read(Data(text.utf8), file: "evil.bpmn").refused.first)
        #expect(refusal.arabic == arabic, "\(refusal.message)")
    }
}
