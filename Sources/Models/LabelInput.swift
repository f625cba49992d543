// Dimensions: N batch, W example width, K classes, P positions per one-hot entry.
import NN
import Spec

/// Where a conditional model's one-hot labels join a network's input (`LabelConcatenation`):
/// appended to a vector (z, flat data, a dense first layer: P = 1) or, before a first conv
/// layer on images, as K constant H × W maps after the C channels (P = H·W). Planned from shapes.
public struct LabelInput: Sendable, Equatable {
    public var classes: Int
    /// Width W of one unconditioned input (Z, or the data's size D).
    public var width: Int
    /// Positions P each one-hot entry is repeated over.
    public var positions: Int
    /// The network's input shape: [W + K] or [C + K, H, W].
    public var shape: [Int]

    /// Floats of one conditioned input: W + K·P.
    public var rowWidth: Int { Saturating.sum([width, Saturating.product([classes, positions])]) }

    /// z (Z) with y appended.
    public static func vector(width: Int, classes: Int) -> LabelInput {
        LabelInput(classes: classes, width: width, positions: 1, shape: [Saturating.sum([width, classes])])
    }

    /// Data of `dataShape` with y as maps when it is an image and `layers` start with a conv
    /// layer, appended to the flattened example otherwise.
    public static func data(_ dataShape: [Int], classes: Int, layers: [LayerSpec]) -> LabelInput {
        let size = Saturating.product(dataShape)
        if dataShape.count == 3, let first = layers.first, case .conv = first {
            return LabelInput(classes: classes, width: size, positions: Saturating.product([dataShape[1], dataShape[2]]),
                              shape: [Saturating.sum([dataShape[0], classes]), dataShape[1], dataShape[2]])
        }
        return vector(width: size, classes: classes)
    }
}

/// The buffers of one `LabelInput`: conditioned rows (N, W + K·P) and the x part of their
/// gradient (N, W). Allocated once; `fill` and `inputGradient` allocate nothing.
final class LabelledInput {
    let plan: LabelInput
    private let rows: Tensor       // (N, W + K·P)
    private let gradient: Tensor?  // (N, W)

    init(_ plan: LabelInput, maxBatch: Int, withGradient: Bool) {
        self.plan = plan
        rows = Tensor(shape: [maxBatch, plan.rowWidth])
        gradient = withGradient ? Tensor(shape: [maxBatch, plan.width]) : nil
    }

    var heldFloats: Int { rows.capacity + (gradient?.capacity ?? 0) }

    /// `[x_i | onehot(y_i)]` for `count` examples; valid until the next call.
    func fill(_ x: UnsafePointer<Float>, labels: UnsafePointer<Int32>, count: Int) -> UnsafeMutablePointer<Float> {
        LabelConcatenation.append(x, width: plan.width, labels: labels, classes: plan.classes, positions: plan.positions,
                                  count: count, into: rows.pointer)
        return rows.pointer
    }

    /// The x part (count, W) of a gradient with respect to the conditioned rows.
    func inputGradient(_ d: UnsafePointer<Float>, count: Int) -> UnsafeMutablePointer<Float> {
        guard let gradient else { preconditionFailure("LabelledInput built without a gradient buffer") }
        LabelConcatenation.inputGradient(d, width: plan.width, classes: plan.classes, positions: plan.positions,
                                         count: count, into: gradient.pointer)
        return gradient.pointer
    }
}

/// Class labels drawn for generated examples: uniform over 0..<K from the model's own stream
/// (seed, "labels"), checkpointed with the other streams; and the balanced labels evaluation uses
/// when a caller gives none (example i of a call gets class i mod K).
enum ClassLabels {
    static func draw(into labels: UnsafeMutablePointer<Int32>, count: Int, classes: Int, rng: inout RandomStream) {
        for i in 0..<count { labels[i] = Int32(rng.nextInt(below: classes)) }
    }

    static func balanced(count: Int, classes: Int) -> [Int32] {
        (0..<count).map { Int32($0 % classes) }
    }
}
