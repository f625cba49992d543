import Plot

/// The rung table of a successive-halving search as the report shows it (`search.md` and a
/// section of `index.html`): sentences that state the rule and the best configuration, then a
/// row per trial and rung, best first within a rung.
public struct SearchTable: Sendable, Equatable {
    public var lines: [String]
    public var header: [String]
    public var rows: [[String]]

    public init(lines: [String], header: [String], rows: [[String]]) {
        self.lines = lines
        self.header = header
        self.rows = rows
    }

    /// `search.md`, ending with a newline.
    public func markdown(experiment: String) -> String {
        var text = "# \(experiment): successive halving\n\n"
        for line in lines { text += line + "\n\n" }
        text += "| " + header.joined(separator: " | ") + " |\n"
        text += "|" + header.map { _ in "---|" }.joined() + "\n"
        for row in rows { text += "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
        return text
    }

    /// The section of `index.html`.
    var node: Node<HTML.BodyContext> {
        .div(
            .h2("Successive halving"),
            .forEach(lines) { .p(.text($0)) },
            .div(.class("table-scroll"), .table(.class("summary"),
                .tr(.forEach(header) { .th(.text($0)) }),
                .forEach(rows) { row in .tr(.forEach(row) { .td(.text($0)) }) }))
        )
    }
}
