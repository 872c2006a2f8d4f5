import Foundation
import MasarCore
import MasarReports
import MasarStore

/// Issue 4: a national-scale lab database built through the store's own API, and the status
/// and listing queries facilitators use.
func storeBenchmark(data: String) async throws {
    let path = data + "/store.sqlite"
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    let db = try SQLiteLabStore.open(path: path)
    let facilitator = Member(name: "Facilitator", role: .facilitator)
    let files = try Catalogue.files(in: [data + "/catalogue"])
    let texts = try files.map { (yaml: try String(contentsOfFile: $0, encoding: .utf8), file: $0) }
    let ids = try Catalogue.load([data + "/catalogue"]).services.map(\.id)
    guard ids.count == 3_000 else { fail("the store benchmark expects the 3,000-service catalogue") }
    let quarter = ids.count / 4

    print("## A national lab database — \(ids.count) services\n")
    var phases: [String: Double] = [:]
    func timed(_ name: String, _ body: () async throws -> Void) async rethrows {
        let start = ContinuousClock.now
        try await body()
        phases[name] = (ContinuousClock.now - start).seconds
    }
    var generator = SystemRandomNumberGenerator()
    try await timed("phases, labs and 3,000 imports") {
        for p in 0..<4 {
            let slice = Array(ids[min(ids.count, p * quarter)..<min(ids.count, (p + 1) * quarter)])
            try await db.createPhase(name: "Phase \(p + 1)", startsOn: "202\(3 + p / 2)-0\(1 + (p % 2) * 5)-01",
                               sectors: [], targets: slice, by: facilitator)
            try await db.createLab(name: "Lab \(p + 1)", phase: "Phase \(p + 1)", sectors: [], by: facilitator)
            let files = Array(texts[min(texts.count, p * quarter)..<min(texts.count, (p + 1) * quarter)])
            try await db.importServices(files, lab: "Lab \(p + 1)", by: facilitator)
        }
    }
    try await timed("3,000 advances to pain-points") {
        for id in ids { try await db.advance(service: id, by: facilitator) }
    }
    var steps: [String: [String]] = [:]
    for id in ids { steps[id] = try await db.latestMap(service: id).current.steps.map(\.id) }
    try await timed("30,000 pain points (batches of 1,000)") {
        let points = (0..<30_000).map { i -> NewPainPoint in
            let id = ids[i % ids.count]
            return NewPainPoint(service: id, step: steps[id]!.randomElement(using: &generator)!,
                                category: PainPointCategory.allCases[i % 8], severity: 1 + i % 5,
                                source: PainPointSource.allCases[i % 5], text: LocalizedText(en: "Pain point \(i) heard at a session"))
        }
        for start in stride(from: 0, to: points.count, by: 1_000) {
            try await db.addPainPoints(Array(points[start..<min(points.count, start + 1_000)]), by: facilitator)
        }
    }
    try await timed("3,000 advances to future-design") {
        for id in ids { try await db.advance(service: id, by: facilitator) }
    }
    var improvements: [Int64] = []
    try await timed("10,000 improvements proposed, one transaction each") {
        for i in 0..<10_000 {
            let id = ids[i % ids.count]
            improvements.append(try await db.proposeImprovement(service: id, text: LocalizedText(en: "Improvement \(i)"), addresses: [],
                                                          by: facilitator).id!)
        }
    }
    try await timed("10,000 decisions") {
        for (i, improvement) in improvements.enumerated() {
            try await db.decideImprovement(improvement, i % 3 == 0 ? .rejected : .accepted, by: facilitator)
        }
    }
    try await timed("3,000 maps revised during future-design") {
        for p in 0..<4 {
            try await db.importServices(Array(texts[p * quarter..<(p + 1) * quarter]), lab: "Lab \(p + 1)", by: facilitator)
        }
    }
    let quality = Member(name: "Quality team", role: .qualityReviewer)
    try await timed("review, one round of amendments, and sign-off of every service") {
        for id in ids {
            for verdict in [ReviewVerdict.amend, .approve] {
                try await db.recordDocument(service: id, revision: try await db.status(service: id).revision, sha256: "benchmark",
                                            by: facilitator)
                try await db.advance(service: id, by: facilitator)
                try await db.review(service: id, verdict: verdict, reasons: verdict == .amend ? "Name the shared system" : "",
                              by: quality)
            }
            for institution in try await db.status(service: id).awaitingSignOff {
                let directorGeneral = Member(name: "DG of \(institution)", role: .directorGeneral, institution: institution)
                try await db.signOff(service: id, institution: institution, by: directorGeneral)
            }
        }
    }
    let audit = try await db.auditLog().count

    let probe = ids[ids.count / 2]
    // Facilitators' queries (issue 4: under 100 ms each) and the programme report (issue 5: under 1 s).
    let queries: [(String, Double, () async throws -> Void)] = [
        ("status of one service", 0.1, { _ = try await db.status(service: probe) }),
        ("status of every service (3,000 rows)", 0.1, { _ = try await db.statuses() }),
        ("pain points of one service", 0.1, { _ = try await db.painPoints(service: probe) }),
        ("improvements of one service", 0.1, { _ = try await db.improvements(service: probe) }),
        ("audit log of one service", 0.1, { _ = try await db.auditLog(service: probe) }),
        ("phases and labs", 0.1, { _ = try await db.phases(); _ = try await db.labs() }),
        ("programme report, every phase (3,000 services)", 1, { _ = ProgrammeReport.make(try await db.programmeSnapshot()) }),
    ]
    let total = phases.values.reduce(0, +)
    print(row(["building", "time"]))
    print(row(["---", "---:"]))
    for name in ["phases, labs and 3,000 imports", "3,000 advances to pain-points", "30,000 pain points (batches of 1,000)",
                 "3,000 advances to future-design", "10,000 improvements proposed, one transaction each", "10,000 decisions",
                 "3,000 maps revised during future-design", "review, one round of amendments, and sign-off of every service"] {
        print(row([name, String(format: "%.1f s", phases[name]!)]))
    }
    print(row(["**total** (\(audit) audit rows)", String(format: "**%.1f s**", total)]))
    print()
    print(row(["query (median of 21)", "time", "target", "met"]))
    print(row(["---", "---:", "---", "---"]))
    for (name, target, query) in queries {
        let result = try await median(runs: 21, query)
        print(row([name, String(format: "%.2f ms", result.median * 1000), target < 1 ? "< \(Int(target * 1000)) ms" : "< \(Int(target)) s",
                   result.median < target ? "yes" : "NO"]))
    }
}
