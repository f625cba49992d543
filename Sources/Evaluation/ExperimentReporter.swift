import Formats
import Foundation
import NN
import Report
import RunStore
import Spec

/// `genlab report`: regenerates an experiment's report from its results folder alone — the
/// experiment file as run (`experiment.json`) and the run folders — without training. Writes the
/// summary tables, the experiment figures, each run's `losses.png` (and, when asked, its model
/// figures from the checkpoint) and `index.html`. The same folders give the same bytes.
public struct ExperimentReporter {
    /// `results/<name>`.
    public let folder: String
    /// The experiment as reported: of a successive-halving search, the runs that were trained or
    /// still may be (trials not promoted to a rung are left out).
    public let experiment: Experiment
    /// A successive-halving search as run (every trial at every rung) and its decisions.
    let search: (experiment: Experiment, decisions: HalvingDecisions)?

    /// What one report wrote.
    public struct Outcome: Sendable {
        public var summary: ExperimentSummary
        /// Files written, relative to the experiment folder, in writing order.
        public var written: [String]
        /// Runs whose model figures could not be redrawn, with the reason.
        public var skippedFigures: [(run: String, reason: String)]
        /// Runs found damaged (`RunIntegrity`), with what is wrong; reported, not repaired.
        public var damaged: [(run: String, problems: String)]
    }

    /// Loads `folder/experiment.json`; bad or missing files are `SpecError`s (bad input).
    public init(folder: String) throws {
        let file = folder + "/experiment.json"
        guard FileManager.default.fileExists(atPath: file) else {
            throw SpecError(file: file, path: "", expected: "the experiment file as run (written by genlab run)",
                            found: "no such file; is \(folder) a results/<name> folder?")
        }
        self.folder = folder
        var loaded = try ExperimentLoader.load(path: file)
        if loaded.halving != nil {
            let decisions = try HalvingDecisions(experiment: loaded, folder: folder)
            search = (loaded, decisions)
            loaded.runs = loaded.runs.indices.filter { decisions.states[$0] != .notPromoted }.map { loaded.runs[$0] }
            loaded.halving = nil
        } else {
            search = nil
        }
        experiment = loaded
    }

    /// The run records, in the file's expansion order. A damaged run (`RunIntegrity`) is recorded
    /// as `damaged` with what is wrong, and none of its numbers: they can no longer be trusted.
    public func records() -> [RunRecord] {
        experiment.runs.map { run in
            let runFolder = RunFolder(experimentFolder: folder, runID: run.id)
            let state = RunState(folder: runFolder)
            if case .damaged(let problems) = state {
                return RunRecord(id: run.id, seed: run.seed, swept: run.swept, status: .damaged,
                                 reason: problems.joined(separator: "; "))
            }
            return RunRecord.read(folder: runFolder.path, id: run.id, seed: run.seed, swept: run.swept,
                                  unfinishedStatus: state.status)
        }
    }

    /// Writes the report. `runFigures` redraws each finished run's model figures from its
    /// checkpoint and computes what its evaluation lacks (`RunEvaluator`; slow for big data
    /// sets); without it they are linked as the runs left them.
    public func write(runFigures: Bool, catalog: DataCatalog? = nil) throws -> Outcome {
        let catalog = catalog ?? DataCatalog(resultsRoot: PathText.parent(folder))
        var written: [String] = []
        var skipped: [(String, String)] = []
        func save(_ text: String, _ name: String) throws {
            try AtomicFile.write(text, to: folder + "/" + name)
            written.append(name)
        }

        // Redrawing comes first: a completed run whose figures are missing or changed, with its
        // `final.json` and checkpoint intact, gets them back byte for byte and is intact again;
        // its evaluation is brought up to date with the report section on the way.
        if runFigures {
            let evaluator = RunEvaluator(catalog: catalog)
            for run in experiment.runs {
                let runFolder = RunFolder(experimentFolder: folder, runID: run.id)
                guard runFolder.finalStatus == .completed else { continue }
                if run.training.blasKernel == .native, let family = runFolder.recordedKernel, family != BLAS.coreName {
                    skipped.append((run.id, "it used OpenBLAS's \(family) kernels (training.blas_kernel \"native\") and this process "
                                    + "runs \(BLAS.coreName); OPENBLAS_CORETYPE=\(family) genlab report redraws it"))
                    continue
                }
                do {
                    try evaluator.evaluate(run, folder: runFolder, redraw: true)
                } catch {
                    skipped.append((run.id, "\(error)"))
                }
            }
        }
        let runs = records()
        var summary = ExperimentSummary(experiment: experiment.name,
                                        sweptPaths: experiment.runs.first?.swept.map(\.path) ?? [], runs: runs)
        summary.table = TableColumns(reported: summary.metrics, runs: runs, declared: declaredMetrics,
                                     requested: experiment.runs.first?.report.table)
        let damaged = runs.filter { $0.status == .damaged }.map { ($0.id, $0.reason ?? "") }
        for run in experiment.runs {
            let runFolder = RunFolder(experimentFolder: folder, runID: run.id)
            // A damaged run keeps its pictures as they are until `genlab run` restores it.
            guard FileManager.default.fileExists(atPath: runFolder.path), !damaged.contains(where: { $0.0 == run.id }) else { continue }
            written += try RunReportFigures.writeLosses(folder: runFolder, run: run)
        }

        try save(SummaryTables.markdown(summary), "summary.md")
        try save(SummaryTables.csv(summary), "summary.csv")
        try save(SummaryTables.runsCSV(summary), "runs.csv")
        try save(SummaryTables.json(summary), "summary.json")
        let figures = try writeFigures(summary)
        written += figures.map(\.path)

        var page = IndexPage(summary: summary, description: description, experimentFile: experiment.source,
                             figures: figures, runPictures: runPictures())
        if let search {
            let (table, json) = HalvingReport.make(experiment: search.experiment, decisions: search.decisions)
            try save(table.markdown(experiment: experiment.name), "search.md")
            try save(JSONWriter.pretty(json) + "\n", "search.json")
            page.search = table
        }
        try save(page.render(), "index.html")
        return Outcome(summary: summary, written: written, skippedFigures: skipped, damaged: damaged)
    }

    /// `figures/*.png`: each metric against each swept parameter, and the samples and the
    /// reconstructions of every configuration; PNGs left in `figures/` by an earlier report that
    /// this one does not draw are removed, so the folder always matches the page.
    private func writeFigures(_ summary: ExperimentSummary) throws -> [IndexPage.Picture] {
        let galleries = [ExperimentFigures.samplesGallery(summary, samples: runImages(named: "samples")),
                         ExperimentFigures.reconstructionsGallery(summary, reconstructions: runImages(named: "reconstructions"))]
        let figures = galleries.compactMap { $0 } + ExperimentFigures.sweepFigures(summary)
        let directory = folder + "/figures"
        try FileSystem.makeFolder(directory)
        var pictures: [IndexPage.Picture] = []
        for figure in figures {
            try AtomicFile.write(PNGCodec.encode(figure.image), to: directory + "/\(figure.name).png")
            pictures.append(IndexPage.Picture(path: "figures/\(figure.name).png", caption: figure.caption))
        }
        let drawn = Set(figures.map { $0.name + ".png" })
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(".png") && !drawn.contains(name) {
            try FileManager.default.removeItem(atPath: directory + "/" + name)
        }
        return pictures
    }

    /// Each run's `<name>.png` that exists and decodes, keyed by run id.
    private func runImages(named name: String) -> [String: PixelImage] {
        var images: [String: PixelImage] = [:]
        for run in experiment.runs {
            let path = RunFolder(experimentFolder: folder, runID: run.id).figure(name)
            if let data = FileManager.default.contents(atPath: path), let image = try? PNGCodec.decode(Array(data)) {
                images[run.id] = image
            }
        }
        return images
    }

    /// The declared metrics' names, each once, in the order the file (then its variants) lists them.
    private var declaredMetrics: [String] {
        var names: [String] = []
        for run in experiment.runs {
            for metric in run.report.metrics where !names.contains(metric.name) { names.append(metric.name) }
        }
        return names
    }

    /// The experiment's `description`, if any.
    private var description: String? {
        guard case .object(let object)? = try? JSONParser.parse(experiment.source, file: experiment.file),
              case .string(let text)? = object["description"] else { return nil }
        return text
    }

    /// Each run's PNGs that exist, in a fixed order, with relative paths.
    private func runPictures() -> [String: [IndexPage.Picture]] {
        var pictures: [String: [IndexPage.Picture]] = [:]
        for run in experiment.runs {
            let runFolder = RunFolder(experimentFolder: folder, runID: run.id)
            pictures[run.id] = RunReportFigures.names.compactMap { name in
                FileManager.default.fileExists(atPath: runFolder.figure(name))
                    ? IndexPage.Picture(path: "runs/\(run.id)/\(name).png", caption: name) : nil
            }
        }
        return pictures
    }
}
