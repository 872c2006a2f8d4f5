import Foundation
import Testing
@testable import MasarCore

// The lab's rules as pure functions: each test builds the state by hand, names the member
// acting, and checks the refusal's code, its arguments and its words in both languages.

private let lab = LabState(id: 1, name: "Civil status lab", phase: 7, phaseName: "Phase 1", facilitators: ["Aisha"])
private let aisha = Member(name: "Aisha", role: .facilitator)
private let otherFacilitator = Member(name: "Hamed", role: .facilitator)
private let start = Date(timeIntervalSince1970: 1_700_000_000)

/// A service in review whose future path is owned by the Hospital and the police.
private func service(stage: Stage = .review, painPoints: Int = 1, documentRevision: Int64? = 2, approved: Bool = true,
                     signed: Set<String> = []) throws -> ServiceState {
    let yaml = serviceYAML(current: """
            - {id: notify, title: {en: Notify}, actor: Hospital, channel: in-person, duration: 1d, next: [register]}
            - {id: register, title: {en: Register}, actor: Civil Status, channel: in-person, duration: 1d}
        """, future: """
            - {id: auto, title: {en: Register automatically}, actor: Hospital, channel: automatic, duration: 1h, next: [check]}
            - {id: check, title: {en: Check}, actor: Royal Oman Police, channel: online, duration: 1h}
        """)
    return ServiceState(id: "birth", lab: lab, stage: stage, revision: 2, map: try map(yaml), painPoints: painPoints,
                        documentRevision: documentRevision, approvedByQuality: approved, signed: signed)
}

@Suite("LabRules: every rule a pure function of the state and the member")
struct LabRulesTests {
    @Test("A director-general signs only for their own institution, an owner, after the quality team approved")
    func signOff() throws {
        let hospitalDG = Member(name: "DG H", role: .directorGeneral, institution: "Hospital")
        let state = try service()
        #expect(LabRules.signOff(state, institution: "Hospital", by: hospitalDG) == nil)
        // The attack from the terminal: naming another institution.
        let other = LabRules.signOff(state, institution: "Royal Oman Police", by: hospitalDG)
        #expect(other?.code == .notYourInstitution)
        #expect(other?.message(in: .english) == "DG H acts for Hospital, not for 'Royal Oman Police'")
        #expect(other?.message(in: .arabic) == "DG H يمثّل Hospital، لا 'Royal Oman Police'")
        // A director-general's account without an institution signs for none.
        #expect(LabRules.signOff(state, institution: "", by: Member(name: "DG", role: .directorGeneral))?.code == .needsInstitution)
        #expect(LabRules.signOff(try service(approved: false), institution: "Hospital", by: hospitalDG)?.code == .needsQualityApproval)
        #expect(LabRules.signOff(try service(signed: ["Hospital"]), institution: "Hospital", by: hospitalDG)?.code == .signedAlready)
        let civil = Member(name: "DG C", role: .directorGeneral, institution: "Civil Status")
        // Civil Status owns a current step, not a future one: it has nothing to sign.
        #expect(LabRules.signOff(state, institution: "Civil Status", by: civil)?.code == .notAnOwner)
        #expect(LabRules.signOff(state, institution: "Hospital", by: aisha)?.code == .roleForbids)
    }

    @Test("A facilitator acts only on the labs they are assigned to")
    func facilitatorScope() throws {
        let state = try service(stage: .futureDesign)
        #expect(LabRules.advance(state, by: aisha) == .success(.review))
        for refusal in [LabRules.advance(state, by: otherFacilitator).failure,
                        LabRules.recordSession(lab, heldOn: "2023-01-02", institutionRepresentatives: 1, communityMembers: 1,
                                               by: otherFacilitator),
                        LabRules.importMap(nil, into: lab, orphanedSteps: [], by: otherFacilitator),
                        LabRules.decideImprovement(1, of: state, onOpenVote: nil, by: otherFacilitator),
                        LabRules.recordDocument(state, revision: 2, by: otherFacilitator),
                        LabRules.closeVote(VoteTerms(id: 1, mode: .poll, opensAt: start, closesAt: start + 3600), in: lab,
                                           by: otherFacilitator)] {
            #expect(refusal?.code == .notYourLab)
            #expect(refusal?.message(in: .english) == "Hamed does not facilitate the lab 'Civil status lab'; the programme office assigns its facilitators")
        }
    }

    @Test("A representative acts for their own institution; an account without one cannot send a service back")
    func representatives() throws {
        let state = try service()
        let nobody = Member(name: "Rep", role: .institutionRepresentative)
        #expect(LabRules.review(state, verdict: .amend, reasons: "Why", by: nobody)?.code == .needsInstitution)
        let elsewhere = Member(name: "Rep", role: .institutionRepresentative, institution: "Ministry of Housing")
        #expect(LabRules.review(state, verdict: .approve, reasons: "", by: elsewhere)?.code == .institutionNotInService)
        let police = Member(name: "Rep", role: .institutionRepresentative, institution: "Royal Oman Police")
        #expect(LabRules.review(state, verdict: .amend, reasons: "Name the system", by: police) == nil)
    }

    @Test("No amendment after the first sign-off, and none without reasons")
    func amendments() throws {
        let quality = Member(name: "QC", role: .qualityReviewer)
        #expect(LabRules.review(try service(), verdict: .amend, reasons: "  ", by: quality)?.code == .amendNeedsReasons)
        let late = LabRules.review(try service(signed: ["Hospital"]), verdict: .amend, reasons: "Too late", by: quality)
        #expect(late == Refusal(.amendAfterSignOff, ["institution": "Hospital"]))
        #expect(LabRules.review(try service(signed: ["Hospital"]), verdict: .approve, reasons: "", by: quality) == nil)
    }

    @Test("Review needs the document of the latest revision")
    func documentOfLatestRevision() throws {
        // The document was recorded for revision 1; a map imported since made revision 2.
        let stale = try service(stage: .futureDesign, documentRevision: 1)
        #expect(LabRules.advance(stale, by: aisha).failure == Refusal(.needsDocument, ["revision": "2"]))
        #expect(LabRules.recordDocument(stale, revision: 1, by: aisha)
                == Refusal(.documentOutdated, ["revision": "1", "latest": "2", "service": "birth"]))
        #expect(LabRules.recordDocument(stale, revision: 2, by: aisha) == nil)
    }

    @Test("A vote is open from its opening to its closing or its close, one definition for ballots and tallies")
    func voteOpen() throws {
        let terms = VoteTerms(id: 3, mode: .support, opensAt: start, closesAt: start + 3600, supportLimit: 1)
        #expect(LabRules.ballotsAccepted(terms, now: start - 1)?.code == .voteNotOpenYet)
        #expect(LabRules.ballotsAccepted(terms, now: start) == nil)
        #expect(LabRules.ballotsAccepted(terms, now: start + 3600)?.code == .voteClosed)
        // A show of hands after the window has passed is refused, though nobody pressed "close".
        #expect(LabRules.recordTally(terms, in: lab, choice: 1, valid: [1], count: 4, now: start + 3600, by: aisha)?.code == .voteClosed)
        #expect(LabRules.recordTally(terms, in: lab, choice: 1, valid: [1], count: 4, now: start + 60, by: aisha) == nil)
        #expect(LabRules.recordTally(terms, in: lab, choice: 1, valid: [1], count: -1, now: start + 60, by: aisha)?.code == .negativeTally)
        var closed = terms
        closed.closedAt = start + 60
        #expect(LabRules.ballotsAccepted(closed, now: start + 120)?.code == .voteClosed)
        #expect(LabRules.closeVote(closed, in: lab, by: aisha)?.code == .voteClosedAlready)
    }

    @Test("A vote window is from a quarter of an hour to 90 days, and not already over")
    func voteWindow() throws {
        let state = try service(stage: .futureDesign)
        func open(_ seconds: TimeInterval, now: Date = start) -> Refusal? {
            LabRules.openVote(state, VoteTerms(id: 0, mode: .dots, opensAt: start, closesAt: start + seconds, dotBudget: 5, dotCap: 3),
                              proposedImprovements: 2, options: 0, now: now, by: aisha)
        }
        #expect(open(15 * 60) == nil)
        #expect(open(90 * 86_400) == nil)
        #expect(open(14 * 60)?.message(in: .english) == "a vote stays open at least 15 minutes")
        #expect(open(14 * 60)?.message(in: .arabic) == "يبقى التصويت مفتوحًا 15 دقيقة على الأقل")
        #expect(open(90 * 86_400 + 1)?.message(in: .english) == "a vote stays open at most 90 days")
        #expect(open(0)?.code == .closesBeforeOpens)
        #expect(open(3600, now: start + 7200)?.code == .closesInPast)
        let noCap = LabRules.openVote(state, VoteTerms(id: 0, mode: .dots, opensAt: start, closesAt: start + 3600, dotBudget: 2, dotCap: 3),
                                      proposedImprovements: 2, options: 0, now: start, by: aisha)
        #expect(noCap?.code == .dotsNeedBudgetAndCap)
        let nothing = LabRules.openVote(state, VoteTerms(id: 0, mode: .support, opensAt: start, closesAt: start + 3600, supportLimit: 1),
                                        proposedImprovements: 0, options: 0, now: start, by: aisha)
        #expect(nothing?.code == .nothingToVoteOn)
    }

    @Test("Hidden results are hidden from everyone before the close, staff included; live results are not")
    func hiddenResults() {
        let terms = VoteTerms(id: 3, mode: .dots, opensAt: start, closesAt: start + 3600, hideResults: true, dotBudget: 5, dotCap: 3)
        #expect(LabRules.seeResults(terms, now: start + 60)?.code == .resultsHidden)
        #expect(LabRules.seeResults(terms, now: start + 3600) == nil)
        var closedEarly = terms
        closedEarly.closedAt = start + 120
        #expect(LabRules.seeResults(closedEarly, now: start + 121) == nil)
        var live = terms
        live.hideResults = false
        #expect(LabRules.seeResults(live, now: start + 60) == nil)
    }

    @Test("1 to 4 ballots show no split; none shows only the shows of hands")
    func smallResults() {
        #expect(LabRules.showsSplit(ballots: 0))
        #expect(!LabRules.showsSplit(ballots: 1))
        #expect(!LabRules.showsSplit(ballots: 4))
        #expect(LabRules.showsSplit(ballots: 5))
    }

    @Test("A ballot is taken only from a verified participant; a sealed one never changes")
    func verifiedBallots() {
        #expect(LabRules.counts("ABCD2345", verification: nil)?.code == .notVerified)
        for way in Verification.allCases { #expect(LabRules.counts("ABCD2345", verification: way) == nil) }
        #expect(LabRules.replaceBallot(existingOrigin: .online, sealed: true, with: .online, code: "A", vote: 1)?.code == .ballotSealed)
        #expect(LabRules.replaceBallot(existingOrigin: .online, sealed: false, with: .online, code: "A", vote: 1) == nil)
    }

    @Test("A facilitator verifies participants only in a phase they run a lab of, and only once")
    func verifying() {
        #expect(LabRules.verifyParticipant("A", verified: false, in: [lab], phase: "P1", by: aisha) == nil)
        #expect(LabRules.verifyParticipant("A", verified: true, in: [lab], phase: "P1", by: aisha)?.code == .verifiedAlready)
        #expect(LabRules.verifyParticipant("A", verified: false, in: [lab], phase: "P1", by: otherFacilitator)?.code == .notYourPhase)
        #expect(LabRules.verifyParticipant("A", verified: false, in: [lab], phase: "P1",
                                           by: Member(name: "QC", role: .qualityReviewer))?.code == .roleForbids)
        #expect(LabRules.verifyParticipant("A", verified: false, in: [], phase: "P1",
                                           by: Member(name: "Office", role: .programmeOffice)) == nil)
    }

    @Test("Where a phase has an eligibility list, online registration must match an entry, once per civil ID")
    func eligibility() {
        let person = NewParticipant(name: "Maryam", track: .inPerson, kind: .community)
        func facts(_ list: Bool, _ given: Bool, _ on: Bool, _ taken: Bool) -> EligibilityFacts {
            EligibilityFacts(phaseHasList: list, civilIDGiven: given, onList: on, registeredAlready: taken)
        }
        #expect(LabRules.registerOnline(person, hasPassword: false, eligibility: facts(false, false, false, false)) == nil)
        #expect(LabRules.verification(of: facts(false, false, false, false)) == nil)
        #expect(LabRules.registerOnline(person, hasPassword: false, eligibility: facts(true, false, false, false))?.code == .needsCivilID)
        #expect(LabRules.registerOnline(person, hasPassword: false, eligibility: facts(true, true, false, false))?.code == .notOnEligibilityList)
        #expect(LabRules.registerOnline(person, hasPassword: false, eligibility: facts(true, true, true, true))?.code == .civilIDRegistered)
        #expect(LabRules.registerOnline(person, hasPassword: false, eligibility: facts(true, true, true, false)) == nil)
        #expect(LabRules.verification(of: facts(true, true, true, false)) == .eligibilityList)
    }

    @Test("Civil ID numbers are read as digits whatever the script; anything else is refused")
    func civilIDs() throws {
        #expect(try CivilID.parse(number: "٠١٢ ٣٤٥٦-۷", birthYear: "١٩٩٠").get() == CivilID(digits: "01234567", birthYear: 1990))
        for (number, year) in [("12a45", "1990"), ("123", "1990"), ("1234567890123456", "1990"), ("123456", "90"), ("123456", "1850")] {
            #expect(throws: Refusal.self) { try CivilID.parse(number: number, birthYear: year).get() }
        }
    }

    @Test("An eligibility sheet names every bad row by its line, never by its number, and gives nobody then")
    func eligibilitySheet() throws {
        #expect(try EligibilitySheet.read("civil_id,birth_year\n12345678,1990\n87654321,1985\n", file: "list.csv").count == 2)
        do {
            _ = try EligibilitySheet.read("civil_id,birth_year\n12345678,1990\n12x45678,1990\n12345678,1991\n", file: "list.csv")
            Issue.record("a bad sheet was read")
        } catch {
            #expect(error.issues.map(\.line) == [3, 4])
            #expect(!error.description.contains("12x45678") && !error.description.contains("12345678"))
        }
    }

    @Test("A community member acts in their own phase only")
    func communityPhase() throws {
        let state = try service(stage: .painPoints)
        let own = Member(name: "Salim", role: .community, phase: 7)
        #expect(LabRules.recordPainPoint(state, step: "notify", severity: 3, source: .community, by: own) == nil)
        let other = LabRules.recordPainPoint(state, step: "notify", severity: 3, source: .community, by: Member(name: "Salim", role: .community, phase: 8))
        #expect(other?.message(in: .english) == "Salim takes part in another phase than 'Phase 1'")
        #expect(LabRules.recordPainPoint(state, step: "nowhere", severity: 3, source: .community, by: own)?.code == .notAStep)
        #expect(LabRules.recordPainPoint(state, step: "notify", severity: 0, source: .community, by: own)?.code == .severityOutOfRange)
    }

    @Test("The stage allows the action: one rule, its words in both languages")
    func stageForbids() throws {
        let refusal = LabRules.recordPainPoint(try service(stage: .mapping), step: "notify", severity: 3, source: .community, by: aisha)
        #expect(refusal?.message(in: .english) == "to record a pain point is done in pain-points or future-design; 'birth' is in mapping")
        #expect(refusal?.message(in: .arabic)
                == "تسجيل نقطة ألم يكون في مرحلة نقاط الألم أو تصميم المسار المستقبلي؛ والخدمة 'birth' في مرحلة رسم المسار الحالي")
    }

    @Test("The first account is the programme office's; after it only the programme office gives accounts out")
    func accounts() {
        #expect(LabRules.createAccount(name: "Office", role: .programmeOffice, institution: nil, accountsSoFar: 0, lookingLike: nil, by: nil) == nil)
        #expect(LabRules.createAccount(name: "Aisha", role: .facilitator, institution: nil, accountsSoFar: 0, lookingLike: nil, by: nil)?.code
                == .firstAccountIsProgrammeOffice)
        #expect(LabRules.createAccount(name: "Mallory", role: .programmeOffice, institution: nil, accountsSoFar: 1, lookingLike: nil, by: nil)?.code
                == .accountsByProgrammeOffice)
        #expect(LabRules.createAccount(name: "X", role: .facilitator, institution: nil, accountsSoFar: 1, lookingLike: nil, by: aisha)?.code == .roleForbids)
        let office = Member(name: "Office", role: .programmeOffice)
        #expect(LabRules.createAccount(name: "Rep", role: .institutionRepresentative, institution: nil, accountsSoFar: 1, lookingLike: nil,
                                       by: office)?.code == .accountNeedsInstitution)
    }

    @Test("Every refusal code has an English and an Arabic message, and every placeholder is filled")
    func everyCodeInBothLanguages() {
        let sample = ["action": "advance a service", "role": "community", "roles": "facilitator", "name": "N", "lab": "L",
                      "own": "O", "institution": "I", "service": "S", "phase": "P", "accountRole": "facilitator",
                      "kind": "vote", "id": "#1", "field": "F", "value": "V", "example": "E", "steps": "a,b",
                      "stages": "review", "stage": "review", "revision": "1", "latest": "2", "severity": "9", "step": "st",
                      "painPoints": "#1", "improvement": "1", "vote": "1", "owners": "A,B", "minimum": "15",
                      "maximum": "129600", "closes": "C", "choices": "#1", "limit": "1", "cap": "1", "total": "2",
                      "budget": "1", "code": "K", "origin": "cast online", "rule": "R", "path": "p", "detail": "",
                      "schema": "s", "expected": "e", "table": "t", "columns": "c", "file": "f",
                      "from": "1", "to": "2", "entry": "3", "hash": "h", "source": "s", "seconds": "8", "moderation": "pending", "count": "10",
                      "existing": "X", "character": "U+202E", "length": "121", "server": "db:5432", "user": "masar",
                      "database": "lab", "url": "postgres://masar@db/lab"]
        for code in RefusalCode.allCases {
            let english = Messages.text(code, sample, .english), arabic = Messages.text(code, sample, .arabic)
            #expect(!english.isEmpty && !arabic.isEmpty, "\(code)")
            #expect(!english.contains("{") && !arabic.contains("{"), "\(code): a placeholder left unfilled")
            #expect(arabic.unicodeScalars.contains { (0x0600...0x06FF).contains($0.value) }, "\(code) has no Arabic text")
        }
        #expect(Refusal(.voteClosed, ["vote": "4"]).inRow(2).message(in: .arabic) == "البند 2: التصويت #4 مغلق")
        // An argument is shown as given, even one that looks like a placeholder.
        #expect(Refusal(.noBallot, ["code": "{vote}", "vote": "4"]).message(in: .english) == "{vote} has no ballot in vote #4")
    }

    @Test("No refusal anywhere in Masar is built from free text")
    func noFreeTextRefusals() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 50)
        for file in files where !file.hasPrefix("MasarBPMN/") { // BPMN's own refusals are located file problems, not lab rules
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            #expect(text.firstMatch(of: /Refusal\("/) == nil, "\(file) builds a refusal from text")
            #expect(!text.contains("message?.contains") && !text.contains(".rule.hasPrefix"), "\(file) reads a message's text")
        }
    }
}

private extension Result {
    var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
