import Foundation
import Testing
@testable import MasarCore

/// Two plain steps, valid; tests break one thing at a time.
private let a = """
        - id: a
          title: {en: A}
          actor: Office
          channel: in-person
          duration: 1h
          next: [b]
    """
private let b = """
        - id: b
          title: {en: B}
          actor: Office
          channel: online
          duration: 1h
    """

@Suite("Loader: every rule of the format, with a bad file each")
struct LoaderTests {
    @Test("A valid map loads with every field read")
    func valid() throws {
        let service = try map(serviceYAML(volume: 60_000, current: a + "\n" + b))
        #expect(service.id == "sample")
        #expect(service.title == LocalizedText(en: "Sample service", ar: "خدمة تجريبية"))
        #expect(service.annualVolume == 60_000)
        #expect(service.current.steps.map(\.id) == ["a", "b"])
        #expect(service.current.steps[0].channel == .inPerson)
        #expect(service.future == nil)
    }

    @Test("Every issue reads in Arabic too, for a facilitator on an Arabic page: file, line and step as written")
    func arabic() {
        let yaml = serviceYAML(current: a.replacingOccurrences(of: "in-person", with: "in-persn")
                               .replacingOccurrences(of: "1h", with: "an hour") + "\n"
                               + b.replacingOccurrences(of: "duration: 1h", with: "duration: 1h\n      colour: red"))
        let issues: [MapIssue]
        do throws(MapIssues) {
            _ = try MapLoader.parse(yaml, file: "bad.yaml")
            issues = []
        } catch {
            issues = error.issues
        }
        let arabic = issues.map { $0.description(in: .arabic) }
        #expect(arabic.contains("السطر 11 من bad.yaml: الخطوة 'a': قناة غير معروفة 'in-persn' — هل تقصد 'in-person'؟"))
        #expect(arabic.contains("السطر 12 من bad.yaml: الخطوة 'a': duration 'an hour' ليست مدة (اكتب ‎15m أو 3h أو 2d أو 1w أو مثلًا 1d 4h)"))
        #expect(arabic.contains { $0.hasPrefix("السطر 19 من bad.yaml: الخطوة 'b': مفتاح غير معروف 'colour'") })
        // Every one has its Arabic, and the English stays as the terminal prints it.
        #expect(!issues.isEmpty && issues.allSatisfy { $0.arabic?.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) } == true })
        #expect(issues.map(\.description).contains("bad.yaml:11: step 'a': unknown channel 'in-persn' — did you mean 'in-person'?"))
        let broken: String
        do throws(MapIssues) {
            _ = try MapLoader.parse("id: [unclosed", file: "x.yaml")
            broken = ""
        } catch {
            broken = error.description(in: .arabic)
        }
        #expect(broken.hasPrefix("السطر 2 من x.yaml: ليس YAML صالحًا: ") && broken.hasSuffix(" (من السطر 1)"))
    }

    @Test("Ids must be unique within a path")
    func duplicateIDs() {
        let found = problems(serviceYAML(current: a + "\n" + b + "\n" + b.replacingOccurrences(of: "online", with: "phone")))
        #expect(found.contains("bad.yaml:19: step 'b': id 'b' is used again (first on line 14)"))
    }

    @Test("Every next target must exist, with the likely step suggested")
    func missingTarget() {
        let found = problems(serviceYAML(current: a.replacingOccurrences(of: "next: [b]", with: "next: [bb]") + "\n" + b))
        #expect(found.first == "bad.yaml:13: step 'a': next 'bb' is not a step of the current path — did you mean 'b'?")
    }

    @Test("Every step must be reachable from the entry")
    func unreachable() {
        let orphan = b.replacingOccurrences(of: "id: b", with: "id: c")
        let found = problems(serviceYAML(current: a + "\n" + b + "\n" + orphan))
        #expect(found == ["bad.yaml:19: step 'c': cannot be reached from the entry step 'a'"])
    }

    @Test("The entry is start: when given")
    func startEntry() throws {
        let text = serviceYAML(current: a + "\n" + b).replacingOccurrences(of: "current:\n  steps:", with: "current:\n  start: b\n  steps:")
        #expect(problems(text) == ["bad.yaml:9: step 'a': cannot be reached from the entry step 'b'"])
        let unknown = serviceYAML(current: a + "\n" + b).replacingOccurrences(of: "current:\n  steps:", with: "current:\n  start: x\n  steps:")
        #expect(problems(unknown) == ["bad.yaml:7: start 'x' is not a step of the current path"])
    }

    @Test("A loop with no way out is a trap")
    func trapCycle() {
        let loop = b + "\n      next: [c]\n" + """
                - id: c
                  title: {en: C}
                  actor: Office
                  channel: online
                  duration: 1h
                  next: [b]
            """
        let end = "\n    - {id: d, title: {en: D}, actor: Office, channel: online, duration: 1h}"
        let found = problems(serviceYAML(current: a.replacingOccurrences(of: "next: [b]", with: "next: [b, d]") + "\n" + loop + end))
        #expect(found == ["bad.yaml:14: step 'b': can never reach an end step: the flow from here loops without a way out",
                          "bad.yaml:20: step 'c': can never reach an end step: the flow from here loops without a way out"])
    }

    @Test("Probabilities adding up to more than 1 are refused")
    func probabilitiesOverOne() {
        let text = a.replacingOccurrences(of: "next: [b]", with: "next: [{to: b, probability: 0.7}, {to: c, probability: 0.6}]")
        let found = problems(serviceYAML(current: text + "\n" + b + "\n" + b.replacingOccurrences(of: "id: b", with: "id: c")))
        #expect(found == ["bad.yaml:13: step 'a': branch probabilities add up to 1.3, more than 1"])
    }

    @Test("When every edge has a probability they must add up to 1")
    func probabilitiesShort() {
        let text = a.replacingOccurrences(of: "next: [b]", with: "next: [{to: b, probability: 0.5}, {to: c, probability: 0.3}]")
        let found = problems(serviceYAML(current: text + "\n" + b + "\n" + b.replacingOccurrences(of: "id: b", with: "id: c")))
        #expect(found == ["bad.yaml:13: step 'a': every edge has a probability, but they add up to 0.8 instead of 1"])
        let single = a.replacingOccurrences(of: "next: [b]", with: "next: [{to: b, probability: 0.5}]")
        #expect(problems(serviceYAML(current: single + "\n" + b)) ==
            ["bad.yaml:13: step 'a': every edge has a probability, but they add up to 0.5 instead of 1"])
    }

    @Test("Probabilities of 1 leave an edge without one that could never be taken")
    func deadEdge() {
        let text = a.replacingOccurrences(of: "next: [b]", with: "next: [{to: b, probability: 1}, c]")
        let found = problems(serviceYAML(current: text + "\n" + b + "\n" + b.replacingOccurrences(of: "id: b", with: "id: c")))
        #expect(found == ["bad.yaml:13: step 'a': probabilities already add up to 1, so the edge to 'c' (with none) could never be taken"])
    }

    @Test("A probability must lie in (0, 1]")
    func probabilityRange() {
        for bad in ["0", "-0.2", "1.5", "often"] {
            let text = a.replacingOccurrences(of: "next: [b]", with: "next: [{to: b, probability: \(bad)}, c]")
            let found = problems(serviceYAML(current: text + "\n" + b + "\n" + b.replacingOccurrences(of: "id: b", with: "id: c")))
            #expect(found.contains("bad.yaml:13: step 'a': probability '\(bad)' must be a number more than 0 and at most 1"))
        }
    }

    @Test("A step may not list the same next step twice")
    func duplicateEdge() {
        let found = problems(serviceYAML(current: a.replacingOccurrences(of: "next: [b]", with: "next: [b, b]") + "\n" + b))
        #expect(found == ["bad.yaml:13: step 'a': next lists 'b' twice"])
    }

    @Test("Only known channels, with a suggestion for a typo")
    func unknownChannel() {
        let found = problems(serviceYAML(current: a.replacingOccurrences(of: "in-person", with: "inperson") + "\n" + b))
        #expect(found == ["bad.yaml:11: step 'a': unknown channel 'inperson' — did you mean 'in-person'?"])
        let far = problems(serviceYAML(current: a.replacingOccurrences(of: "in-person", with: "pigeon") + "\n" + b))
        #expect(far == ["bad.yaml:11: step 'a': unknown channel 'pigeon' (one of in-person, online, phone, kiosk, automatic)"])
    }

    @Test("Durations and efforts must parse")
    func badDuration() {
        for bad in ["soon", "3x", "1h 2d", "-1h", "h"] {
            let found = problems(serviceYAML(current: a.replacingOccurrences(of: "duration: 1h", with: "duration: \(bad)") + "\n" + b))
            #expect(found == ["bad.yaml:12: step 'a': duration '\(bad)' is not a duration (write 15m, 3h, 2d, 1w or e.g. 1d 4h)"])
        }
        let effort = problems(serviceYAML(current: a + "\n      effort: lots\n" + b))
        #expect(effort == ["bad.yaml:14: step 'a': effort 'lots' is not a duration (write 15m, 3h, 2d, 1w or e.g. 1d 4h)"])
    }

    @Test("Fees are OMR with at most three decimals")
    func badFee() {
        for bad in ["1.2345", "-1", "free", "1,5"] {
            let found = problems(serviceYAML(current: a + "\n      fee: \(bad)\n" + b))
            #expect(found == ["bad.yaml:14: step 'a': fee '\(bad)' is not an amount in OMR with at most 3 decimals (e.g. 1.500)"])
        }
    }

    @Test("replaces names current steps only, and only on future steps")
    func badReplaces() {
        let future = """
                - id: x
                  title: {en: X}
                  actor: Office
                  channel: online
                  duration: 1h
                  replaces: [a, zz]
            """
        #expect(problems(serviceYAML(current: a + "\n" + b, future: future)) ==
            ["bad.yaml:21: step 'x': replaces 'zz', which is not a step of the current path"])
        let current = problems(serviceYAML(current: a + "\n" + b + "\n      replaces: [a]"))
        #expect(current == ["bad.yaml:19: step 'b': 'replaces' belongs on future steps, to name the current steps they replace"])
    }

    @Test("Unknown keys are named with the likely key")
    func unknownKey() {
        let found = problems(serviceYAML(current: a + "\n      documnets: [civil-id]\n" + b))
        #expect(found == ["bad.yaml:14: step 'a': unknown key 'documnets' — did you mean 'documents'?"])
        let top = problems("sevrice: x\n" + serviceYAML(current: a + "\n" + b))
        #expect(top == ["bad.yaml:1: unknown key 'sevrice' (a service map takes: id, title, entity, sector, life_events, annual_volume, current, future)"])
        let volume = problems(serviceYAML(current: a + "\n" + b).replacingOccurrences(of: "annual_volume", with: "anual_volume"))
        #expect(volume == ["bad.yaml:5: unknown key 'anual_volume' — did you mean 'annual_volume'?"])
    }

    @Test("Missing required fields are each named")
    func missingFields() {
        let bare = """
                - id: a
                  title: {en: A}
            """
        let found = problems(serviceYAML(current: bare))
        #expect(found == ["bad.yaml:8: step 'a': missing 'actor' (an institution, or citizen)",
                          "bad.yaml:8: step 'a': missing 'channel' (one of in-person, online, phone, kiosk, automatic)",
                          "bad.yaml:8: step 'a': missing 'duration' (e.g. 15m, 3h, 2d, 1w)"])
        #expect(problems("id: x\ntitle: {en: X}\n") == [
            "bad.yaml:1: missing 'entity' (the institution that owns the service)",
            "bad.yaml:1: missing 'sector'",
            "bad.yaml:1: missing 'current' (the current path: current: {steps: […]})"])
    }

    @Test("Ids hold lower-case letters, digits and dashes")
    func badIDs() {
        let text = serviceYAML(current: a.replacingOccurrences(of: "id: a", with: "id: A_1")
                                .replacingOccurrences(of: "next: [b]", with: "next: [b]") + "\n" + b)
            .replacingOccurrences(of: "id: sample", with: "id: Sample Service")
        let found = problems(text)
        #expect(found.contains("bad.yaml:1: service id 'Sample Service' may hold only lower-case letters, digits and '-'"))
        #expect(found.contains("bad.yaml:8: step 'A_1': step id 'A_1' may hold only lower-case letters, digits and '-'"))
    }

    @Test("Every problem of a file is reported at once")
    func allTogether() {
        let text = a.replacingOccurrences(of: "in-person", with: "walk").replacingOccurrences(of: "next: [b]", with: "next: [q]")
            + "\n" + b.replacingOccurrences(of: "duration: 1h", with: "duration: long")
        let found = problems(serviceYAML(current: text))
        #expect(found.count == 3)
        #expect(found.contains { $0.contains("unknown channel 'walk'") })
        #expect(found.contains { $0.contains("duration 'long'") })
        #expect(found.contains { $0.contains("next 'q'") })
    }

    @Test("Wrong types get a precise message")
    func wrongTypes() {
        #expect(problems("- a\n- b\n") == ["bad.yaml:1: a map file must be a mapping with 'id', 'title', … at the top, not a list"])
        #expect(problems("just text\n") == ["bad.yaml:1: a map file must be a mapping with 'id', 'title', … at the top, not a single value"])
        let stepsMapping = "id: x\ntitle: {en: X}\nentity: E\nsector: s\ncurrent:\n  steps: {a: 1}\n"
        #expect(problems(stepsMapping) == ["bad.yaml:6: 'steps' must be a list of steps, not a mapping"])
        let titleList = serviceYAML(current: a + "\n" + b).replacingOccurrences(of: "title: {en: A}", with: "title: [A, B]")
        #expect(problems(titleList) == ["bad.yaml:9: step 'a': 'title' must be a mapping of keys, not a list"])
        let stepScalar = "id: x\ntitle: {en: X}\nentity: E\nsector: s\ncurrent:\n  steps:\n    - just-a-name\n"
        #expect(problems(stepScalar) == ["bad.yaml:7: a step must be a mapping of keys, not a single value"])
    }

    @Test("Text that is not YAML is refused with its line")
    func notYAML() {
        let found = problems("id: x\ntitle: {en: X\nentity: [\n")
        #expect(found.count == 1)
        #expect(found[0].hasPrefix("bad.yaml:"))
        #expect(found[0].contains("not valid YAML"))
        #expect(problems("id: x\n  bad indent: y\n: z\n").first?.contains("not valid YAML") == true)
    }

    @Test("Empty files, repeated keys and second documents are refused")
    func emptyAndDuplicates() {
        #expect(problems("") == ["bad.yaml:1: the file is empty"])
        #expect(problems("# only a comment\n") == ["bad.yaml:1: the file is empty"])
        let twice = serviceYAML(current: a + "\n" + b).replacingOccurrences(of: "sector: test", with: "sector: test\nsector: health")
        #expect(problems(twice) == ["bad.yaml:5: 'sector' is given twice (first on line 4)"])
        let second = serviceYAML(current: a + "\n" + b) + "---\nid: other\n"
        #expect(problems(second) == ["bad.yaml:19: a second YAML document starts here; a file holds one"])
    }

    @Test("A billion-laughs file is refused within a second")
    func billionLaughs() {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...12 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
        }
        text += "id: x\n"
        let started = ContinuousClock.now
        let found = problems(text)
        #expect(ContinuousClock.now - started < .seconds(1))
        #expect(found.count == 1)
        #expect(found[0].contains("aliases here expand the file past 1000000 values"))
    }

    @Test("Aliases within reason are fine")
    func modestAliases() throws {
        let text = serviceYAML(current: a + "\n      documents: &ids [civil-id, photo]\n" + b + "\n      documents: *ids")
        let service = try map(text)
        #expect(service.current.steps[1].documents == ["civil-id", "photo"])
    }

    @Test("Files over 1 MiB and files that are not UTF-8 are refused before parsing")
    func fileLimits() throws {
        let big = serviceYAML(current: a + "\n" + b) + "# " + String(repeating: "x", count: 1 << 20) + "\n"
        let latin1 = Data([0x69, 0x64, 0x3A, 0x20, 0xE9, 0x0A])
        let folder = try temporaryFolder(["big.yaml": big])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try latin1.write(to: URL(fileURLWithPath: folder + "/latin1.yaml"))
        #expect(throws: MapIssues.self) { try MapLoader.load(file: folder + "/big.yaml") }
        do throws(MapIssues) {
            _ = try MapLoader.load(file: folder + "/big.yaml")
        } catch {
            #expect(error.description == "\(folder)/big.yaml:1: the file has \(big.utf8.count) bytes; a map may have at most 1048576 (1 MiB)")
        }
        do throws(MapIssues) {
            _ = try MapLoader.load(file: folder + "/latin1.yaml")
            Issue.record("a Latin-1 file loaded")
        } catch {
            #expect(error.description == "\(folder)/latin1.yaml:1: not UTF-8 text; save the map as UTF-8")
        }
    }

    @Test("A title may be one string; Arabic script goes to Arabic")
    func plainTitles() throws {
        let text = serviceYAML(current: a + "\n" + b)
            .replacingOccurrences(of: "title: {en: A}", with: "title: تقديم الطلب")
            .replacingOccurrences(of: "title: {en: B}", with: "title: Review")
        let service = try map(text)
        #expect(service.current.steps[0].title == LocalizedText(ar: "تقديم الطلب"))
        #expect(service.current.steps[1].title == LocalizedText(en: "Review"))
    }
}
