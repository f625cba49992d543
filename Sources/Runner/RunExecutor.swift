import Data
import Evaluation
import Foundation
import Models
import NN
import Report
import RunStore
import Spec

/// GenLab's version, recorded in every run.
public let genlabVersion = "0.1.0"

/// Trains one resolved run into its folder: data + model + the epoch loop, then the training
/// record, then the evaluation stage (`RunEvaluator`: the figures and metrics of `report`, from
/// the final checkpoint). A trainer only sequences steps; the model owns its objective.
///
/// Files: `spec.json` (what training reads: no `report`) first, then per epoch `metrics.jsonl`
/// and `checkpoint.safetensors` (also every `training.checkpoint_steps` steps, and when a
/// `StopRequest` stops the run), at the end `final.json` (whose existence marks the run done),
/// then the evaluation's figures and `evaluation.json`, and `timing.json`. An in-process failure
/// writes `failure.json` instead of `final.json`. All writes are atomic. Wall-clock figures go
/// only to `timing.json`, so every other file is byte-identical for the same resolved spec —
/// whether or not the run was interrupted and resumed, and whether it was evaluated at the end
/// of training or later.
public struct RunExecutor {
    public let file: String
    public let catalog: DataCatalog
    public let progress: ProgressPrinter
    /// The most memory a run may be estimated to need (`MemoryEstimate`).
    public let memoryLimit: MemoryLimit
    /// Where evaluation classifiers are cached, and their training (`RunEvaluator.classifiers`).
    public let classifiers: EvaluationClassifierCache.Settings

    public init(file: String, catalog: DataCatalog, progress: ProgressPrinter, memoryLimit: MemoryLimit = .standard,
                classifiers: EvaluationClassifierCache.Settings = .machine) {
        self.file = file
        self.catalog = catalog
        self.progress = progress
        self.memoryLimit = memoryLimit
        self.classifiers = classifiers
    }

    /// Checks that the run's data loads and its model can be built for it, without writing
    /// anything or allocating the model: the shape plan the model is built from (`ModelPlan`, in
    /// the memory estimate) throws every error building it would. Returns the memory estimate.
    @discardableResult
    public func preflight(_ run: RunSpec) throws(SpecError) -> MemoryEstimate {
        let (data, estimate) = try loadWithinLimits(run)
        try DeclaredMetrics.preflight(run, data: data, file: file)
        return estimate
    }

    /// The run's data, loaded only once the step budget (`TrainingBudget`) and the memory estimate
    /// allow it, and both checked again against the data as loaded: so a batch larger than the
    /// data, or a run larger than `memoryLimit`, is refused before any model (or, where the data's
    /// size is known from the spec, any data) is allocated.
    func loadWithinLimits(_ run: RunSpec) throws(SpecError) -> (DataSplits, MemoryEstimate) {
        if let known = MemoryEstimate.dataShape(for: run.data) {
            try TrainingBudget.check(model: run.model, training: run.training, trainCount: known.train, file: file)
            try MemoryEstimate.make(run, dataShape: known.shape, trainCount: known.train, testCount: known.test, file: file)
                .check(memoryLimit, file: file)
        }
        let data = try catalog.splits(for: run.data, file: file)
        try ConditioningCheck.check(run, data: data, file: file)
        try TrainingBudget.check(model: run.model, training: run.training, trainCount: data.train.count, file: file)
        let estimate = try MemoryEstimate.make(run, dataShape: data.exampleShape, trainCount: data.train.count,
                                               testCount: data.test.count, file: file)
        try estimate.check(memoryLimit, file: file)
        return (data, estimate)
    }

    /// Trains `run` into `folder` unless `final.json` exists there. A usable checkpoint of the same
    /// run (left by a crash, a failure or a `stop`) is resumed from; the finished files are then
    /// byte-identical to an uninterrupted run's, `timing.json` aside. An unusable one is reported
    /// through `progress` and training starts from scratch. `stop` is checked after every
    /// optimisation step (see `StopRequest`); the default never stops.
    public func execute(_ run: RunSpec, index: Int, total: Int, folder: RunFolder, stop: StopRequest = StopRequest()) -> RunOutcome {
        if folder.isComplete { return .skipped }
        let outcome: RunOutcome
        do {
            outcome = try train(run, index: index, total: total, folder: folder, stop: stop)
        } catch {
            let reason = FileSystemError.describe(error, operation: "write")
            do { try writeFailure(run, folder: folder, reason: reason) } catch {
                progress.message("[\(run.id)] \(reason); failure.json not written either: \(FileSystemError.describe(error))")
            }
            return .failed(reason: reason)
        }
        guard outcome == .completed else { return outcome }
        if case .failed(let reason) = evaluate(run, folder: folder) { return .failed(reason: reason) }
        return .completed
    }

    /// The evaluation stage of the finished run in `folder` (`RunEvaluator`), brought up to date
    /// with `run.report`: `.evaluated` with what was computed, or `.failed` — then the run stays
    /// done, nothing it had is lost, and the next `genlab run` tries the evaluation again.
    public func evaluate(_ run: RunSpec, folder: RunFolder, redraw: Bool = false) -> RunOutcome {
        do {
            let outcome = try RunEvaluator(catalog: catalog, classifiers: classifiers)
                .evaluate(run, folder: folder, redraw: redraw)
            try? RunTiming.recordEvaluation(seconds: outcome.seconds, at: folder.timing)
            if !outcome.computed.isEmpty || !outcome.removed.isEmpty {
                let removed = outcome.removed.isEmpty ? "" : "; removed " + outcome.removed.joined(separator: ", ")
                progress.message("[\(run.id)] evaluated: \(outcome.computed.isEmpty ? "nothing new" : outcome.computed.joined(separator: ", "))"
                                 + removed + " (\(String(format: "%.1f", outcome.seconds)) s)")
            }
            return .evaluated(computed: outcome.computed)
        } catch {
            return .failed(reason: "evaluation: " + FileSystemError.describe(error, operation: "write"))
        }
    }

    private func train(_ run: RunSpec, index: Int, total: Int, folder: RunFolder, stop: StopRequest) throws -> RunOutcome {
        // `training.threads` is the model's thread team (`ThreadTeam`); OpenBLAS runs one thread
        // inside each member's products.
        BLAS.setThreads(1)
        let kernel = try nativeKernel(run, folder: folder)
        let (data, _) = try loadWithinLimits(run)
        let model = try ModelFactory.make(run, dataShape: data.exampleShape, trainingExamples: data.train.count, file: file)
        try folder.create()
        try AtomicFile.write(JSONWriter.pretty(run.trainingJSON) + "\n", to: folder.spec)
        progress.runStarted(index: index, total: total, run: run.id, description: describe(run))

        let batch = model.examplesPerStep, exampleSize = data.exampleShape.reduce(1, *)
        let order = EpochOrder(count: data.train.count, batch: batch)
        let stepsPerEpoch = order.batchesPerEpoch, totalSteps = stepsPerEpoch * run.training.epochs
        let x = Tensor(shape: [batch, exampleSize])                           // (N, D)
        // A conditional model's labels of the batch (N), gathered beside its examples.
        let conditional = model as? any ConditionalModel
        let labels = BatchLabels(conditional?.classCount ?? 0 > 0 ? data.train.labels : nil, batch: batch)
        let testLabels = BatchLabels(conditional?.classCount ?? 0 > 0 ? data.test.labels : nil, batch: batch)
        let trainTerms = model.trainTerms
        let symmetric = model.usesSymmetricImages
        let every = run.training.checkpointSteps
        let logEvery = run.training.logInterval(stepsPerEpoch: stepsPerEpoch)
        let totals = UnsafeMutablePointer<Double>.allocate(capacity: trainTerms.count)
        defer { totals.deallocate() }

        let resumed = resume(run, folder: folder, model: model, stepsPerEpoch: stepsPerEpoch)
        let start = resumed ?? .start(seed: run.seed)
        var dataStream = start.dataStream
        var lines = start.metricsLines
        var lastMetrics = lastEpochMetrics(lines, model: model)   // empty unless resumed after an epoch
        var timing = resumed == nil ? RunTiming() : RunTiming.read(folder.timing)
        if resumed != nil { timing.resumes += 1 }
        // metrics.jsonl holds exactly the lines the checkpoint vouches for (a crash between the two
        // writes can leave one more).
        try writeMetrics(lines, to: folder.metrics)
        let tensorboard = try TensorBoardLog(path: folder.tensorboard, lines: lines, epochsDone: start.epochsDone)
        let clockStart = DispatchTime.now().uptimeNanoseconds
        func seconds(since t: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9 }

        for epoch in stride(from: start.epochsDone + 1, through: run.training.epochs, by: 1) {
            let streamBeforeEpoch = dataStream
            order.startEpoch(using: &dataStream)
            let firstStep = epoch == start.epochsDone + 1 ? start.epochStep : 0
            totals.initialize(repeating: 0, count: trainTerms.count)
            if firstStep > 0 { totals.update(from: start.totals, count: trainTerms.count) }
            let epochStart = DispatchTime.now().uptimeNanoseconds
            for k in firstStep..<stepsPerEpoch {
                data.train.gather(order.batch(k), into: x.pointer)
                if symmetric { toSymmetric(x.pointer, count: batch * exampleSize) }
                if let conditional, let y = labels.gather(order.batch(k)) {
                    conditional.trainStep(x.pointer, labels: y, batch: batch, totals: totals)
                } else {
                    model.trainStep(x.pointer, batch: batch, totals: totals)
                }
                for t in 0..<trainTerms.count where !totals[t].isFinite {
                    return try diverged(run, folder: folder, model: model, network: model.termNetworks[t], epochs: epoch)
                }
                let elapsed = seconds(since: epochStart)
                let done = (epoch - 1) * stepsPerEpoch + k + 1
                let logged = logEvery > 0 && (k + 1) % logEvery == 0 && k + 1 < stepsPerEpoch
                if logged {
                    lines.append(stepLine(epoch: epoch, epochStep: k + 1, model: model, totals: totals,
                                          examples: (k + 1) * batch))
                    try writeMetrics(lines, to: folder.metrics)
                    try tensorboard.append(line: lines[lines.count - 1])
                }
                let rate = Double((k + 1 - firstStep) * batch) / max(elapsed, 1e-9)
                progress.step(epoch: epoch, epochs: run.training.epochs, step: done, steps: totalSteps,
                              loss: totals[0] / Double((k + 1) * batch), imagesPerSecond: rate,
                              etaSeconds: Double(totalSteps - done) * Double(batch) / rate)
                if logged {
                    progress.logged(epoch: epoch, epochs: run.training.epochs, step: done, steps: totalSteps,
                                    loss: totals[0] / Double((k + 1) * batch), imagesPerSecond: rate,
                                    etaSeconds: Double(totalSteps - done) * Double(batch) / rate)
                }

                let stopping = stop.shouldStop(afterStep: done)
                guard stopping || (every > 0 && done % every == 0 && k + 1 < stepsPerEpoch) else { continue }
                let position = TrainingPosition(epochsDone: epoch - 1, epochStep: k + 1, dataStream: streamBeforeEpoch,
                                                totals: Array(UnsafeBufferPointer(start: totals, count: trainTerms.count)),
                                                metricsLines: lines)
                try Checkpoint.write(model: model, position: position, runID: run.id, blasKernel: kernel, to: folder.checkpoint)
                var now = timing
                now.trainSeconds += seconds(since: epochStart)
                try now.write(to: folder.timing, seconds: seconds(since: clockStart), trainedImages: done * batch)
                if stopping {
                    progress.message("[\(run.id)] stopped after step \(done) (epoch \(epoch)); checkpoint written")
                    return .interrupted(epoch: epoch, step: done)
                }
            }
            let epochTrain = seconds(since: epochStart)
            timing.trainSeconds += epochTrain
            if let network = model.nonFiniteNetwork {
                return try diverged(run, folder: folder, model: model, network: network, epochs: epoch)
            }

            let evalStart = DispatchTime.now().uptimeNanoseconds
            let testMetrics = evaluate(model, test: data.test, labels: testLabels, batch: batch, x: x, seed: run.seed,
                                       symmetric: symmetric)
            timing.evalSeconds += seconds(since: evalStart)

            let examples = Double(stepsPerEpoch * batch)
            let trainMetrics = trainTerms.enumerated().map { ("train_" + $0.element, totals[$0.offset] / examples) }
            lastMetrics = (trainMetrics + testMetrics).map { ($0.0, JSONValue.finite($0.1)) }
            var line = JSONObject(pairs: [("epoch", .int(Int64(epoch))), ("step", .int(Int64(model.stepCount)))])
            for (name, count) in model.stepCounters { line[name] = .int(Int64(count)) }
            for (name, value) in lastMetrics { line[name] = value }
            lines.append(JSONWriter.canonical(.object(line)))
            try writeMetrics(lines, to: folder.metrics)
            // Before the checkpoint: a run killed in between redraws this epoch's images on resume.
            try tensorboard.append(line: lines[lines.count - 1])
            try tensorboard.append(images: RunFigures.progressImages(model: model, run: run, data: data), step: model.stepCount)
            let position = TrainingPosition(epochsDone: epoch, epochStep: 0, dataStream: dataStream, totals: [], metricsLines: lines)
            try Checkpoint.write(model: model, position: position, runID: run.id, blasKernel: kernel, to: folder.checkpoint)
            try timing.write(to: folder.timing, seconds: seconds(since: clockStart), trainedImages: epoch * stepsPerEpoch * batch)

            let summary = (trainMetrics + testMetrics).map { "\($0.0) \(String(format: "%.2f", $0.1))" }.joined(separator: "  ")
            let epochsHere = Double(epoch - start.epochsDone)
            let remaining = Double(run.training.epochs - epoch) * seconds(since: clockStart) / epochsHere
            progress.epochFinished(epoch: epoch, epochs: run.training.epochs, summary: summary,
                                   imagesPerSecond: Double((stepsPerEpoch - firstStep) * batch) / epochTrain, etaSeconds: remaining)
            if stop.isRequested && epoch < run.training.epochs {
                progress.message("[\(run.id)] stopped after epoch \(epoch); checkpoint written")
                return .interrupted(epoch: epoch, step: epoch * stepsPerEpoch)
            }
        }

        try timing.write(to: folder.timing, seconds: seconds(since: clockStart), trainedImages: totalSteps * batch)
        try writeFinal(run, folder: folder, outcome: .completed, metrics: Dictionary(uniqueKeysWithValues: lastMetrics),
                       epochs: run.training.epochs, steps: model.stepCount)
        return .completed
    }

    /// A `metrics.jsonl` line inside an epoch: the epoch in progress, `epoch_step` (its steps so
    /// far, which only these lines have), the run's step counters and the running train averages.
    private func stepLine(epoch: Int, epochStep: Int, model: any GenerativeModel, totals: UnsafeMutablePointer<Double>,
                          examples: Int) -> String {
        var line = JSONObject(pairs: [("epoch", .int(Int64(epoch))), ("epoch_step", .int(Int64(epochStep))),
                                      ("step", .int(Int64(model.stepCount)))])
        for (name, count) in model.stepCounters { line[name] = .int(Int64(count)) }
        for (t, term) in model.trainTerms.enumerated() { line["train_" + term] = JSONValue.finite(totals[t] / Double(examples)) }
        return JSONWriter.canonical(.object(line))
    }

    /// Test-set averages of the model's evaluation terms, with noise from a fresh `eval` stream so
    /// that the numbers do not depend on how often evaluation ran.
    private func evaluate(_ model: any GenerativeModel, test: any Dataset, labels: BatchLabels, batch: Int, x: Tensor,
                          seed: UInt64, symmetric: Bool) -> [(String, Double)] {
        let terms = model.evaluationTerms
        var sums = [Double](repeating: 0, count: terms.count)
        var rng = RandomStream(seed: seed, purpose: "eval")
        let batches = SequentialBatches(count: test.count, batch: batch)
        for k in 0..<batches.batchCount {
            let indices = batches.batch(k)
            test.gather(indices, into: x.pointer)
            if symmetric { toSymmetric(x.pointer, count: indices.count * test.exampleSize) }
            if let conditional = model as? any ConditionalModel, let y = labels.gather(indices) {
                conditional.evaluate(x.pointer, labels: y, batch: indices.count, rng: &rng, totals: &sums)
            } else {
                model.evaluate(x.pointer, batch: indices.count, rng: &rng, totals: &sums)
            }
        }
        return terms.enumerated().map { ("test_" + $0.element, sums[$0.offset] / Double(max(test.count, 1))) }
    }

    private func diverged(_ run: RunSpec, folder: RunFolder, model: any GenerativeModel, network: String, epochs: Int) throws -> RunOutcome {
        let outcome = RunOutcome.diverged(step: model.stepCount, network: network)
        progress.message("[\(run.id)] diverged at step \(model.stepCount): a loss or parameter of the \(network) is not finite")
        try writeFinal(run, folder: folder, outcome: outcome, metrics: [:], epochs: epochs, steps: model.stepCount)
        return outcome
    }

    /// Writes `final.json`, the training record and the mark of a finished run, after removing a
    /// stale `failure.json`: the last epoch's train and test terms, and `files`, the SHA-256 of
    /// `spec.json` and `metrics.jsonl` (`RunIntegrity`). What is computed from the trained model
    /// goes to `evaluation.json`.
    private func writeFinal(_ run: RunSpec, folder: RunFolder, outcome: RunOutcome, metrics: [String: JSONValue], epochs: Int, steps: Int) throws {
        try folder.create()
        try FileSystem.removeFile(folder.failure)
        var divergence: TrainingRecord.Divergence?
        if case let .diverged(step, network) = outcome { divergence = .init(step: step, network: network) }
        let final = TrainingRecord(
            ending: divergence == nil ? .completed : .diverged, runID: run.id, seed: run.seed, epochs: epochs,
            steps: steps, genlabVersion: genlabVersion, openblasCore: BLAS.coreName, blasThreads: BLAS.threads,
            swept: JSONObject(pairs: run.swept.map { ($0.path, (try? JSONParser.parse($0.value, file: "")) ?? .string($0.value)) }),
            metrics: JSONObject(pairs: metrics.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }),
            divergence: divergence, files: try RunIntegrity.digests(of: folder))
        try AtomicFile.write(final.text, to: folder.final)
    }

    /// Writes `failure.json`; unlike `final.json` it does not mark the run done, so a rerun retries it.
    private func writeFailure(_ run: RunSpec, folder: RunFolder, reason: String) throws {
        try folder.create()
        try AtomicFile.write(FailureRecord(runID: run.id, reason: reason).text, to: folder.failure)
    }

    private func describe(_ run: RunSpec) -> String {
        let swept = run.swept.map { "\($0.path)=\($0.value)" }.joined(separator: " ")
        return "seed \(run.seed)" + (swept.isEmpty ? "" : " " + swept)
    }
}

/// Maps image pixels from [0, 1] to [−1, 1] in place (for models trained on symmetric images).
func toSymmetric(_ x: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { x[i] = x[i] * 2 - 1 }
}
