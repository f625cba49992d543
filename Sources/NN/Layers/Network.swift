/// A feed-forward stack of layers that owns one flat parameter buffer, one gradient buffer of the
/// same size and one buffer of non-trainable state (batch-norm running statistics).
///
/// Each layer is a view (offset, count) into these buffers, so an optimiser is one loop over
/// `parameters` and a checkpoint is a copy of them. Activation buffers are allocated here, once,
/// for `maxBatch` examples: passes allocate nothing.
public final class Network {
    public let name: String
    public let layers: [Layer]
    public let maxBatch: Int
    public let parameters: UnsafeMutableBufferPointer<Float>
    public let gradients: UnsafeMutableBufferPointer<Float>
    public let state: UnsafeMutableBufferPointer<Float>
    /// Where each layer's parameter and state views start.
    public let parameterOffsets: [Int]
    public let stateOffsets: [Int]
    /// Each layer's output in the last forward pass (pointers into the layers' own buffers).
    private var outputs: [UnsafeMutablePointer<Float>?]
    /// The threads that share each pass (`TeamLayer`) and the gradient and optimiser loops.
    public let team: ThreadTeam

    /// - Parameter team: the members that split every pass; layers that are not `TeamLayer`s
    ///   (dropout, maxout, label concatenation) run on the calling thread.
    public init(name: String, layers: [Layer], maxBatch: Int, team: ThreadTeam = .serial) {
        precondition(!layers.isEmpty, "network \(name) has no layers")
        precondition(maxBatch > 0, "maxBatch must be positive")
        for (a, b) in zip(layers, layers.dropFirst()) {
            precondition(a.outputSize == b.inputSize,
                         "network \(name): layer output \(a.outputShape) does not fit next input \(b.inputShape)")
        }
        self.name = name
        self.layers = layers
        self.maxBatch = maxBatch
        self.team = team
        var pOffsets: [Int] = [], sOffsets: [Int] = []
        var p = 0, s = 0
        for layer in layers {
            pOffsets.append(p); sOffsets.append(s)
            p += layer.parameterCount; s += layer.stateCount
        }
        parameterOffsets = pOffsets
        stateOffsets = sOffsets
        outputs = Array(repeating: nil, count: layers.count)
        parameters = Network.allocate(p)
        gradients = Network.allocate(p)
        state = Network.allocate(s)
        for (i, layer) in layers.enumerated() {
            layer.bind(parameters: parameters.baseAddress! + pOffsets[i], gradients: gradients.baseAddress! + pOffsets[i],
                       state: state.baseAddress! + sOffsets[i])
            if let member = layer as? any TeamLayer { member.team = team }
            layer.prepare(maxBatch: maxBatch)
        }
    }

    deinit {
        parameters.deallocate()
        gradients.deallocate()
        state.deallocate()
    }

    private static func allocate(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(count, 1))
        buffer.initialize(repeating: 0)
        return UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
    }

    public var inputShape: [Int] { layers[0].inputShape }
    public var outputShape: [Int] { layers[layers.count - 1].outputShape }
    public var inputSize: Int { layers[0].inputSize }
    public var outputSize: Int { layers[layers.count - 1].outputSize }
    public var parameterCount: Int { parameters.count }

    /// Floats the network holds: parameters, gradients, state and every layer's buffers.
    public var heldFloats: Int { 2 * parameters.count + state.count + layers.reduce(0) { $0 + $1.bufferFloats } }

    /// Initialises every layer, each from its own child stream of `rng` (so adding a layer at the
    /// end does not change the others' initial weights).
    public func initialize(rng: RandomStream) {
        for (i, layer) in layers.enumerated() {
            var layerRNG = rng.derived("layer\(i)")
            layer.initialize(rng: &layerRNG)
        }
    }

    /// Runs the layers on `batch` examples at `x` (N, inputShape); returns the output of layer
    /// `through` (the last layer by default). `x` must stay valid until `backward`. Each layer's
    /// output stays readable through `output(ofLayer:)` until the next forward pass.
    @discardableResult
    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode, through last: Int? = nil) -> UnsafeMutablePointer<Float> {
        precondition(batch <= maxBatch, "batch \(batch) exceeds network \(name)'s maxBatch \(maxBatch)")
        var h = UnsafePointer(x)
        var out: UnsafeMutablePointer<Float>! = nil
        for i in 0...(last ?? layers.count - 1) {
            out = layers[i].forward(h, batch: batch, mode: mode)
            outputs[i] = out
            h = UnsafePointer(out)
        }
        return out
    }

    /// The output (N, outputShape of layer i) of layer `i` in the last forward pass.
    public func output(ofLayer i: Int) -> UnsafeMutablePointer<Float> {
        guard let out = outputs[i] else { preconditionFailure("network \(name): layer \(i) has not run forward") }
        return out
    }

    /// Backpropagates dL/dy (N, output shape of layer `from`, the last layer by default), which
    /// may be overwritten. Accumulates parameter gradients unless `parameterGradients` is false;
    /// returns dL/dx when `inputGradient`.
    @discardableResult
    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool = true, inputGradient: Bool = false,
                         from top: Int? = nil) -> UnsafeMutablePointer<Float>? {
        var g = dy
        for i in stride(from: top ?? layers.count - 1, through: 0, by: -1) {
            let needInput = i > 0 || inputGradient
            guard let next = layers[i].backward(g, batch: batch, parameterGradients: parameterGradients, inputGradient: needInput) else {
                return nil
            }
            g = next
        }
        return g
    }

    public func zeroGradients() {
        guard gradients.count > 0 else { return }
        team.run(zeroJob, ())
    }

    /// Each member zeroes its part of the gradient buffer.
    private lazy var zeroJob = TeamJob<Void> { [unowned(unsafe) self] _, member in
        let r = team.part(member, of: gradients.count, granule: 16)
        (gradients.baseAddress! + r.lowerBound).update(repeating: 0, count: r.count)
    }

    /// The random streams of the layers that own one (`StochasticLayer`: dropout), keyed
    /// `layer<index>` as in `initialize(rng:)`. Setting restores the streams of the keys given and
    /// leaves the others alone.
    public var randomStreams: [String: RandomStream] {
        get {
            var streams: [String: RandomStream] = [:]
            for (i, layer) in layers.enumerated() {
                if let stochastic = layer as? any StochasticLayer { streams["layer\(i)"] = stochastic.randomStream }
            }
            return streams
        }
        set {
            for (i, layer) in layers.enumerated() {
                if let stochastic = layer as? any StochasticLayer, let stream = newValue["layer\(i)"] {
                    stochastic.randomStream = stream
                }
            }
        }
    }

    /// Clamps every parameter to [−c, c] (the Wasserstein critic's weight clipping).
    public func clipParameters(to c: Float) {
        for i in parameters.indices { parameters[i] = min(max(parameters[i], -c), c) }
    }

    /// Every named parameter tensor: `<layer index>.<name>` with its offset into `parameters`.
    public var parameterSlots: [TensorSlot] { slots(\.parameterSlots, offsets: parameterOffsets) }
    /// Every named state tensor with its offset into `state`.
    public var stateSlots: [TensorSlot] { slots(\.stateSlots, offsets: stateOffsets) }

    private func slots(_ key: (Layer) -> [TensorSlot], offsets: [Int]) -> [TensorSlot] {
        var all: [TensorSlot] = []
        for (i, layer) in layers.enumerated() {
            for slot in key(layer) {
                all.append(TensorSlot(name: "\(i).\(slot.name)", shape: slot.shape, offset: offsets[i] + slot.offset))
            }
        }
        return all
    }
}
