import Foundation

/// Who acts: an account (staff) or a registered participant, with the scope it acts in. The
/// role and institution come from the account, never from what someone types.
public struct Member: Equatable, Hashable, Sendable, Codable {
    public var name: String
    public var role: LabRole
    /// The institution a director-general signs for, or a representative speaks for.
    public var institution: String?
    /// The phase a participant takes part in (their own phase is the only one they act in).
    public var phase: Int64?
    /// A participant's registration code: the ballot they cast is theirs alone.
    public var code: String?

    public init(name: String, role: LabRole, institution: String? = nil, phase: Int64? = nil, code: String? = nil) {
        self.name = name
        self.role = role
        self.institution = institution
        self.phase = phase
        self.code = code
    }
}

/// A lab as the rules see it: its phase and the facilitators assigned to it.
public struct LabState: Equatable, Sendable, Codable {
    public var id: Int64
    public var name: String
    public var phase: Int64
    public var phaseName: String
    public var facilitators: Set<String>
    public var sectors: [String]

    public init(id: Int64, name: String, phase: Int64, phaseName: String, facilitators: Set<String>, sectors: [String] = []) {
        self.id = id
        self.name = name
        self.phase = phase
        self.phaseName = phaseName
        self.facilitators = facilitators
        self.sectors = sectors
    }
}

/// A service in its lab as the rules see it, read in the transaction that acts on it.
public struct ServiceState: Equatable, Sendable {
    public var id: String
    public var lab: LabState
    public var stage: Stage
    /// The latest revision of its map.
    public var revision: Int64
    public var currentSteps: Set<String>
    public var hasFuture: Bool
    /// Institutions that own a step of the future path: their directors-general sign it off.
    public var owners: Set<String>
    /// Institutions involved at all: the owning entity and every actor of either path.
    public var institutions: Set<String>
    public var painPoints: Int
    /// The revision the recorded output document is of, if one was recorded.
    public var documentRevision: Int64?
    /// Whether the quality team approved the latest revision since amendments were last requested.
    public var approvedByQuality: Bool
    /// Institutions that have signed the latest revision.
    public var signed: Set<String>
    /// Community members' pain points and proposals not moderated yet.
    public var awaitingModeration: Int

    public init(id: String, lab: LabState, stage: Stage, revision: Int64, map: ServiceMap, painPoints: Int,
                documentRevision: Int64?, approvedByQuality: Bool, signed: Set<String>, awaitingModeration: Int = 0) {
        self.id = id
        self.lab = lab
        self.stage = stage
        self.revision = revision
        currentSteps = Set(map.current.steps.map(\.id))
        hasFuture = map.future != nil
        owners = Self.owners(map)
        institutions = Set([map.entity] + (map.current.steps + (map.future?.steps ?? [])).filter { !$0.isCitizen }.map(\.actor))
        self.painPoints = painPoints
        self.documentRevision = documentRevision
        self.approvedByQuality = approvedByQuality
        self.signed = signed
        self.awaitingModeration = awaitingModeration
    }

    /// Institutions that own a step of the future path of `map`.
    public static func owners(_ map: ServiceMap) -> Set<String> {
        Set(map.future?.steps.filter { !$0.isCitizen }.map(\.actor) ?? [])
    }

    /// Owners still to sign the latest revision.
    public var awaitingSignOff: [String] { owners.subtracting(signed).sorted() }

    /// Owners of `map`'s future path that have not signed, for a listing that reads no state.
    public static func awaitingSignOff(_ map: ServiceMap, signed: Set<String>) -> [String] {
        owners(map).subtracting(signed).sorted()
    }
}

/// A vote's terms: its mode and limits, and its window. Whether it is open is defined here once.
public struct VoteTerms: Equatable, Sendable {
    public var id: Int64
    public var mode: VoteMode
    public var opensAt: Date
    public var closesAt: Date
    /// Set when a facilitator closes the vote.
    public var closedAt: Date?
    public var hideResults: Bool
    public var supportLimit: Int?
    public var dotBudget: Int?
    public var dotCap: Int?

    public init(id: Int64, mode: VoteMode, opensAt: Date, closesAt: Date, closedAt: Date? = nil, hideResults: Bool = false,
                supportLimit: Int? = nil, dotBudget: Int? = nil, dotCap: Int? = nil) {
        self.id = id
        self.mode = mode
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.closedAt = closedAt
        self.hideResults = hideResults
        self.supportLimit = supportLimit
        self.dotBudget = dotBudget
        self.dotCap = dotCap
    }

    /// Over at `now`: closed by a facilitator, or past its window. Ballots, tallies, results
    /// and every page ask this.
    public func isClosed(at now: Date) -> Bool { closedAt != nil || now >= closesAt }

    /// Ballots can be cast at `now`.
    public func isOpen(at now: Date) -> Bool { !isClosed(at: now) && now >= opensAt }

    /// How long a vote may stay open: long enough for a session's poll, at most a quarter.
    public static let shortestWindow: TimeInterval = 15 * 60
    public static let longestWindow: TimeInterval = 90 * 86_400
}

/// What an online registration is checked against: the phase's eligibility list, if it has one.
public struct EligibilityFacts: Equatable, Sendable {
    public var phaseHasList: Bool
    public var civilIDGiven: Bool
    /// An entry of the list has the civil ID number and year of birth given.
    public var onList: Bool
    /// Someone registered in the phase with this civil ID number already.
    public var registeredAlready: Bool

    public init(phaseHasList: Bool, civilIDGiven: Bool, onList: Bool, registeredAlready: Bool) {
        self.phaseHasList = phaseHasList
        self.civilIDGiven = civilIDGiven
        self.onList = onList
        self.registeredAlready = registeredAlready
    }
}
