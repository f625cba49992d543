import NN

/// A named flat Float buffer a checkpoint stores (parameters, running statistics, optimiser state).
public struct NamedBuffer {
    public var name: String
    public var shape: [Int]
    public var buffer: UnsafeMutableBufferPointer<Float>

    public init(name: String, shape: [Int], buffer: UnsafeMutableBufferPointer<Float>) {
        self.name = name
        self.shape = shape
        self.buffer = buffer
    }
}

/// What the trainer needs from any model: it sequences steps; the model owns its objective.
///
/// Loss terms are reported as sums over the batch, added into caller-owned accumulators, so a step
/// allocates nothing and the trainer averages per example.
public protocol GenerativeModel: AnyObject {
    /// Names of the terms `trainStep` adds, in order (e.g. `loss`, `recon`, `kl`).
    var trainTerms: [String] { get }
    /// Names of the terms `evaluate` adds, in order (e.g. `neg_elbo`, `recon`, `kl`).
    var evaluationTerms: [String] { get }
    /// Optimisation steps taken.
    var stepCount: Int { get }
    /// One optimisation step on `batch` examples at `x` (N, D); adds each term's batch sum to `totals`.
    func trainStep(_ x: UnsafePointer<Float>, batch: Int, totals: UnsafeMutablePointer<Double>)
    /// Adds each evaluation term's batch sum to `totals`, drawing any noise from `rng`; changes nothing in the model.
    func evaluate(_ x: UnsafePointer<Float>, batch: Int, rng: inout RandomStream, totals: UnsafeMutablePointer<Double>)
    /// Every buffer a checkpoint holds, with stable names.
    var checkpointBuffers: [NamedBuffer] { get }
    /// Every random stream training draws from — the model's own (`noise`) and its networks' layers'
    /// (dropout, as `<network>.layer<i>`) — by name, for checkpoints. Assigning restores the
    /// streams named and leaves the others alone.
    var randomStreams: [String: RandomStream] { get set }
    /// Every counter training advances outside `checkpointBuffers` — update counts, the
    /// schedule's position, each optimiser's step count (Adam's bias correction) — by name, for
    /// checkpoints. Assigning restores the counters named and leaves the others alone: a model
    /// given a checkpoint's buffers, counters and streams continues exactly as the saved one would.
    var counters: [String: Int] { get set }
    /// The network each train term belongs to, by term (e.g. `d_loss` → `discriminator`), to name
    /// the network when a term stops being finite.
    var termNetworks: [String] { get }
    /// The first network (by name) with a parameter that is not finite, or nil.
    var nonFiniteNetwork: String? { get }
    /// Update counters for metrics lines, e.g. `[("generator_steps", 10), ("discriminator_steps", 50)]`.
    var stepCounters: [(String, Int)] { get }
    /// Data examples one `trainStep` consumes (the batch, or more when a GAN packs examples).
    var examplesPerStep: Int { get }
    /// Floats of memory the model holds (networks, optimiser state, its own buffers), counted
    /// from its allocated buffers; `ModelPlan.floats` estimates it from shapes alone.
    var heldFloats: Int { get }
    /// Whether image data should reach the model scaled to [−1, 1] (adversarial models with a tanh
    /// generator) rather than [0, 1]; decoded images come back in the same range.
    var usesSymmetricImages: Bool { get }
}

extension GenerativeModel {
    public var stepCounters: [(String, Int)] { [] }
    public var usesSymmetricImages: Bool { false }
}

extension Network {
    /// This network's parameters and state as named checkpoint buffers under `prefix`.
    func namedBuffers(prefix: String) -> [NamedBuffer] {
        let p = parameters.baseAddress!, s = state.baseAddress!
        return parameterSlots.map { NamedBuffer(name: "\(prefix).\($0.name)", shape: $0.shape,
                                                buffer: UnsafeMutableBufferPointer(start: p + $0.offset, count: $0.count)) }
            + stateSlots.map { NamedBuffer(name: "\(prefix).\($0.name)", shape: $0.shape,
                                           buffer: UnsafeMutableBufferPointer(start: s + $0.offset, count: $0.count)) }
    }

    /// Evaluation-mode outputs (count, outputShape) for `count` inputs, `maxBatch` at a time. Changes nothing.
    func evaluate(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        var start = 0
        while start < count {
            let n = min(maxBatch, count - start)
            (out + start * outputSize).update(from: forward(x + start * inputSize, batch: n, mode: .evaluation), count: n * outputSize)
            start += n
        }
    }

    var isFinite: Bool {
        for x in parameters where !x.isFinite { return false }
        return true
    }
}

extension Network {
    /// `randomStreams` with names under `prefix` (`encoder.layer2`).
    func randomStreams(prefix: String) -> [String: RandomStream] {
        let own: [String: RandomStream] = randomStreams
        return Dictionary(uniqueKeysWithValues: own.map { ("\(prefix).\($0.key)", $0.value) })
    }

    /// Restores the streams of `streams` named under `prefix`.
    func restoreRandomStreams(_ streams: [String: RandomStream], prefix: String) {
        var own: [String: RandomStream] = [:]
        for (name, stream) in streams where name.hasPrefix(prefix + ".") { own[String(name.dropFirst(prefix.count + 1))] = stream }
        self.randomStreams = own
    }
}

extension Optimizer {
    func namedBuffers(prefix: String) -> [NamedBuffer] {
        state.map { NamedBuffer(name: "\(prefix).\($0.name)", shape: [$0.buffer.count], buffer: $0.buffer) }
    }
}

/// A model that generates data from latent codes drawn from its prior (VAE, GAN, VAE-GAN).
public protocol GeneratingModel: GenerativeModel {
    /// Latent dimensions Z.
    var latent: Int { get }
    /// Draws `count` codes from the prior p(z) into `out` (count, Z).
    func sampleLatent(into out: UnsafeMutablePointer<Float>, count: Int, rng: inout RandomStream)
    /// Decodes codes (count, Z) into the data space's mean (count, D), in the range the model
    /// trains on (see `usesSymmetricImages`). Changes nothing.
    func decodeMean(_ codes: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>)
}

/// A generating model with an encoder (VAE, VAE-GAN).
public protocol EncodingModel: GeneratingModel {
    /// Encodes data (count, D) into posterior means (count, Z). Changes nothing.
    func encodeMean(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>)
    /// Encodes data (count, D) into the posterior's parameters (count, 2Z), rows `[μ | log σ²]`
    /// (for per-dimension KL in figures). Changes nothing.
    func encodePosterior(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>)
}

/// A model's random streams for checkpoints: its own `noise` stream and every stochastic layer's
/// stream of its networks, each network's under its name.
enum ModelStreams {
    static func collect(noise: RandomStream, networks: [Network]) -> [String: RandomStream] {
        var streams = ["noise": noise]
        for network in networks { streams.merge(network.randomStreams(prefix: network.name)) { a, _ in a } }
        return streams
    }

    static func restore(_ streams: [String: RandomStream], noise: inout RandomStream, networks: [Network]) {
        if let s = streams["noise"] { noise = s }
        for network in networks { network.restoreRandomStreams(streams, prefix: network.name) }
    }
}

/// A generating model that can be conditioned on class labels (Mirza & Osindero 2014; Sohn et
/// al. 2015). `classCount` is K, or 0 when the model is unconditional: then the labelled calls
/// ignore their labels. Labels are Int32 in 0..<K, one per example.
///
/// The calls without labels stay valid for a conditional model where no labels exist (samples,
/// metrics, `genlab sample`): there example i of a call is taken as class i mod K (balanced,
/// deterministic). Training always passes the data's labels.
public protocol ConditionalModel: GeneratingModel {
    var classCount: Int { get }
    /// `trainStep` with the labels (N) of the real batch.
    func trainStep(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, batch: Int, totals: UnsafeMutablePointer<Double>)
    /// `evaluate` with the labels (N) of the test batch.
    func evaluate(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, batch: Int, rng: inout RandomStream,
                  totals: UnsafeMutablePointer<Double>)
    /// `decodeMean` of codes (count, Z) with labels (count).
    func decodeMean(_ codes: UnsafePointer<Float>, labels: UnsafePointer<Int32>?, count: Int, into out: UnsafeMutablePointer<Float>)
}

extension GenerativeModel {
    /// K when the model is a conditional one, else 0.
    public var conditionedClasses: Int { (self as? any ConditionalModel)?.classCount ?? 0 }
}
