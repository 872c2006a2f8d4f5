import Foundation
import GRDB
import MasarCore
import Testing
@testable import MasarStore

// Community members raise pain points and propose improvements; a facilitator of the lab reads
// each before anyone else does. Each test is the abuse it stops, on every backend: a text
// published by nobody, counted, voted on or addressed; a moderation by the wrong person.

private let office = Member(name: "Office", role: .programmeOffice)
private let aisha = Member(name: "Aisha", role: .facilitator)
private let hamed = Member(name: "Hamed", role: .facilitator)

/// Burial permit in Aisha's lab of phase P1, at pain points with nothing recorded; Salim takes
/// part in P1, Muna in P2. Hamed runs a lab of P1 that burial permit is not in.
private struct CommunityLab {
    let store: any LabStore
    let salim: Member
    let muna: Member

    init(_ backend: Backend) async throws {
        store = try await backend.store(now: { Date() }).store
        try await store.createAccount(name: "Office", role: .programmeOffice, passwordHash: "x", by: nil)
        for name in ["Aisha", "Hamed"] {
            try await store.createAccount(name: name, role: .facilitator, passwordHash: "x", by: office)
        }
        try await store.createPhase(name: "P1", startsOn: "2026-11-01", sectors: [], by: office)
        try await store.createPhase(name: "P2", startsOn: "2027-02-01", sectors: [], by: office)
        try await store.createLab(name: "Municipal lab", phase: "P1", sectors: [], facilitators: ["Aisha"], by: office)
        try await store.createLab(name: "Health lab", phase: "P1", sectors: [], facilitators: ["Hamed"], by: office)
        try await store.importService(yaml: try yaml("burial-permit"), file: "burial-permit.yaml", lab: "Municipal lab", by: aisha)
        try await store.advance(service: "burial-permit", by: aisha)
        salim = try await store.registerParticipant(phase: "P1", name: "Salim", track: .inPerson, kind: .community, by: aisha).member
        muna = try await store.registerParticipant(phase: "P2", name: "Muna", track: .inPerson, kind: .community, by: office).member
    }

    @discardableResult
    func raise(by member: Member, source: PainPointSource = .community) async throws -> PainPointRecord {
        try await store.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits, severity: 4,
                                     source: source, text: LocalizedText(ar: "زيارة ثانية للبلدية"), by: member)
    }

    /// Expects a refusal with this code, and the audit log unchanged.
    func expectRefused(_ code: RefusalCode, sourceLocation: SourceLocation = #_sourceLocation,
                       _ body: () async throws -> Void) async throws {
        try await MasarStoreTests.expectRefused(store, code, sourceLocation: sourceLocation, body)
    }
}

@Suite("Contributions from the community, moderated before they are published, on every backend")
struct ModerationTests {
    @Test("A participant's pain point is read by nobody, counts for nothing and is addressed by nothing until the lab's facilitator publishes it",
          arguments: Backend.all)
    func painPointWaits(_ backend: Backend) async throws {
        let lab = try await CommunityLab(backend)
        let point = try await lab.raise(by: lab.salim)
        #expect(point.moderation == .pending)
        #expect(try await lab.store.painPoints(service: "burial-permit").isEmpty)
        #expect(try await lab.store.status(service: "burial-permit").painPoints == 0)
        // The stage does not move on a pain point nobody has read.
        try await lab.expectRefused(.needsPainPoint) { try await lab.store.advance(service: "burial-permit", by: aisha) }
        try await lab.expectRefused(.unknownPainPoints) {
            try await lab.store.proposeImprovement(service: "burial-permit", text: "Hospital reports it", addresses: [point.id!], by: aisha)
        }
        // Only a facilitator of the service's own lab moderates.
        try await lab.expectRefused(.notYourLab) { try await lab.store.moderate(.painPoint(point.id!), publish: true, by: hamed) }
        try await lab.expectRefused(.roleForbids) { try await lab.store.moderate(.painPoint(point.id!), publish: true, by: lab.salim) }
        try await lab.expectRefused(.notFound) { try await lab.store.moderate(.painPoint(999), publish: true, by: aisha) }

        try await lab.store.moderate(.painPoint(point.id!), publish: true, by: aisha)
        let published = try await lab.store.painPoints(service: "burial-permit")
        #expect(published.map(\.id) == [point.id])
        #expect(published.first?.participantId != nil)
        let entry = try #require(try await lab.store.auditLog().last)
        #expect(entry.who == "Aisha" && entry.action == AuditAction.publish.rawValue && entry.note.hasPrefix("pain point #\(point.id!): ") && entry.note.contains("زيارة ثانية للبلدية"))
        // Once only: a published pain point is not taken back, nor declined after the fact.
        try await lab.expectRefused(.moderatedAlready) { try await lab.store.moderate(.painPoint(point.id!), publish: false, by: aisha) }
        try await lab.store.advance(service: "burial-permit", by: aisha)
    }

    @Test("A proposal is not put to a vote or decided while it waits; a declined one is never shown", arguments: Backend.all)
    func proposalWaits(_ backend: Backend) async throws {
        let lab = try await CommunityLab(backend)
        let point = try await lab.raise(by: aisha)
        #expect(point.moderation == .published)
        try await lab.store.advance(service: "burial-permit", by: aisha)
        let waiting = try await lab.store.proposeImprovement(service: "burial-permit", text: LocalizedText(ar: "تبلغ المستشفى عن الوفاة"),
                                                             addresses: [point.id!], by: lab.salim)
        let declined = try await lab.store.proposeImprovement(service: "burial-permit", text: "Buy a faster printer",
                                                              addresses: [], by: lab.salim)
        let staff = try await lab.store.proposeImprovement(service: "burial-permit", text: "Permit online", addresses: [point.id!], by: aisha)
        #expect(try await lab.store.improvements(service: "burial-permit").map(\.improvement.id) == [staff.id])
        try await lab.expectRefused(.awaitsModeration) { try await lab.store.decideImprovement(waiting.id!, .accepted, by: aisha) }
        try await lab.store.moderate(.improvement(declined.id!), publish: false, by: aisha)
        #expect(try await lab.store.unpublished(service: "burial-permit", for: aisha).improvements.map(\.improvement.moderation) == [.pending, .declined])

        // A vote opened now chooses among the one published improvement only.
        let now = Date()
        let vote = try await lab.store.openVote(service: "burial-permit", mode: .support, question: "First?", opensAt: now,
                                                closesAt: now.addingTimeInterval(3600), supportLimit: 1, by: aisha)
        #expect(try await lab.store.choices(vote: vote.id!).map(\.id) == [staff.id!])
        try await lab.store.moderate(.improvement(waiting.id!), publish: true, by: aisha)
        #expect(try await lab.store.improvements(service: "burial-permit").map(\.improvement.id) == [waiting.id, staff.id])
        #expect(try await lab.store.unpublished(service: "burial-permit", for: aisha).pending.improvements.isEmpty)
    }

    @Test("A participant contributes in their own phase only, and their pain point's source is the community", arguments: Backend.all)
    func ownPhase(_ backend: Backend) async throws {
        let lab = try await CommunityLab(backend)
        try await lab.expectRefused(.notYourPhase) { try await lab.raise(by: lab.muna) }
        try await lab.expectRefused(.notYourPhase) {
            try await lab.store.proposeImprovement(service: "burial-permit", text: "x", addresses: [], by: lab.muna)
        }
        try await lab.expectRefused(.communitySource) { try await lab.raise(by: lab.salim, source: .mysteryShopper) }
        #expect(try await lab.store.unpublished(service: "burial-permit", for: aisha).painPoints.isEmpty)
    }

    @Test("What waits is read by the lab's facilitators and by its own contributor only; the log keeps no unread text", arguments: Backend.all)
    func whoReads(_ backend: Backend) async throws {
        let lab = try await CommunityLab(backend)
        let published = try await lab.raise(by: aisha)
        try await lab.store.advance(service: "burial-permit", by: aisha)
        let noura = try await lab.store.registerParticipant(phase: "P1", name: "Noura", track: .inPerson, kind: .community, by: aisha).member
        let his = try await lab.store.proposeImprovement(service: "burial-permit", text: "Send the permit by SMS", addresses: [published.id!],
                                                         by: lab.salim)
        let hers = try await lab.store.proposeImprovement(service: "burial-permit", text: "Open on Saturdays", addresses: [], by: noura)
        #expect(try await lab.store.unpublished(service: "burial-permit", for: aisha).improvements.map(\.improvement.id) == [his.id, hers.id])
        #expect(try await lab.store.unpublished(service: "burial-permit", for: lab.salim).improvements.map(\.improvement.id) == [his.id])
        #expect(try await lab.store.unpublished(service: "burial-permit", for: noura).improvements.map(\.improvement.id) == [hers.id])
        for (outsider, code) in [(hamed, RefusalCode.notYourLab), (Member(name: "QC", role: .qualityReviewer), .roleForbids),
                                 (lab.muna, .notYourPhase)] {
            let refusal = await #expect(throws: Refusal.self) { _ = try await lab.store.unpublished(service: "burial-permit", for: outsider) }
            #expect(refusal?.code == code)
        }
        // Any staff account reads the audit log: an unread proposal is there by number only.
        let log = try await lab.store.auditLog(service: "burial-permit")
        #expect(!log.contains { $0.note.contains("SMS") || $0.note.contains("Saturdays") })
        try await lab.store.moderate(.improvement(hers.id!), publish: false, by: aisha)
        try await lab.store.moderate(.improvement(his.id!), publish: true, by: aisha)
        let after = try await lab.store.auditLog(service: "burial-permit").suffix(2).map(\.note)
        #expect(after == ["improvement #\(hers.id!)", "improvement #\(his.id!): Send the permit by SMS"])
    }

    @Test("The service goes to review only once nothing from the community waits", arguments: Backend.all)
    func reviewWaits(_ backend: Backend) async throws {
        let lab = try await CommunityLab(backend)
        try await lab.raise(by: aisha)
        try await lab.store.advance(service: "burial-permit", by: aisha)
        let waiting = try await lab.raise(by: lab.salim)
        let revision = try await lab.store.status(service: "burial-permit").revision
        try await lab.store.recordDocument(service: "burial-permit", revision: revision, sha256: "d", by: aisha)
        try await lab.expectRefused(.contributionsAwait) { try await lab.store.advance(service: "burial-permit", by: aisha) }
        try await lab.store.moderate(.painPoint(waiting.id!), publish: false, by: aisha)
        #expect(try await lab.store.advance(service: "burial-permit", by: aisha) == .review)
    }

    @Test("A flood from one participant stops at ten waiting on a service; staff are not held to it", arguments: Backend.all)
    func flood(_ backend: Backend) async throws {
        let lab = try await CommunityLab(backend)
        var points: [PainPointRecord] = []
        for _ in 1...6 { points.append(try await lab.raise(by: lab.salim)) }
        for index in 1...4 {
            try await lab.store.proposeImprovement(service: "burial-permit", text: LocalizedText(en: "Idea \(index)"), addresses: [], by: lab.salim)
        }
        try await lab.expectRefused(.tooManyAwaiting) { try await lab.raise(by: lab.salim) }
        try await lab.expectRefused(.tooManyAwaiting) {
            try await lab.store.proposeImprovement(service: "burial-permit", text: "Idea 5", addresses: [], by: lab.salim)
        }
        // Once the facilitator has read one, there is room for one more.
        try await lab.store.moderate(.painPoint(points[0].id!), publish: false, by: aisha)
        try await lab.raise(by: lab.salim)
        for _ in 1...11 { try await lab.raise(by: aisha) }
        #expect(try await lab.store.painPoints(service: "burial-permit").count == 11)
    }

    @Test("The database holds it: moderated once, and only published contributions are addressed or voted on", arguments: Backend.all)
    func heldByTheDatabase(_ backend: Backend) async throws {
        let (store, _) = try await backend.store(now: { Date() })
        try await store.createAccount(name: "Office", role: .programmeOffice, passwordHash: "x", by: nil)
        try await store.createAccount(name: "Aisha", role: .facilitator, passwordHash: "x", by: office)
        try await store.createPhase(name: "P1", startsOn: "2026-11-01", sectors: [], by: office)
        try await store.createLab(name: "Municipal lab", phase: "P1", sectors: [], facilitators: ["Aisha"], by: office)
        try await store.importService(yaml: try yaml("burial-permit"), file: "burial-permit.yaml", lab: "Municipal lab", by: aisha)
        try await store.advance(service: "burial-permit", by: aisha)
        let salim = try await store.registerParticipant(phase: "P1", name: "Salim", track: .inPerson, kind: .community, by: aisha).member
        let pending = try await store.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits, severity: 3,
                                                   source: .community, text: "Queue", by: salim)
        let published = try await store.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits, severity: 3,
                                                     source: .institution, text: "Forms", by: aisha)
        await #expect(throws: SQLConstraintError.self) {
            try await rawSQL(store, "UPDATE painPoint SET moderation = 'pending' WHERE id = ?", [published.id])
        }
        await #expect(throws: SQLConstraintError.self) {
            try await rawSQL(store, "UPDATE painPoint SET moderation = 'shown' WHERE id = ?", [pending.id])
        }
        try await store.advance(service: "burial-permit", by: aisha)
        let improvement = try await store.proposeImprovement(service: "burial-permit", text: "Online", addresses: [], by: salim)
        try await store.proposeImprovement(service: "burial-permit", text: "Counter", addresses: [published.id!], by: aisha)
        await #expect(throws: SQLConstraintError.self) {
            try await rawSQL(store, "INSERT INTO improvementPainPoint (improvementId, painPointId) VALUES (?, ?)", [improvement.id, pending.id])
        }
        let now = Date()
        let vote = try await store.openVote(service: "burial-permit", mode: .support, question: "First?", opensAt: now,
                                            closesAt: now.addingTimeInterval(3600), supportLimit: 1, by: aisha)
        await #expect(throws: SQLConstraintError.self) {
            try await rawSQL(store, "INSERT INTO voteChoice (voteId, improvementId) VALUES (?, ?)", [vote.id, improvement.id])
        }
    }
}
