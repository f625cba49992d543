import Models
import RunStore
import Spec

/// `genlab validate --summary`, as torchinfo's summary for PyTorch: for each distinct model
/// configuration of an experiment (runs whose summaries would be the same — e.g. differing only
/// in seed or in β — share one block, which names their run ids, seeds and swept values), every
/// network's layers with their output shape per example and parameter count, each network's
/// totals, the model's, the FLOPs of one training step and the memory estimate.
///
/// Everything comes from the shape plan (`ModelPlan`), nothing is built. FLOPs (`flopsRule`):
/// 2 per multiply-add of the weight products of the dense, maxout and convolution layers
/// (`LayerPlan.forwardFLOPs`; elementwise layers are not counted); a backward pass computes one
/// product of the forward's size for the weight gradient and one for the input gradient where the
/// model asks for them, so forward + backward = 3× the forward, 2× with one of them; and every
/// network pass one `trainStep` makes (`ModelPlan.trainingPasses`), a GAN's generator update
/// every k = `discriminator_steps` steps counted as 1/k. The text is stable (no wall-clock).
public enum ModelSummary {
    /// How the FLOPs are counted, for the command's help and the summary's last line.
    public static let flopsRule = "FLOPs count 2 per multiply-add of the dense, maxout and convolution weight "
        + "products (elementwise layers not counted); a backward pass adds one such product for the weight gradient "
        + "and one for the input gradient where computed (forward + backward = 3× forward); a step counts every "
        + "network pass of one training step, a GAN's generator update every k discriminator steps as 1/k."

    /// The summary of `experiment`'s runs, whose data `catalog` has loaded (`SweepRunner.preflight`
    /// first: the plans then throw nothing), with the memory estimate against `memoryLimit`.
    public static func text(_ experiment: Experiment, catalog: DataCatalog, memoryLimit: MemoryLimit) throws(SpecError) -> String {
        var blocks: [(runs: [RunSpec], body: [String])] = []
        var index: [[String]: Int] = [:]
        for run in experiment.runs {
            let data = try catalog.splits(for: run.data, file: experiment.file)
            let body = try body(run, dataShape: data.exampleShape, trainCount: data.train.count, testCount: data.test.count,
                                memoryLimit: memoryLimit, file: experiment.file)
            if let i = index[body] {
                blocks[i].runs.append(run)
            } else {
                index[body] = blocks.count
                blocks.append(([run], body))
            }
        }
        var lines: [String] = []
        for (i, block) in blocks.enumerated() {
            lines.append("")
            lines.append("\(experiment.name) — model \(i + 1) of \(blocks.count) (\(typeName(block.runs[0].model))): \(covers(block.runs))")
            lines.append("  runs " + block.runs.map(\.id).joined(separator: " "))
            lines += block.body
        }
        lines += [""] + wrapped(flopsRule, width: 100)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` broken at spaces into lines of at most `width` characters (a longer word stays whole).
    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return line.isEmpty ? lines : lines + [line]
    }

    /// One block's text for `run` on examples of shape `dataShape`.
    static func body(_ run: RunSpec, dataShape: [Int], trainCount: Int, testCount: Int, memoryLimit: MemoryLimit,
                     file: String) throws(SpecError) -> [String] {
        let plan = try ModelPlan.make(run.model, training: run.training, dataShape: dataShape, file: file)
        let estimate = try MemoryEstimate.make(run, dataShape: dataShape, trainCount: trainCount, testCount: testCount, file: file)
        let passes = plan.trainingPasses(for: run.model)
        var table = TextTable(alignments: [.right, .left, .left, .right])
        for network in plan.networks {
            let layers = network.plan.layers
            table.line("")
            table.line("  \(network.name) — input \(shape(layers.first?.inputShape ?? network.plan.output))")
            table.add("#", "layer", "output shape", "parameters")
            for (i, layer) in layers.enumerated() {
                table.add("\(i)", layer.description, shape(layer.outputShape), ReadableCount.grouped(layer.parameters))
            }
            let flops = passes.filter { $0.network == network.name }
                .reduce(0.0) { $0 + Double($1.flops(network.plan)) / Double($1.every) }
            table.add("", "total parameters", "", ReadableCount.grouped(network.plan.parameters))
            table.add("", "non-trainable state", "", ReadableCount.grouped(network.plan.state))
            table.add("", "FLOPs per training step", "", ReadableCount.flops(flops))
        }
        let parameters = Saturating.sum(plan.networks.map(\.plan.parameters))
        let state = Saturating.sum(plan.networks.map(\.plan.state))
        return table.lines(indent: "    ") + [
            "",
            "  model: \(ReadableCount.grouped(parameters)) parameters, \(ReadableCount.grouped(state)) non-trainable state",
            "  training step: \(ReadableCount.flops(plan.trainingFLOPs(for: run.model))) per step — \(stepDescription(run, plan: plan))",
            "  memory: \(estimate.summary) per worker (limit \(memoryLimit))",
        ]
    }

    /// What one training step does, in words.
    static func stepDescription(_ run: RunSpec, plan: ModelPlan) -> String {
        let n = plan.examplesPerStep
        switch run.model {
        case .vae(let spec):
            switch spec.objective {
            case .iwae(let k):
                return "\(n) examples through the encoder, \(n * k) codes (\(k) per example) through the decoder, forward and backward"
            case .factorVAE:
                return "\(n) examples through the encoder and decoder, forward and backward; the discriminator on \(2 * n) codes"
            default:
                return "\(n) examples through the encoder and decoder, forward and backward"
            }
        case .gan(let spec):
            let p = plan.network("discriminator").maxBatch, m = spec.schedule.packing, k = spec.schedule.discriminatorSteps
            let packed = m > 1 ? " (\(m) examples packed in each)" : ""
            let generator = k == 1 ? "then a generator update" : "a generator update after every \(k) of them (counted as 1/\(k))"
            return "\(n) examples: a discriminator update on \(p) real and \(p) generated inputs\(packed), \(generator)"
        case .vaeGAN:
            return "\(n) examples: a discriminator update on real, reconstructed and generated batches, "
                + "decoder and encoder updates"
        }
    }

    /// "4 runs: seeds 0, 1; model.beta = 1, 4" — the distinct seeds and swept values of `runs`.
    static func covers(_ runs: [RunSpec]) -> String {
        var parts = ["seed" + (Set(runs.map(\.seed)).count == 1 ? " " : "s ") + distinct(runs.map { "\($0.seed)" })]
        for (i, swept) in runs[0].swept.enumerated() {
            parts.append("\(swept.path) = " + distinct(runs.map { i < $0.swept.count ? $0.swept[i].value : "" }))
        }
        return "\(runs.count) run\(runs.count == 1 ? "" : "s"): " + parts.joined(separator: "; ")
    }

    private static func distinct(_ values: [String]) -> String {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }.joined(separator: ", ")
    }

    static func typeName(_ model: ModelSpec) -> String {
        switch model {
        case .vae: return "vae"
        case .gan: return "gan"
        case .vaeGAN: return "vae-gan"
        }
    }

    static func shape(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
}
