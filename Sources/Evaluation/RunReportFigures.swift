import Formats
import Foundation
import Report
import RunStore
import Spec

/// The per-run pictures a report links, and `losses.png`, which `Report` draws from
/// `metrics.jsonl` alone (the model figures come from `RunFigures`).
package enum RunReportFigures {
    /// Every per-run picture, in the order the page shows them.
    package static let names = ["samples", "reconstructions", "interpolations", "traversals", "manifold", "latent", "losses"]

    /// Writes `losses.png` of a run that has at least one epoch of metrics; returns the path
    /// written, relative to the experiment folder.
    package static func writeLosses(folder: RunFolder, run: RunSpec) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: folder.metrics), !data.isEmpty else { return [] }
        let title = RunTitle.text(id: run.id, seed: run.seed, swept: run.swept)
        let image = try LossCurves.render(metricsJSONL: Array(data), title: title)
        try AtomicFile.write(PNGCodec.encode(image), to: folder.figure("losses"))
        return ["runs/\(run.id)/losses.png"]
    }
}
