import Formats
import Foundation
import Report
import Testing

/// Three epochs of a VAE's metrics.jsonl as the runner writes them (keys sorted), the second
/// line one inside epoch 2 (running train averages only).
private let vaeMetrics = """
    {"epoch":1,"step":250,"test_kl":5.8,"test_neg_elbo":60.5,"test_recon":54.7,"train_kl":3.1,"train_loss":136.4,"train_recon":124.2}
    {"epoch":2,"epoch_step":125,"step":375,"train_kl":6.3,"train_loss":73.9,"train_recon":48.6}
    {"epoch":3,"step":750,"test_kl":6.5,"test_neg_elbo":48.2,"test_recon":41.7,"train_kl":6.6,"train_loss":68.9,"train_recon":62.3}

    """

@Suite struct LossCurvesTests {
    @Test func termsPairTrainAndTestByName() throws {
        let terms = try LossCurves.terms(metricsJSONL: Array(vaeMetrics.utf8))
        #expect(terms.map(\.name) == ["loss", "neg_elbo", "recon", "kl"])
        let kl = terms[3]
        // x is the step (optimisation updates); test values only where a line has them.
        #expect(kl.train == LossTerm.Series(x: [250, 375, 750], y: [3.1, 6.3, 6.6]))
        #expect(kl.test == LossTerm.Series(x: [250, 750], y: [5.8, 6.5]))
        #expect(terms[0].test == nil && terms[1].train == nil)
        // Without steps (old files), x is the epoch.
        let old = try LossCurves.terms(metricsJSONL: Array((#"{"epoch":1,"train_kl":1}"# + "\n" + #"{"epoch":2,"train_kl":2}"#).utf8))
        #expect(old[0].train == LossTerm.Series(x: [1, 2], y: [1, 2]))
    }

    @Test func ganTermsAndUnknownTermsKeepAStableOrder() throws {
        let line = #"{"discriminator_steps":5,"epoch":1,"generator_steps":1,"train_d_fake":0.3,"train_d_loss":1.2,"train_d_real":0.7,"train_g_loss":0.8,"train_zeta":1}"#
        let terms = try LossCurves.terms(metricsJSONL: Array(line.utf8))
        #expect(terms.map(\.name) == ["d_loss", "g_loss", "d_real", "d_fake", "zeta"])
    }

    @Test func badLinesThrow() {
        #expect(throws: (any Error).self) { try LossCurves.terms(metricsJSONL: Array("{\"epoch\":1}\n{oops\n".utf8)) }
        #expect(throws: LossCurvesError.self) { try LossCurves.terms(metricsJSONL: Array("[1, 2]\n".utf8)) }
    }

    @Test func figureHasAPanelPerTermInItsColours() throws {
        let image = try LossCurves.render(metricsJSONL: Array(vaeMetrics.utf8))
        #expect(image.width == 2 * 420 && image.height == 2 * 300)   // four terms: 2 × 2 panels
        // Panel k is drawn in Okabe–Ito colour k: count those pixels in each panel.
        let colors: [[UInt8]] = [[0, 114, 178], [213, 94, 0], [0, 158, 115], [204, 121, 167]]
        for (k, color) in colors.enumerated() {
            let (x0, y0) = ((k % 2) * 420, (k / 2) * 300)
            var count = 0
            for y in y0..<(y0 + 300) { for x in x0..<(x0 + 420) where image[x, y] == color { count += 1 } }
            #expect(count > 40, "panel \(k): \(count) pixels of its colour")
        }
        try saveExample("losses-small.png", image)
        let empty = try LossCurves.render(metricsJSONL: [])
        #expect(empty.width == 420 && empty.height == 300)
    }

    @Test(.enabled(if: pythonDecoderAvailable, "python3 not found: independent PNG decoder skipped"))
    func lossesPNGDecodesIndependently() throws {
        // One term (one 420 × 300 panel), so the pure-Python decoder stays quick.
        let metrics = #"{"epoch":1,"test_kl":5.8,"train_kl":3.1}"# + "\n" + #"{"epoch":2,"test_kl":6.5,"train_kl":6.6}"#
        let image = try LossCurves.render(metricsJSONL: Array(metrics.utf8), title: "run 32c0daaef1d7")
        let png = try PNGCodec.encode(image)
        let decoded = try decodeWithPython(png)
        #expect(decoded == image && decoded.width == 420 && decoded.height == 300 + 25)
        #expect(decoded[0, 0] == [255, 255, 255])
    }

    /// The example from a real run, when GENLAB_PLOT_EXAMPLES and GENLAB_METRICS name them.
    @Test func realRunExample() throws {
        guard let path = ProcessInfo.processInfo.environment["GENLAB_METRICS"],
              let data = FileManager.default.contents(atPath: path) else { return }
        try saveExample("losses.png", try LossCurves.render(metricsJSONL: Array(data)))
    }
}
