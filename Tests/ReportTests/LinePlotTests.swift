import Formats
import Foundation
import Report
import Testing

private let blueRGB: [UInt8] = [0, 114, 178]
private let whiteRGB: [UInt8] = [255, 255, 255]
private let blackRGB: [UInt8] = [0, 0, 0]

/// A 640×420 plot of 0…10 × 0…10 with no titles, grid or legend. Its layout (see LinePlot):
/// frame rows 12 (top = 8 + 4) and 389 (419 − 8 − 13 − 4 − 5), columns 33 (8 + "10" + 4 + 5)
/// and 627 (639 − 12); x = v ↦ subpixel 536 + ⌊v/10 · 9504⌋, y = v ↦ 6232 − ⌈v/10 · 6032⌉.
private func knownPlot(_ series: [PlotSeries]) -> LinePlot {
    LinePlot(x: PlotAxis(range: 0...10), y: PlotAxis(range: 0...10), series: series, legend: .hidden, grid: false)
}

@Suite struct LinePlotTests {
    @Test func aKnownLineLandsOnItsPixelsInsideTheAxes() throws {
        let image = knownPlot([PlotSeries(label: "", x: [0, 10], y: [0, 10], markers: false)]).render()
        #expect(image.width == 640 && image.height == 420 && image.channels == 3)
        // Frame.
        for y in [100, 200, 300] { #expect(image[33, y] == blackRGB && image[627, y] == blackRGB) }
        for x in [100, 300, 500] { #expect(image[x, 12] == blackRGB && image[x, 389] == blackRGB) }
        #expect(image[32, 200] == whiteRGB && image[34, 200] == whiteRGB)
        // (5, 5) ↦ subpixels (5280, 3216): pixel (330, 201), on the line's core.
        #expect(image[330, 201] == blueRGB)
        // (2.5, 2.5) ↦ (2912, 4724) → pixel (182, 295).
        #expect(image[182, 295] == blueRGB)
        #expect(image[330, 150] == whiteRGB && image[500, 300] == whiteRGB)
        // Ticks every 2: x = 4 ↦ column 271 (536 + 3801 = 4337), pointing down 5 px; y = 4 ↦ row 238.
        #expect((390...394).allSatisfy { image[271, $0] == blackRGB } && image[271, 395] == whiteRGB)
        #expect((28...32).allSatisfy { image[$0, 238] == blackRGB } && image[27, 238] == whiteRGB)
        // Tick labels are drawn below the x ticks and left of the y ticks.
        #expect((399...411).contains { y in (265...277).contains { x in image[x, y] == blackRGB } })
        #expect((232...244).contains { y in (8...26).contains { x in image[x, y] == blackRGB } })
        // Nothing of the line outside the frame: the line's ends are clipped to its inside.
        #expect(image[629, 12] == whiteRGB && image[32, 390] == whiteRGB && image[34, 390] == whiteRGB && image[32, 388] == whiteRGB)
    }

    @Test func bandsBlendTheSeriesColourOverWhite() {
        let series = PlotSeries(label: "", x: [0, 10], y: [5, 5], lower: [4, 4], upper: [6, 6], markers: false)
        let image = knownPlot([series]).render()
        // y = 4.5 ↦ row 224 (6232 − 2715 = 3517): inside the band, away from the 2-px line at row 201.
        #expect(image[300, 224] == [191, 220, 236])   // (c·64 + 255·191 + 127) / 255
        #expect(image[300, 201] == blueRGB)            // the line over the band
        #expect(image[300, 120] == whiteRGB)           // above the band
    }

    @Test func gapsAndOutOfRangePointsBreakTheLineWithoutCrashing() {
        let series = PlotSeries(label: "", x: [0, 2, 4, 6, 8, 10], y: [5, 5, .nan, 5, 5, .infinity], markers: false)
        let image = knownPlot([series]).render()
        #expect(image[100, 201] == blueRGB)            // x ≈ 1.1: first run
        #expect(image[271, 201] == whiteRGB)           // x = 4: the gap
        #expect(image[450, 201] == blueRGB)            // x ≈ 7: second run
        // Far outside the range, and a log axis with non-positive values: clipped, no crash.
        var far = knownPlot([PlotSeries(label: "", x: [0, 1e300, -1e300], y: [-1e300, 5, 1e300])])
        _ = far.render()
        far.x = PlotAxis(scale: .log10)
        far.series = [PlotSeries(label: "a", x: [-1, 0, 1, 10], y: [1, 2, 3, 4])]
        _ = far.render()
    }

    @Test func emptyAndSinglePointPlotsDraw() throws {
        let empty = LinePlot().render()
        #expect(empty.width == 640 && empty.height == 420 && empty.pixels.contains(0))
        let single = LinePlot(series: [PlotSeries(label: "one", x: [3], y: [0.25], markers: false)],
                              legend: .hidden).render()
        #expect(single.pixels.contains(0) && single.pixels.contains(114))  // axes and the point's marker
        let logEmpty = LinePlot(x: PlotAxis(scale: .log10), y: PlotAxis(scale: .log10)).render()
        #expect(logEmpty.width == 640)
    }

    @Test func legendAvoidsTheDataAndGoesOutsideWhenNoCornerIsFree() throws {
        // A line along the top edge: the legend goes to a lower corner.
        let top = PlotSeries(label: "top", x: [0, 10], y: [9.8, 9.8], markers: false)
        var plot = knownPlot([top])
        plot.legend = .best
        let image = plot.render()
        let blueRows = (0..<420).filter { y in (40..<600).contains { x in image[x, y] == blueRGB } }
        #expect(blueRows.contains { $0 > 300 }, "legend sample in a lower corner")
        // A band filling the axes: every corner is covered, so the legend moves outside and the axes narrow.
        let full = PlotSeries(label: "full", x: [0, 10], y: [5, 5], lower: [0, 0], upper: [10, 10])
        plot.series = [full]
        let outside = plot.render()
        #expect(outside[627, 200] != blackRGB, "the frame's right edge moved left")
        try saveExample("legend-outside.png", outside)
    }

    @Test func equalPlotsGiveEqualBytesAndTheIndependentDecoderAgrees() throws {
        let series = PlotSeries(label: "β = 4", x: [1, 2, 4, 8], y: [3, 1, 2, 0.5], lower: [2, 0.5, 1.5, 0.2], upper: [4, 1.5, 2.5, 0.8])
        // Small, so the pure-Python decoder stays quick.
        let plot = LinePlot(width: 320, height: 240, title: "t", x: PlotAxis(title: "β", scale: .log10), y: PlotAxis(title: "KL"), series: [series])
        let png = try PNGCodec.encode(plot.render())
        #expect(png == (try PNGCodec.encode(plot.render())))
        guard pythonDecoderAvailable else { return }
        let decoded = try decodeWithPython(png)
        #expect(decoded == plot.render())
        #expect(decoded.width == 320 && decoded.height == 240 && decoded.channels == 3)
    }

    @Test func examplePlotsRender() throws {
        let betas: [Double] = [1, 2, 4, 8, 16]
        let recon: [Double] = [30.1, 31.5, 35.2, 41.0, 48.7]
        let kl: [Double] = [25.3, 18.2, 11.0, 6.1, 3.2]
        var plot = LinePlot(title: "β-VAE on sprites: reconstruction vs KL",
                            x: PlotAxis(title: "β", scale: .log10), y: PlotAxis(title: "nats"))
        plot.series = [
            PlotSeries(label: "recon", x: betas, y: recon, lower: recon.map { $0 - 1.5 }, upper: recon.map { $0 + 1.5 }),
            PlotSeries(label: "KL", x: betas, y: kl, lower: kl.map { $0 - 2 }, upper: kl.map { $0 + 2 }),
            PlotSeries(label: "test KL (error bars)", x: betas, y: kl.map { $0 + 4 }, lower: kl.map { $0 + 3 },
                       upper: kl.map { $0 + 5 }, spread: .errorBars, dashed: true),
        ]
        try saveExample("line-plot.png", plot.render())
        let epochs = (1...40).map(Double.init)
        var curve = LinePlot(title: "loss", x: PlotAxis(title: "epoch", integerTicks: true), y: PlotAxis(title: "loss"))
        curve.series = [
            PlotSeries(label: "train", x: epochs, y: epochs.map { 40 + 100 / $0 }, markers: false),
            PlotSeries(label: "test", x: epochs, y: epochs.map { $0 == 20 ? .nan : 45 + 90 / $0 }, dashed: true, markers: false),
        ]
        try saveExample("curve.png", curve.render())
        try saveExample("empty.png", LinePlot().render())
        try saveExample("single.png", LinePlot(series: [PlotSeries(label: "one", x: [3], y: [0.25])]).render())
    }
}
