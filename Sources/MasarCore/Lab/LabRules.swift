import Foundation

/// Every rule of the lab, each a pure function of the state it acts on and the member acting:
/// nil when the action is allowed, else the `Refusal`. The store asks inside the transaction
/// that makes the change, the web asks to decide what to offer, and the CLI gets the store's answer.
public enum LabRules {
    // MARK: - Who may act

    /// The member's role may take this action at all.
    public static func may(_ action: LabAction, _ member: Member) -> Refusal? {
        action.roles.contains(member.role) ? nil
            : Refusal(.roleForbids, ["action": action.rawValue, "role": member.role.rawValue,
                                     "roles": action.roles.map(\.rawValue).joined(separator: ",")])
    }

    /// A facilitator acts on the labs they are assigned to; other roles are scoped elsewhere.
    public static func facilitates(_ lab: LabState, _ member: Member) -> Refusal? {
        guard member.role == .facilitator, !lab.facilitators.contains(member.name) else { return nil }
        return Refusal(.notYourLab, ["name": member.name, "lab": lab.name])
    }

    /// A representative acts for their own institution, which must take part in the service.
    static func representsAnInstitutionOf(_ service: ServiceState, _ member: Member) -> Refusal? {
        guard let institution = member.institution, !institution.allSatisfy(\.isWhitespace) else {
            return Refusal(.needsInstitution, ["name": member.name, "role": member.role.rawValue])
        }
        guard service.institutions.contains(institution) else {
            return Refusal(.institutionNotInService, ["name": member.name, "own": institution, "service": service.id])
        }
        return nil
    }

    /// The member may act on this service at all: a facilitator of its lab, a representative of
    /// an institution in it, a community member of its phase; the programme office and the
    /// quality team act across the programme.
    public static func actsOn(_ service: ServiceState, _ member: Member) -> Refusal? {
        switch member.role {
        case .facilitator: return facilitates(service.lab, member)
        case .institutionRepresentative: return representsAnInstitutionOf(service, member)
        case .community:
            guard member.phase == service.lab.phase else {
                return Refusal(.notYourPhase, ["name": member.name, "phase": service.lab.phaseName])
            }
            return nil
        case .directorGeneral, .qualityReviewer, .programmeOffice: return nil
        }
    }

    /// The action, by this member, on this service, in one of `stages`.
    static func act(_ action: LabAction, on service: ServiceState, in stages: [Stage], by member: Member) -> Refusal? {
        if let refusal = may(action, member) ?? actsOn(service, member) { return refusal }
        guard stages.contains(service.stage) else {
            return Refusal(.stageForbids, ["action": action.rawValue, "stages": stages.map(\.rawValue).joined(separator: ","),
                                           "service": service.id, "stage": service.stage.rawValue])
        }
        return nil
    }

    // MARK: - Phases, labs, sessions, maps

    /// Checks a phase's dates (`2023-01-01`); it lasts three months unless it names its end.
    public static func phaseDates(startsOn: String, endsOn: String?) -> Result<(start: String, end: String), Refusal> {
        guard let start = day(startsOn) else {
            return .failure(Refusal(.badDate, ["field": "start date", "value": startsOn, "example": "2023-01-01"]))
        }
        let end: Date
        if let endsOn {
            guard let given = day(endsOn) else {
                return .failure(Refusal(.badDate, ["field": "end date", "value": endsOn, "example": "2023-03-31"]))
            }
            end = given
        } else {
            end = Calendar(identifier: .gregorian).date(byAdding: .month, value: 3, to: start)!
        }
        guard start <= end else { return .failure(Refusal(.endsBeforeStart)) }
        return .success((day(start), day(end)))
    }

    /// The programme office assigns a lab's facilitators, each of them a facilitator's account.
    public static func assignFacilitator(_ account: Member?, name: String, by member: Member) -> Refusal? {
        if let refusal = may(.assignFacilitator, member) { return refusal }
        guard let account, account.role == .facilitator else { return Refusal(.facilitatorNotAnAccount, ["name": name]) }
        return nil
    }

    public static func recordSession(_ lab: LabState, heldOn: String, institutionRepresentatives: Int,
                                     communityMembers: Int, by member: Member) -> Refusal? {
        if let refusal = may(.recordSession, member) ?? facilitates(lab, member) { return refusal }
        guard day(heldOn) != nil else {
            return Refusal(.badDate, ["field": "session date", "value": heldOn, "example": "2023-02-14"])
        }
        guard institutionRepresentatives >= 0, communityMembers >= 0 else { return Refusal(.negativeAttendance) }
        return nil
    }

    /// A new revision of a map: into a lab the member facilitates, never into a frozen or
    /// reviewed service, and never leaving pain points on steps that are gone.
    public static func importMap(_ existing: ServiceState?, into lab: LabState, orphanedSteps: [String],
                                 by member: Member) -> Refusal? {
        if let refusal = may(.importMap, member) ?? facilitates(lab, member) { return refusal }
        guard let existing else { return nil }
        guard existing.lab.id == lab.id else { return Refusal(.serviceInAnotherLab, ["service": existing.id]) }
        switch existing.stage {
        case .signedOff: return Refusal(.mapFrozen, ["service": existing.id])
        case .review: return Refusal(.mapInReview, ["service": existing.id])
        default: break
        }
        guard orphanedSteps.isEmpty else {
            return Refusal(.painPointsOnRemovedSteps, ["steps": orphanedSteps.sorted().joined(separator: ",")])
        }
        return nil
    }

    // MARK: - Stages

    /// The stage a service moves to next, if every rule of it holds.
    public static func advance(_ service: ServiceState, by member: Member) -> Result<Stage, Refusal> {
        if let refusal = may(.advance, member) ?? actsOn(service, member) { return .failure(refusal) }
        guard let next = service.stage.next else { return .failure(Refusal(.stageFinal)) }
        switch next {
        case .mapping, .painPoints:
            break // the current path validated when it was imported
        case .futureDesign:
            guard service.painPoints > 0 else { return .failure(Refusal(.needsPainPoint)) }
        case .review:
            guard service.hasFuture else { return .failure(Refusal(.needsFuturePath)) }
            // What the community sent is read before the path goes to review, never left waiting.
            guard service.awaitingModeration == 0 else {
                return .failure(Refusal(.contributionsAwait, ["count": String(service.awaitingModeration)]))
            }
            guard documentIsCurrent(service.documentRevision, latest: service.revision) else {
                return .failure(Refusal(.needsDocument, ["revision": String(service.revision)]))
            }
        case .signedOff:
            return .failure(Refusal(.signOffNotAdvance))
        }
        return .success(next)
    }

    /// The recorded output document is of the latest revision of the map.
    public static func documentIsCurrent(_ documentRevision: Int64?, latest revision: Int64) -> Bool {
        documentRevision == revision
    }

    // MARK: - Pain points and improvements

    /// Pain points and proposals are made while pain points are captured and the future path is
    /// designed, by a member who acts on the service; the web offers its forms by this.
    public static func contribute(_ action: LabAction, on service: ServiceState, by member: Member) -> Refusal? {
        act(action, on: service, in: [.painPoints, .futureDesign], by: member)
    }

    /// A pain point on a step of the current path, severity 1–5. A community member's is their
    /// own, so its source is the community: only staff record what a survey or a shopper found.
    public static func recordPainPoint(_ service: ServiceState, step: String, severity: Int, source: PainPointSource,
                                       by member: Member, as action: LabAction = .recordPainPoint) -> Refusal? {
        if let refusal = contribute(action, on: service, by: member) { return refusal }
        guard service.currentSteps.contains(step) else { return Refusal(.notAStep, ["step": step, "service": service.id]) }
        guard (1...5).contains(severity) else { return Refusal(.severityOutOfRange, ["severity": String(severity)]) }
        guard member.role != .community || source == .community else { return Refusal(.communitySource) }
        return nil
    }

    /// An improvement addresses published pain points of the same service.
    public static func proposeImprovement(_ service: ServiceState, unknownPainPoints: [Int64], by member: Member) -> Refusal? {
        if let refusal = contribute(.proposeImprovement, on: service, by: member) { return refusal }
        guard unknownPainPoints.isEmpty else {
            return Refusal(.unknownPainPoints, ["painPoints": unknownPainPoints.sorted().map { "#\($0)" }.joined(separator: ","),
                                                "service": service.id])
        }
        return nil
    }

    /// Where a new pain point or proposal stands: a community member's waits for a facilitator
    /// of the lab, so that nothing an outsider writes is public before someone has read it.
    public static func moderation(of member: Member) -> Moderation {
        member.role == .community ? .pending : .published
    }

    /// Who reads what is not published yet: a facilitator of the lab all of it, to moderate it;
    /// a community member of the phase their own; nobody else.
    public static func readsUnpublished(_ service: ServiceState, by member: Member) -> Result<UnpublishedReader, Refusal> {
        if member.role == .community { return actsOn(service, member).map(Result.failure) ?? .success(.own) }
        return (may(.moderate, member) ?? actsOn(service, member)).map(Result.failure) ?? .success(.all)
    }

    /// At most this many of one member's contributions to a service wait at once, so that one
    /// account cannot bury the facilitator's queue under a flood.
    public static let mostAwaiting = 10

    /// One more contribution may wait, after the `awaiting` this member has on the service.
    public static func mayAwait(_ awaiting: Int, by member: Member) -> Refusal? {
        guard moderation(of: member) == .pending, awaiting >= mostAwaiting else { return nil }
        return Refusal(.tooManyAwaiting, ["count": String(awaiting)])
    }

    /// A facilitator of the service's lab publishes or declines a contribution once, while
    /// contributions are taken.
    public static func moderate(_ contribution: Contribution, standing: Moderation, of service: ServiceState,
                                by member: Member) -> Refusal? {
        if let refusal = contribute(.moderate, on: service, by: member) { return refusal }
        guard standing == .pending else {
            return Refusal(.moderatedAlready, ["kind": contribution.kind, "id": String(contribution.id),
                                               "moderation": standing.rawValue])
        }
        return nil
    }

    /// Accepting or rejecting waits for any open vote the improvement is on.
    public static func decideImprovement(_ improvement: Int64, of service: ServiceState, onOpenVote vote: Int64?,
                                         standing: Moderation = .published, by member: Member) -> Refusal? {
        if let refusal = act(.decideImprovement, on: service, in: [.futureDesign], by: member) { return refusal }
        switch standing {
        case .published: break
        case .pending: return Refusal(.awaitsModeration, ["kind": "improvement", "id": String(improvement)])
        case .declined: return Refusal(.moderatedAlready, ["kind": "improvement", "id": String(improvement), "moderation": "declined"])
        }
        if let vote { return Refusal(.improvementOnOpenVote, ["improvement": String(improvement), "vote": String(vote)]) }
        return nil
    }

    /// The output document is recorded for the revision it documents, which must be the latest.
    public static func recordDocument(_ service: ServiceState, revision: Int64, by member: Member) -> Refusal? {
        if let refusal = act(.recordDocument, on: service, in: [.futureDesign, .review], by: member) { return refusal }
        guard revision == service.revision else {
            return Refusal(.documentOutdated, ["revision": String(revision), "latest": String(service.revision),
                                               "service": service.id])
        }
        return nil
    }

    // MARK: - Review and sign-off

    /// A reviewer approves, or requests amendments with reasons — never after the first sign-off.
    public static func review(_ service: ServiceState, verdict: ReviewVerdict, reasons: String, by member: Member) -> Refusal? {
        if let refusal = act(.review, on: service, in: [.review], by: member) { return refusal }
        if verdict == .amend {
            guard !reasons.allSatisfy(\.isWhitespace) else { return Refusal(.amendNeedsReasons) }
            if let first = service.signed.sorted().first { return Refusal(.amendAfterSignOff, ["institution": first]) }
        }
        return nil
    }

    /// A director-general signs for their own institution, an owner of the future path, once
    /// the quality team approved the latest revision.
    public static func signOff(_ service: ServiceState, institution: String, by member: Member) -> Refusal? {
        if let refusal = may(.signOff, member) { return refusal }
        guard let own = member.institution, !own.allSatisfy(\.isWhitespace) else {
            return Refusal(.needsInstitution, ["name": member.name, "role": member.role.rawValue])
        }
        guard own == institution else {
            return Refusal(.notYourInstitution, ["name": member.name, "own": own, "institution": institution])
        }
        if let refusal = act(.signOff, on: service, in: [.review], by: member) { return refusal }
        guard service.owners.contains(institution) else {
            return Refusal(.notAnOwner, ["institution": institution, "owners": service.owners.sorted().joined(separator: ",")])
        }
        guard service.approvedByQuality else { return Refusal(.needsQualityApproval) }
        guard !service.signed.contains(institution) else { return Refusal(.signedAlready, ["institution": institution]) }
        return nil
    }

    // MARK: - Votes

    /// A vote in future-design, on proposed improvements (or a poll's options), for a window
    /// from a quarter of an hour to 90 days that has not passed.
    public static func openVote(_ service: ServiceState, _ terms: VoteTerms, proposedImprovements: Int, options: Int,
                                now: Date, by member: Member) -> Refusal? {
        if let refusal = act(.openVote, on: service, in: [.futureDesign], by: member) { return refusal }
        guard terms.opensAt < terms.closesAt else { return Refusal(.closesBeforeOpens) }
        let window = terms.closesAt.timeIntervalSince(terms.opensAt)
        guard window >= VoteTerms.shortestWindow else {
            return Refusal(.windowTooShort, ["minimum": String(Int(VoteTerms.shortestWindow / 60))])
        }
        guard window <= VoteTerms.longestWindow else {
            return Refusal(.windowTooLong, ["maximum": String(Int(VoteTerms.longestWindow / 60))])
        }
        guard terms.closesAt > now else { return Refusal(.closesInPast, ["closes": instant(terms.closesAt)]) }
        switch terms.mode {
        case .support:
            guard let limit = terms.supportLimit, limit >= 1 else { return Refusal(.supportNeedsLimit) }
        case .dots:
            guard let budget = terms.dotBudget, let cap = terms.dotCap, budget >= 1, (1...budget).contains(cap) else {
                return Refusal(.dotsNeedBudgetAndCap)
            }
        case .poll:
            guard options >= 2 else { return Refusal(.pollNeedsOptions) }
        }
        if terms.mode != .poll, proposedImprovements < 1 { return Refusal(.nothingToVoteOn, ["service": service.id]) }
        return nil
    }

    /// Ballots can be cast, changed or withdrawn now.
    public static func ballotsAccepted(_ terms: VoteTerms, now: Date) -> Refusal? {
        if terms.isClosed(at: now) { return Refusal(.voteClosed, ["vote": String(terms.id)]) }
        if !terms.isOpen(at: now) { return Refusal(.voteNotOpenYet, ["vote": String(terms.id)]) }
        return nil
    }

    /// A participant votes in their own phase's votes only.
    public static func participates(phase: Int64, code: String, in votePhase: Int64) -> Refusal? {
        phase == votePhase ? nil : Refusal(.notInVotePhase, ["code": code])
    }

    /// A ballot is cast online by its participant alone; one is recorded in person by a
    /// facilitator of the vote's lab.
    public static func ballotFor(_ code: String, origin: BallotOrigin, in lab: LabState, by member: Member) -> Refusal? {
        switch origin {
        case .online: member.code == code ? nil : Refusal(.notYourBallot, ["name": member.name, "code": code])
        case .inPerson: recordBallots(.recordInPersonBallot, in: lab, by: member)
        }
    }

    /// A participant withdraws their own ballot; a facilitator of the vote's lab a paper ballot
    /// recorded for someone (`origin` nil: there is no ballot), never one its participant cast online.
    public static func withdrawBallot(_ code: String, origin: BallotOrigin?, vote: Int64, in lab: LabState,
                                      by member: Member) -> Refusal? {
        if member.code == code { return nil }
        guard member.role == .facilitator else { return Refusal(.notYourBallot, ["name": member.name, "code": code]) }
        if let refusal = recordBallots(.recordInPersonBallot, in: lab, by: member) { return refusal }
        return origin == .online ? Refusal(.ballotCastOnline, ["code": code, "vote": String(vote)]) : nil
    }

    /// A facilitator registers participants in a phase they run a lab of; the programme office in any.
    public static func registerParticipants(in phaseLabs: [LabState], phase: String, by member: Member) -> Refusal? {
        may(.registerParticipants, member) ?? runsALab(of: phaseLabs, phase: phase, member)
    }

    /// A phase's participants with their registration codes, which sign an in-person participant
    /// in: shown to whoever may hand codes out there (to reprint a lost one), and to nobody else.
    public static func listParticipants(in phaseLabs: [LabState], phase: String, by member: Member) -> Refusal? {
        registerParticipants(in: phaseLabs, phase: phase, by: member)
    }

    static func runsALab(of phaseLabs: [LabState], phase: String, _ member: Member) -> Refusal? {
        guard member.role == .facilitator, !phaseLabs.contains(where: { $0.facilitators.contains(member.name) }) else { return nil }
        return Refusal(.notYourPhase, ["name": member.name, "phase": phase])
    }

    /// A facilitator who runs a lab of the participant's phase verifies them at a session (the
    /// programme office may too); once is enough.
    public static func verifyParticipant(_ code: String, verified: Bool, in phaseLabs: [LabState], phase: String,
                                         by member: Member) -> Refusal? {
        if let refusal = may(.verifyParticipants, member) ?? runsALab(of: phaseLabs, phase: phase, member) { return refusal }
        return verified ? Refusal(.verifiedAlready, ["code": code]) : nil
    }

    /// A ballot counts only from a verified participant, so it is only taken from one.
    public static func counts(_ code: String, verification: Verification?) -> Refusal? {
        verification == nil ? Refusal(.notVerified, ["code": code]) : nil
    }

    /// A facilitator records a session's paper ballots for their own lab's votes.
    public static func recordBallots(_ action: LabAction, in lab: LabState, by member: Member) -> Refusal? {
        may(action, member) ?? facilitates(lab, member)
    }

    /// A ballot's choices under the vote's mode: the rules of support, dots and polls.
    public static func ballot(_ choices: [Int64: Int], in terms: VoteTerms, valid: Set<Int64>) -> Refusal? {
        let unknown = choices.keys.filter { !valid.contains($0) }.sorted()
        guard unknown.isEmpty else {
            return Refusal(.notAChoice, ["choices": unknown.map { "#\($0)" }.joined(separator: ","), "vote": String(terms.id)])
        }
        guard !choices.isEmpty, choices.values.allSatisfy({ $0 >= 1 }) else { return Refusal(.ballotNeedsChoice) }
        switch terms.mode {
        case .support:
            guard choices.values.allSatisfy({ $0 == 1 }) else { return Refusal(.supportOnce) }
            guard choices.count <= terms.supportLimit! else {
                return Refusal(.supportOverLimit, ["limit": String(terms.supportLimit!), "vote": String(terms.id)])
            }
        case .dots:
            guard choices.values.allSatisfy({ $0 <= terms.dotCap! }) else { return Refusal(.dotsOverCap, ["cap": String(terms.dotCap!)]) }
            let total = choices.values.reduce(0, +)
            guard total <= terms.dotBudget! else {
                return Refusal(.dotsOverBudget, ["total": String(total), "budget": String(terms.dotBudget!)])
            }
        case .poll:
            guard choices.count == 1, choices.values.first == 1 else { return Refusal(.pollOneAnswer) }
        }
        return nil
    }

    /// One ballot per participant per vote, whatever its origin; a sealed one (its choices
    /// detached, as after a close or a restore) never changes.
    public static func replaceBallot(existingOrigin: BallotOrigin?, sealed: Bool, with origin: BallotOrigin, code: String,
                                     vote: Int64) -> Refusal? {
        if sealed { return Refusal(.ballotSealed, ["code": code, "vote": String(vote)]) }
        guard let existingOrigin, existingOrigin != origin else { return nil }
        return Refusal(.ballotOfOtherOrigin, ["code": code, "vote": String(vote), "origin": existingOrigin.rawValue])
    }

    /// A show of hands from a session, while the vote is not over, on one of its choices.
    public static func recordTally(_ terms: VoteTerms, in lab: LabState, choice: Int64, valid: Set<Int64>, count: Int,
                                   now: Date, by member: Member) -> Refusal? {
        if let refusal = may(.recordTally, member) ?? facilitates(lab, member) { return refusal }
        guard !terms.isClosed(at: now) else { return Refusal(.voteClosed, ["vote": String(terms.id)]) }
        guard valid.contains(choice) else { return Refusal(.notAChoice, ["choices": "#\(choice)", "vote": String(terms.id)]) }
        guard count >= 0 else { return Refusal(.negativeTally) }
        return nil
    }

    /// A facilitator of the vote's lab closes it, once.
    public static func closeVote(_ terms: VoteTerms, in lab: LabState, by member: Member) -> Refusal? {
        if let refusal = may(.closeVote, member) ?? facilitates(lab, member) { return refusal }
        return terms.closedAt == nil ? nil : Refusal(.voteClosedAlready, ["vote": String(terms.id)])
    }

    /// Results are hidden from everyone, staff included, until the vote closes, unless the vote
    /// was opened with live results.
    public static func seeResults(_ terms: VoteTerms, now: Date) -> Refusal? {
        terms.hideResults && !terms.isClosed(at: now) ? Refusal(.resultsHidden, ["vote": String(terms.id)]) : nil
    }

    /// Below this many ballots a result shows no split, only that there are fewer: with two
    /// voters, a split tells each what the other chose. With none, the split is only the shows
    /// of hands, which the room saw anyway.
    public static let fewestBallotsForASplit = 5

    public static func showsSplit(ballots: Int) -> Bool { ballots == 0 || ballots >= fewestBallotsForASplit }

    /// An improvement accepted as the result of a closed vote that had it among its choices.
    public static func acceptFromVote(_ improvement: Int64, _ terms: VoteTerms, wasOnVote: Bool, of service: ServiceState,
                                      now: Date, by member: Member) -> Refusal? {
        if let refusal = act(.decideImprovement, on: service, in: [.futureDesign], by: member) { return refusal }
        guard terms.mode != .poll else { return Refusal(.pollChoosesNoImprovement) }
        guard terms.isClosed(at: now) else { return Refusal(.voteStillOpen, ["vote": String(terms.id)]) }
        guard wasOnVote else { return Refusal(.improvementNotOnVote, ["improvement": String(improvement), "vote": String(terms.id)]) }
        return nil
    }

    // MARK: - Participants and accounts

    /// What keeps a person from being registered, if anything.
    public static func register(_ person: NewParticipant) -> Refusal? {
        if person.name.allSatisfy(\.isWhitespace) { return Refusal(.participantNeedsName) }
        if let refusal = text(person.name, .participantName).refusal
            ?? person.institution.flatMap({ text($0, .institution).refusal }) { return refusal }
        if person.kind == .institution, person.institution?.allSatisfy(\.isWhitespace) ?? true {
            return Refusal(.representativeNeedsInstitution)
        }
        if person.kind == .community, person.institution != nil { return Refusal(.communityHasNoInstitution) }
        return nil
    }

    /// Someone registering themselves online: a community member, with a password on the digital
    /// track. Where the phase has an eligibility list, their civil ID must match an entry, once.
    public static func registerOnline(_ person: NewParticipant, hasPassword: Bool, eligibility: EligibilityFacts) -> Refusal? {
        if let refusal = register(person) { return refusal }
        if person.track == .digital && !hasPassword { return Refusal(.digitalNeedsPassword) }
        guard eligibility.phaseHasList else { return nil }
        guard eligibility.civilIDGiven else { return Refusal(.needsCivilID) }
        guard eligibility.onList else { return Refusal(.notOnEligibilityList) }
        return eligibility.registeredAlready ? Refusal(.civilIDRegistered) : nil
    }

    /// How an online registration is verified: by the list it matched, or not yet (a
    /// facilitator verifies it at a session).
    public static func verification(of eligibility: EligibilityFacts) -> Verification? {
        eligibility.phaseHasList && eligibility.onList ? .eligibilityList : nil
    }

    /// The programme office gives out staff accounts; the very first account is the programme
    /// office's own, which nobody can be signed in to create. `name` is as stored
    /// (`TextRules.accountName`); `lookingLike` is the existing account whose name has its skeleton.
    public static func createAccount(name: String, role: LabRole, institution: String?, accountsSoFar: Int,
                                     lookingLike existing: String?, by member: Member?) -> Refusal? {
        if let member {
            if let refusal = may(.createAccounts, member) { return refusal }
        } else if accountsSoFar > 0 {
            return Refusal(.accountsByProgrammeOffice)
        } else if role != .programmeOffice {
            return Refusal(.firstAccountIsProgrammeOffice)
        }
        guard !name.allSatisfy(\.isWhitespace) else { return Refusal(.accountNeedsName) }
        if let refusal = text(name, .accountName).refusal ?? institution.flatMap({ text($0, .institution).refusal }) {
            return refusal
        }
        if let existing {
            return existing.lowercased() == name.lowercased() ? Refusal(.nameTaken, ["kind": "account", "name": name])
                : Refusal(.nameLooksLike, ["name": name, "existing": existing])
        }
        guard role != .community else { return Refusal(.communityHasNoAccount) }
        if role == .directorGeneral || role == .institutionRepresentative, institution?.allSatisfy(\.isWhitespace) ?? true {
            return Refusal(.accountNeedsInstitution, ["role": role.rawValue])
        }
        return nil
    }

    /// The programme office, which gives out accounts, sets a new password on one that exists
    /// (`account` nil: there is no account of that name).
    public static func resetPassword(_ account: Member?, name: String, by member: Member) -> Refusal? {
        if let refusal = may(.createAccounts, member) { return refusal }
        return account == nil ? Refusal(.notFound, ["kind": "account", "id": name]) : nil
    }

    // MARK: - Days and instants

    /// A day written `2023-01-01`.
    public static func day(_ text: String) -> Date? {
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }

    public static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    public static func instant(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
