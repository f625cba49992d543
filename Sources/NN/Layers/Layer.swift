/// How a forward pass treats layers whose behaviour differs between training and evaluation.
public enum PassMode: Sendable, Equatable {
    /// Training: batch statistics are used and running statistics updated.
    case training
    /// Training-mode arithmetic (batch statistics) without updating running statistics: used when
    /// one network's loss backpropagates through another that must not change (a generator's step
    /// through the discriminator).
    case trainingFrozen
    /// Evaluation: running statistics; nothing in the network changes.
    case evaluation
}

/// A named tensor inside a layer's parameter (or state) view, for checkpoints.
public struct TensorSlot: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    /// Offset in elements from the start of the layer's view.
    public var offset: Int

    public init(name: String, shape: [Int], offset: Int) {
        self.name = name
        self.shape = shape
        self.offset = offset
    }

    public var count: Int { shape.reduce(1, *) }
}

/// One step of a network, with a paired forward and backward pass.
///
/// Parameters and gradients are views into the network's flat buffers (bound once by `Network`);
/// activation buffers are allocated in `prepare(maxBatch:)`, so passes allocate nothing. Shapes are
/// per example; batches are passed as `batch`. `backward` *accumulates* into parameter gradients
/// and may overwrite `dy`.
public protocol Layer: AnyObject {
    /// Shape of one input example.
    var inputShape: [Int] { get }
    /// Shape of one output example.
    var outputShape: [Int] { get }
    /// Trainable parameters (a view of this length into the network's flat buffer).
    var parameterCount: Int { get }
    /// Non-trainable state such as batch-norm running statistics (a view into the state buffer).
    var stateCount: Int { get }
    /// Named tensors within the parameter view.
    var parameterSlots: [TensorSlot] { get }
    /// Named tensors within the state view.
    var stateSlots: [TensorSlot] { get }

    func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>)
    /// Initialises parameters and state from `rng`.
    func initialize(rng: inout RandomStream)
    /// Allocates activation buffers for batches of up to `maxBatch` examples.
    func prepare(maxBatch: Int)
    /// Floats the buffers `prepare` allocated hold (index tables counted as 4-byte elements), for
    /// checking memory estimates against what a built network really holds.
    var bufferFloats: Int { get }
    /// Computes the output for `batch` examples at `x`; `x` must stay valid until `backward`.
    func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float>
    /// Given dL/dy, accumulates dL/dθ (when `parameterGradients`) and returns dL/dx (when `inputGradient`).
    func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient: Bool) -> UnsafeMutablePointer<Float>?
}

/// A layer that splits its passes among the members of a `ThreadTeam` (the data-parallel step):
/// by examples where each example's output depends on its own input only, by output rows or
/// columns of a weight gradient, by channels for batch normalisation. A team of one runs the
/// single-threaded arithmetic unchanged. `Network` sets the team before `prepare`, which may size
/// per-member scratch buffers by it.
public protocol TeamLayer: Layer {
    var team: ThreadTeam { get set }
}

/// A layer that draws from a random stream of its own in training passes (dropout masks). The
/// stream is not in the network's Float buffers, so a checkpoint that must resume bit for bit saves
/// and restores it (`Network.randomStreams`).
public protocol StochasticLayer: Layer {
    var randomStream: RandomStream { get set }
}

extension Layer {
    public var stateCount: Int { 0 }
    public var stateSlots: [TensorSlot] { [] }
    public var parameterSlots: [TensorSlot] { [] }
    public var inputSize: Int { inputShape.reduce(1, *) }
    public var outputSize: Int { outputShape.reduce(1, *) }
}
