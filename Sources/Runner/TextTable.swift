/// Rows of cells printed as aligned columns, each as wide as its widest cell, with free lines
/// (headings, printed as given) between them that take no part in the alignment. Trailing spaces
/// are trimmed.
struct TextTable {
    enum Alignment { case left, right }
    enum Row {
        case cells([String])
        case line(String)
    }

    var alignments: [Alignment]
    var rows: [Row] = []
    /// Spaces between columns.
    var gap = 2

    mutating func add(_ cells: String...) { rows.append(.cells(cells)) }
    mutating func line(_ text: String) { rows.append(.line(text)) }

    /// The lines, each row of cells prefixed with `indent`.
    func lines(indent: String = "") -> [String] {
        var widths = Array(repeating: 0, count: alignments.count)
        for case .cells(let cells) in rows {
            for (i, cell) in cells.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        return rows.map { row in
            switch row {
            case .line(let text):
                return Self.trimmed(text)
            case .cells(let cells):
                let padded = cells.enumerated().map { i, cell in
                    let fill = String(repeating: " ", count: max(0, (i < widths.count ? widths[i] : 0) - cell.count))
                    return i < alignments.count && alignments[i] == .right ? fill + cell : cell + fill
                }
                return Self.trimmed(indent + padded.joined(separator: String(repeating: " ", count: gap)))
            }
        }
    }

    private static func trimmed(_ text: String) -> String {
        var text = text
        while text.last == " " { text.removeLast() }
        return text
    }
}
