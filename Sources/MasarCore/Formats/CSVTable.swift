import Foundation

/// A CSV file read as rows of fields (RFC 4180: quoted fields may hold commas, quotes as "",
/// and line breaks), with the line each row starts on for messages.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [(line: Int, fields: [String])]

    /// Why a text could not be read as CSV.
    public struct Failure: Error, Equatable, Sendable {
        public var line: Int
        public var message: String
    }

    public init(parsing text: String) throws(Failure) {
        var records: [(Int, [String])] = []
        var field = ""
        var fields: [String] = []
        var quoted = false
        var line = 1
        var recordLine = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        func endRecord() {
            fields.append(field)
            field = ""
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
            fields = []
        }
        while let scalar = pending {
            pending = iterator.next()
            if quoted {
                if scalar == "\"" {
                    if pending == "\"" { field.unicodeScalars.append("\""); pending = iterator.next() } else { quoted = false }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty: quoted = true
            case ",": fields.append(field); field = ""
            case "\r" where pending == "\n": continue
            case "\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            default: field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw Failure(line: recordLine, message: "a quoted field is not closed") }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        guard let first = records.first else { throw Failure(line: 1, message: "the file is empty") }
        header = first.1.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        rows = records.dropFirst().map { (line: $0.0, fields: $0.1) }
    }

    /// A field as spreadsheets read it back: quoted when it holds a comma, a quote or a line
    /// break; text starting with `=`, `+`, `-` or `@` (not a number) gets a leading `'`, so a
    /// spreadsheet never runs text from a map or a form as a formula.
    public static func field(_ text: String) -> String {
        var text = text
        if let first = text.first, "=+-@".contains(first), Double(text) == nil { text = "'" + text }
        guard text.contains(where: { ",\"\n\r".contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension CSVTable {
    /// Columns the sheet does not know (with the nearest known one) and required ones it lacks, on line 1.
    public func headerIssues(file: String, columns: [String], required: [String]) -> [MapIssue] {
        header.filter { !columns.contains($0) }.map { column in
            let hint = suggestion(for: column, among: columns).map { " — did you mean '\($0)'?" } ?? ""
            return MapIssue(file: file, line: 1, message: "unknown column '\(column)'\(hint) (columns: \(columns.joined(separator: ", ")))")
        } + required.filter { !header.contains($0) }.map { MapIssue(file: file, line: 1, message: "missing column '\($0)'") }
    }

    /// A row with more fields than the header names.
    public func widthIssue(_ row: (line: Int, fields: [String]), file: String) -> MapIssue? {
        row.fields.count <= header.count ? nil
            : MapIssue(file: file, line: row.line, message: "\(row.fields.count) fields, but the header names \(header.count)")
    }

    /// The row's field in `column`, trimmed; empty when the row is short or the column absent.
    public func value(_ column: String, in row: (line: Int, fields: [String])) -> String {
        guard let index = header.firstIndex(of: column), index < row.fields.count else { return "" }
        return row.fields[index].trimmingCharacters(in: .whitespaces)
    }
}

extension CSVTable {
    /// The sheet in `file`, or its first CSV error as an issue on its line.
    public static func sheet(_ text: String, file: String) throws(MapIssues) -> CSVTable {
        do {
            return try CSVTable(parsing: text)
        } catch {
            throw MapIssues([MapIssue(file: file, line: error.line, message: error.message)])
        }
    }
}
