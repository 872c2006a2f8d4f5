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
        let table: CSVTable
        do {
            table = try CSVTable(parsing: text)
        } catch {
            throw MapIssues([MapIssue(file: file, line: error.line, message: error.message)])
        }
        var issues: [MapIssue] = []
        for column in table.header where !columns.contains(column) {
            let hint = suggestion(for: column, among: columns).map { " — did you mean '\($0)'?" } ?? ""
            issues.append(MapIssue(file: file, line: 1, message: "unknown column '\(column)'\(hint) (columns: \(columns.joined(separator: ", ")))"))
        }
        for column in ["name", "track", "kind"] where !table.header.contains(column) {
            issues.append(MapIssue(file: file, line: 1, message: "missing column '\(column)'"))
        }
        guard issues.isEmpty else { throw MapIssues(issues) }
        var participants: [NewParticipant] = []
        for row in table.rows {
            func value(_ column: String) -> String {
                guard let index = table.header.firstIndex(of: column), index < row.fields.count else { return "" }
                return row.fields[index].trimmingCharacters(in: .whitespaces)
            }
            func problem(_ message: String) { issues.append(MapIssue(file: file, line: row.line, message: message)) }
            guard row.fields.count <= table.header.count else {
                problem("\(row.fields.count) fields, but the header names \(table.header.count)")
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
