/// What someone does in a lab that only some roles may do. The roles are stated here once;
/// `LabRules` refuses anyone else, and the web app routes each action by the same list.
public enum LabAction: String, CaseIterable, Sendable {
    case createPhase = "create a phase"
    case openLab = "open a lab"
    case assignFacilitator = "assign a lab's facilitator"
    case recordSession = "record a session"
    case importMap = "import a service map"
    case advance = "advance a service"
    case recordPainPoint = "record a pain point"
    case importPainPoints = "import pain points"
    case proposeImprovement = "propose an improvement"
    case decideImprovement = "decide on an improvement"
    case moderate = "moderate a contribution"
    case recordDocument = "generate the output document"
    case review = "review an output document"
    case signOff = "sign off"
    case registerParticipants = "register participants"
    case openVote = "open a vote"
    case recordInPersonBallot = "record an in-person ballot"
    case recordBallots = "record ballots in bulk"
    case recordTally = "record a show of hands"
    case closeVote = "close a vote"
    case verifyParticipants = "verify participants"
    case loadEligibility = "load an eligibility list"
    case createAccounts = "create accounts"

    public var roles: [LabRole] {
        switch self {
        case .createPhase, .openLab, .registerParticipants: [.facilitator, .programmeOffice]
        case .recordPainPoint, .proposeImprovement: [.facilitator, .institutionRepresentative, .community]
        case .review: [.qualityReviewer, .institutionRepresentative]
        case .signOff: [.directorGeneral]
        case .createAccounts, .assignFacilitator, .loadEligibility: [.programmeOffice]
        case .verifyParticipants: [.facilitator, .programmeOffice]
        case .recordSession, .importMap, .advance, .importPainPoints, .decideImprovement, .moderate, .recordDocument, .openVote,
             .recordInPersonBallot, .recordBallots, .recordTally, .closeVote: [.facilitator]
        }
    }
}
