/// The two languages Masar speaks: Arabic first (right-to-left), and English.
public enum Language: String, CaseIterable, Codable, Sendable {
    case arabic = "ar"
    case english = "en"
}

/// Why an action of the lab is not allowed: a code and its arguments, the same on every front
/// end. Nothing was changed. The words are looked up by code in `Messages`, in either language,
/// so no front end recognises a rule by its text.
public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
    public var code: RefusalCode
    public var arguments: [String: String]

    public init(_ code: RefusalCode, _ arguments: [String: String] = [:]) {
        self.code = code
        self.arguments = arguments
    }

    /// The same refusal for the `row`-th item of a batch (a session's ballots, a survey's pain points).
    public func inRow(_ row: Int) -> Refusal {
        var refusal = self
        refusal.arguments["row"] = String(row)
        return refusal
    }

    public func message(in language: Language) -> String {
        Messages.text(code, arguments, language)
    }

    /// English, as the terminal prints it.
    public var description: String { "refused: " + message(in: .english) }
}

/// Every reason the lab refuses something. Each has an English and an Arabic message
/// (`Messages`); a test holds the table complete.
public enum RefusalCode: String, CaseIterable, Codable, Sendable {
    // Who may act
    case roleForbids, notYourLab, notYourInstitution, institutionNotInService, notYourPhase, needsInstitution, unknownMember, roleDisagrees
    case firstAccountIsProgrammeOffice, accountsByProgrammeOffice, facilitatorNotAnAccount, notYourBallot
    // What does not exist, or exists already
    case notFound, nameTaken
    // Phases, labs, sessions
    case badDate, endsBeforeStart, negativeAttendance
    // Maps and stages
    case serviceInAnotherLab, mapFrozen, mapInReview, painPointsOnRemovedSteps, stageFinal, stageForbids
    case needsPainPoint, needsFuturePath, needsDocument, signOffNotAdvance, documentOutdated
    // Pain points and improvements
    case severityOutOfRange, notAStep, unknownPainPoints, improvementOnOpenVote
    case communitySource, moderatedAlready, awaitsModeration, tooManyAwaiting, contributionsAwait
    // Review and sign-off
    case amendNeedsReasons, amendAfterSignOff, notAnOwner, needsQualityApproval, signedAlready
    // Votes
    case closesBeforeOpens, windowTooShort, windowTooLong, closesInPast, badInstant
    case supportNeedsLimit, dotsNeedBudgetAndCap, pollNeedsOptions, nothingToVoteOn
    case voteClosed, voteNotOpenYet, voteClosedAlready, voteStillOpen, resultsHidden
    case pollChoosesNoImprovement, improvementNotOnVote
    case notAChoice, ballotNeedsChoice, supportOnce, supportOverLimit, dotsOverCap, dotsOverBudget, pollOneAnswer
    case ballotOfOtherOrigin, ballotExists, noBallot, notInVotePhase, negativeTally, ballotCastOnline
    // Participants and accounts
    case participantNeedsName, representativeNeedsInstitution, accountNeedsInstitution, communityHasNoInstitution, digitalNeedsPassword, accountNeedsName, communityHasNoAccount
    // Passwords and sign-in
    case passwordTooShort, passwordTooLong, signInWait, addressWait, registrationWait
    case nameLooksLike
    // Text that lies: hidden characters, more than a field holds; and text in neither language
    case controlCharacter, bidiControl, textTooLong, textMissing
    // The database and files
    case databaseNewer, databaseRefused, backupExists, notAnExport, exportSchema, importNeedsEmpty, exportColumns
    case unreadableFile, notUTF8
    // A database server
    case serverUnreachable, serverSignIn, serverNoDatabase, serverURL, serverFailed, secretNeeded
    // Trust: verified participants, sealed ballots, the audit chain
    case notVerified, verifiedAlready, needsCivilID, badCivilID, notOnEligibilityList, civilIDRegistered
    case eligibilityNeedsSecret, badSecret, ballotSealed
    case auditEntriesMissing, auditChainBroken, auditEntryChanged, auditHeadDiffers
}

extension Stage {
    /// The stage's name in `language`.
    public func name(in language: Language) -> String {
        switch (self, language) {
        case (.mapping, .english): "mapping"
        case (.mapping, .arabic): "رسم المسار الحالي"
        case (.painPoints, .english): "pain-points"
        case (.painPoints, .arabic): "نقاط الألم"
        case (.futureDesign, .english): "future-design"
        case (.futureDesign, .arabic): "تصميم المسار المستقبلي"
        case (.review, .english): "review"
        case (.review, .arabic): "المراجعة"
        case (.signedOff, .english): "signed-off"
        case (.signedOff, .arabic): "معتمدة"
        }
    }
}

extension LabRole {
    /// The role's name in `language`.
    public func name(in language: Language) -> String {
        switch (self, language) {
        case (_, .english): rawValue
        case (.facilitator, .arabic): "الميسّر"
        case (.institutionRepresentative, .arabic): "ممثل الجهة"
        case (.community, .arabic): "فرد من المجتمع"
        case (.qualityReviewer, .arabic): "مراجع الجودة"
        case (.directorGeneral, .arabic): "المدير العام"
        case (.programmeOffice, .arabic): "مكتب البرنامج"
        }
    }
}
