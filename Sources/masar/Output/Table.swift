import MasarCore

/// A plain-text table with aligned columns, for reading in a terminal.
struct Table {
    enum Alignment { case left, right }

    var headers: [String]
    var alignments: [Alignment]
    var rows: [[String]] = []

    init(_ headers: [String], alignments: [Alignment]? = nil) {
        self.headers = headers
        self.alignments = alignments ?? headers.indices.map { $0 == 0 ? .left : .right }
    }

    /// A row; a line break or tab in a cell is escaped like any control character, so that a
    /// stored text cannot start a row of its own.
    mutating func add(_ row: [String]) {
        rows.append(row.map { TextRules.escapingControls($0, keepingLayout: false) })
    }

    var rendered: String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in
            all.map { Table.width($0.indices.contains(column) ? $0[column] : "") }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            headers.indices.map { column in
                let cell = cells.indices.contains(column) ? cells[column] : ""
                let pad = String(repeating: " ", count: widths[column] - Table.width(cell))
                return alignments[column] == .left ? cell + pad : pad + cell
            }
            .joined(separator: "  ")
            .replacing(/\s+$/, with: "")
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// Columns a text takes in a terminal: combining marks (Arabic vowel signs) take none.
    static func width(_ text: String) -> Int {
        text.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }.count
    }
}
