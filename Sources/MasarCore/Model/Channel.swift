/// How the citizen meets a step of the service.
public enum Channel: String, CaseIterable, Sendable, Codable {
    case inPerson = "in-person"
    case online
    case phone
    case kiosk
    case automatic

    /// A visit: the citizen goes somewhere in person.
    public var isVisit: Bool { self == .inPerson }

    /// Counted in the digital share of a path.
    public var isDigital: Bool { self == .online || self == .kiosk || self == .automatic }
}
