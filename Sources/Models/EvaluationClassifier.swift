import NN
import Spec

/// The small convolutional classifier behind FID, KID and precision/recall on image data: the
/// role Inception plays for ImageNet-sized images. It is trained once per data set with a fixed
/// seed (by `Runner`, which caches it); its penultimate layer (128 ReLU units) gives the features.
///
/// Architecture (fixed, so features mean the same thing in every experiment): conv 32 (4, s2,
/// p1) + leaky ReLU 0.2 → conv 64 (4, s2, p1) + batch norm + leaky ReLU 0.2 → dense 128 + ReLU
/// (features) → dense `classes` (logits); Adam 1e-3.
public final class EvaluationClassifier {
    public let network: Network
    public let optimizer: Optimizer
    public let classes: Int
    /// Index of the built layer whose output is the feature vector.
    public let featureLayer: Int
    public var featureSize: Int { network.layers[featureLayer].outputSize }
    private let gradient: UnsafeMutableBufferPointer<Float>

    public static let layers: [LayerSpec] = [
        .conv(filters: 32, kernel: 4, stride: 2, padding: 1, activation: .leakyReLU(slope: 0.2), batchNorm: false, initializer: .he),
        .conv(filters: 64, kernel: 4, stride: 2, padding: 1, activation: .leakyReLU(slope: 0.2), batchNorm: true, initializer: .he),
        .dense(units: 128, activation: .relu, batchNorm: false, initializer: .he),
    ]

    /// A classifier for images of `inputShape` ([C, H, W], sides divisible by 4) initialised from
    /// `seed`'s `init` stream.
    public init(inputShape: [Int], classes: Int, seed: UInt64, maxBatch: Int) throws(SpecError) {
        let built = try NetworkBuilder.build(Self.layers, input: inputShape, path: "classifier", file: "evaluation classifier")
        var layers = built.layers
        featureLayer = built.specEnds[built.specEnds.count - 1]
        try NetworkBuilder.head(&layers, shape: built.output, units: classes, path: "classifier.head", file: "evaluation classifier")
        network = Network(name: "classifier", layers: layers, maxBatch: maxBatch)
        network.initialize(rng: RandomStream(seed: seed, purpose: "init"))
        optimizer = Optimizer(.adam(lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0), for: network)
        self.classes = classes
        gradient = .allocate(capacity: maxBatch * classes)
    }

    deinit { gradient.deallocate() }

    /// One Adam step on a batch; returns the summed cross-entropy (nats).
    public func trainStep(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, batch: Int) -> Double {
        network.zeroGradients()
        let logits = network.forward(x, batch: batch, mode: .training)
        let loss = SoftmaxCrossEntropy.evaluate(logits: logits, labels: labels, batch: batch, classes: classes,
                                                gradient: gradient.baseAddress!, scale: 1 / Float(batch))
        network.backward(gradient.baseAddress!, batch: batch)
        optimizer.step()
        return loss
    }

    /// Predicted classes of a batch (evaluation mode).
    public func predict(_ x: UnsafePointer<Float>, batch: Int, into out: UnsafeMutablePointer<Int32>) {
        let logits = network.forward(x, batch: batch, mode: .evaluation)
        SoftmaxCrossEntropy.argmax(logits: logits, batch: batch, classes: classes, into: out)
    }

    /// The feature vectors of a batch (evaluation mode), `featureSize` floats per example.
    public func features(_ x: UnsafePointer<Float>, batch: Int, into out: UnsafeMutablePointer<Float>) {
        let y = network.forward(x, batch: batch, mode: .evaluation, through: featureLayer)
        out.update(from: y, count: batch * featureSize)
    }
}
