import Foundation
import MasarCore
import Synchronization
import Testing
@testable import MasarStore

// The defects the "rules once" work fixed, each written as the attack or the race it stops,
// against the `LabStore` protocol: a refused action changes nothing, on every backend.

private let start = Date(timeIntervalSince1970: 1_700_000_000)
private let office = Member(name: "Office", role: .programmeOffice)
private let aisha = Member(name: "Aisha", role: .facilitator)
private let hamed = Member(name: "Hamed", role: .facilitator)
private let quality = Member(name: "QC", role: .qualityReviewer)

private final class MovableClock: Sendable {
    let time = Mutex(start)
    func set(_ date: Date) { time.withLock { $0 = date } }
    func now() -> Date { time.withLock { $0 } }
}

/// Two labs of one phase: Aisha runs "Municipal lab" with burial permit in future-design (one
/// pain point, two proposed improvements), Hamed runs "Health lab" with nothing in it.
private struct TwoLabs {
    let store: any LabStore
    let clock = MovableClock()
    let improvements: [Int64]

    init(_ backend: Backend) async throws {
        let clock = self.clock
        store = try await backend.store(now: { clock.now() }).store
        try await store.createAccount(name: "Office", role: .programmeOffice, passwordHash: "x", by: nil)
        for name in ["Aisha", "Hamed"] {
            try await store.createAccount(name: name, role: .facilitator, passwordHash: "x", by: office)
        }
        try await store.createPhase(name: "P1", startsOn: "2023-11-01", sectors: [], by: office)
        try await store.createLab(name: "Municipal lab", phase: "P1", sectors: [], facilitators: ["Aisha"], by: office)
        try await store.createLab(name: "Health lab", phase: "P1", sectors: [], facilitators: ["Hamed"], by: office)
        try await store.importService(yaml: try yaml("burial-permit"), file: "burial-permit.yaml", lab: "Municipal lab", by: aisha)
        try await store.advance(service: "burial-permit", by: aisha)
        let point = try await store.addPainPoint(service: "burial-permit", step: "verify-documents", category: .visits,
                                                 severity: 4, source: .community, text: "A second trip", by: aisha)
        try await store.advance(service: "burial-permit", by: aisha)
        var improvements: [Int64] = []
        for text: LocalizedText in ["Hospital reports the death", "Permit online"] {
            improvements.append(try await store.proposeImprovement(service: "burial-permit", text: text, addresses: [point.id!],
                                                                   by: aisha).id!)
        }
        self.improvements = improvements
    }

    func openVote(hours: Double = 1) async throws -> Int64 {
        try await store.openVote(service: "burial-permit", mode: .support, question: "First?", opensAt: start,
                                 closesAt: start.addingTimeInterval(hours * 3600), supportLimit: 2, by: aisha).id!
    }

    /// Expects a refusal with this code, and the audit log unchanged.
    func expectRefused(_ code: RefusalCode, sourceLocation: SourceLocation = #_sourceLocation,
                       _ body: () async throws -> Void) async throws {
        try await MasarStoreTests.expectRefused(store, code, sourceLocation: sourceLocation, body)
    }
}

@Suite("Scopes, races and one definition of each rule, on every backend")
struct ScopeTests {
    @Test("A facilitator who does not run the lab can touch nothing of it", arguments: Backend.all)
    func otherLabsFacilitator(_ backend: Backend) async throws {
        let lab = try await TwoLabs(backend)
        let store = lab.store
        let vote = try await lab.openVote()
        try await lab.expectRefused(.notYourLab) {
            try await store.recordSession(lab: "Municipal lab", heldOn: "2023-11-02", place: "Muscat",
                                          institutionRepresentatives: 1, communityMembers: 1, by: hamed)
        }
        try await lab.expectRefused(.notYourLab) {
            try await store.importService(yaml: try yaml("burial-permit"), file: "b.yaml", lab: "Municipal lab", by: hamed)
        }
        try await lab.expectRefused(.notYourLab) { try await store.advance(service: "burial-permit", by: hamed) }
        try await lab.expectRefused(.notYourLab) { try await store.decideImprovement(lab.improvements[0], .rejected, by: hamed) }
        try await lab.expectRefused(.notYourLab) {
            try await store.openVote(service: "burial-permit", mode: .poll, question: "?", opensAt: start,
                                     closesAt: start.addingTimeInterval(3600), options: ["a", "b"], by: hamed)
        }
        try await lab.expectRefused(.notYourLab) {
            try await store.recordTally(vote: vote, choice: lab.improvements[0], count: 9, place: "Sohar", by: hamed)
        }
        try await lab.expectRefused(.notYourLab) {
            try await store.recordDocument(service: "burial-permit", revision: 1, sha256: "x", by: hamed)
        }
        try await lab.expectRefused(.notYourLab) { try await store.closeVote(vote, by: hamed) }
        // Importing a map into another lab, even a lab of one's own, is refused too.
        try await lab.expectRefused(.serviceInAnotherLab) {
            try await store.importService(yaml: try yaml("burial-permit"), file: "b.yaml", lab: "Health lab", by: hamed)
        }
        #expect(try await store.status(service: "burial-permit").stage == .futureDesign)
        #expect(try await store.vote(vote).closedAt == nil)
    }

    @Test("The programme office assigns facilitators: only accounts that are facilitators'", arguments: Backend.all)
    func assigning(_ backend: Backend) async throws {
        let lab = try await TwoLabs(backend)
        try await lab.expectRefused(.roleForbids) { try await lab.store.assignFacilitator(lab: "Municipal lab", account: "Hamed", by: aisha) }
        try await lab.expectRefused(.facilitatorNotAnAccount) {
            try await lab.store.assignFacilitator(lab: "Municipal lab", account: "Nobody", by: office)
        }
        try await lab.store.assignFacilitator(lab: "Municipal lab", account: "Hamed", by: office)
        #expect(try await lab.store.labs().first { $0.name == "Municipal lab" }?.facilitators == ["Aisha", "Hamed"])
        // Assigned, Hamed is told what the stage still lacks, not that the lab is not his.
        try await lab.expectRefused(.needsDocument) { try await lab.store.advance(service: "burial-permit", by: hamed) }
    }

    @Test("The programme office alone sets a new password, on an account that exists; the account's sign-ins end with it",
          arguments: Backend.all)
    func resettingPasswords(_ backend: Backend) async throws {
        let lab = try await TwoLabs(backend)
        let hamedsAccount = try #require(try await lab.store.account(named: "Hamed"))
        try await lab.store.startSignIn(tokenHash: "h1", for: .staff(hamedsAccount), expiresAt: start.addingTimeInterval(3600))
        try await lab.store.startSignIn(tokenHash: "a1", for: .staff(try #require(try await lab.store.account(named: "Aisha"))),
                                        expiresAt: start.addingTimeInterval(3600))
        try await lab.expectRefused(.roleForbids) { try await lab.store.resetPassword(account: "Hamed", passwordHash: "y", by: aisha) }
        try await lab.expectRefused(.notFound) { try await lab.store.resetPassword(account: "Nobody", passwordHash: "y", by: office) }
        #expect(try await lab.store.account(named: "Hamed")?.passwordHash == "x")
        #expect(try await lab.store.signedIn(tokenHash: "h1") != nil)
        // Typed as it looks, the name finds Hamed's account.
        try await lab.store.resetPassword(account: "HAMED", passwordHash: "y", by: office)
        #expect(try await lab.store.account(named: "Hamed")?.passwordHash == "y")
        #expect(try await lab.store.signedIn(tokenHash: "h1") == nil)
        #expect(try await lab.store.signedIn(tokenHash: "a1") != nil)
        let entry = try #require(try await lab.store.auditLog().last)
        #expect(entry.action == "reset password" && entry.who == "Office" && entry.note == "Hamed (facilitator)")
    }

    @Test("A map imported between generating and recording the document: the record is refused, review waits", arguments: Backend.all)
    func documentRace(_ backend: Backend) async throws {
        let lab = try await TwoLabs(backend)
        let store = lab.store
        let generated = try await store.documentContent(service: "burial-permit")
        #expect(generated.revision.id == 1)
        // Meanwhile someone imports a new revision of the map.
        try await store.importService(yaml: try yaml("burial-permit") + "\n# revised\n", file: "b.yaml", lab: "Municipal lab", by: aisha)
        try await lab.expectRefused(.documentOutdated) {
            try await store.recordDocument(service: "burial-permit", revision: generated.revision.id!, sha256: "old", by: aisha)
        }
        try await lab.expectRefused(.needsDocument) { try await store.advance(service: "burial-permit", by: aisha) }
        #expect(try await store.status(service: "burial-permit").documentGenerated == false)
        try await store.recordDocument(service: "burial-permit", revision: 2, sha256: "new", by: aisha)
        #expect(try await store.advance(service: "burial-permit", by: aisha) == .review)
    }

    @Test("A show of hands after the window has passed is refused, though nobody closed the vote", arguments: Backend.all)
    func tallyAfterWindow(_ backend: Backend) async throws {
        let lab = try await TwoLabs(backend)
        let vote = try await lab.openVote()
        try await lab.store.recordTally(vote: vote, choice: lab.improvements[0], count: 5, place: "Sohar", by: aisha)
        lab.clock.set(start.addingTimeInterval(3600))
        try await lab.expectRefused(.voteClosed) {
            try await lab.store.recordTally(vote: vote, choice: lab.improvements[0], count: 7, place: "Sohar", by: aisha)
        }
        #expect(try await lab.store.results(vote: vote).lines.map(\.tallies) == [5])
    }

    @Test("A vote's choices are those it opened with: none joins, none leaves, none is decided while it is open",
          arguments: Backend.all)
    func fixedChoices(_ backend: Backend) async throws {
        let lab = try await TwoLabs(backend)
        let store = lab.store
        let vote = try await lab.openVote()
        let late = try await store.proposeImprovement(service: "burial-permit", text: "One counter", addresses: [], by: aisha).id!
        #expect(try await store.choices(vote: vote).map(\.id) == lab.improvements)
        let maryam = try await store.registerParticipant(phase: "P1", name: "Maryam", track: .digital, kind: .community,
                                                         by: aisha).member
        let code = maryam.code!
        await expectRefusal("#\(late) is not a choice of vote #\(vote)") {
            try await store.castBallot(vote: vote, participant: code, choices: [late: 1], origin: .online, by: maryam)
        }
        try await lab.expectRefused(.improvementOnOpenVote) {
            try await store.decideImprovement(lab.improvements[0], .accepted, by: aisha)
        }
        // Nobody else casts her ballot online: not a facilitator, not another participant.
        try await lab.expectRefused(.notYourBallot) {
            try await store.castBallot(vote: vote, participant: code, choices: [lab.improvements[1]: 1], origin: .online, by: aisha)
        }
        let said = try await store.registerParticipant(phase: "P1", name: "Said", track: .digital, kind: .community, by: aisha).member
        try await lab.expectRefused(.notYourBallot) {
            try await store.castBallot(vote: vote, participant: code, choices: [lab.improvements[1]: 1], origin: .online, by: said)
        }
        try await lab.expectRefused(.notYourBallot) { try await store.withdrawBallot(vote: vote, participant: code, by: said) }
        try await store.castBallot(vote: vote, participant: code, choices: [lab.improvements[0]: 1], origin: .online, by: maryam)
        // Her ballot cast online is hers alone to withdraw: not even the lab's facilitator may.
        try await lab.expectRefused(.ballotCastOnline) { try await store.withdrawBallot(vote: vote, participant: code, by: aisha) }
        try await store.closeVote(vote, by: aisha)
        try await store.acceptFromVote(lab.improvements[0], vote: vote, by: aisha)
        try await lab.expectRefused(.improvementNotOnVote) { try await store.acceptFromVote(late, vote: vote, by: aisha) }
        // After the close the vote keeps its own choices, and the ballot is sealed: its choices are nobody's now.
        #expect(try await store.choices(vote: vote).map(\.id) == lab.improvements)
        #expect(try await store.ballot(vote: vote, participant: code) == [:])
    }

    @Test("A vote window is the rules' on every front end: at most 90 days", arguments: Backend.all)
    func voteWindow(_ backend: Backend) async throws {
        let lab = try await TwoLabs(backend)
        try await lab.expectRefused(.windowTooLong) { _ = try await lab.openVote(hours: 24 * 91) }
        try await lab.expectRefused(.windowTooShort) { _ = try await lab.openVote(hours: 0.1) }
    }

    @Test("A representative without an institution cannot send a service back, and nobody can after a sign-off",
          arguments: Backend.all)
    func amendments(_ backend: Backend) async throws {
        let lab = try await TwoLabs(backend)
        let store = lab.store
        try await store.recordDocument(service: "burial-permit", revision: 1, sha256: "d", by: aisha)
        try await store.advance(service: "burial-permit", by: aisha)
        try await store.review(service: "burial-permit", verdict: .approve, reasons: "", by: quality)
        let dg = Member(name: "DG M", role: .directorGeneral, institution: "Muscat Municipality")
        try await store.signOff(service: "burial-permit", institution: "Muscat Municipality", by: dg)
        let noInstitution = Member(name: "Rep", role: .institutionRepresentative)
        try await lab.expectRefused(.needsInstitution) {
            try await store.review(service: "burial-permit", verdict: .amend, reasons: "Start again", by: noInstitution)
        }
        let police = Member(name: "Rep", role: .institutionRepresentative, institution: "Royal Oman Police")
        try await lab.expectRefused(.amendAfterSignOff) {
            try await store.review(service: "burial-permit", verdict: .amend, reasons: "Start again", by: police)
        }
        // A director-general signs for their own institution only.
        try await lab.expectRefused(.notYourInstitution) {
            try await store.signOff(service: "burial-permit", institution: "Royal Oman Police", by: dg)
        }
        #expect(try await store.status(service: "burial-permit").stage == .review)
    }

    @Test("An approval before a request for amendments does not carry over: the amended path is reviewed again",
          arguments: Backend.all)
    func approvalAfterAmendments(_ backend: Backend) async throws {
        let lab = try await TwoLabs(backend)
        let store = lab.store
        try await store.recordDocument(service: "burial-permit", revision: 1, sha256: "d", by: aisha)
        try await store.advance(service: "burial-permit", by: aisha)
        try await store.review(service: "burial-permit", verdict: .approve, reasons: "", by: quality)
        let police = Member(name: "Rep", role: .institutionRepresentative, institution: "Royal Oman Police")
        try await store.review(service: "burial-permit", verdict: .amend, reasons: "Name the police system", by: police)
        // The same revision goes back to review, with its document made again.
        try await store.recordDocument(service: "burial-permit", revision: 1, sha256: "d2", by: aisha)
        try await store.advance(service: "burial-permit", by: aisha)
        let dg = Member(name: "DG M", role: .directorGeneral, institution: "Muscat Municipality")
        try await lab.expectRefused(.needsQualityApproval) {
            try await store.signOff(service: "burial-permit", institution: "Muscat Municipality", by: dg)
        }
        try await store.review(service: "burial-permit", verdict: .approve, reasons: "", by: quality)
        #expect(try await store.signOff(service: "burial-permit", institution: "Muscat Municipality", by: dg) == .review)
    }

    @Test("A facilitator registers participants only in a phase they run a lab of", arguments: Backend.all)
    func registrationScope(_ backend: Backend) async throws {
        let lab = try await TwoLabs(backend)
        try await lab.store.createPhase(name: "P2", startsOn: "2024-01-01", sectors: [], by: office)
        try await lab.expectRefused(.notYourPhase) {
            try await lab.store.registerParticipant(phase: "P2", name: "Salim", track: .inPerson, kind: .community, by: aisha)
        }
        try await lab.store.registerParticipant(phase: "P2", name: "Salim", track: .inPerson, kind: .community, by: office)
        #expect(try await lab.store.participants(phase: "P2").map(\.name) == ["Salim"])
    }

    @Test("What does not exist is its own code; an unknown phase is refused by the report", arguments: Backend.all)
    func notFound(_ backend: Backend) async throws {
        let lab = try await TwoLabs(backend)
        try await lab.expectRefused(.notFound) { _ = try await lab.store.programmeSnapshot(phase: "P9") }
        try await lab.expectRefused(.notFound) { _ = try await lab.store.vote(99) }
        try await lab.expectRefused(.notFound) { _ = try await lab.store.serviceState("nowhere") }
        #expect(try await lab.store.member(named: "nobody") == nil)
        #expect(try await lab.store.member(named: "aisha") == aisha) // account names are matched in any case
    }
}
