import Formats
import Spec

/// The experiment-level figures, from an `ExperimentSummary` alone: each metric of the summary
/// table (`ExperimentSummary.table`) against each swept parameter (mean with an sd band or error bars over seeds, one line per value of the
/// other swept parameters), named `<metric>-vs-<parameter>.png`.
public enum ExperimentFigures {
    /// A figure to write: its file name under `figures/` and the picture.
    public struct Figure: Sendable {
        public var name: String
        public var caption: String
        public var image: PixelImage
    }

    /// One figure per (table metric, swept parameter) pair that has at least one value; nothing
    /// when the experiment sweeps nothing. Counts and training-set numbers, which the table leaves
    /// to runs.csv, get no figure either. Metrics with the same value in every run (sample counts,
    /// `mode_count`) would draw flat lines and get no figure.
    public static func sweepFigures(_ summary: ExperimentSummary) -> [Figure] {
        var figures: [Figure] = []
        // A random search records `trial` and then its searched paths: those get a figure each,
        // every trial a point (no lines), a series per value of the paths before `trial`.
        // Successive halving records the rung's budget (`training.epochs`) last: against it, a
        // line per trial (the metric against budget); against a searched path, a series per budget.
        let trial = summary.sweptPaths.firstIndex(of: "trial")
        let budget = trial.flatMap { t in summary.sweptPaths.lastIndex(of: "training.epochs").flatMap { $0 > t ? $0 : nil } }
        for (p, parameter) in summary.sweptPaths.enumerated() {
            if let trial, p <= trial { continue }
            for metric in summary.table.metrics where !isConstant(metric, in: summary) {
                let others = p == budget ? summary.sweptPaths.indices.filter { $0 <= trial! }
                    : summary.sweptPaths.indices.filter { i in i != p && (trial.map { i < $0 } ?? true) } + (budget.map { [$0] } ?? [])
                // Lines: one per combination of the other swept values, in first-seen order.
                var lines: [(key: [SweptValue], points: [SweepFigure.Point])] = []
                for configuration in summary.configurations {
                    guard let stats = summary.stats(metric, in: configuration) else { continue }
                    let key = others.map { configuration.values[$0] }
                    let point = SweepFigure.Point(x: value(configuration.values[p].value), mean: stats.mean,
                                                  sd: stats.sd, n: stats.n)
                    if let index = lines.firstIndex(where: { $0.key == key }) {
                        lines[index].points.append(point)
                    } else {
                        lines.append((key, [point]))
                    }
                }
                guard !lines.isEmpty else { continue }
                let series = lines.map { line in
                    SweepFigure.Series(value: line.key.isEmpty ? nil : .text(line.key.map { SummaryTables.plainValue($0.value) }.joined(separator: ", ")),
                                       points: line.points)
                }
                let second = others.isEmpty ? nil : others.map { summary.sweptPaths[$0] }.joined(separator: ", ")
                let figure = SweepFigure(metric: metric, parameter: parameter, secondParameter: second, series: series,
                                         scatter: trial != nil && p != budget)
                figures.append(Figure(name: "\(fileSafe(metric))-vs-\(fileSafe(parameter))",
                                      caption: "\(metric) against \(parameter)", image: figure.render()))
            }
        }
        return figures
    }

    /// Whether every completed run reports the same value of metric `m`.
    static func isConstant(_ metric: String, in summary: ExperimentSummary) -> Bool {
        let values = summary.runs.compactMap { $0.metric(metric) }
        guard let first = values.first else { return true }
        return values.allSatisfy { $0 == first }
    }

    /// The samples of every configuration side by side (its first run's `samples.png`, in
    /// configuration order), captioned with the swept values.
    public static func samplesGallery(_ summary: ExperimentSummary, samples: [String: PixelImage]) -> Figure? {
        gallery(summary, images: samples, name: "samples-by-configuration", caption: "samples of every configuration")
    }

    /// The reconstructions of every configuration that has them (models with an encoder), side by
    /// side like `samplesGallery`; configurations without `reconstructions.png` (GANs) are left out.
    public static func reconstructionsGallery(_ summary: ExperimentSummary, reconstructions: [String: PixelImage]) -> Figure? {
        gallery(summary, images: reconstructions, name: "reconstructions-by-configuration",
                caption: "reconstructions of every configuration that has an encoder (test images in odd rows, their reconstructions below)")
    }

    /// One picture per configuration, from its first run (in run order) that has one in `images`
    /// (keyed by run id), captioned with the swept values and that run's seed; nil when none has.
    static func gallery(_ summary: ExperimentSummary, images byRun: [String: PixelImage], name: String, caption: String) -> Figure? {
        var images: [PixelImage] = []
        var captions: [String] = []
        for configuration in summary.configurations {
            guard let run = configuration.runs.first(where: { byRun[$0.id] != nil }) else { continue }
            images.append(byRun[run.id]!)
            let values = configuration.values.map { "\($0.path) = \(SummaryTables.plainValue($0.value))" }.joined(separator: ", ")
            captions.append((values.isEmpty ? "" : values + " · ") + "seed \(run.seed)")
        }
        guard !images.isEmpty else { return nil }
        let columns = min(images.count, 4)
        return Figure(name: name, caption: caption, image: ImageGallery(columns: columns).compose(images, captions: captions))
    }

    private static func value(_ canonical: String) -> SweepFigure.Value {
        switch (try? JSONParser.parse(canonical, file: "")) {
        case .int(let n)?: return .number(Double(n))
        case .number(let x)?: return .number(x)
        case .string(let text)?: return .text(text)
        default: return .text(canonical)
        }
    }

    /// Letters, digits, `-` and `_` kept; everything else becomes `_` (e.g. `model.beta` → `model_beta`).
    static func fileSafe(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar in
            (scalar.properties.isAlphabetic && scalar.isASCII) || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
                ? Character(scalar) : "_"
        })
    }
}
