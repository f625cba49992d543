import Formats
import Spec

/// One loss term of a run over its training: the `train_<name>` and `test_<name>` values of the
/// lines of `metrics.jsonl` that have them, each at its line's `step` (optimisation updates).
/// Train values come from every line (those inside an epoch too), test values from epoch ends.
public struct LossTerm: Sendable, Equatable {
    /// Points of one curve: x (the line's `step`; its `epoch`, or its position from 1, in files
    /// without steps) and the value (NaN for a value that is not a number).
    public struct Series: Sendable, Equatable {
        public var x: [Double]
        public var y: [Double]

        public init(x: [Double], y: [Double]) {
            self.x = x
            self.y = y
        }

        public static func == (a: Series, b: Series) -> Bool {
            a.x == b.x && a.y.count == b.y.count && zip(a.y, b.y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
    }

    public var name: String
    /// Nil when no line has `train_<name>`.
    public var train: Series?
    /// Nil when no line has `test_<name>`.
    public var test: Series?

    public init(name: String, train: Series?, test: Series?) {
        self.name = name
        self.train = train
        self.test = test
    }
}

/// A run's `losses.png`: one ``LinePlot`` panel per loss term against optimisation updates (x =
/// `step`, so runs with different epoch counts or batch sizes share a scale of updates), the
/// train curve solid and the test curve dashed in the same colour, each term its own Okabe–Ito
/// colour.
///
/// Terms come from the `train_*` and `test_*` keys of `metrics.jsonl`; `train_kl` and `test_kl`
/// share the panel "kl". Panels follow ``order`` (the VAE's and GANs' terms), then the remaining
/// terms in the order they first appear. Panels are 420 × 300, two per row for four terms and up
/// to three per row otherwise.
public enum LossCurves {
    /// Panel order for known terms; others follow in order of appearance.
    public static let order = ["loss", "neg_elbo", "recon", "kl", "d_loss", "g_loss", "d_real", "d_fake"]
    public static let panelWidth = 420
    public static let panelHeight = 300

    /// The figure for the bytes of a `metrics.jsonl` (one JSON object per line).
    public static func render(metricsJSONL: [UInt8], title: String = "") throws -> PixelImage {
        let parsed = try lines(metricsJSONL)
        return render(terms: terms(parsed), title: title, xTitle: parsed.contains { $0["step"] != nil } ? "step" : "epoch")
    }

    /// The figure for parsed terms (an empty list draws one empty panel).
    public static func render(terms: [LossTerm], title: String = "", xTitle: String = "step") -> PixelImage {
        let count = max(terms.count, 1)
        let columns = count == 4 ? 2 : min(count, 3)
        let rows = (count + columns - 1) / columns
        let header = title.isEmpty ? 0 : BitmapFont.standard.lineHeight + 12
        var canvas = Canvas(width: columns * panelWidth, height: rows * panelHeight + header)
        if !title.isEmpty {
            let title = RunTitle.fitted(title, width: canvas.width - 16)
            let x = (canvas.width - BitmapFont.standard.width(of: title)) / 2
            canvas.text(title, x: x, y: 8)
            canvas.text(title, x: x + 1, y: 8)
        }
        guard !terms.isEmpty else {
            let empty = LinePlot(width: panelWidth, height: panelHeight, title: "no loss terms",
                                 x: PlotAxis(title: xTitle, integerTicks: true))
            empty.draw(on: &canvas, frame: PixelRect(x0: 0, y0: header, x1: panelWidth - 1, y1: header + panelHeight - 1))
            return canvas.image
        }
        for (index, term) in terms.enumerated() {
            let color = Palette.okabeIto[index]
            var series = [PlotSeries]()
            if let train = term.train {
                series.append(PlotSeries(label: "train", x: train.x, y: train.y, color: color, markers: train.x.count <= 25))
            }
            if let test = term.test {
                series.append(PlotSeries(label: "test", x: test.x, y: test.y, color: color, dashed: true,
                                         markers: test.x.count <= 25))
            }
            let name = String(term.name.map { $0 == "_" ? " " : $0 })
            let plot = LinePlot(width: panelWidth, height: panelHeight, title: name,
                                x: PlotAxis(title: xTitle, integerTicks: true), y: PlotAxis(title: name), series: series)
            let (x0, y0) = ((index % columns) * panelWidth, header + (index / columns) * panelHeight)
            plot.draw(on: &canvas, frame: PixelRect(x0: x0, y0: y0, x1: x0 + panelWidth - 1, y1: y0 + panelHeight - 1))
        }
        return canvas.image
    }

    /// The loss terms of a `metrics.jsonl`, in panel order. Blank lines are skipped; a line that
    /// is not a JSON object throws (the parser's error, naming the line).
    public static func terms(metricsJSONL: [UInt8]) throws -> [LossTerm] {
        terms(try lines(metricsJSONL))
    }

    /// The JSON object of each non-blank line.
    static func lines(_ metricsJSONL: [UInt8]) throws -> [JSONObject] {
        var lines = [JSONObject]()
        for (number, line) in metricsJSONL.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { continue }
            let value = try JSONParser.parse(bytes: Array(line), file: "metrics.jsonl line \(number + 1)")
            guard case .object(let object) = value else {
                throw LossCurvesError(message: "metrics.jsonl line \(number + 1) is not a JSON object")
            }
            lines.append(object)
        }
        return lines
    }

    static func terms(_ lines: [JSONObject]) -> [LossTerm] {
        // Term names in order of first appearance, then reordered by `order`.
        var names = [String]()
        for line in lines {
            for key in line.keys {
                for prefix in ["train_", "test_"] where key.hasPrefix(prefix) {
                    let name = String(key.dropFirst(prefix.count))
                    if !name.isEmpty && !names.contains(name) { names.append(name) }
                }
            }
        }
        let known = order.filter(names.contains)
        names = known + names.filter { !known.contains($0) }

        let x = lines.enumerated().map { number(in: $0.element["step"]) ?? number(in: $0.element["epoch"]) ?? Double($0.offset + 1) }
        return names.map { name in
            func series(_ key: String) -> LossTerm.Series? {
                let having = lines.indices.filter { lines[$0][key] != nil }
                guard !having.isEmpty else { return nil }
                return LossTerm.Series(x: having.map { x[$0] }, y: having.map { number(in: lines[$0][key]) ?? .nan })
            }
            return LossTerm(name: name, train: series("train_" + name), test: series("test_" + name))
        }
    }

    private static func number(in value: JSONValue?) -> Double? {
        switch value {
        case .int(let v)?: return Double(v)
        case .number(let v)?: return v
        default: return nil
        }
    }
}

/// A `metrics.jsonl` that cannot be read as loss curves.
public struct LossCurvesError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { "loss curves: \(message)" }
}
