import Formats
import Report
import Testing

private typealias Point = SweepFigure.Point

/// test_kl over β for two latent sizes, 3 seeds each; β = 16 with one seed only for latent 16.
private let betaFigure = SweepFigure(metric: "test_kl", parameter: "model.beta", secondParameter: "model.latent", series: [
    SweepFigure.Series(value: .number(8), points: [1, 2, 4, 8, 16].enumerated().map { i, beta in
        Point(x: .number(beta), mean: 30 - 5 * Double(i), sd: 1.5, n: 3)
    }),
    SweepFigure.Series(value: .number(16), points: [16, 8, 4, 2, 1].enumerated().map { i, beta in  // unsorted on purpose
        Point(x: .number(beta), mean: 8 + 5 * Double(i), sd: i == 0 ? nil : 2, n: i == 0 ? 1 : 3)
    }),
])

@Suite struct SweepFigureTests {
    @Test func numericSweepsOverAFactorOfEightUseALogAxisWithTheSweptValuesAsTicks() {
        #expect(betaFigure.usesLogX && betaFigure.categories == nil)
        let plot = betaFigure.plot()
        #expect(plot.x.scale == .log10)
        #expect(plot.x.ticks?.map(\.label) == ["1", "2", "4", "8", "16"])
        #expect(plot.series.map(\.label) == ["model.latent = 8", "model.latent = 16"])
        #expect(plot.title == "test_kl vs model.beta (mean ± sd, n = 1–3)")
        // Sorted by x; the point without sd has no band.
        #expect(plot.series[1].x == [1, 2, 4, 8, 16] && plot.series[1].y == [28, 23, 18, 13, 8])
        #expect(plot.series[1].lower?[4].isNaN == true && plot.series[1].upper?[0] == 30)

        let narrow = SweepFigure(metric: "m", parameter: "p", series: [
            SweepFigure.Series(value: nil, points: [Point(x: .number(1), mean: 1, sd: nil, n: 1), Point(x: .number(7.9), mean: 2, sd: nil, n: 1)]),
        ])
        #expect(!narrow.usesLogX && narrow.plot().x.scale == .linear && narrow.plot().title == "m vs p (n = 1)")
        let negative = SweepFigure(metric: "m", parameter: "p", series: [
            SweepFigure.Series(value: nil, points: [Point(x: .number(-1), mean: 1, sd: nil, n: 1), Point(x: .number(100), mean: 2, sd: nil, n: 1)]),
        ])
        #expect(!negative.usesLogX)
    }

    @Test func textValuesAreEvenlySpacedCategories() throws {
        let figure = SweepFigure(metric: "test_modes", parameter: "model.loss", series: [
            SweepFigure.Series(value: nil, points: [
                Point(x: .text("non-saturating"), mean: 6.5, sd: 0.5, n: 2),
                Point(x: .text("hinge"), mean: 7.5, sd: 0.5, n: 2),
                Point(x: .text("wasserstein"), mean: 8, sd: 0, n: 2),
            ]),
        ])
        #expect(figure.categories == ["non-saturating", "hinge", "wasserstein"])
        let plot = figure.plot()
        #expect(plot.x.ticks == [Tick(value: 0, label: "non-saturating"), Tick(value: 1, label: "hinge"), Tick(value: 2, label: "wasserstein")])
        #expect(plot.x.range == -0.5...2.5 && plot.legend == .hidden && plot.series[0].spread == .errorBars)
        #expect(betaFigure.plot().series[0].spread == .band)
        let image = figure.render()
        // The categories are at 1/6, 3/6 and 5/6 of the axes' width, so the middle one is central:
        // the series colour appears near the horizontal middle of the axes.
        #expect(image.width == 640 && image.height == 420)
        try saveExample("sweep-categorical.png", image)
    }

    /// Categories are points with error bars and nothing joining them; the series of a second
    /// parameter sit side by side around each category.
    @Test func categoriesAreUnjoinedPointsAndSeriesAreDodged() throws {
        let points = { (shift: Double) in [Point(x: .text("ns"), mean: 6 + shift, sd: 0.5, n: 3), Point(x: .text("hinge"), mean: 7 + shift, sd: 0.5, n: 3)] }
        let figure = SweepFigure(metric: "fid", parameter: "model.loss", secondParameter: "seedless", series: [
            SweepFigure.Series(value: .number(1), points: points(0)), SweepFigure.Series(value: .number(2), points: points(1)),
        ])
        let plot = figure.plot()
        #expect(plot.series.allSatisfy { !$0.joined })
        let expected: [[Double]] = [[-0.06, 0.94], [0.06, 1.06]]
        for (series, want) in zip(plot.series, expected) {
            #expect(zip(series.x, want).allSatisfy { abs($0 - $1) < 1e-12 }, "\(series.x)")
        }
        #expect(betaFigure.plot().series.allSatisfy { $0.joined })
        // Between the two categories, at the height of the first series' means, nothing is drawn
        // (a joined line would cross there).
        let image = SweepFigure(metric: "fid", parameter: "model.loss", series: [SweepFigure.Series(value: nil, points: [
            Point(x: .text("a"), mean: 5, sd: nil, n: 1), Point(x: .text("b"), mean: 5, sd: nil, n: 1)])]).render()
        let row = image.height / 2 - 20 ... image.height / 2 + 20
        let middle = image.width / 2 + 10
        let coloured = row.contains { y in
            let i = (y * image.width + middle) * 3
            let (r, g, b) = (image.pixels[i], image.pixels[i + 1], image.pixels[i + 2])
            return !(r == g && g == b)
        }
        #expect(!coloured, "a line joins the categories")
    }

    @Test(.enabled(if: pythonDecoderAvailable, "python3 not found: independent PNG decoder skipped"))
    func figurePNGDecodesIndependently() throws {
        try saveExample("sweep-beta.png", betaFigure.render())
        var small = betaFigure  // small, so the pure-Python decoder stays quick
        (small.width, small.height) = (400, 280)
        let image = small.render()
        let decoded = try decodeWithPython(try PNGCodec.encode(image))
        #expect(decoded == image && decoded.width == 400 && decoded.height == 280)
        // Both series' colours are drawn.
        #expect(decoded.pixels.withUnsafeBufferPointer { p in
            (0..<(400 * 280)).contains { p[3 * $0] == 213 && p[3 * $0 + 1] == 94 && p[3 * $0 + 2] == 0 }
        })
    }
}
