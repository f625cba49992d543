import Foundation
import NN

/// An equal-weight mixture of isotropic 2-D Gaussians with a common σ: the standard mode-collapse
/// benchmarks for GANs — 8 modes on a ring and 25 on a grid (Metz et al. 2017, "Unrolled GANs";
/// Srivastava et al. 2017, "VEEGAN").
public struct GaussianMixture: Sendable, Equatable {
    /// The mode centres (K).
    public let modes: [SIMD2<Float>]
    /// Standard deviation of every component, per coordinate.
    public let sigma: Float

    public init(modes: [SIMD2<Float>], sigma: Float) {
        precondition(!modes.isEmpty, "a mixture needs at least one mode")
        precondition(sigma > 0, "sigma must be positive, got \(sigma)")
        self.modes = modes
        self.sigma = sigma
    }

    /// 8 Gaussians on the unit circle at angles 2πk/8, σ = 0.01.
    public static let ring = GaussianMixture(
        modes: (0..<8).map { (k: Int) -> SIMD2<Float> in
            let angle: Double = 2 * Double.pi * Double(k) / 8
            return SIMD2<Float>(Float(cos(angle)), Float(sin(angle)))
        },
        sigma: 0.01)

    /// 25 Gaussians at {−4, −2, 0, 2, 4}², σ = 0.05 (row-major: x outer, y inner).
    public static let grid = GaussianMixture(
        modes: (0..<25).map { (k: Int) -> SIMD2<Float> in
            let x: Int = (k / 5) * 2 - 4
            let y: Int = (k % 5) * 2 - 4
            return SIMD2<Float>(Float(x), Float(y))
        },
        sigma: 0.05)

    /// `count` samples: for each, a component drawn uniformly, then x and y from N(mode, σ²).
    /// - Returns: points (count, 2) and the component of each point (count).
    public func sample(count: Int, stream: inout RandomStream) -> (points: [Float], components: [Int32]) {
        precondition(count >= 0, "sample count must be non-negative")
        var points = [Float](repeating: 0, count: 2 * count)  // (N, 2)
        var components = [Int32](repeating: 0, count: count)  // (N)
        for i in 0..<count {
            let k = stream.nextInt(below: modes.count)
            points[2 * i] = modes[k].x + sigma * stream.nextNormal()
            points[2 * i + 1] = modes[k].y + sigma * stream.nextNormal()
            components[i] = Int32(k)
        }
        return (points, components)
    }
}

/// Examples stored as Float32 rows: samples of a `GaussianMixture` (shape `[D]`), or the points
/// or float images of an array file (`[D]` or `[C, H, W]`).
public final class PointDataset: Dataset {
    public let exampleShape: [Int]  // [D] or [C, H, W]
    public let count: Int
    public let labels: [Int32]?
    /// All examples: (N, D), D the product of `exampleShape`.
    public let points: [Float]
    /// The mixture the points were drawn from, if any (for mode-coverage metrics).
    public let mixture: GaussianMixture?

    public convenience init(points: [Float], dimension: Int, labels: [Int32]?, mixture: GaussianMixture?) {
        self.init(values: points, exampleShape: [dimension], labels: labels, mixture: mixture)
    }

    /// Examples of any shape stored as Float32 rows: 2-D points, or float images of an array file.
    public init(values points: [Float], exampleShape: [Int], labels: [Int32]?, mixture: GaussianMixture? = nil) {
        let dimension = exampleShape.reduce(1, *)
        precondition(dimension > 0 && points.count % dimension == 0,
                     "\(points.count) floats is not a whole number of \(exampleShape) examples")
        let n = points.count / dimension
        if let labels { precondition(labels.count == n, "\(labels.count) labels for \(n) examples") }
        self.exampleShape = exampleShape
        self.count = n
        self.points = points
        self.labels = labels
        self.mixture = mixture
    }

    public func gather(_ indices: UnsafeBufferPointer<Int>, into out: UnsafeMutablePointer<Float>) {
        let d = points.count / max(count, 1)
        let n = count
        points.withUnsafeBufferPointer { src in
            var dst = out  // (indices.count, D)
            for index in indices {
                precondition(index >= 0 && index < n, "example index \(index) outside 0..<\(n)")
                (dst).update(from: src.baseAddress! + index * d, count: d)
                dst += d
            }
        }
    }

    /// Train and test splits drawn from one stream `RandomStream(seed: seed, purpose: purpose)`:
    /// the `trainSize` training points first, then the `testSize` test points.
    static func splits(of mixture: GaussianMixture, trainSize: Int, testSize: Int, seed: UInt64, purpose: String) throws
        -> (train: PointDataset, test: PointDataset)
    {
        guard trainSize >= 1, testSize >= 0 else {
            throw DataError.invalidSource("\(purpose) needs trainSize ≥ 1 and testSize ≥ 0, got \(trainSize) and \(testSize)")
        }
        var stream = RandomStream(seed: seed, purpose: purpose)
        let train = mixture.sample(count: trainSize, stream: &stream)
        let test = mixture.sample(count: testSize, stream: &stream)
        return (PointDataset(points: train.points, dimension: 2, labels: train.components, mixture: mixture),
                PointDataset(points: test.points, dimension: 2, labels: test.components, mixture: mixture))
    }
}
