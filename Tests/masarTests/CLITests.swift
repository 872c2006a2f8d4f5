import Foundation
import Testing

private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
}

/// A service with two rework loops, and a short future path.
///
/// Current: a → b → c; c → d (0.75) or back to b (0.25); d → e (0.8) or back to a (0.2).
private let reworkYAML = """
    id: rework
    title: {en: Rework service, ar: خدمة إعادة}
    entity: Office
    sector: test
    annual_volume: 200
    current:
      steps:
        - id: a
          title: {en: Apply}
          actor: citizen
          channel: online
          duration: 30m
          effort: 30m
          documents: [civil-id]
          next: [b]
        - id: b
          title: {en: Counter}
          actor: Office
          channel: in-person
          duration: 2h
          effort: 1h
          fee: 0.500
          documents: [civil-id, form]
          next: [c]
        - id: c
          title: {en: Check}
          actor: Ministry B
          channel: automatic
          duration: 1d
          next:
            - d
            - {to: b, when: file incomplete, probability: 0.25}
        - id: d
          title: {en: Collect}
          actor: Office
          channel: in-person
          duration: 1h
          effort: 30m
          fee: 2.000
          next:
            - e
            - {to: a, when: wrong permit, probability: 0.2}
        - id: e
          title: {en: Notify}
          actor: Office
          channel: online
          duration: 10m
    future:
      steps:
        - id: a
          title: {en: Apply}
          actor: citizen
          channel: online
          duration: 30m
          effort: 30m
          documents: [civil-id]
          next: [c]
        - id: c
          title: {en: Check}
          actor: Ministry B
          channel: automatic
          duration: 1h
          next: [e]
        - id: e
          title: {en: Notify}
          actor: Office
          channel: online
          duration: 10m

    """

// Expected walks of the current path (absorbing chain, entry a):
//   x_a = 1 + 0.2 x_d,  x_b = x_a + 0.25 x_c,  x_c = x_b,  x_d = 0.75 x_c,  x_e = 0.8 x_d
//   → x_c = x_a / 0.75 = 4/3 x_a,  x_d = 0.75 × 4/3 x_a = x_a,  x_a = 1 + 0.2 x_a → x_a = 1.25
//   → a 1.25, b 5/3, c 5/3, d 1.25, e 1.   Total walks 15/12 + 20/12 + 20/12 + 15/12 + 12/12 = 82/12.
private let xa = 1.25, xb = 5.0 / 3, xc = 5.0 / 3, xd = 1.25, xe = 1.0

/// Current figures with a travel allowance per visit (minutes) and an hour value (baisa).
private func reworkCurrent(travel: Double = 60, hourValue: Double = 2000) -> [String: Double] {
    let visits = xb + xd                                        // b and d in person: 5/3 + 5/4 = 35/12
    let effort = 30 * xa + 60 * xb + 30 * xd + travel * visits  // 37.5 + 100 + 37.5 + travel × 35/12
    let fees = 500 * xb + 2000 * xd                             // 833.33 + 2500
    let cost = fees + effort / 60 * hourValue
    return [
        "steps": 5,
        "visits": visits,
        "documents": 2,                                         // civil-id, form
        "institutions": 2,                                      // Office, Ministry B
        // a→b citizen→Office 1.25; b→c Office→Ministry B 5/3; c→d Ministry B→Office 0.75 × 5/3;
        // c→b Ministry B→Office 0.25 × 5/3; d→a Office→citizen 0.2 × 1.25; d→e stays in Office
        "handoffs": xa + xb + 0.75 * xc + 0.25 * xc + 0.2 * xd,  // = 29/6
        "elapsedMinutes": 30 * xa + 120 * xb + 1440 * xc + 60 * xd + 10 * xe, // 37.5 + 200 + 2400 + 75 + 10
        "effortMinutes": effort,
        "citizenCostBaisa": cost,
        "annualBurdenBaisa": cost * 200,
        "digitalShare": (xa + xc + xe) / (xa + xb + xc + xd + xe), // 47/12 ÷ 82/12
    ]
}

/// Future figures: a → c → e, each walked once, no visit.
private func reworkFuture(hourValue: Double = 2000) -> [String: Double] {
    let cost = 30.0 / 60 * hourValue                            // no fee; 30 min effort
    return [
        "steps": 3, "visits": 0, "documents": 1, "institutions": 2,
        "handoffs": 2,                                          // citizen→Ministry B, Ministry B→Office
        "elapsedMinutes": 30 + 60 + 10, "effortMinutes": 30,
        "citizenCostBaisa": cost, "annualBurdenBaisa": cost * 200, "digitalShare": 1,
    ]
}

private let metricKeys: Set<String> = ["steps", "visits", "documents", "institutions", "handoffs", "elapsedMinutes",
                                       "effortMinutes", "citizenCostBaisa", "annualBurdenBaisa", "digitalShare"]

/// Checks an M object: exactly the ten keys, each a number close to `expected`.
private func expectMetrics(_ value: Any?, _ expected: [String: Double], _ what: String) {
    guard let object = value as? [String: Any] else {
        Issue.record("\(what) is not an object: \(String(describing: value))")
        return
    }
    #expect(Set(object.keys) == metricKeys, "\(what)")
    for (key, number) in expected {
        let actual = (object[key] as? NSNumber)?.doubleValue
        #expect(actual.map { close($0, number) } == true, "\(what).\(key): \(String(describing: actual)) ≠ \(number)")
    }
}

/// Checks a C object: for each of the ten keys exactly before/after/delta/relative, hand-computed.
private func expectChange(_ value: Any?, before: [String: Double], after: [String: Double]) {
    guard let object = value as? [String: Any] else {
        Issue.record("change is not an object: \(String(describing: value))")
        return
    }
    #expect(Set(object.keys) == metricKeys)
    for key in metricKeys {
        guard let change = object[key] as? [String: Any], let b = before[key], let a = after[key] else {
            Issue.record("change.\(key) is missing")
            continue
        }
        #expect(Set(change.keys) == ["before", "after", "delta", "relative"], "change.\(key)")
        #expect((change["before"] as? NSNumber).map { close($0.doubleValue, b) } == true, "change.\(key).before")
        #expect((change["after"] as? NSNumber).map { close($0.doubleValue, a) } == true, "change.\(key).after")
        #expect((change["delta"] as? NSNumber).map { close($0.doubleValue, a - b) } == true, "change.\(key).delta")
        if b == 0 {
            // nothing to divide by: 0 when nothing changed, null otherwise
            if a == 0 {
                #expect((change["relative"] as? NSNumber)?.doubleValue == 0, "change.\(key).relative")
            } else {
                #expect(change["relative"] is NSNull, "change.\(key).relative")
            }
        } else {
            #expect((change["relative"] as? NSNumber).map { close($0.doubleValue, (a - b) / b) } == true,
                    "change.\(key).relative")
        }
    }
}

/// A billion-laughs file: 9¹² values once its aliases are expanded.
private let billionLaughs: String = {
    var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    for i in 1...12 {
        text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n"
    }
    return text + "id: laughs\n"
}()

/// A service with only a current path.
private let plainYAML = """
    id: plain
    title: {en: Plain, ar: بسيط}
    entity: Office
    sector: test
    current:
      steps:
        - id: only
          title: {en: Only}
          actor: Office
          channel: in-person
          duration: 1h

    """

/// Broken on line 12: `next` names a step that does not exist.
private let brokenYAML = """
    id: broken
    title: {en: Broken}
    entity: Office
    sector: test
    current:
      steps:
        - id: a
          title: {en: A}
          actor: Office
          channel: in-person
          duration: 1h
          next: [bb]
        - id: b
          title: {en: B}
          actor: Office
          channel: online
          duration: 1h

    """

@Suite("masar on the command line")
struct CLITests {
    @Test("The tool under test has been built")
    func built() {
        #expect(FileManager.default.isExecutableFile(atPath: masarBinary.path), "no masar at \(masarBinary.path)")
    }

    @Test("validate reports FILE:LINE: step 'ID': message on stderr, exits 1, and prints nothing on stdout")
    func validateBroken() throws {
        let folder = try fixtures(["broken.yaml": brokenYAML])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = (folder as NSString).appendingPathComponent("broken.yaml")
        let run = try masar(["validate", file])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(file):12: step 'a': next 'bb' is not a step of the current path — did you mean 'b'?")
        #expect(lines.count == 2)   // the issue, then how many were found
    }

    @Test("validate of a folder with a broken file refuses it all")
    func validateFolderBroken() throws {
        let folder = try fixtures(["broken.yaml": brokenYAML, "plain.yaml": plainYAML])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["validate", folder])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("broken.yaml:12: step 'a': next 'bb'"))
    }

    @Test("validate of the bundled catalogue succeeds")
    func validateServices() throws {
        let run = try masar(["validate", servicesFolder])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        #expect(!run.stdout.isEmpty)
    }

    @Test("metrics --format json has DESIGN's shape and hand-computed values, rework loops included")
    func metricsJSON() throws {
        let folder = try fixtures(["rework.yaml": reworkYAML])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["metrics", (folder as NSString).appendingPathComponent("rework.yaml"), "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try run.json() as? [String: Any])
        #expect(Set(object.keys) == ["service", "current", "future", "change"])
        #expect(object["service"] as? String == "rework")
        expectMetrics(object["current"], reworkCurrent(), "current")
        expectMetrics(object["future"], reworkFuture(), "future")
        expectChange(object["change"], before: reworkCurrent(), after: reworkFuture())
        // spot checks, written out: elapsed 37.5 + 200 + 2400 + 75 + 10 = 2722.5 minutes;
        // cost (833.33 + 2500) + (175 + 175) / 60 × 2000 = 15000 baisa
        let current = try #require(object["current"] as? [String: Any])
        #expect(close((current["elapsedMinutes"] as? NSNumber)?.doubleValue ?? 0, 2722.5))
        #expect(close((current["citizenCostBaisa"] as? NSNumber)?.doubleValue ?? 0, 15000))
        #expect(close((current["annualBurdenBaisa"] as? NSNumber)?.doubleValue ?? 0, 3_000_000))
        #expect(close((current["visits"] as? NSNumber)?.doubleValue ?? 0, 35.0 / 12))
        #expect(close((current["handoffs"] as? NSNumber)?.doubleValue ?? 0, 29.0 / 6))
        #expect(close((current["digitalShare"] as? NSNumber)?.doubleValue ?? 0, 47.0 / 82))
    }

    @Test("metrics of a service without future gives null future and change")
    func metricsNoFuture() throws {
        let folder = try fixtures(["plain.yaml": plainYAML])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["metrics", (folder as NSString).appendingPathComponent("plain.yaml"), "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try run.json() as? [String: Any])
        #expect(Set(object.keys) == ["service", "current", "future", "change"])
        #expect(object["future"] is NSNull)
        #expect(object["change"] is NSNull)
        // one in-person step of 1h: effort 0 + 60 travel; cost 60 / 60 × 2000
        expectMetrics(object["current"], ["steps": 1, "visits": 1, "effortMinutes": 60, "citizenCostBaisa": 2000,
                                          "annualBurdenBaisa": 0, "digitalShare": 0], "current")
    }

    @Test("--travel and --hour-value change the cost as the Standard Cost Model says")
    func costOptions() throws {
        let folder = try fixtures(["rework.yaml": reworkYAML])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["metrics", (folder as NSString).appendingPathComponent("rework.yaml"),
                             "--travel", "30", "--hour-value", "3", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try run.json() as? [String: Any])
        // effort 175 + 30 × 35/12 = 262.5 min; cost 3333.33 + 262.5 / 60 × 3000 = 16458.33 baisa
        let expected = reworkCurrent(travel: 30, hourValue: 3000)
        #expect(close(expected["effortMinutes"]!, 262.5))
        #expect(close(expected["citizenCostBaisa"]!, 10000.0 / 3 + 13125))
        expectMetrics(object["current"], expected, "current")
        expectMetrics(object["future"], reworkFuture(hourValue: 3000), "future")   // 30 / 60 × 3000 = 1500
        expectChange(object["change"], before: expected, after: reworkFuture(hourValue: 3000))
    }

    @Test("A bad --travel or --hour-value is a usage error")
    func badCostOptions() throws {
        let folder = try fixtures(["plain.yaml": plainYAML])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = (folder as NSString).appendingPathComponent("plain.yaml")
        let hour = try masar(["metrics", file, "--hour-value", "1.2345"])
        #expect(hour.status == 64)
        #expect(hour.stdout.isEmpty)
        #expect(hour.stderr.contains("--hour-value takes OMR with at most 3 decimals, e.g. --hour-value 2.500."))
        let travel = try masar(["metrics", file, "--travel", "-5"])
        #expect(travel.status == 64)
        #expect(travel.stdout.isEmpty)
    }

    @Test("metrics of a folder, or of several files, gives a JSON array in file-name order")
    func metricsArray() throws {
        let folder = try fixtures(["rework.yaml": reworkYAML, "plain.yaml": plainYAML])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["metrics", folder, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let array = try #require(try run.json() as? [[String: Any]])
        #expect(array.map { $0["service"] as? String } == ["plain", "rework"])
        expectMetrics(array[1]["current"], reworkCurrent(), "rework current")

        let files = try masar(["metrics", (folder as NSString).appendingPathComponent("rework.yaml"),
                               (folder as NSString).appendingPathComponent("plain.yaml"), "--format", "json"])
        #expect(files.status == 0, "\(files.stderr)")
        let listed = try #require(try files.json() as? [[String: Any]])
        #expect(listed.map { $0["service"] as? String } == ["rework", "plain"])

        // a folder of one file is still a folder: an array
        let single = try fixtures(["plain.yaml": plainYAML])
        defer { try? FileManager.default.removeItem(atPath: single) }
        let one = try masar(["metrics", single, "--format", "json"])
        #expect((try one.json() as? [[String: Any]])?.count == 1)
    }

    @Test("compare --format json gives the service, each step's fate and the change")
    func compareJSON() throws {
        let folder = try fixtures(["rework.yaml": reworkYAML])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["compare", (folder as NSString).appendingPathComponent("rework.yaml"), "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try run.json() as? [String: Any])
        #expect(Set(object.keys) == ["service", "classification", "change"])
        #expect(object["service"] as? String == "rework")
        // a and e are the same for the citizen; c is faster (1d → 1h); b and d are gone
        #expect(object["classification"] as? [String: String]
            == ["a": "kept", "b": "removed", "c": "changed", "d": "removed", "e": "kept"])
        expectChange(object["change"], before: reworkCurrent(), after: reworkFuture())
    }

    @Test("compare on a service without a future path exits 1 and says why")
    func compareNoFuture() throws {
        let folder = try fixtures(["plain.yaml": plainYAML])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = (folder as NSString).appendingPathComponent("plain.yaml")
        let run = try masar(["compare", file, "--format", "json"])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "\(file): service 'plain' has no future path yet; there is nothing to compare.\n")
    }

    @Test("bundle --format json gives the life event in citizen order with its once-only violations")
    func bundleJSON() throws {
        let file = (servicesFolder as NSString).appendingPathComponent("life-events/birth-of-a-child.yaml")
        let run = try masar(["bundle", file, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(try run.json() as? [String: Any])
        #expect(Set(object.keys).isSuperset(of: ["lifeEvent", "order", "current", "future", "onceOnlyViolations"]))
        #expect(object["lifeEvent"] as? String == "birth-of-a-child")
        // after: child-civil-id after birth-registration; child-passport and family-card-update after both
        #expect(object["order"] as? [String]
            == ["birth-registration", "child-civil-id", "child-passport", "family-card-update"])
        let current = try #require(object["current"] as? [String: Any])
        #expect(Set(current.keys) == metricKeys)
        let future = try #require(object["future"] as? [String: Any])
        #expect(Set(future.keys) == metricKeys)
        let violations = try #require(object["onceOnlyViolations"] as? [[String: Any]])
        #expect(!violations.isEmpty)
        for violation in violations {
            #expect(Set(violation.keys) == ["service", "step", "document", "heldBy"])
        }
    }

    @Test("A life event naming an unknown service is refused with the likely one")
    func bundleUnknownService() throws {
        let folder = try fixtures([
            "plain.yaml": plainYAML,
            "life-events/event.yaml": "id: event\ntitle: {en: Event}\nservices:\n  - plain\n  - plian\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = (folder as NSString).appendingPathComponent("life-events/event.yaml")
        let run = try masar(["bundle", file, "--format", "json"])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("\(file):5: service 'plian' is not in the catalogue — did you mean 'plain'?"))
    }

    @Test("--format csv on compare is a usage error (64)")
    func compareCSV() throws {
        let folder = try fixtures(["rework.yaml": reworkYAML])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["compare", (folder as NSString).appendingPathComponent("rework.yaml"), "--format", "csv"])
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("--format csv is not offered here; use table or json."))
    }

    @Test("An unknown option is a usage error (64)")
    func unknownOption() throws {
        let run = try masar(["metrics", servicesFolder, "--colour"])
        #expect(run.status == 64)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("--colour"))
    }

    @Test("Every subcommand has --help, which says what it is for", arguments: [
        ("validate", "Check service maps and life events"),
        ("metrics", "Journey figures"),
        ("compare", "future path against its current path"),
        ("bundle", "Figures of a life event"),
        ("demo", "The main job on a catalogue"),
        ("render", "Draw journey diagrams"),
    ])
    func help(command: String, purpose: String) throws {
        let run = try masar([command, "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains(purpose), "\(run.stdout)")
        #expect(run.stdout.contains("USAGE"))
    }

    @Test("demo on the bundled catalogue exits 0 and shows every service")
    func demo() throws {
        let run = try masar(["demo", servicesFolder])
        #expect(run.status == 0, "\(run.stderr)")
        // each map file declares its id on a top-level `id:` line
        let files = try FileManager.default.contentsOfDirectory(atPath: servicesFolder).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 16)
        for name in files {
            let text = try String(contentsOfFile: (servicesFolder as NSString).appendingPathComponent(name), encoding: .utf8)
            let idLine = try #require(text.split(separator: "\n").first { $0.hasPrefix("id: ") })
            let id = idLine.dropFirst("id: ".count).trimmingCharacters(in: .whitespaces)
            #expect(run.stdout.contains(id), "demo does not show \(id)")
        }
    }

    @Test("metrics on a billion-laughs file exits 1 quickly")
    func billionLaughsFile() throws {
        let folder = try fixtures(["laughs.yaml": billionLaughs])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["metrics", (folder as NSString).appendingPathComponent("laughs.yaml"), "--format", "json"],
                            timeout: 20)
        #expect(run.status == 1)
        #expect(run.elapsed < .seconds(5))
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("aliases here expand the file past 1000000 values"))
    }

    @Test("render writes every view of a service and its life events, named as DESIGN says")
    func render() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("masar-render-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = try masar(["render", servicesFolder + "/burial-permit.yaml",
                             servicesFolder + "/life-events/marriage.yaml", "--format", "png", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("Rendered 4 diagrams (png) into \(out)/"))
        let files = try FileManager.default.subpathsOfDirectory(atPath: out).sorted()
        #expect(files == ["burial-permit.compare.png", "burial-permit.current.png", "burial-permit.future.png",
                          "life-events", "life-events/marriage.png"])
    }

    @Test("An unknown diagram format or view is a usage error that lists the choices", arguments: [
        (["--format", "gif"], "'svg', 'png', 'pdf' or 'dot'"),
        (["--view", "sideways"], "'current', 'future', 'compare' or 'all'"),
        (["--lang", "fr"], "'en', 'ar' or 'both'"),
    ])
    func badRenderOptions(options: [String], choices: String) throws {
        let run = try masar(["render", servicesFolder] + options)
        #expect(run.status == 64)
        #expect(run.stderr.contains(choices), "\(run.stderr)")
    }

    @Test("demo writes Diagrams/index.html: every service and life event, inline SVG, Arabic right-to-left")
    func demoIndex() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("masar-demo-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["demo", servicesFolder], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOfFile: folder + "/Diagrams/index.html", encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        for id in ["birth-registration", "building-permit", "work-permit", "life-birth-of-a-child", "life-marriage"] {
            #expect(page.contains("id=\"\(id)\""), "no section \(id)")
        }
        #expect(page.contains("<span lang=\"ar\" dir=\"rtl\">تسجيل المواليد</span>"))
        #expect(page.components(separatedBy: "<svg").count - 1 == 20) // 16 services + 4 life events
        #expect(!page.contains("<?xml"))
        #expect(FileManager.default.fileExists(atPath: folder + "/Diagrams/birth-registration.compare.svg"))
    }

    @Test("The render helper answers requests in order, reports Graphviz's errors, and stops at its limit")
    func renderWorkerProtocol() throws {
        let process = Process()
        process.executableURL = masarBinary
        process.arguments = ["render-worker", "--limit", "2"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let good = Data("digraph { a -> b }".utf8), bad = Data("digraph { a -> }".utf8)
        try input.fileHandleForWriting.write(contentsOf: Data("svg \(good.count)\n".utf8) + good
                                             + Data("svg \(bad.count)\n".utf8) + bad)
        process.waitUntilExit() // the limit of 2 is reached: it exits without being told
        let answer = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(answer.hasPrefix("ok "))
        #expect(answer.contains("</svg>"))
        #expect(answer.contains("\nerror "))
        #expect(answer.contains("syntax error"))
        let help = try masar(["--help"])
        #expect(!help.stdout.contains("render-worker"))
    }

    @Test("Progress stays off standard error when it is not a terminal")
    func quietProgress() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("masar-quiet-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = try masar(["render", servicesFolder, "--out", out])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
    }
}
