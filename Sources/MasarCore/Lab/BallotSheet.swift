/// A session's paper ballots as a CSV sheet (`code,choices`), where choices are improvement or
/// option numbers separated by `;`, with `=DOTS` for dots: `3;5` or `3=2;5=1`. Every bad row is
/// reported with its line; a sheet with any bad row gives no ballot.
public enum BallotSheet {
    public static func read(_ text: String, file: String) throws(MapIssues) -> [(code: String, choices: [Int64: Int])] {
        let table = try CSVTable.sheet(text, file: file)
        guard table.header == ["code", "choices"] else {
            throw MapIssues([MapIssue(file: file, line: 1, message: "the columns must be code,choices")])
        }
        var issues: [MapIssue] = []
        var ballots: [(code: String, choices: [Int64: Int])] = []
        for row in table.rows {
            let code = row.fields.first?.trimmingCharacters(in: .whitespaces) ?? ""
            // A code is looked up, never stored, but refusals and listings repeat it as given.
            if let refusal = LabRules.hiddenCharacters(code, field: "code") {
                issues.append(MapIssue(file: file, line: row.line, message: refusal.message(in: .english)))
                continue
            }
            guard row.fields.count == 2, !code.isEmpty, let choices = choices(row.fields[1]) else {
                issues.append(MapIssue(file: file, line: row.line, message: "expected CODE,CHOICES such as 9CMBAHWC,3;5"))
                continue
            }
            ballots.append((code, choices))
        }
        guard issues.isEmpty else { throw MapIssues(issues) }
        return ballots
    }

    /// `3` or `3=2`: a choice and its weight.
    public static func choice(_ text: String) -> (Int64, Int)? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "=")
        guard let choice = parts.first.flatMap({ Int64($0) }) else { return nil }
        if parts.count == 1 { return (choice, 1) }
        return parts.count == 2 ? Int(parts[1]).map { (choice, $0) } : nil
    }

    /// `3;5` or `3=2;5=1`: a ballot's choices.
    public static func choices(_ text: String) -> [Int64: Int]? {
        let parsed = text.split(separator: ";").map { choice(String($0)) }
        guard !parsed.isEmpty, parsed.allSatisfy({ $0 != nil }) else { return nil }
        return Dictionary(parsed.compactMap { $0 }, uniquingKeysWith: +)
    }
}
