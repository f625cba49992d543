import Spec

/// One loss term of a run over its epochs: the `train_<name>` and `test_<name>` values of each
/// line of `metrics.jsonl` (NaN where a line lacks it or holds no number).
public struct LossTerm: Sendable, Equatable {
    public var name: String
    /// Per line: its `epoch` (the line's position, from 1, when it has none).
    public var epochs: [Double]
    /// Per line, or nil when no line has `train_<name>`.
    public var train: [Double]?
    /// Per line, or nil when no line has `test_<name>`.
    public var test: [Double]?

    public init(name: String, epochs: [Double], train: [Double]?, test: [Double]?) {
        self.name = name
        self.epochs = epochs
        self.train = train
        self.test = test
    }

    public static func == (a: LossTerm, b: LossTerm) -> Bool {
        func same(_ x: [Double]?, _ y: [Double]?) -> Bool {
            x?.count == y?.count && zip(x ?? [], y ?? []).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        }
        return a.name == b.name && a.epochs == b.epochs && same(a.train, b.train) && same(a.test, b.test)
    }
}

/// A run's `losses.png`: one ``LinePlot`` panel per loss term (x = epoch), the train curve solid
/// and the test curve dashed in the same colour, each term its own Okabe–Ito colour.
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
        render(terms: try terms(metricsJSONL: metricsJSONL), title: title)
    }

    /// The figure for parsed terms (an empty list draws one empty panel).
    public static func render(terms: [LossTerm], title: String = "") -> PixelImage {
        let count = max(terms.count, 1)
        let columns = count == 4 ? 2 : min(count, 3)
        let rows = (count + columns - 1) / columns
        let header = title.isEmpty ? 0 : BitmapFont.standard.lineHeight + 12
        var canvas = Canvas(width: columns * panelWidth, height: rows * panelHeight + header)
        if !title.isEmpty {
            let x = (canvas.width - BitmapFont.standard.width(of: title)) / 2
            canvas.text(title, x: x, y: 8)
            canvas.text(title, x: x + 1, y: 8)
        }
        guard !terms.isEmpty else {
            let empty = LinePlot(width: panelWidth, height: panelHeight, title: "no loss terms",
                                 x: PlotAxis(title: "epoch", integerTicks: true))
            empty.draw(on: &canvas, frame: PixelRect(x0: 0, y0: header, x1: panelWidth - 1, y1: header + panelHeight - 1))
            return canvas.image
        }
        for (index, term) in terms.enumerated() {
            let color = Palette.okabeIto[index]
            let markers = term.epochs.count <= 25
            var series = [PlotSeries]()
            if let train = term.train {
                series.append(PlotSeries(label: "train", x: term.epochs, y: train, color: color, markers: markers))
            }
            if let test = term.test {
                series.append(PlotSeries(label: "test", x: term.epochs, y: test, color: color, dashed: true, markers: markers))
            }
            let name = String(term.name.map { $0 == "_" ? " " : $0 })
            let plot = LinePlot(width: panelWidth, height: panelHeight, title: name,
                                x: PlotAxis(title: "epoch", integerTicks: true), y: PlotAxis(title: name), series: series)
            let (x0, y0) = ((index % columns) * panelWidth, header + (index / columns) * panelHeight)
            plot.draw(on: &canvas, frame: PixelRect(x0: x0, y0: y0, x1: x0 + panelWidth - 1, y1: y0 + panelHeight - 1))
        }
        return canvas.image
    }

    /// The loss terms of a `metrics.jsonl`, in panel order. Blank lines are skipped; a line that
    /// is not a JSON object throws (the parser's error, naming the line).
    public static func terms(metricsJSONL: [UInt8]) throws -> [LossTerm] {
        var lines = [JSONObject]()
        for (number, line) in metricsJSONL.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { continue }
            let value = try JSONParser.parse(bytes: Array(line), file: "metrics.jsonl line \(number + 1)")
            guard case .object(let object) = value else {
                throw LossCurvesError(message: "metrics.jsonl line \(number + 1) is not a JSON object")
            }
            lines.append(object)
        }
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

        let epochs = lines.enumerated().map { number(in: $0.element["epoch"]) ?? Double($0.offset + 1) }
        return names.map { name in
            func values(_ key: String) -> [Double]? {
                guard lines.contains(where: { $0[key] != nil }) else { return nil }
                return lines.map { number(in: $0[key]) ?? .nan }
            }
            return LossTerm(name: name, epochs: epochs, train: values("train_" + name), test: values("test_" + name))
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
