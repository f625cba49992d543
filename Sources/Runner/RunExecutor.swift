import Data
import Foundation
import Models
import NN
import Report
import Spec

/// GenLab's version, recorded in every run.
public let genlabVersion = "0.1.0"

/// Trains one resolved run into its folder: data + model + the epoch loop, then metrics,
/// checkpoint and figures. A trainer only sequences steps; the model owns its objective.
///
/// Files: `spec.json` first, then per epoch `metrics.jsonl` and `checkpoint.safetensors`, and
/// at the end the figures, `timing.json` and last `final.json` (whose existence marks the run
/// done). All writes are atomic. Wall-clock figures go only to `timing.json`, so every other
/// file is byte-identical for the same resolved spec.
public struct RunExecutor {
    public let file: String
    public let catalog: DataCatalog
    public let progress: ProgressPrinter

    public init(file: String, catalog: DataCatalog, progress: ProgressPrinter) {
        self.file = file
        self.catalog = catalog
        self.progress = progress
    }

    /// Checks that the run's data loads and its model can be built for it, without writing anything.
    public func preflight(_ run: RunSpec) throws(SpecError) {
        let data = try catalog.splits(for: run.data, file: file)
        let model = try ModelFactory.make(run, dataShape: data.exampleShape, file: file)
        guard model.examplesPerStep <= data.train.count else {
            throw SpecError(file: file, path: "training.batch",
                            expected: "at most the \(data.train.count) training examples per step",
                            found: "number \(run.training.batch)" + (model.examplesPerStep != run.training.batch
                                ? " (\(model.examplesPerStep) examples with packing)" : ""))
        }
    }

    public func execute(_ run: RunSpec, index: Int, total: Int, folder: RunFolder) -> RunOutcome {
        if folder.isComplete { return .skipped }
        do {
            return try train(run, index: index, total: total, folder: folder)
        } catch {
            let reason = "\(error)"
            try? writeFinal(run, folder: folder, outcome: .failed(reason: reason), metrics: [:], epochs: 0, steps: 0)
            return .failed(reason: reason)
        }
    }

    private func train(_ run: RunSpec, index: Int, total: Int, folder: RunFolder) throws -> RunOutcome {
        BLAS.setThreads(run.training.threads)
        let data = try catalog.splits(for: run.data, file: file)
        let model = try ModelFactory.make(run, dataShape: data.exampleShape, file: file)
        try folder.create()
        try AtomicFile.write(JSONWriter.pretty(run.resolvedJSON) + "\n", to: folder.spec)
        progress.runStarted(index: index, total: total, run: run.id, description: describe(run))

        let batch = model.examplesPerStep, exampleSize = data.exampleShape.reduce(1, *)
        let order = EpochOrder(count: data.train.count, batch: batch)
        let stepsPerEpoch = order.batchesPerEpoch, totalSteps = stepsPerEpoch * run.training.epochs
        var dataStream = RandomStream(seed: run.seed, purpose: "data")
        let x = Tensor(shape: [batch, exampleSize])                           // (N, D)
        let trainTerms = model.trainTerms
        let symmetric = model.usesSymmetricImages
        let totals = UnsafeMutablePointer<Double>.allocate(capacity: trainTerms.count)
        defer { totals.deallocate() }

        var lines: [String] = []
        var lastMetrics: [(String, JSONValue)] = []
        var trainSeconds = 0.0, evalSeconds = 0.0
        let clockStart = DispatchTime.now().uptimeNanoseconds

        for epoch in 1...run.training.epochs {
            order.startEpoch(using: &dataStream)
            totals.initialize(repeating: 0, count: trainTerms.count)
            let epochStart = DispatchTime.now().uptimeNanoseconds
            for k in 0..<stepsPerEpoch {
                data.train.gather(order.batch(k), into: x.pointer)
                if symmetric { toSymmetric(x.pointer, count: batch * exampleSize) }
                model.trainStep(x.pointer, batch: batch, totals: totals)
                for t in 0..<trainTerms.count where !totals[t].isFinite {
                    return try diverged(run, folder: folder, model: model, network: model.termNetworks[t], epochs: epoch)
                }
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - epochStart) / 1e9
                let done = (epoch - 1) * stepsPerEpoch + k + 1
                let rate = Double((k + 1) * batch) / max(elapsed, 1e-9)
                progress.step(epoch: epoch, epochs: run.training.epochs, step: done, steps: totalSteps,
                              loss: totals[0] / Double((k + 1) * batch), imagesPerSecond: rate,
                              etaSeconds: Double(totalSteps - done) * Double(batch) / rate)
            }
            let epochTrain = Double(DispatchTime.now().uptimeNanoseconds - epochStart) / 1e9
            trainSeconds += epochTrain
            if let network = model.nonFiniteNetwork {
                return try diverged(run, folder: folder, model: model, network: network, epochs: epoch)
            }

            let evalStart = DispatchTime.now().uptimeNanoseconds
            let testMetrics = evaluate(model, test: data.test, batch: batch, x: x, seed: run.seed, symmetric: symmetric)
            evalSeconds += Double(DispatchTime.now().uptimeNanoseconds - evalStart) / 1e9

            let examples = Double(stepsPerEpoch * batch)
            let trainMetrics = trainTerms.enumerated().map { ("train_" + $0.element, totals[$0.offset] / examples) }
            lastMetrics = (trainMetrics + testMetrics).map { ($0.0, jsonNumber($0.1)) }
            var line = JSONObject(pairs: [("epoch", .int(Int64(epoch))), ("step", .int(Int64(model.stepCount)))])
            for (name, count) in model.stepCounters { line[name] = .int(Int64(count)) }
            for (name, value) in lastMetrics { line[name] = value }
            lines.append(JSONWriter.canonical(.object(line)))
            try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: folder.metrics)
            try Checkpoint.write(model: model, epoch: epoch, dataStream: dataStream, to: folder.checkpoint)

            let summary = (trainMetrics + testMetrics).map { "\($0.0) \(String(format: "%.2f", $0.1))" }.joined(separator: "  ")
            let remaining = Double(run.training.epochs - epoch) * (trainSeconds + evalSeconds) / Double(epoch)
            progress.epochFinished(epoch: epoch, epochs: run.training.epochs, summary: summary,
                                   imagesPerSecond: examples / epochTrain, etaSeconds: remaining)
        }

        try RunFigures.write(model: model, run: run, test: data.test, folder: folder)
        if let mixture = data.mixture {
            lastMetrics += try MixtureOutputs.write(model: model, run: run, mixture: mixture, folder: folder)
        }
        let totalSeconds = Double(DispatchTime.now().uptimeNanoseconds - clockStart) / 1e9
        let trainedImages = Double(totalSteps * batch)
        let timing: JSONObject = [
            "train_seconds": jsonNumber(trainSeconds), "eval_seconds": jsonNumber(evalSeconds),
            "total_seconds": jsonNumber(totalSeconds), "train_images_per_s": jsonNumber(trainedImages / max(trainSeconds, 1e-9)),
        ]
        try AtomicFile.write(JSONWriter.pretty(.object(timing)) + "\n", to: folder.timing)
        try writeFinal(run, folder: folder, outcome: .completed, metrics: Dictionary(uniqueKeysWithValues: lastMetrics),
                       epochs: run.training.epochs, steps: model.stepCount)
        return .completed
    }

    /// Test-set averages of the model's evaluation terms, with noise from a fresh `eval` stream so
    /// that the numbers do not depend on how often evaluation ran.
    private func evaluate(_ model: any GenerativeModel, test: any Dataset, batch: Int, x: Tensor, seed: UInt64,
                          symmetric: Bool) -> [(String, Double)] {
        let terms = model.evaluationTerms
        var sums = [Double](repeating: 0, count: terms.count)
        var rng = RandomStream(seed: seed, purpose: "eval")
        let batches = SequentialBatches(count: test.count, batch: batch)
        for k in 0..<batches.batchCount {
            let indices = batches.batch(k)
            test.gather(indices, into: x.pointer)
            if symmetric { toSymmetric(x.pointer, count: indices.count * test.exampleSize) }
            model.evaluate(x.pointer, batch: indices.count, rng: &rng, totals: &sums)
        }
        return terms.enumerated().map { ("test_" + $0.element, sums[$0.offset] / Double(max(test.count, 1))) }
    }

    private func diverged(_ run: RunSpec, folder: RunFolder, model: any GenerativeModel, network: String, epochs: Int) throws -> RunOutcome {
        let outcome = RunOutcome.diverged(step: model.stepCount, network: network)
        progress.message("[\(run.id)] diverged at step \(model.stepCount): a loss or parameter of the \(network) is not finite")
        try writeFinal(run, folder: folder, outcome: outcome, metrics: [:], epochs: epochs, steps: model.stepCount)
        return outcome
    }

    private func writeFinal(_ run: RunSpec, folder: RunFolder, outcome: RunOutcome, metrics: [String: JSONValue], epochs: Int, steps: Int) throws {
        try folder.create()
        var final: JSONObject = [
            "status": .string(outcome.status), "run_id": .string(run.id), "seed": .int(Int64(run.seed)),
            "epochs": .int(Int64(epochs)), "steps": .int(Int64(steps)), "genlab_version": .string(genlabVersion),
            "openblas_core": .string(BLAS.coreName), "blas_threads": .int(Int64(run.training.threads)),
        ]
        final["swept"] = .object(JSONObject(pairs: run.swept.map { ($0.path, (try? JSONParser.parse($0.value, file: "")) ?? .string($0.value)) }))
        final["metrics"] = .object(JSONObject(pairs: metrics.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        switch outcome {
        case let .diverged(step, network):
            final["diverged_at_step"] = .int(Int64(step))
            final["diverged_network"] = .string(network)
        case let .failed(reason):
            final["reason"] = .string(reason)
        default: break
        }
        try AtomicFile.write(JSONWriter.pretty(.object(final)) + "\n", to: folder.final)
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

/// A finite number as JSON; NaN and infinities (which JSON cannot hold) as null.
func jsonNumber(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }
