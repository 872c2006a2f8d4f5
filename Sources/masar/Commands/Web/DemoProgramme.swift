import Foundation
import MasarCore
import MasarReports
import MasarStore

/// A programme to try the web app on: one phase and lab over the bundled catalogue, services at
/// every stage, an open dots vote, participants verified both ways (in person, and online against
/// an eligibility list of made-up civil IDs), and a staff account for each role.
enum DemoProgramme {
    static let password = "masar-demo-2026"

    /// Fills an empty database; returns the accounts made (name, what it is for), or nil when the
    /// database had a programme already.
    static func createIfEmpty(_ db: any LabStore, catalogue folder: String, passwordHash hash: String,
                              secret: LabSecret) async throws -> [(String, String)]? {
        guard try await db.phases().isEmpty else { return nil }
        let maps = try Catalogue.load([folder]).services
        let texts = try maps.map { (yaml: try readText($0.file), file: $0.file) }
        // The accounts the demo acts as, the programme office's first (it gives out the others).
        var accounts: [(String, String)] = []
        let office = try await db.createAccount(name: "office", role: .programmeOffice, passwordHash: hash, by: nil).member
        accounts.append(("office", LabRole.programmeOffice.rawValue))
        var members: [LabRole: Member] = [:]
        for (name, role) in [("facilitator", LabRole.facilitator), ("reviewer", .qualityReviewer)] {
            members[role] = try await db.createAccount(name: name, role: role, passwordHash: hash, by: office).member
            accounts.append((name, role.rawValue))
        }
        let facilitator = members[.facilitator]!, reviewer = members[.qualityReviewer]!
        let sectors = Array(Set(maps.map(\.sector))).sorted()
        let start = ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withFullDate])
        try await db.createPhase(name: "Phase 1", startsOn: start, sectors: sectors, targets: maps.map(\.id), by: office)
        try await db.createLab(name: "Citizen journeys lab", phase: "Phase 1", sectors: sectors, facilitators: ["facilitator"],
                               by: office)
        try await db.importServices(texts, lab: "Citizen journeys lab", by: facilitator)
        try await db.recordSession(lab: "Citizen journeys lab", heldOn: start, place: "Muscat", institutionRepresentatives: 12,
                                   communityMembers: 30, by: facilitator)
        // Stages: the first services go furthest, so each stage has some.
        let redesigned = maps.filter { $0.future != nil }
        for (index, map) in maps.enumerated() {
            try await db.advance(service: map.id, by: facilitator)
            guard index % 4 != 3, map.future != nil else { continue }
            let step = map.current.steps.first { !$0.isCitizen } ?? map.current.steps[0]
            try await db.addPainPoint(service: map.id, step: step.id, category: .visits, severity: 4, source: .community,
                                      text: LocalizedText(en: "Several visits to the counter for one request",
                                                          ar: "زيارات عدة للمكتب من أجل طلب واحد"), by: facilitator)
            try await db.advance(service: map.id, by: facilitator)
        }
        for map in redesigned.prefix(4) where try await db.status(service: map.id).stage == .futureDesign {
            _ = try await LabDocument.generate(service: map.id, in: db, by: facilitator)
            try await db.advance(service: map.id, by: facilitator)
            try await db.review(service: map.id, verdict: .approve, reasons: "Clear and complete", by: reviewer)
        }
        // Registered at a session by the facilitator: verified in person.
        let people = try await db.registerParticipants((1...12).map {
            NewParticipant(name: "Participant \($0)", track: $0 % 2 == 0 ? .digital : .inPerson, kind: .community)
        }, phase: "Phase 1", by: facilitator)
        if let voted = try await db.statuses().first(where: { $0.stage == .futureDesign }) {
            let point = try await db.painPoints(service: voted.service)[0].id!
            // The last in English only, as a lab meets it: the pages mark it so in Arabic.
            for text in [LocalizedText(en: "Apply online with documents the state already holds",
                                       ar: "التقديم إلكترونيًا بالوثائق التي تملكها الدولة أصلًا"),
                         LocalizedText(en: "One counter for every institution", ar: "مكتب واحد لكل الجهات"),
                         LocalizedText(en: "Send the certificate by courier")] {
                try await db.proposeImprovement(service: voted.service, text: text, addresses: [point], by: facilitator)
            }
            let vote = try await db.openVote(service: voted.service, mode: .dots, question: LocalizedText(en: "Which improvements matter most to you?",
                                                                                      ar: "أي التحسينات أهم لك؟"),
                                             opensAt: Date(), closesAt: Date().addingTimeInterval(14 * 86_400), dotBudget: 5, dotCap: 3,
                                             by: facilitator)
            // Five paper ballots from the session, so that the result shows a split once it closes.
            let choices = try await db.choices(vote: vote.id!).map(\.id)
            let (a, b, c) = (choices[0], choices[1], choices[2])
            let papers: [[Int64: Int]] = [[a: 3, b: 2], [b: 3, c: 2], [a: 2, c: 3], [a: 3, c: 2], [b: 2, c: 1]]
            try await db.castBallots(vote: vote.id!, zip(people.filter { $0.track == .inPerson }, papers).map { ($0.code, $1) },
                                     origin: .inPerson, by: facilitator)
        }
        // The phase's eligibility list; one entry registers online and is verified by it, and the
        // others (civil IDs 10000001 to 10000020, born 1990) are left for whoever tries the web app.
        let list = (1...20).map { CivilID(digits: String(10_000_000 + $0), birthYear: 1990) }
        try await db.loadEligibility(phase: "Phase 1", entries: secret.eligibilityList(list), by: office)
        _ = try await db.registerOnline(phase: "Phase 1", name: "Participant online", track: .digital, passwordHash: hash,
                                    civilID: secret.civilID(list[0]))
        // A director-general for each institution awaiting sign-off.
        let institutions = Set(try await db.statuses().flatMap(\.awaitingSignOff)).sorted()
        for (index, institution) in institutions.enumerated() {
            try await db.createAccount(name: "dg\(index + 1)", role: .directorGeneral, institution: institution, passwordHash: hash,
                                       by: office)
            accounts.append(("dg\(index + 1)", "director-general of \(institution)"))
        }
        return accounts
    }
}
