/// Where a service stands in its lab (DESIGN "Lab workflow"), in the order it must pass.
public enum Stage: String, CaseIterable, Codable, Sendable, Comparable {
    /// The current path is being drawn.
    case mapping
    /// Pain points are captured on current steps.
    case painPoints = "pain-points"
    /// Improvements are proposed and voted on; the future path is designed.
    case futureDesign = "future-design"
    /// Stakeholders and the quality team review the output document.
    case review
    /// Approved by the director-general of every institution involved. Final.
    case signedOff = "signed-off"

    /// The stage a service moves to next, if any.
    public var next: Stage? {
        let all = Stage.allCases
        let index = all.firstIndex(of: self)!
        return index + 1 < all.count ? all[index + 1] : nil
    }

    /// How far along a service is, for the programme's progress figure.
    public var weight: Double {
        switch self {
        case .mapping: 0
        case .painPoints: 0.25
        case .futureDesign: 0.5
        case .review: 0.75
        case .signedOff: 1
        }
    }

    public static func < (lhs: Stage, rhs: Stage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// What a person does in a lab; every action is recorded with who and in which role.
public enum LabRole: String, CaseIterable, Codable, Sendable {
    case facilitator
    case institutionRepresentative = "institution-representative"
    case community
    case qualityReviewer = "quality-reviewer"
    case directorGeneral = "director-general"
    case programmeOffice = "programme-office"
}

/// A pain point's kind, where it came from, and how bad it is (DESIGN "Lab workflow").
public enum PainPointCategory: String, CaseIterable, Codable, Sendable {
    case waiting, documents, visits, fees, handoffs, information
    case digitalGap = "digital-gap"
    case other
}

public enum PainPointSource: String, CaseIterable, Codable, Sendable {
    case community, institution
    case mysteryShopper = "mystery-shopper"
    case complaints, survey
}

/// Whether a contribution is shown: a community member's pain point or proposal waits for a
/// facilitator (`LabRules.moderation(of:)`); staff's are published as they are made.
public enum Moderation: String, CaseIterable, Codable, Sendable {
    case pending, published, declined
}

/// Something a member contributes to a service that is moderated before it is shown.
public enum Contribution: Hashable, Sendable {
    case painPoint(Int64)
    case improvement(Int64)

    public var id: Int64 {
        switch self { case .painPoint(let id), .improvement(let id): id }
    }

    /// What it is, as refusals name it.
    public var kind: String {
        switch self { case .painPoint: "painPoint"; case .improvement: "improvement" }
    }
}

/// Whose unpublished contributions a member reads (`LabRules.readsUnpublished`).
public enum UnpublishedReader: Sendable {
    case all, own
}

public enum ImprovementStatus: String, CaseIterable, Codable, Sendable {
    case proposed, accepted, rejected
}

public enum ReviewVerdict: String, CaseIterable, Codable, Sendable {
    case approve, amend
}

/// How a participant takes part in a phase: attending sessions, or answering online.
public enum Track: String, CaseIterable, Codable, Sendable {
    case inPerson = "in-person"
    case digital
}

/// How a participant was verified (DESIGN "Trust"): seen by a facilitator at a session, or
/// matched at registration against the phase's eligibility list. Registrations from before
/// verification existed are marked as such.
public enum Verification: String, CaseIterable, Codable, Sendable {
    case inPerson = "in-person"
    case eligibilityList = "eligibility-list"
    case beforeVerification = "before-verification"
}

/// Whether a participant speaks for the community or for an institution.
public enum ParticipantKind: String, CaseIterable, Codable, Sendable {
    case community
    case institution
}

/// How a vote counts (DESIGN "Participation and voting").
public enum VoteMode: String, CaseIterable, Codable, Sendable {
    /// Each participant supports up to a limit of improvements, once each.
    case support
    /// A budget of dots per participant, at most a cap on one improvement.
    case dots
    /// One question, options, one answer each.
    case poll
}

/// Where a ballot came from: cast online, or recorded by a facilitator at a session.
public enum BallotOrigin: String, CaseIterable, Codable, Sendable {
    case online
    case inPerson = "in-person"
}

extension LabRole {
    /// Roles that sign in with an account; community members are participants instead.
    public static let staff: [LabRole] = [.facilitator, .qualityReviewer, .directorGeneral, .programmeOffice,
                                          .institutionRepresentative]
}
