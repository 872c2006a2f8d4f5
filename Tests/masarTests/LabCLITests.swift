import Foundation
import GRDB
import Testing

/// A scratch folder, removed by the caller, and the lab database: a path in the folder, or with
/// `MASAR_TEST_BACKEND=postgres` a new database on the tests' PostgreSQL server, by its URL.
private func scratch() throws -> (folder: String, db: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("masar-lab-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return (folder, try TestServer.newDatabase() ?? folder + "/lab.sqlite")
}

private let facilitator = ["--as", "Aisha", "--role", "facilitator"]

/// The accounts the tests act as: the programme office's (the first, made without --as), a
/// facilitator, the quality team, and a director-general for each institution of burial permit.
private func accounts(_ db: String) throws {
    let office = try masar(["account", "add", "Office", "--for", "programme-office", "--db", db], input: "office password\n")
    #expect(office.status == 0, "\(office.stderr)")
    for (name, role, institution) in [("Aisha", "facilitator", nil), ("QC", "quality-reviewer", nil),
                                      ("DG M", "director-general", "Muscat Municipality"),
                                      ("DG P", "director-general", "Royal Oman Police")] as [(String, String, String?)] {
        let run = try masar(["account", "add", name, "--for", role, "--as", "Office", "--db", db]
            + (institution.map { ["--institution", $0] } ?? []), input: "\(name) password\n")
        #expect(run.status == 0, "\(run.stderr)")
    }
}

/// The registration code `participant add` printed ("… registration code CODE.").
private func code(_ run: Run) -> String {
    String(run.stdout.split(separator: " ").last!.dropLast(2))
}

/// Runs `masar` against `db`, expecting it to succeed.
@discardableResult
private func succeed(_ arguments: [String], db: String, in folder: String? = nil) throws -> Run {
    let run = try masar(arguments + ["--db", db], in: folder)
    #expect(run.status == 0, "masar \(arguments.joined(separator: " ")): \(run.stderr)")
    return run
}

/// Runs `masar` against `db`, expecting the named refusal and exit 1.
private func refused(_ arguments: [String], db: String, _ rule: String) throws {
    let run = try masar(arguments + ["--db", db])
    #expect(run.status == 1)
    #expect(run.stderr == "refused: \(rule)\n", "\(run.stderr)")
}

/// A phase, a lab, and burial permit imported and taken to pain-points.
private func burialPermitInPainPoints(_ db: String) throws {
    try accounts(db)
    try succeed(["phase", "create", "P", "--starts", "2023-01-01"] + facilitator, db: db)
    try succeed(["lab", "create", "L", "--phase", "P"] + facilitator, db: db)
    try succeed(["service", "import", servicesFolder + "/burial-permit.yaml", "--lab", "L"] + facilitator, db: db)
    try succeed(["service", "advance", "burial-permit"] + facilitator, db: db)
}

private func serviceCount(_ db: String) throws -> Int {
    let run = try masar(["service", "status", "--format", "json", "--db", db])
    return (try run.json() as? [Any])?.count ?? -1
}

@Suite("Running a lab from the terminal", .serialized)
struct LabCLITests {
    @Test("From an empty database to a signed-off service with its output document; out-of-order steps refused by name")
    func wholeLab() throws {
        let (folder, db) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try accounts(db)
        try succeed(["phase", "create", "Phase 1", "--starts", "2023-01-01", "--sector", "municipality",
                     "--target", "burial-permit"] + facilitator, db: db)
        try succeed(["lab", "create", "Municipal lab", "--phase", "Phase 1"] + facilitator, db: db)
        try succeed(["lab", "session", "Municipal lab", "--date", "2023-01-15", "--place", "Muscat",
                     "--representatives", "12", "--community", "5"] + facilitator, db: db)
        try succeed(["service", "import", servicesFolder + "/burial-permit.yaml", "--lab", "Municipal lab"] + facilitator, db: db)
        try refused(["painpoint", "add", "burial-permit", "--step", "verify-documents", "--category", "visits",
                     "--severity", "4", "--source", "community", "--text", "x"] + facilitator, db: db,
                    "to record a pain point is done in pain-points or future-design; 'burial-permit' is in mapping")
        try succeed(["service", "advance", "burial-permit"] + facilitator, db: db)
        try refused(["service", "advance", "burial-permit"] + facilitator, db: db, "future-design needs at least one pain point")
        // A community member acts as their registration code: a participant of the lab's phase.
        let salim = code(try succeed(["participant", "add", "Salim", "--phase", "Phase 1", "--track", "in-person"] + facilitator,
                                     db: db))
        try succeed(["painpoint", "add", "burial-permit", "--step", "verify-documents", "--category", "visits",
                     "--severity", "4", "--source", "community", "--text", "A second trip", "--as", salim], db: db)
        // It waits for the facilitator: unread, it moves nothing.
        try refused(["service", "advance", "burial-permit"] + facilitator, db: db, "future-design needs at least one pain point")
        #expect(try succeed(["moderate", "pending", "burial-permit"] + facilitator, db: db).stdout.contains("A second trip"))
        try refused(["moderate", "publish", "painpoint", "1", "--as", salim], db: db,
                    "to moderate a contribution is for facilitator, not community")
        try succeed(["moderate", "publish", "painpoint", "1"] + facilitator, db: db)
        try refused(["moderate", "decline", "painpoint", "1"] + facilitator, db: db,
                    "pain point #1 was moderated already (published)")
        try succeed(["service", "advance", "burial-permit"] + facilitator, db: db)
        try succeed(["improvement", "propose", "burial-permit", "--text", "Hospital reports the death",
                     "--addresses", "1"] + facilitator, db: db)
        try succeed(["improvement", "accept", "1"] + facilitator, db: db)
        try refused(["service", "advance", "burial-permit"] + facilitator, db: db,
                    "review needs the lab output document of the latest revision (revision 1); generate it first")
        try succeed(["document", "burial-permit", "--out", folder + "/docs"] + facilitator, db: db)
        try succeed(["service", "advance", "burial-permit"] + facilitator, db: db)
        try refused(["signoff", "burial-permit", "--institution", "Muscat Municipality", "--as", "DG M", "--role",
                     "director-general"], db: db, "sign-off needs an approving review from the quality team")
        try succeed(["review", "burial-permit", "--verdict", "approve", "--as", "QC", "--role", "quality-reviewer"], db: db)
        try succeed(["signoff", "burial-permit", "--institution", "Muscat Municipality", "--as", "DG M",
                     "--role", "director-general"], db: db)
        let last = try succeed(["signoff", "burial-permit", "--institution", "Royal Oman Police", "--as", "DG P",
                                "--role", "director-general"], db: db)
        #expect(last.stdout.contains("signed off"))
        try refused(["service", "import", servicesFolder + "/burial-permit.yaml", "--lab", "Municipal lab"] + facilitator,
                    db: db, "service 'burial-permit' is signed off; a signed-off map is frozen")
        let status = try succeed(["service", "status", "burial-permit", "--format", "json"], db: db)
        #expect(((try status.json() as? [[String: Any]])?.first?["stage"] as? String) == "signed-off")
        let log = try succeed(["log", "burial-permit", "--format", "json"], db: db)
        let moves = (try log.json() as? [[String: Any]] ?? []).compactMap { $0["toStage"] as? String }
        #expect(moves == ["pain-points", "future-design", "review", "signed-off"])
        #expect(FileManager.default.fileExists(atPath: folder + "/docs/burial-permit.html"))
        #expect(FileManager.default.fileExists(atPath: folder + "/docs/burial-permit.md"))
    }

    @Test("An unknown service, step or role is refused clearly and changes nothing")
    func unknowns() throws {
        let (folder, db) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try burialPermitInPainPoints(db)
        let before = try succeed(["export"], db: db).stdout
        try refused(["service", "advance", "no-such-service"] + facilitator, db: db,
                    "no service 'no-such-service'")
        try refused(["painpoint", "add", "burial-permit", "--step", "no-such-step", "--category", "visits", "--severity",
                     "2", "--source", "survey", "--text", "x"] + facilitator, db: db,
                    "'no-such-step' is not a step of the current path of 'burial-permit'")
        try refused(["service", "import", servicesFolder + "/burial-permit.yaml", "--lab", "No lab"] + facilitator,
                    db: db, "no lab 'No lab'")
        let role = try masar(["service", "advance", "burial-permit", "--as", "X", "--role", "wizard", "--db", db])
        #expect(role.status == 64)
        #expect(role.stderr.contains("The value 'wizard' is invalid for '--role <role>'"))
        #expect(role.stderr.contains("  - director-general"))
        #expect(try succeed(["export"], db: db).stdout == before)
    }

    @Test("Two processes writing at once lose nothing and never fail with 'database is locked'")
    func twoWriters() throws {
        let (folder, db) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try burialPermitInPainPoints(db)
        let runs = 25
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for i in 0..<runs {
                let run = try? masar(["painpoint", "add", "burial-permit", "--step", "issue-permit", "--category", "waiting",
                                      "--severity", "2", "--source", "survey", "--text", "writer \(writer) #\(i)",
                                      "--db", db] + facilitator)
                #expect(run?.status == 0, "\(run?.stderr ?? "did not run")")
            }
        }
        let list = try succeed(["painpoint", "list", "burial-permit", "--format", "json"], db: db)
        #expect((try list.json() as? [Any])?.count == 2 * runs)
    }

    @Test("A process killed with SIGKILL in the middle of an import leaves the database as it was")
    func killedImport() throws {
        let (folder, db) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try accounts(db)
        try succeed(["phase", "create", "P", "--starts", "2023-01-01"] + facilitator, db: db)
        try succeed(["lab", "create", "L", "--phase", "P"] + facilitator, db: db)
        // 600 maps, imported in one transaction
        let template = try String(contentsOfFile: servicesFolder + "/burial-permit.yaml", encoding: .utf8)
        let maps = folder + "/maps"
        try FileManager.default.createDirectory(atPath: maps, withIntermediateDirectories: true)
        for i in 0..<600 {
            try template.replacingOccurrences(of: "id: burial-permit", with: "id: burial-permit-\(i)")
                .write(toFile: "\(maps)/burial-permit-\(i).yaml", atomically: true, encoding: .utf8)
        }
        var killedWhileRunning = 0
        for delay in [0.05, 0.15, 0.3, 0.5, 0.8] {
            let process = Process()
            process.executableURL = masarBinary
            process.arguments = ["service", "import", maps, "--lab", "L", "--db", db] + facilitator
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killedWhileRunning += 1
            }
            process.waitUntilExit()
            let count = try serviceCount(db)
            #expect(count == 0 || count == 600, "a killed import left \(count) services")
            if count == 600 { break }
        }
        #expect(killedWhileRunning > 0)
        // The database is whole: the import runs to the end after all.
        try succeed(["service", "import", maps, "--lab", "L"] + facilitator, db: db)
        #expect(try serviceCount(db) == 600)
    }

    @Test("The database is --db, else MASAR_DB, else masar.sqlite in the working folder")
    func databaseLocation() throws {
        let (folder, _) = try scratch()
        let db = folder + "/lab.sqlite"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = folder + "/from-env.sqlite"
        for path in [folder + "/masar.sqlite", env, db] { try accounts(path) }
        #expect(try masar(["phase", "create", "A", "--starts", "2023-01-01"] + facilitator, in: folder).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder + "/masar.sqlite"))
        #expect(try masar(["phase", "create", "B", "--starts", "2023-01-01"] + facilitator, in: folder,
                          environment: ["MASAR_DB": env]).status == 0)
        #expect(FileManager.default.fileExists(atPath: env))
        #expect(try masar(["phase", "create", "C", "--starts", "2023-01-01", "--db", db] + facilitator, in: folder,
                          environment: ["MASAR_DB": env]).status == 0)
        let names = { (path: String) throws -> [String] in
            let run = try masar(["phase", "list", "--format", "json", "--db", path])
            return (try run.json() as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        }
        #expect(try names(folder + "/masar.sqlite") == ["A"])
        #expect(try names(env) == ["B"])
        #expect(try names(db) == ["C"])
    }

    @Test("Participants from a CSV sheet: every bad row named, and a bad sheet registers nobody")
    func participantSheet() throws {
        let (folder, db) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try accounts(db)
        try succeed(["phase", "create", "P", "--starts", "2023-01-01"] + facilitator, db: db)
        try succeed(["lab", "create", "L", "--phase", "P"] + facilitator, db: db) // a facilitator registers in a phase they run a lab of
        let sheet = folder + "/people.csv"
        try "name,track,kind,institution\nMaryam,digital,community,\nBad,walk-in,community,\n\"Al-Harthi, Khalid\",digital,community,Ministry\n"
            .write(toFile: sheet, atomically: true, encoding: .utf8)
        let bad = try masar(["participant", "import", sheet, "--phase", "P", "--db", db] + facilitator)
        #expect(bad.status == 1)
        #expect(bad.stderr == "\(sheet):3: track 'walk-in' is not in-person or digital\n\(sheet):4: a community member speaks for no institution; register them as an institution representative\n")
        let none = try succeed(["participant", "list", "--phase", "P", "--format", "json"], db: db)
        #expect((try none.json() as? [Any])?.isEmpty == true)
        try "name,track,kind,institution\nMaryam,digital,community,\n\"Al-Harthi, Khalid\",in-person,institution,Ministry of Health\n"
            .write(toFile: sheet, atomically: true, encoding: .utf8)
        try succeed(["participant", "import", sheet, "--phase", "P"] + facilitator, db: db)
        let list = try succeed(["participant", "list", "--phase", "P", "--format", "json"], db: db)
        let names = (try list.json() as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(names == ["Al-Harthi, Khalid", "Maryam"])
    }

    @Test("Trust from the terminal: an eligibility list under the lab secret, verification at a session, log --verify naming a rewrite")
    func trust() throws {
        // The secret beside the database is a file's: a server's database asks for --secret-file (TwoServersTests).
        let (folder, _) = try scratch()
        let db = folder + "/lab.sqlite"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try burialPermitInPainPoints(db)
        let list = folder + "/list.csv"
        try "civil_id,birth_year\n10000001,1990\n1000x002,1985\n".write(toFile: list, atomically: true, encoding: .utf8)
        let bad = try masar(["participant", "eligibility", list, "--phase", "P", "--as", "Office", "--db", db])
        // The bad row is named by its line, never by its number (the file is personal data).
        #expect(bad.status == 1 && bad.stderr.contains("list.csv:3") && !bad.stderr.contains("1000x002"), "\(bad.stderr)")
        try "civil_id,birth_year\n10000001,1990\n10000002,1985\n".write(toFile: list, atomically: true, encoding: .utf8)
        try refused(["participant", "eligibility", list, "--phase", "P"] + facilitator, db: db,
                    "to load an eligibility list is for programme-office, not facilitator")
        let loaded = try succeed(["participant", "eligibility", list, "--phase", "P", "--as", "Office"], db: db)
        #expect(loaded.stdout == "Loaded 2 entries of the eligibility list for P.\n")
        // The secret is kept beside the database, for its owner only, and never in it.
        let attributes = try FileManager.default.attributesOfItem(atPath: db + ".secret")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)).range(of: Data("10000001".utf8)) == nil)
        let short = folder + "/short.secret"
        try "too short".write(toFile: short, atomically: true, encoding: .utf8)
        let weak = try masar(["participant", "eligibility", list, "--phase", "P", "--as", "Office", "--secret-file", short, "--db", db])
        #expect(weak.status == 1 && weak.stderr == "refused: the secret in \(short) is too short: at least 32 bytes\n")

        let maryam = code(try succeed(["participant", "add", "Maryam", "--phase", "P", "--track", "in-person"] + facilitator, db: db))
        try refused(["participant", "verify", maryam] + facilitator, db: db, "\(maryam) is verified already")

        let intact = try succeed(["log", "--verify"], db: db)
        #expect(intact.stdout.hasPrefix("The audit log verifies: "))
        let head = String(intact.stdout.split(separator: " ").last!.dropLast(2)) // "… head N:HASH.\n"
        try succeed(["log", "--verify", "--head", head], db: db)
        // A forger with the owner's rights drops the trigger (and on PostgreSQL grants back the right
        // the application lacks) and rewrites an entry.
        if !db.hasPrefix("postgres") {
            try DatabaseQueue(path: db).write { db in
                try db.execute(sql: "DROP TRIGGER auditEntry_append_only_update; UPDATE auditEntry SET note = 'forged' WHERE id = 2")
            }
        } else {
            try TestServer.psql(db, "GRANT UPDATE ON auditEntry TO CURRENT_USER; DROP TRIGGER auditEntry_append_only ON auditEntry; UPDATE auditEntry SET note = 'forged' WHERE id = 2")
        }
        let broken = try masar(["log", "--verify", "--db", db])
        #expect(broken.status == 1 && broken.stderr == "the audit log does not verify: audit entry #2 was changed after it was written\n")
        let arabic = try masar(["log", "--verify", "--lang", "ar", "--db", db])
        #expect(arabic.status == 1 && arabic.stderr.contains("قيد السجل #2 غُيّر بعد كتابته"))
        let typo = try masar(["log", "--verify", "--head", "12:abc", "--db", db])
        #expect(typo.status == 64 && typo.stderr.contains("is not ENTRY:SHA256"))
    }

    @Test("Texts in English and Arabic from the terminal: --text and --text-ar, --question-ar, --option-ar; neither is refused")
    func bilingual() throws {
        let (folder, db) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try burialPermitInPainPoints(db)
        try refused(["painpoint", "add", "burial-permit", "--step", "verify-documents", "--category", "visits",
                     "--severity", "4", "--source", "community"] + facilitator, db: db,
                    "the pain point text is empty; give it in English, in Arabic, or in both")
        try succeed(["painpoint", "add", "burial-permit", "--step", "verify-documents", "--category", "visits",
                     "--severity", "4", "--source", "community", "--text", "Second trip", "--text-ar", "زيارة ثانية"] + facilitator, db: db)
        let points = try succeed(["painpoint", "list", "burial-permit", "--format", "json"], db: db).json() as? [[String: Any]]
        #expect(points?.first?["textEn"] as? String == "Second trip")
        #expect(points?.first?["textAr"] as? String == "زيارة ثانية")
        try succeed(["service", "advance", "burial-permit"] + facilitator, db: db)
        try succeed(["improvement", "propose", "burial-permit", "--text-ar", "تقرير المستشفى يكفي", "--addresses", "1"] + facilitator, db: db)
        let items = try succeed(["improvement", "list", "burial-permit", "--format", "json"], db: db).json() as? [[String: Any]]
        #expect(items?.first?["textAr"] as? String == "تقرير المستشفى يكفي")
        #expect(items?.first?["textEn"] is NSNull)
        try succeed(["vote", "open", "burial-permit", "--mode", "poll", "--question", "Which day?", "--question-ar", "أي يوم؟",
                     "--option", "Sunday", "--option", "Monday", "--option-ar", "الأحد", "--closes", "14d", "--live-results"]
                    + facilitator, db: db)
        let results = try succeed(["vote", "results", "1"], db: db).stdout
        #expect(results.contains("Vote #1 (poll): Which day? · أي يوم؟"))
        let export = try succeed(["export"], db: db).json() as? [String: Any]
        let options = (export?["tables"] as? [String: Any])?["voteOption"] as? [[String: Any]]
        #expect(options?.map { $0["textEn"] as? String } == ["Sunday", "Monday"])
        #expect(options?.map { $0["textAr"] as? String } == ["الأحد", nil])
        let help = try masar(["vote", "open", "--help"]).stdout
        #expect(help.contains("--question-ar") && help.contains("--option-ar"))
    }

    @Test("A dots vote from the terminal: open, cast, overspend refused, show of hands, close, results")
    func dotsVote() throws {
        let (folder, db) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try burialPermitInPainPoints(db)
        try succeed(["painpoint", "add", "burial-permit", "--step", "verify-documents", "--category", "visits",
                     "--severity", "4", "--source", "community", "--text", "Second trip"] + facilitator, db: db)
        try succeed(["service", "advance", "burial-permit"] + facilitator, db: db)
        try succeed(["improvement", "propose", "burial-permit", "--text", "Hospital reports the death"] + facilitator, db: db)
        try succeed(["improvement", "propose", "burial-permit", "--text", "Permit online"] + facilitator, db: db)
        let added = try succeed(["participant", "add", "Maryam", "--phase", "P", "--track", "digital"] + facilitator, db: db)
        let code = String(added.stdout.split(separator: " ").last!.dropLast(2)) // "… registration code CODE.\n"
        try succeed(["vote", "open", "burial-permit", "--mode", "dots", "--budget", "5", "--cap", "3", "--question", "First?",
                     "--closes", "14d"] + facilitator, db: db)
        // Nobody casts Maryam's ballot online but Maryam, acting as her code.
        try refused(["vote", "cast", "1", "--code", code, "--choice", "1=3"] + facilitator, db: db,
                    "Aisha cannot cast or withdraw the ballot of \(code); only the participant does, or a facilitator records it in person")
        try refused(["vote", "cast", "1", "--code", code, "--choice", "1=3", "--choice", "2=3", "--as", code], db: db,
                    "6 dots is more than the budget of 5")
        try succeed(["vote", "cast", "1", "--code", code, "--choice", "1=3", "--choice", "2=2", "--as", code], db: db)
        try succeed(["vote", "tally", "1", "--choice", "2", "--count", "6", "--place", "Sohar"] + facilitator, db: db)
        // a session's paper ballots, all or none: the second row overspends, so neither counts
        let other = String(try succeed(["participant", "add", "Said", "--phase", "P", "--track", "in-person"] + facilitator,
                                       db: db).stdout.split(separator: " ").last!.dropLast(2))
        let third = String(try succeed(["participant", "add", "Salma", "--phase", "P", "--track", "in-person"] + facilitator,
                                       db: db).stdout.split(separator: " ").last!.dropLast(2))
        let sheet = folder + "/paper.csv"
        try "code,choices\n\(other),1=1\n\(third),1=3;2=3\n".write(toFile: sheet, atomically: true, encoding: .utf8)
        try refused(["vote", "record", "1", sheet] + facilitator, db: db, "item 2: 6 dots is more than the budget of 5")
        let more = try ["Nasser", "Huda"].map { name in
            String(try succeed(["participant", "add", name, "--phase", "P", "--track", "in-person"] + facilitator,
                               db: db).stdout.split(separator: " ").last!.dropLast(2))
        }
        try "code,choices\n\(other),1=1\n\(third),2=1\n\(more[0]),2=1\n\(more[1]),1=1\n".write(toFile: sheet, atomically: true, encoding: .utf8)
        try succeed(["vote", "record", "1", sheet] + facilitator, db: db)
        try succeed(["vote", "close", "1"] + facilitator, db: db)
        try refused(["vote", "cast", "1", "--code", code, "--choice", "1=1", "--as", code], db: db, "vote #1 is closed")
        let results = try succeed(["vote", "results", "1", "--format", "json"], db: db)
        let json = try #require(try results.json() as? [String: Any])
        let lines = try #require(json["lines"] as? [[String: Any]])
        // improvement 2: 2 + 1 + 1 dots + 6 hands = 10 combined, first; improvement 1: 3 + 1 + 1 = 5 dots
        #expect(lines.map { $0["choice"] as? Int } == [2, 1])
        #expect(lines.map { $0["ballots"] as? Int } == [4, 5])
        #expect(lines.map { $0["tallies"] as? Int } == [6, 0])
        #expect(lines.map { $0["combined"] as? Int } == [10, 5])
        #expect(json["ballotsCast"] as? Int == 5 && json["registered"] as? Int == 5)
        #expect(!results.stdout.contains(code) && !results.stdout.contains("Maryam"))
        try succeed(["improvement", "accept", "2", "--vote", "1"] + facilitator, db: db)
        let list = try succeed(["improvement", "list", "burial-permit", "--format", "json"], db: db)
        let accepted = (try list.json() as? [[String: Any]] ?? []).first { $0["id"] as? Int == 2 }
        #expect(accepted?["status"] as? String == "accepted")
        #expect(accepted?["chosenByVote"] as? Int == 1)
    }

    @Test("The terminal's identity is an account: no signing for another institution, no other lab, refusals in Arabic on asking")
    func identity() throws {
        let (folder, db) = try scratch()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try burialPermitInPainPoints(db)
        let hamed = try masar(["account", "add", "Hamed", "--for", "facilitator", "--as", "Office", "--db", db],
                              input: "Hamed password\n")
        #expect(hamed.status == 0)
        // A facilitator who runs no lab touches none.
        try refused(["service", "advance", "burial-permit", "--as", "Hamed"], db: db,
                    "Hamed does not facilitate the lab 'L'; the programme office assigns its facilitators")
        try refused(["lab", "session", "L", "--date", "2023-02-01", "--place", "Sur", "--as", "Hamed"], db: db,
                    "Hamed does not facilitate the lab 'L'; the programme office assigns its facilitators")
        try succeed(["lab", "assign", "L", "--facilitator", "Hamed", "--as", "Office"], db: db)
        try succeed(["lab", "session", "L", "--date", "2023-02-01", "--place", "Sur", "--as", "Hamed"], db: db)
        // --as names an existing account; a role given must agree with it.
        try refused(["service", "advance", "burial-permit", "--as", "Mallory"], db: db,
                    "there is no account named 'Mallory' (and no participant with that code); the programme office creates accounts with `masar account add`")
        try refused(["service", "advance", "burial-permit", "--as", "QC", "--role", "facilitator"], db: db,
                    "'QC' is a quality-reviewer account, not facilitator; leave out --role or give quality-reviewer")
        // Take burial permit to review and approve it.
        try succeed(["painpoint", "add", "burial-permit", "--step", "verify-documents", "--category", "visits", "--severity", "3",
                     "--source", "survey", "--text", "x"] + facilitator, db: db)
        try succeed(["service", "advance", "burial-permit"] + facilitator, db: db)
        try succeed(["document", "burial-permit", "--out", folder + "/docs"] + facilitator, db: db)
        try succeed(["service", "advance", "burial-permit"] + facilitator, db: db)
        try succeed(["review", "burial-permit", "--verdict", "approve", "--as", "QC"], db: db)
        // The director-general of the municipality cannot sign for the police.
        try refused(["signoff", "burial-permit", "--institution", "Royal Oman Police", "--as", "DG M"], db: db,
                    "DG M acts for Muscat Municipality, not for 'Royal Oman Police'")
        let arabic = try masar(["signoff", "burial-permit", "--institution", "Royal Oman Police", "--as", "DG M", "--lang", "ar",
                                "--db", db])
        #expect(arabic.status == 1)
        #expect(arabic.stderr == "رُفض: DG M يمثّل Muscat Municipality، لا 'Royal Oman Police'\n")
        // Without --institution a director-general signs for their own.
        let signed = try succeed(["signoff", "burial-permit", "--as", "DG M"], db: db)
        #expect(signed.stdout == "Muscat Municipality signed off burial-permit; awaiting Royal Oman Police.\n")
        // The audit log in JSON has ISO 8601 times, as the API writes them.
        let log = try succeed(["log", "burial-permit", "--format", "json"], db: db)
        let times = (try log.json() as? [[String: Any]] ?? []).compactMap { $0["at"] as? String }
        #expect(!times.isEmpty && times.allSatisfy { ISO8601DateFormatter().date(from: $0) != nil })
    }
}
