import Foundation
import Testing

private let corpus = packageRoot.appendingPathComponent("Tests/MasarBPMNTests/Corpus/bpmn-miwg-reference").path

private func files(in folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
}

@Suite struct BPMNCLITests {
    @Test("import-bpmn of the corpus writes nothing while processes are refused, and names each by file and line")
    func importRefusesAllOrNothing() throws {
        let out = try fixtures([:])
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = try masar(["import-bpmn", corpus, "--out", out])
        #expect(run.status == 1)
        let refusals = run.stderr.split(separator: "\n").filter { $0.contains(".bpmn:") }
        #expect(refusals.map { String($0.prefix(10)) } == ["B.2.0.bpmn", "C.6.0.bpmn", "C.9.0.bpmn", "C.9.2.bpmn"])
        #expect(run.stderr.contains("Nothing written: 4 refusals; pass --skip-refused to write the 33 that import."))
        #expect(files(in: out).isEmpty)
    }

    @Test("import-bpmn --skip-refused writes the maps that import; validate accepts them all; a second run needs --force")
    func importSkippingRefused() throws {
        let out = try fixtures([:])
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = try masar(["import-bpmn", corpus, "--out", out, "--skip-refused"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(files(in: out).count == 33)
        #expect(files(in: out).contains("c-1-1-invoice-handling-omg-bpmn-miwg-demo.yaml"))
        #expect(run.stdout.contains("C.7.0.bpmn: process"))
        #expect(run.stdout.contains("⚠ parallel gateway"))
        #expect(run.stdout.contains("✓ 33 maps written."))
        #expect(try masar(["validate", out]).status == 0)

        let target = (out as NSString).appendingPathComponent("c-1-1-invoice-handling-omg-bpmn-miwg-demo.yaml")
        try "edited by a facilitator".write(toFile: target, atomically: true, encoding: .utf8)
        let again = try masar(["import-bpmn", (corpus as NSString).appendingPathComponent("C.1.1.bpmn"), "--out", out])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exist; pass --force to overwrite."))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "edited by a facilitator")
        let forced = try masar(["import-bpmn", (corpus as NSString).appendingPathComponent("C.1.1.bpmn"), "--out", out, "--force"])
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: target, encoding: .utf8).hasPrefix("# Imported by `masar import-bpmn`"))
    }

    @Test("import-bpmn --join-pools makes one map of a collaboration, its message flows handoffs between institutions")
    func importJoiningPools() throws {
        let out = try fixtures([:])
        defer { try? FileManager.default.removeItem(atPath: out) }
        let run = try masar(["import-bpmn", (corpus as NSString).appendingPathComponent("C.2.0.bpmn"), "--join-pools", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(files(in: out) == ["c-2-0.yaml"])
        #expect(run.stdout.contains("c-2-0.yaml (11 steps)"))
        let metrics = try masar(["metrics", (out as NSString).appendingPathComponent("c-2-0.yaml"), "--format", "json"])
        let figures = try #require((try metrics.json() as? [String: Any])?["current"] as? [String: Any])
        // Customer, Picker, Packager, Carrier and the Credit Card Company.
        #expect(figures["institutions"] as? Int == 5)
        // Pay Order hands the card details to the Credit Card Company and back until it is
        // accepted (half the time: twice on average, so one round trip, 2 handoffs), then the
        // order to the Picker; the Picker to the Packager, the Packager to the Carrier, and the
        // Carrier back to the Customer: 2 + 1 + 1 + 1 + 1 = 6.
        #expect(abs((figures["handoffs"] as? Double ?? 0) - 6) < 1e-9)
    }

    @Test("import-bpmn refuses a hostile file by name and writes nothing")
    func importHostile() throws {
        let folder = try fixtures(["evil.bpmn": """
            <?xml version="1.0"?>
            <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
            <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p" name="&e;"/></definitions>
            """])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["import-bpmn", "evil.bpmn", "--out", "maps"], in: folder)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("evil.bpmn:2: the file declares a DOCTYPE"))
        #expect(!run.stderr.contains("root:"))
        #expect(!FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("maps")))
    }

    @Test("import-bpmn into a place it cannot write says so and leaves nothing behind")
    func importUnwritable() throws {
        let folder = try fixtures(["taken": "a file, not a folder"])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["import-bpmn", (corpus as NSString).appendingPathComponent("C.1.1.bpmn"), "--out", "taken/maps"], in: folder)
        #expect(run.status == 1)
        #expect(run.stderr.contains("Nothing written: could not write into 'taken/maps'"))
        #expect(files(in: folder) == ["taken"])
    }

    @Test("import-bpmn of a path that does not exist is a usage error that says what to give")
    func importMissing() throws {
        let run = try masar(["import-bpmn", "/nonexistent.bpmn"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("'/nonexistent.bpmn' does not exist; give BPMN files or folders that hold them."))
    }

    @Test("export-bpmn writes the future path; import-bpmn reads it back into a map that validates")
    func exportThenImport() throws {
        let folder = try fixtures([:])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let service = (servicesFolder as NSString).appendingPathComponent("birth-registration.yaml")
        let export = try masar(["export-bpmn", service, "--path", "future", "--out", "birth.bpmn"], in: folder)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("✓ birth-registration (future path"))
        let back = try masar(["import-bpmn", "birth.bpmn", "--out", "maps"], in: folder)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(try masar(["validate", "maps"], in: folder).status == 0)

        let stdout = try masar(["export-bpmn", service])
        #expect(stdout.status == 0)
        #expect(stdout.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bpmn:definitions"))
    }

    @Test("export-bpmn of a folder is a usage error; a re-imported current path warns before replacing a map with a future path")
    func exportFolderAndReimport() throws {
        let folder = try fixtures([:])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try masar(["export-bpmn", servicesFolder])
        #expect(run.status == 64)
        #expect(run.stderr.contains("is a folder; give one service map (a .yaml file)."))

        let service = (servicesFolder as NSString).appendingPathComponent("birth-registration.yaml")
        try FileManager.default.copyItem(atPath: service, toPath: (folder as NSString).appendingPathComponent("birth-registration.yaml"))
        #expect(try masar(["export-bpmn", "birth-registration.yaml", "--out", "birth.bpmn"], in: folder).status == 0)
        let again = try masar(["import-bpmn", "birth.bpmn", "--out", ".", "--force"], in: folder)
        #expect(again.status == 0)
        #expect(again.stderr.contains("⚠ ./birth-registration.yaml had a future path; the imported map replaces it with a current path only."))
    }

    @Test("export-bpmn refuses a path that is not designed yet, and a broken map with its line")
    func exportRefusals() throws {
        let folder = try fixtures([
            "only-current.yaml": """
                id: only-current
                title: {en: Only current}
                entity: Ministry
                sector: health
                current:
                  steps:
                    - {id: a, title: {en: A}, actor: Ministry, channel: online, duration: 1h}
                """,
            "broken.yaml": """
                id: broken
                title: {en: Broken}
                entity: Ministry
                sector: health
                current:
                  steps:
                    - {id: a, title: {en: A}, actor: Ministry, channel: fax, duration: 1h}
                """,
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let future = try masar(["export-bpmn", "only-current.yaml", "--path", "future"], in: folder)
        #expect(future.status == 1)
        #expect(future.stderr.contains("only-current has no future path yet; export the current path, or design the future path first."))
        let broken = try masar(["export-bpmn", "broken.yaml", "--out", "x.bpmn"], in: folder)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("broken.yaml:7: step 'a': unknown channel 'fax'"))
        #expect(!FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent("x.bpmn")))
    }
}
