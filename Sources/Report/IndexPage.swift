import Plot
import Spec

/// `index.html` of an experiment: one self-contained page (inline CSS, relative links only, no
/// script) with the experiment file, the summary table, the experiment's figures and every run's
/// pictures. Built with Plot, which escapes all text; the bytes depend only on its inputs.
public struct IndexPage: Sendable {
    /// A picture on the page: a path relative to the page and a caption.
    public struct Picture: Sendable, Equatable {
        public var path: String
        public var caption: String
        public init(path: String, caption: String) {
            self.path = path
            self.caption = caption
        }
    }

    public var summary: ExperimentSummary
    /// The experiment's `description`, if it has one.
    public var description: String?
    /// The rung table of a successive-halving search, shown after the summary.
    public var search: SearchTable?
    /// The experiment file as run (`experiment.json`).
    public var experimentFile: String
    /// The experiment-level figures (`figures/*.png`).
    public var figures: [Picture]
    /// Each run's pictures, by run id.
    public var runPictures: [String: [Picture]]

    public init(summary: ExperimentSummary, description: String?, experimentFile: String,
                figures: [Picture], runPictures: [String: [Picture]]) {
        self.summary = summary
        self.description = description
        self.experimentFile = experimentFile
        self.figures = figures
        self.runPictures = runPictures
    }

    /// The whole page, ending with a newline.
    public func render() -> String {
        let html = HTML(
            .lang(.english),
            .head(
                .encoding(.utf8),
                .title("\(summary.experiment) — GenLab report"),
                .meta(.name("viewport"), .content("width=device-width, initial-scale=1")),
                .style(Self.css)
            ),
            .body(
                .h1(.text(summary.experiment)),
                .unwrap(description) { .p(.class("description"), .text($0)) },
                .p(.class("files"), "Tables: ", .a(.href("summary.md"), "summary.md"), " · ",
                   .a(.href("summary.csv"), "summary.csv"), " · ", .a(.href("runs.csv"), "runs.csv"), " · ",
                   .a(.href("summary.json"), "summary.json"), " · ", .a(.href("experiment.json"), "experiment.json")),
                .h2("Summary"),
                .p(.text(countsLine)),
                summaryTable,
                .unwrap(search) { $0.node },
                .if(!figures.isEmpty, .h2("Figures")),
                .forEach(figures) { picture in figureNode(picture) },
                .h2("Runs"),
                .forEach(summary.configurations) { configuration in configurationSection(configuration) },
                .h2("Experiment file"),
                .pre(.code(.text(experimentFile)))
            )
        )
        return html.render() + "\n"
    }

    private var countsLine: String {
        let runs = summary.runs
        let parts = RunStatus.recorded.map { status in "\(runs.filter { $0.status == status }.count) \(status.rawValue)" }
        let unfinished = summary.configurations.reduce(0) { $0 + $1.unfinished }
        return "\(runs.count) runs in \(summary.configurations.count) configuration(s): " + parts.joined(separator: ", ")
            + (unfinished > 0 ? ", \(unfinished) unfinished" : "") + ". Cells: mean ± sd over completed seeds (n)."
    }

    /// The configuration table with `summary.table`'s columns, in a box that scrolls sideways
    /// inside the page when it is wider; the first column stays in view, and the first metric
    /// column (the main metric) comes right after the swept values and n.
    private var summaryTable: Node<HTML.BodyContext> {
        let columns = summary.table.metrics
        return .div(.class("table-scroll"), .table(.class("summary"),
            .thead(.tr(
                .forEach(summary.sweptPaths) { .th(.code(.text($0))) },
                .th("n"),
                .forEach(columns.enumerated()) { index, name in
                    .th(.class(index == 0 ? "metric main" : "metric"), .attribute(named: "data-metric", value: name), .text(name))
                }
            )),
            .tbody(.forEach(summary.configurations) { configuration in
                .tr(
                    .forEach(configuration.values) { .td(.text(SummaryTables.plainValue($0.value))) },
                    .td(.text("\(configuration.count(.completed))/\(configuration.runs.count)")),
                    .forEach(columns) { name in
                        .td(.class("number"), .text(summary.stats(name, in: configuration).map(ReadableNumber.format) ?? "–"))
                    }
                )
            })
        ), .p(.class("columns"), .text(SummaryTables.columnsNote(summary))))
    }

    private func configurationSection(_ configuration: ConfigurationSummary) -> Node<HTML.BodyContext> {
        let title = configuration.values.isEmpty
            ? "All runs"
            : configuration.values.map { "\($0.path) = \(SummaryTables.plainValue($0.value))" }.joined(separator: ", ")
        return .section(
            .h3(.text(title)),
            .forEach(configuration.runs) { run in
                .div(.class("run"),
                     .h4(.code(.text(run.id)), .text(" · seed \(run.seed) · \(run.status.rawValue)"),
                         .unwrap(run.reason) { .text(" — \($0)") }),
                     .if(!run.metrics.isEmpty, .p(.class("metrics"), .text(run.metrics.map {
                         "\($0.name) \(ReadableNumber.format($0.value))"
                     }.joined(separator: " · ")))),
                     .div(.class("pictures"), .forEach(runPictures[run.id] ?? []) { figureNode($0) }))
            }
        )
    }

    /// `<figure>` with a linked image and its caption (Plot has no figure element; the text is
    /// still escaped by Plot).
    private func figureNode(_ picture: Picture) -> Node<HTML.BodyContext> {
        .element(named: "figure", nodes: [
            .a(.href(picture.path), .img(.src(picture.path), .alt(picture.caption))),
            .element(named: "figcaption", nodes: [Node<HTML.BodyContext>.text(picture.caption)]),
        ])
    }

    private static let css = """
    body{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:1400px;padding:0 1em;color:#222}
    h1{margin-bottom:.2em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
    table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}
    td.number{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}thead th{background:#f3f3f3}
    .table-scroll{max-width:100%;overflow-x:auto}table.summary th.metric{overflow-wrap:anywhere;min-width:5em}
    table.summary tr>:first-child{position:sticky;left:0;background:#fff;z-index:1}
    table.summary thead tr>:first-child{background:#f3f3f3}.columns{font-size:.85em;color:#555}
    figure{display:inline-block;margin:.4em .8em .8em 0;vertical-align:top}
    figure img{max-width:560px;image-rendering:pixelated;border:1px solid #ddd}
    figcaption{font-size:.85em;color:#555}.metrics{font-size:.85em;color:#444}
    .run{margin-bottom:1em}pre{background:#f7f7f7;padding:1em;overflow-x:auto;font-size:.85em}
    """
}
