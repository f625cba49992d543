import Formats
@testable import Report
import Spec
import Testing

/// Which metric-vs-parameter figures an experiment gets, and the samples gallery.
@Suite struct ExperimentFiguresTests {
    private func record(_ id: String, seed: UInt64, beta: String, loss: String, value: Double) -> RunRecord {
        RunRecord(id: id, seed: seed, swept: [SweptValue(path: "model.beta", value: beta), SweptValue(path: "model.loss", value: loss)],
                  status: .completed, metrics: [(name: "fid", value: value)])
    }

    @Test func oneFigurePerMetricAndSweptParameterWithALinePerOtherValue() throws {
        let runs = [record("a", seed: 0, beta: "1", loss: "\"hinge\"", value: 3), record("b", seed: 1, beta: "1", loss: "\"hinge\"", value: 5),
                    record("c", seed: 0, beta: "4", loss: "\"hinge\"", value: 2), record("d", seed: 0, beta: "1", loss: "\"wasserstein\"", value: 7),
                    record("e", seed: 0, beta: "4", loss: "\"wasserstein\"", value: 6)]
        let summary = ExperimentSummary(experiment: "x", sweptPaths: ["model.beta", "model.loss"], runs: runs)
        let figures = ExperimentFigures.sweepFigures(summary)
        #expect(figures.map(\.name) == ["fid-vs-model_beta", "fid-vs-model_loss"])
        for figure in figures { #expect(figure.image.width == 640 && figure.image.height == 420) }
        // Against β: one line per loss, drawn in the first two palette colours.
        let colours = Set(stride(from: 0, to: figures[0].image.pixels.count, by: figures[0].image.channels).map { i in
            Array(figures[0].image.pixels[i..<(i + 3)])
        })
        #expect(colours.contains([Palette.okabeIto[0].red, Palette.okabeIto[0].green, Palette.okabeIto[0].blue]))
        #expect(colours.contains([Palette.okabeIto[1].red, Palette.okabeIto[1].green, Palette.okabeIto[1].blue]))
        #expect(ExperimentFigures.sweepFigures(ExperimentSummary(experiment: "y", sweptPaths: [], runs: [])).isEmpty)
    }

    private let red = PixelImage(width: 20, height: 10, channels: 3, fill: [255, 0, 0])
    private let blue = PixelImage(width: 20, height: 10, channels: 3, fill: [0, 0, 255])

    /// Hinge-loss runs `id` at each `beta` (seed 0, or 1 for a repeated β).
    private func gallerySummary(_ runs: [(id: String, beta: String)]) -> ExperimentSummary {
        var seen: Set<String> = []
        let records = runs.map { run in
            defer { seen.insert(run.beta) }
            return record(run.id, seed: seen.contains(run.beta) ? 1 : 0, beta: run.beta, loss: "\"hinge\"", value: 1)
        }
        return ExperimentSummary(experiment: "x", sweptPaths: ["model.beta", "model.loss"], runs: records)
    }

    @Test func galleryTakesEachConfigurationsFirstRunWithSamples() throws {
        let summary = gallerySummary([("a", "1"), ("b", "1"), ("c", "4")])
        let gallery = try #require(ExperimentFigures.samplesGallery(summary, samples: ["b": red, "c": blue]))
        #expect(gallery.name == "samples-by-configuration")
        let pixels = stride(from: 0, to: gallery.image.pixels.count, by: gallery.image.channels).map { i in
            Array(gallery.image.pixels[i..<(i + 3)])
        }
        #expect(pixels.contains([255, 0, 0]) && pixels.contains([0, 0, 255]))
        #expect(ExperimentFigures.samplesGallery(summary, samples: [:]) == nil)
    }

    @Test func reconstructionsGalleryLeavesOutConfigurationsWithoutThem() throws {
        let summary = gallerySummary([("a", "1"), ("c", "4"), ("d", "8")])
        let two = try #require(ExperimentFigures.reconstructionsGallery(summary, reconstructions: ["a": red, "d": blue]))
        let three = try #require(ExperimentFigures.reconstructionsGallery(summary, reconstructions: ["a": red, "c": red, "d": blue]))
        #expect(two.name == "reconstructions-by-configuration")
        // Two pictures side by side are narrower than three: "c" (no reconstructions) takes no cell.
        #expect(two.image.width < three.image.width)
        #expect(ExperimentFigures.reconstructionsGallery(summary, reconstructions: [:]) == nil)
    }
}

@Test func metricsWithOneValueInEveryRunGetNoFigure() {
    let runs = (0..<4).map { i in
        RunRecord(id: "r\(i)", seed: UInt64(i % 2), swept: [SweptValue(path: "model.beta", value: "\(1 + i / 2)")],
                  status: .completed, metrics: [(name: "fid", value: Double(i)), (name: "fid.real", value: 256)])
    }
    let summary = ExperimentSummary(experiment: "x", sweptPaths: ["model.beta"], runs: runs)
    #expect(ExperimentFigures.sweepFigures(summary).map(\.name) == ["fid-vs-model_beta"])
}
