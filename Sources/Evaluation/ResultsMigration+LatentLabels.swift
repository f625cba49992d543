import Data
import Foundation
import Formats
import Report
import RunStore
import Spec

extension ResultsMigration {
    /// Relabels `traversals.png` and `latent.png` drawn before issue 18, which counted latent
    /// dimensions from 1, to count them from 0 as `evaluation.json`'s per-dimension arrays do, and
    /// gives `latent.png` the run's title (`RunTitle`) as its first line. Such figures are
    /// recorded without `"dimensions_from": 0` in `evaluation.json`'s figure options.
    ///
    /// No checkpoint or training is needed: the labels are read back from the picture in the
    /// font that drew them (`BitmapFont.read`), the pixels between them are kept, and the new
    /// picture is byte for byte what a run draws now. Lists the runs in `outcome.latentRelabelled`.
    static func relabelLatentFigures(folder: String, experiment: Experiment, catalog: DataCatalog,
                                     outcome: inout Outcome) throws {
        let current = JSONValue.object(["dimensions_from": .int(0)])
        for run in experiment.runs {
            let runFolder = RunFolder(experimentFolder: folder, runID: run.id)
            guard var record = EvaluationRecord.read(folder: runFolder.path) else { continue }
            // Both pictures are read before either is written, so a picture that cannot be read
            // leaves the run as it was.
            var pictures: [(kind: GridKind, png: [UInt8])] = []
            for kind in [GridKind.traversals, .latent] {
                let path = runFolder.figure(kind.rawValue)
                guard let options = record.figures[kind.rawValue], options != current,
                      FileManager.default.fileExists(atPath: path) else { continue }
                guard let old = try? PNGCodec.decode(try FileSystem.read(path)) else {
                    throw LatentRelabel.unreadable(path, kind == .traversals ? "a traversal grid" : "a latent scatter")
                }
                let splits = try catalog.splits(for: run.data, file: folder + "/experiment.json")
                let relabelled = kind == .traversals
                    ? try LatentRelabel.traversals(old, run: run, data: splits, file: path)
                    : try LatentRelabel.latent(old, run: run, data: splits, file: path)
                pictures.append((kind, try PNGCodec.encode(relabelled)))
            }
            guard !pictures.isEmpty else { continue }
            for (kind, png) in pictures {
                try AtomicFile.write(png, to: runFolder.figure(kind.rawValue))
                record.figures[kind.rawValue] = current
                record.files[kind.rawValue + ".png"] = .string(SHA256Text.hex(png))
            }
            try AtomicFile.write(record.text, to: runFolder.evaluation)
            outcome.latentRelabelled.append(run.id)
        }
    }
}

/// Reads and rewrites the dimension labels of a latent figure drawn before issue 18 (see
/// `ResultsMigration.relabelLatentFigures`), from the layout that `LabeledGrid` and
/// `ClassScatterPlot` draw.
enum LatentRelabel {
    static let font = BitmapFont.standard

    /// `traversals.png`: the label column is redrawn with "z<i − 1>"; the column labels and the
    /// grid move with it, unchanged.
    static func traversals(_ old: PixelImage, run: RunSpec, data: DataSplits, file: String) throws -> PixelImage {
        let shape = data.exampleShape
        guard shape.count == 3 else { throw unreadable(file, "a traversal grid of images") }
        let labeled = LabeledGrid(grid: ImageGrid(columns: 1)), m = labeled.margin, line = font.lineHeight
        let rows = min(latent(of: run.model), FigureContext.traversalRows), columns = FigureContext.traversalSteps
        let scale = shape[1] <= 32 ? 2 : 1, spacing = 1
        let cellWidth = shape[2] * scale, cellHeight = shape[1] * scale
        let cellsWidth = columns * cellWidth + (columns - 1) * spacing
        let header = line + 2 * m
        let oldLabelWidth = old.width - cellsWidth - m
        guard old.height == header + rows * cellHeight + (rows - 1) * spacing + m, oldLabelWidth >= 2 * m + font.glyphWidth,
              (oldLabelWidth - 2 * m) % font.glyphWidth == 0 else {
            throw unreadable(file, "a \(rows)-row traversal grid of \(shape[2])×\(shape[1]) images")
        }
        var labels: [String] = []
        for row in 0..<rows {
            let y = header + row * (cellHeight + spacing) + (cellHeight - line) / 2
            guard let text = font.read(old, x: m, y: y, count: (oldLabelWidth - 2 * m) / font.glyphWidth),
                  let label = renumbered(String(text.reversed().drop { $0 == " " }.reversed())) else {
                throw unreadable(file, "a row label \"z<dimension>…\" beside row \(row)")
            }
            labels.append(label)
        }
        let labelWidth = (labels.map(font.width(of:)).max() ?? 0) + 2 * m
        var canvas = Canvas(width: labelWidth + cellsWidth + m, height: old.height)
        canvas.draw(old.cropped(x: oldLabelWidth, y: 0, width: old.width - oldLabelWidth, height: old.height), x: labelWidth, y: 0)
        for (row, label) in labels.enumerated() {
            canvas.text(label, x: m, y: header + row * (cellHeight + spacing) + (cellHeight - line) / 2, font: font)
        }
        return canvas.image
    }

    /// `latent.png`: the title becomes two lines (the run's title, then the old one), the plot,
    /// ticks and legend move down a line, unchanged, and both axis titles are renumbered.
    static func latent(_ old: PixelImage, run: RunSpec, data: DataSplits, file: String) throws -> PixelImage {
        let plot = ClassScatterPlot(extent: 1), m = plot.margin, line = font.lineHeight, size = plot.plotSize
        let z = latent(of: run.model), count = min(data.test.count, FigureContext.posteriorSubset)
        let title = [RunTitle.text(id: run.id, seed: run.seed, swept: run.swept), FigureContext.latentCaption(count: count, latent: z)]
        let oldPlotY = m + line + m, plotY = m + title.count * line + m
        // The frame's top edge is the first black pixel of the row above the plot.
        guard old.height > oldPlotY + size + 2 * m + 2 * line,
              let frameX = (0..<old.width).first(where: { old.color(x: $0, y: oldPlotY - 1) == .black }),
              font.read(old, x: frameX + 1, y: m, count: title[1].unicodeScalars.count) == title[1] else {
            throw unreadable(file, "a latent scatter titled \"\(title[1])\"")
        }
        let plotX = frameX + 1
        // The old axis titles, centred under the plot and upward beside it.
        let oldXTitleY = oldPlotY + size + 1 + m + line + m
        guard let xTitle = readCentred(old, along: plotX, y: oldXTitleY, size: size, direction: .horizontal).flatMap(renumbered),
              let yTitle = readCentred(old, along: oldPlotY, y: m, size: size, direction: .upward).flatMap(renumbered) else {
            throw unreadable(file, "axis titles \"z<dimension> (KL …)\"")
        }
        let names = data.test.labels == nil ? [] : LabelNames.names(for: run.data, splits: data)
        let widestName: Int = names.map(font.width(of:)).max() ?? 0
        let legendWidth: Int = names.isEmpty ? 0 : m + (line - 4) + m + widestName
        let widestTitle: Int = title.map(font.width(of:)).max() ?? 0
        let width: Int = max(plotX + size + 1 + legendWidth + m, plotX + widestTitle + m)
        let height: Int = old.height + plotY - oldPlotY
        var canvas = Canvas(width: width, height: height)
        // Everything below the old title as it was, a line lower, then the axis titles cleared.
        canvas.draw(old.cropped(x: 0, y: oldPlotY - m, width: min(old.width, width), height: old.height - oldPlotY + m), x: 0, y: plotY - m)
        let below: Int = plotY + size + 1 + m, xTitleY: Int = below + line + m
        canvas.fill(x0: 0, y0: xTitleY, x1: width - 1, y1: xTitleY + line - 1, color: GridColor.white)
        canvas.fill(x0: m, y0: plotY, x1: m + line - 1, y1: height - 1, color: GridColor.white)
        for (k, text) in title.enumerated() { canvas.text(text, x: plotX, y: m + k * line, font: font) }
        canvas.text(xTitle, x: plotX + (size - font.width(of: xTitle)) / 2, y: xTitleY, font: font)
        let yTitleY: Int = plotY + max((size - font.width(of: yTitle)) / 2, 0)
        canvas.text(yTitle, x: m, y: yTitleY, direction: TextDirection.upward, font: font)
        return canvas.image
    }

    /// "z<n>…" with n − 1, or nil when the text does not start so (or n is 0).
    static func renumbered(_ text: String) -> String? {
        guard text.first == "z" else { return nil }
        let digits = text.dropFirst().prefix { $0.isASCII && $0.isNumber }
        guard let number = Int(digits), number >= 1 else { return nil }
        return "z\(number - 1)" + text.dropFirst(1 + digits.count)
    }

    /// The text centred in `size` pixels from `start` (x for horizontal text at row `y`; y for
    /// upward text at column `y`), whatever its length: the one whose box holds all the ink.
    private static func readCentred(_ image: PixelImage, along start: Int, y fixed: Int, size: Int,
                                    direction: TextDirection) -> String? {
        let horizontal = direction == .horizontal
        for count in 1...(size / font.glyphWidth) {
            let length = count * font.glyphWidth
            let offset = start + (horizontal ? (size - length) / 2 : max((size - length) / 2, 0))
            let (x, y) = horizontal ? (offset, fixed) : (fixed, offset)
            guard let text = font.read(image, x: x, y: y, count: count, direction: direction),
                  text.first == "z", text.last == ")" else { continue }
            // No ink of the band outside the text's box.
            let outside = (start..<(start + size)).filter { $0 < offset || $0 >= offset + length }
            let clean = outside.allSatisfy { along in
                (0..<font.lineHeight).allSatisfy { across in
                    image.color(x: horizontal ? along : fixed + across, y: horizontal ? fixed + across : along) != .black
                }
            }
            if clean { return text }
        }
        return nil
    }

    private static func latent(of model: ModelSpec) -> Int {
        switch model {
        case .vae(let vae): return vae.latent
        case .gan(let gan): return gan.latent
        case .vaeGAN(let vaeGAN): return vaeGAN.latent
        }
    }

    static func unreadable(_ file: String, _ expected: String) -> SpecError {
        SpecError(file: file, path: "", expected: expected + " as GenLab drew it before counting latent dimensions from 0",
                  found: "a picture laid out otherwise; run the experiment again with its checkpoints to redraw it")
    }
}
