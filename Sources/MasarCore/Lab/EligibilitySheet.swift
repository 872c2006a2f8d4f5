/// A civil ID number with the year of birth that goes with it, as a person types them or the
/// programme office's list gives them. Digits only: Arabic-Indic and Persian digits are read as
/// ASCII, and spaces and dashes dropped, so "٠١٢ ٣٤٥" and "012-345" are the same number.
public struct CivilID: Equatable, Sendable {
    public var digits: String
    public var birthYear: Int

    public init(digits: String, birthYear: Int) {
        self.digits = digits
        self.birthYear = birthYear
    }

    /// Nil, with the reason, when the number is not 4 to 15 digits or the year not 1900–2100.
    public static func parse(number: String, birthYear: String) -> Result<CivilID, Refusal> {
        let digits = normalised(number)
        guard (4...15).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else {
            return .failure(Refusal(.badCivilID, ["field": "civil ID number"]))
        }
        guard let year = Int(normalised(birthYear)), (1900...2100).contains(year) else {
            return .failure(Refusal(.badCivilID, ["field": "year of birth"]))
        }
        return .success(CivilID(digits: digits, birthYear: year))
    }

    static func normalised(_ text: String) -> String {
        String(text.unicodeScalars.compactMap { scalar -> Character? in
            switch scalar.value {
            case 0x0660...0x0669: Character(Unicode.Scalar(scalar.value - 0x0660 + 0x30)!)
            case 0x06F0...0x06F9: Character(Unicode.Scalar(scalar.value - 0x06F0 + 0x30)!)
            case 0x20, 0x2D, 0xA0: nil
            default: Character(scalar)
            }
        })
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// The programme office's eligibility list for a phase, as a CSV sheet (`civil_id,birth_year`).
/// Every bad row is reported by its line, never by its number (the file is personal data), and a
/// sheet with any bad row gives nobody.
public enum EligibilitySheet {
    static let columns = ["civil_id", "birth_year"]

    public static func read(_ text: String, file: String) throws(MapIssues) -> [CivilID] {
        let table = try CSVTable.sheet(text, file: file)
        var issues = table.headerIssues(file: file, columns: columns, required: columns)
        guard issues.isEmpty else { throw MapIssues(issues) }
        var entries: [CivilID] = []
        var lines: [String: Int] = [:]
        for row in table.rows {
            if let width = table.widthIssue(row, file: file) {
                issues.append(width)
                continue
            }
            switch CivilID.parse(number: table.value("civil_id", in: row), birthYear: table.value("birth_year", in: row)) {
            case .failure(let refusal):
                issues.append(MapIssue(file: file, line: row.line, message: refusal.message(in: .english)))
            case .success(let entry):
                if let first = lines[entry.digits] {
                    issues.append(MapIssue(file: file, line: row.line, message: "the civil ID number of line \(first) again"))
                } else {
                    lines[entry.digits] = row.line
                    entries.append(entry)
                }
            }
        }
        guard issues.isEmpty else { throw MapIssues(issues) }
        return entries
    }
}
