import Data
import Formats
import Report
import Spec

/// `samples.png` of a run on 2-D mixture data: its 2,500 samples over the true modes, titled with
/// the run (id, seed, swept values) and subtitled with the mode metrics of the same samples, with
/// axes in data units. A function of the points alone, so `genlab migrate` redraws it from the
/// committed `samples.safetensors` byte for byte as a run draws it.
enum MixtureScatter {
    static func figure(points: [Float], mixture: GaussianMixture, run: RunSpec) -> PixelImage {
        let metrics = ModeMetrics.compute(points: points, mixture: mixture)
        let percent = String(format: "%.1f", metrics.hqFraction * 100)
        let reverseKL = ReadableNumber.format(metrics.reverseKL)
        let subtitle = "\(metrics.modesCaptured) of \(metrics.modeCount) modes · high quality \(percent) % · "
            + "reverse KL \(reverseKL) · \(metrics.sampleCount) samples"
        return ScatterFigure(plot: ScatterPlot.framing(modes: mixture.modes),
                             title: RunTitle.text(id: run.id, seed: run.seed, swept: run.swept), subtitle: subtitle)
            .render(points: points, modes: mixture.modes, modeRadius: 3 * mixture.sigma)
    }
}
