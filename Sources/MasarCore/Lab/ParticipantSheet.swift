import Foundation

/// Someone to register for a phase, as a form or a sheet gives them.
public struct NewParticipant: Equatable, Sendable {
    public var name: String
    public var track: Track
    public var kind: ParticipantKind
    public var institution: String?

    public init(name: String, track: Track, kind: ParticipantKind, institution: String? = nil) {
        self.name = name
        self.track = track
        self.kind = kind
        self.institution = institution
    }
}

/// A CSV sheet of participants (`name,track,kind,institution`), checked row by row: every bad
/// row is reported with its line, and a sheet with any bad row gives nobody.
public enum ParticipantSheet {
    static let columns = ["name", "track", "kind", "institution"]

    public static func read(_ text: String, file: String) throws(MapIssues) -> [NewParticipant] {
        let table = try CSVTable.sheet(text, file: file)
        var issues = table.headerIssues(file: file, columns: columns, required: ["name", "track", "kind"])
        guard issues.isEmpty else { throw MapIssues(issues) }
        var participants: [NewParticipant] = []
        for row in table.rows {
            func value(_ column: String) -> String { table.value(column, in: row) }
            func problem(_ message: String) { issues.append(MapIssue(file: file, line: row.line, message: message)) }
            if let width = table.widthIssue(row, file: file) {
                issues.append(width)
                continue
            }
            let track = Track(rawValue: value("track"))
            if track == nil { problem("track '\(value("track"))' is not in-person or digital") }
            let kind = ParticipantKind(rawValue: value("kind"))
            if kind == nil { problem("kind '\(value("kind"))' is not community or institution") }
            guard let track, let kind else { continue }
            let person = NewParticipant(name: value("name"), track: track, kind: kind,
                                        institution: value("institution").isEmpty ? nil : value("institution"))
            // Who may be registered is the lab's rule; the sheet only locates it.
            if let refusal = LabRules.register(person) { problem(refusal.message(in: .english)) } else { participants.append(person) }
        }
        guard issues.isEmpty else { throw MapIssues(issues) }
        return participants
    }
}
