// Dimensions: N batch, F features φ(x), K classes.

/// The output layer of a projection discriminator (Miyato & Koyama 2018, eq. 3):
/// `d(x, y) = ψ(φ(x)) + ⟨embed(y), φ(x)⟩` with ψ(h) = w·h + b and embed(y) row y of a learned
/// K × F matrix E. The input is φ(x), the discriminator's last hidden features; the labels of
/// the batch are set (`labels`) before `forward` and must stay valid until `backward`.
///
/// Gradients: ∂d/∂w = h, ∂d/∂b = 1, ∂d/∂E[y] = h (other rows 0), ∂d/∂h = w + E[y].
/// No spectral normalisation (the paper also normalises E; GenLab does not, docs/models.md).
public final class ProjectionHead: Layer {
    public let features: Int
    public let classes: Int
    public let initializer: WeightInitializer
    /// The batch's class labels (N), each in 0..<K; set before every forward pass.
    public var labels: UnsafePointer<Int32>?

    public var inputShape: [Int] { [features] }
    public var outputShape: [Int] { [1] }
    public var parameterCount: Int { features + 1 + classes * features }
    public var parameterSlots: [TensorSlot] {
        [TensorSlot(name: "weight", shape: [1, features], offset: 0),
         TensorSlot(name: "bias", shape: [1], offset: features),
         TensorSlot(name: "embedding", shape: [classes, features], offset: features + 1)]
    }

    private var weight: UnsafeMutablePointer<Float>!     // (F)
    private var bias: UnsafeMutablePointer<Float>!       // (1)
    private var embedding: UnsafeMutablePointer<Float>!  // (K, F)
    private var dWeight: UnsafeMutablePointer<Float>!    // (F)
    private var dBias: UnsafeMutablePointer<Float>!      // (1)
    private var dEmbedding: UnsafeMutablePointer<Float>! // (K, F)
    private var output: Tensor!                          // (N)     d
    private var inputGradient: Tensor!                   // (N, F)  dh
    private var input: UnsafePointer<Float>?             // (N, F)  h, kept from forward

    public init(features: Int, classes: Int, initializer: WeightInitializer = .glorot) {
        precondition(features > 0 && classes > 0, "projection head sizes must be positive (got \(features) features, \(classes) classes)")
        self.features = features
        self.classes = classes
        self.initializer = initializer
    }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {
        weight = parameters
        bias = parameters + features
        embedding = parameters + features + 1
        dWeight = gradients
        dBias = gradients + features
        dEmbedding = gradients + features + 1
    }

    /// w and b as the linear head GenLab appends (`initializer`, fan-in F); E Glorot-uniform over
    /// (K, F), as `nn.init.xavier_uniform_` in the authors' code.
    public func initialize(rng: inout RandomStream) {
        initializer.fill(UnsafeMutableBufferPointer(start: weight, count: features), fanIn: features, fanOut: 1, rng: &rng)
        initializer.fillBias(UnsafeMutableBufferPointer(start: bias, count: 1), fanIn: features, rng: &rng)
        WeightInitializer.glorot.fill(UnsafeMutableBufferPointer(start: embedding, count: classes * features),
                                      fanIn: features, fanOut: classes, rng: &rng)
    }

    public var bufferFloats: Int { (output?.capacity ?? 0) + (inputGradient?.capacity ?? 0) }

    public func prepare(maxBatch: Int) {
        output = Tensor(shape: [maxBatch])
        inputGradient = Tensor(shape: [maxBatch, features])
    }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        guard let labels else { preconditionFailure("ProjectionHead.forward called without labels") }
        input = x
        let d = output.pointer
        for i in 0..<batch {
            let h = x + i * features, e = embedding + row(labels[i]) * features
            var s = bias[0]
            for f in 0..<features { s += (weight[f] + e[f]) * h[f] }
            d[i] = s
        }
        return d
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool,
                         inputGradient wantInput: Bool) -> UnsafeMutablePointer<Float>? {
        guard let h = input, let labels else { preconditionFailure("ProjectionHead.backward called before forward") }
        if parameterGradients {
            for i in 0..<batch {
                let g = dy[i], hi = h + i * features, dE = dEmbedding + row(labels[i]) * features
                dBias[0] += g
                for f in 0..<features {
                    dWeight[f] += g * hi[f]
                    dE[f] += g * hi[f]
                }
            }
        }
        guard wantInput else { return nil }
        let dh = inputGradient.pointer
        for i in 0..<batch {
            let g = dy[i], e = embedding + row(labels[i]) * features, out = dh + i * features
            for f in 0..<features { out[f] = g * (weight[f] + e[f]) }
        }
        return dh
    }

    private func row(_ label: Int32) -> Int {
        let y = Int(label)
        precondition(y >= 0 && y < classes, "label \(y) outside 0..<\(classes)")
        return y
    }
}
