// Dimensions: N batch, C channels, H, W sides, F filters, K kernel, L = OH·OW kernel positions,
// R = C·K·K column rows, B examples per im2col chunk, U units, P pieces.
import NN

/// One NN layer to build, with its shapes and sizes worked out from the spec alone: what
/// `NetworkBuilder` checks before anything is allocated, what it then builds (`make`), and what
/// the built layer will hold (`parameters`, `state`, `bufferFloats`), for the memory estimate.
public struct LayerPlan: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case dense(outputs: Int, activation: ActivationFunction, initializer: WeightInitializer)
        case batchNorm(momentum: Float, epsilon: Float)
        case activation(ActivationFunction)
        case reshape
        case conv(filters: Int, kernel: Int, stride: Int, padding: Int, activation: ActivationFunction,
                  initializer: WeightInitializer)
        case deconv(filters: Int, kernel: Int, stride: Int, padding: Int, activation: ActivationFunction,
                    initializer: WeightInitializer)
        case maxout(units: Int, pieces: Int, initializer: WeightInitializer)
        case dropout(rate: Float)
        /// A projection discriminator's output (`ProjectionHead`): w·h + b + ⟨E[y], h⟩.
        case projection(classes: Int, initializer: WeightInitializer)
    }

    public var kind: Kind
    /// One example in and out.
    public var inputShape: [Int]
    public var outputShape: [Int]
    /// A dense, conv or deconv layer's weight is spectrally normalised (`NN.SpectralNorm`).
    public var spectralNorm = false

    public init(kind: Kind, inputShape: [Int], outputShape: [Int], spectralNorm: Bool = false) {
        self.kind = kind
        self.inputShape = inputShape
        self.outputShape = outputShape
        self.spectralNorm = spectralNorm
    }

    public var inputSize: Int { Saturating.product(inputShape) }
    public var outputSize: Int { Saturating.product(outputShape) }

    /// The NN layer, as `NetworkBuilder` has always built it.
    public func make() -> Layer {
        switch kind {
        case let .dense(outputs, activation, initializer):
            return Dense(inputs: inputSize, outputs: outputs, activation: activation, initializer: initializer,
                         spectralNorm: spectralNorm)
        case let .batchNorm(momentum, epsilon):
            return BatchNorm(shape: inputShape, momentum: momentum, epsilon: epsilon)
        case .activation(let function):
            return ActivationLayer(function, shape: inputShape)
        case .reshape:
            return Reshape(from: inputShape, to: outputShape)
        case let .conv(filters, kernel, stride, padding, activation, initializer):
            return Conv2D(inputShape: inputShape, filters: filters, kernel: kernel, stride: stride, padding: padding,
                          activation: activation, initializer: initializer, spectralNorm: spectralNorm)
        case let .deconv(filters, kernel, stride, padding, activation, initializer):
            return ConvTranspose2D(inputShape: inputShape, filters: filters, kernel: kernel, stride: stride,
                                   padding: padding, activation: activation, initializer: initializer, spectralNorm: spectralNorm)
        case let .maxout(units, pieces, initializer):
            return Maxout(inputs: inputSize, units: units, pieces: pieces, initializer: initializer)
        case .dropout(let rate):
            return Dropout(shape: inputShape, rate: rate)
        case let .projection(classes, initializer):
            return ProjectionHead(features: inputSize, classes: classes, initializer: initializer)
        }
    }

    /// Trainable parameters (the layer's view into the network's flat buffer).
    public var parameters: Int {
        switch kind {
        case let .dense(outputs, _, _):
            return Saturating.sum([Saturating.product([inputSize, outputs]), outputs])
        case .batchNorm:
            return Saturating.product([2, inputShape[0]])
        case let .conv(filters, kernel, _, _, _, _):
            return Saturating.sum([Saturating.product([filters, inputShape[0], kernel, kernel]), filters])
        case let .deconv(filters, kernel, _, _, _, _):
            return Saturating.sum([Saturating.product([inputShape[0], filters, kernel, kernel]), filters])
        case let .maxout(units, pieces, _):
            let outputs = Saturating.product([units, pieces])
            return Saturating.sum([Saturating.product([inputSize, outputs]), outputs])
        case .activation, .reshape, .dropout:
            return 0
        case .projection(let classes, _):
            return Saturating.sum([Saturating.product([Saturating.sum([classes, 1]), inputSize]), 1])   // w, b, E
        }
    }

    /// Non-trainable state (batch-norm running mean and variance; spectral normalisation's u and v).
    public var state: Int {
        if case .batchNorm = kind { return Saturating.product([2, inputShape[0]]) }
        guard let (rows, columns) = spectralMatrix else { return 0 }
        return Saturating.sum([rows, columns])
    }

    /// The rows and columns of the matrix spectral normalisation normalises (nil without it).
    var spectralMatrix: (rows: Int, columns: Int)? {
        guard spectralNorm else { return nil }
        switch kind {
        case let .dense(outputs, _, _): return (outputs, inputSize)
        case let .conv(filters, kernel, _, _, _, _): return (filters, Saturating.product([inputShape[0], kernel, kernel]))
        case let .deconv(filters, kernel, _, _, _, _): return (filters, Saturating.product([inputShape[0], kernel, kernel]))
        default: return nil
        }
    }

    /// Floats of the buffers the layer allocates in `prepare(maxBatch:)` for `maxBatch` examples
    /// (outputs, input gradients, im2col column buffers (R, B·L), masks; Int32 index tables count
    /// as Floats).
    public func bufferFloats(maxBatch n: Int, threads: Int = 1) -> Int {
        guard let (rows, columns) = spectralMatrix else { return activationFloats(maxBatch: n, threads: threads) }
        // Ŵ and G (weight-sized) and one vector.
        return Saturating.sum([activationFloats(maxBatch: n, threads: threads), Saturating.product([2, rows, columns]), max(rows, columns)])
    }

    /// `bufferFloats` without spectral normalisation's; a convolution keeps a padded image plane
    /// per thread for im2col and col2im.
    private func activationFloats(maxBatch n: Int, threads: Int) -> Int {
        let input = Saturating.product([n, inputSize]), output = Saturating.product([n, outputSize])
        switch kind {
        case .dense:
            return Saturating.sum([output, input])                                    // y, dx
        case .batchNorm:
            return Saturating.sum([output, output, Saturating.product([6, inputShape[0]])])  // x̂, y, 1/σ, μ, sums
        case .activation:
            return output
        case .reshape:
            return 0
        case let .conv(filters, kernel, _, padding, _, _):
            let rows = Saturating.product([inputShape[0], kernel, kernel])
            let positions = Saturating.product(Array(outputShape.dropFirst()))
            let chunk = Self.chunk(maxBatch: n, rows: rows, positions: positions)
            let columns = Saturating.product([rows, chunk, positions])
            return Saturating.sum([columns, columns, Saturating.product([filters, chunk, positions]),  // col, dcol, z
                                   output, input,                                                  // y, dx
                                   Saturating.product([kernel, kernel, positions]),                // gather table (Int32)
                                   Saturating.product([threads, Self.paddedPlane(inputShape, padding)])])
        case let .deconv(filters, kernel, _, padding, _, _):
            let rows = Saturating.product([filters, kernel, kernel])
            let positions = Saturating.product(Array(inputShape.dropFirst()))
            let chunk = Self.chunk(maxBatch: n, rows: rows, positions: positions)
            let channelMajor = Saturating.product([inputShape[0], chunk, positions])
            return Saturating.sum([channelMajor, Saturating.product([rows, chunk, positions]), channelMajor,
                                   output, input, Saturating.product([kernel, kernel, positions]),
                                   Saturating.product([threads, Self.paddedPlane(outputShape, padding)])])
        case let .maxout(units, pieces, _):
            let affine = Saturating.product([n, units, pieces])
            let unitsOut = Saturating.product([n, units])
            // The affine layer's z and dx, dz, y and the winning pieces (Int32).
            return Saturating.sum([affine, input, affine, unitsOut, unitsOut])
        case .dropout:
            return Saturating.sum([output, output])                                   // mask, y
        case .projection:
            return Saturating.sum([output, input])                                    // d, dh
        }
    }

    /// (H + 2P)·(W + 2P) of an image shape [C, H, W]: `ConvolutionGeometry.scratchFloats`.
    static func paddedPlane(_ shape: [Int], _ padding: Int) -> Int {
        Saturating.product([Saturating.sum([shape[1], 2 * padding]), Saturating.sum([shape[2], 2 * padding])])
    }

    /// Examples per im2col chunk, as `ConvolutionGeometry.chunkExamples`.
    static func chunk(maxBatch: Int, rows: Int, positions: Int) -> Int {
        max(1, min(maxBatch, ConvolutionGeometry.chunkFloats / max(1, Saturating.product([rows, positions]))))
    }
}

/// Integer arithmetic that stops at `Int.max` instead of trapping, for sizes computed from
/// untrusted files: a saturated size is simply too large, and is reported as such.
public enum Saturating {
    public static func product(_ factors: [Int]) -> Int {
        var result = 1
        for factor in factors {
            let (next, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return Int.max }
            result = next
        }
        return result
    }

    public static func sum(_ terms: [Int]) -> Int {
        var result = 0
        for term in terms {
            let (next, overflow) = result.addingReportingOverflow(term)
            if overflow { return Int.max }
            result = next
        }
        return result
    }
}
