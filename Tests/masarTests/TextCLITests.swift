import Foundation
import GRDB
import Testing

@Suite("Text that lies, at the terminal")
struct TextCLITests {
    @Test("A name carrying an ANSI escape is refused; one stored before is printed escaped, never run")
    func ansiEscapeInAName() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("masar-text-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = folder + "/lab.sqlite"
        let office = ["--db", db, "--as", "Office"]
        #expect(try masar(["account", "add", "Office", "--for", "programme-office", "--db", db], input: "office password\n").status == 0)
        #expect(try masar(["phase", "create", "P", "--starts", "2023-01-01"] + office).status == 0)

        // ESC [2J clears the screen and ESC [31m turns it red, where a terminal runs them.
        let refused = try masar(["participant", "add", "\u{1B}[2J\u{1B}[31mMallory", "--phase", "P", "--track", "in-person"] + office)
        #expect(refused.status == 1)
        #expect(refused.stderr
            == "refused: the participant name holds the control character U+001B, which is not shown but can change what is; remove it\n")
        #expect(try masar(["participant", "add", "Salim", "--phase", "P", "--track", "in-person"] + office).status == 0)

        // Data from before the rule, written straight into the file.
        let queue = try DatabaseQueue(path: db)
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO participant (phaseId, code, name, track, kind, registeredAt)
                VALUES (1, 'OLDDATA2', ?, 'in-person', 'community', '2023-01-02 00:00:00.000')
                """, arguments: ["\u{1B}[31mMallory\u{202E}gnp.exe\nforged row"])
        }
        try queue.close()
        let list = try masar(["participant", "list", "--phase", "P", "--db", db])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(!list.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" })
        let row = list.stdout.split(separator: "\n").first { $0.hasPrefix("OLDDATA2") }
        #expect(row == #"OLDDATA2  \u001B[31mMallory\u202Egnp.exe\u000Aforged row  in-person  community               not yet"#)
        // JSON escapes them its own way, and stays JSON.
        let json = try masar(["participant", "list", "--phase", "P", "--format", "json", "--db", db])
        let names = (try json.json() as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names.contains("\u{1B}[31mMallory\u{202E}gnp.exe\nforged row"))
    }
}
