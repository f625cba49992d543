// Dimensions: N batch, C channels (features), S spatial positions per channel (1 for vectors).

/// Batch normalisation (Ioffe & Szegedy 2015) over features of vectors `[C]` or channels of images
/// `[C, H, W]`: `y = γ · (x − μ_B) / √(σ²_B + ε) + β`.
///
/// Training uses batch statistics and updates running statistics with `momentum`
/// (`r ← (1 − m)·r + m·stat`, unbiased variance, as PyTorch); evaluation uses the running ones and
/// changes nothing; `trainingFrozen` uses batch statistics without touching the running ones.
/// Between `beginAveragingStatistics()` and `endAveragingStatistics()`, training passes average
/// their batch statistics into the running ones with equal weights instead (PyTorch's
/// `momentum=None`): K passes leave the mean over the K batches, the "standing statistics" that
/// sampling with averaged weights needs.
public final class BatchNorm: TeamLayer {
    public let inputShape: [Int]
    public var outputShape: [Int] { inputShape }
    public let momentum: Float
    public let epsilon: Float
    public var parameterCount: Int { 2 * channels }
    public var stateCount: Int { 2 * channels }
    public var parameterSlots: [TensorSlot] {
        [TensorSlot(name: "weight", shape: [channels], offset: 0), TensorSlot(name: "bias", shape: [channels], offset: channels)]
    }
    public var stateSlots: [TensorSlot] {
        [TensorSlot(name: "running_mean", shape: [channels], offset: 0), TensorSlot(name: "running_var", shape: [channels], offset: channels)]
    }

    private let channels: Int
    private let spatial: Int
    private var gamma: UnsafeMutablePointer<Float>!, beta: UnsafeMutablePointer<Float>!     // (C)
    private var dGamma: UnsafeMutablePointer<Float>!, dBeta: UnsafeMutablePointer<Float>!   // (C)
    private var runningMean: UnsafeMutablePointer<Float>!, runningVar: UnsafeMutablePointer<Float>!  // (C)
    private var normalized: Tensor!     // (N, C, S)  x̂
    private var output: Tensor!         // (N, C, S)  y
    private var inverseStd: Tensor!     // (C)        1/√(σ² + ε) used in the last forward
    private var channelMean: Tensor!    // (C)        μ used in the last forward
    private var sums: UnsafeMutablePointer<Double>?   // (2, C)  per-channel sums when S = 1
    private var lastMode: PassMode = .training
    private var averagedBatches: Int?   // batches averaged so far, while averaging statistics
    /// Members split the channels: each computes its channels' statistics over the whole batch and
    /// normalises them, so the bytes do not depend on the team's size.
    public var team = ThreadTeam.serial

    public init(shape: [Int], momentum: Float = 0.1, epsilon: Float = 1e-5) {
        precondition(!shape.isEmpty && shape.allSatisfy { $0 > 0 }, "batch norm needs a positive shape, got \(shape)")
        precondition(momentum > 0 && momentum < 1 && epsilon > 0, "batch norm needs 0 < momentum < 1 and epsilon > 0")
        inputShape = shape
        channels = shape[0]
        spatial = shape.dropFirst().reduce(1, *)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public func bind(parameters: UnsafeMutablePointer<Float>, gradients: UnsafeMutablePointer<Float>, state: UnsafeMutablePointer<Float>) {
        gamma = parameters; beta = parameters + channels
        dGamma = gradients; dBeta = gradients + channels
        runningMean = state; runningVar = state + channels
    }

    public func initialize(rng: inout RandomStream) {
        gamma.update(repeating: 1, count: channels)
        beta.update(repeating: 0, count: channels)
        runningMean.update(repeating: 0, count: channels)
        runningVar.update(repeating: 1, count: channels)
    }

    /// The tensors, and the (2, C) Double sums as 4·C floats.
    public var bufferFloats: Int {
        [normalized, output, inverseStd, channelMean].reduce(0) { $0 + ($1?.capacity ?? 0) } + (sums == nil ? 0 : 4 * channels)
    }

    public func prepare(maxBatch: Int) {
        normalized = Tensor(shape: [maxBatch, channels, spatial])
        output = Tensor(shape: [maxBatch, channels, spatial])
        inverseStd = Tensor(shape: [channels])
        channelMean = Tensor(shape: [channels])
        sums?.deallocate()
        sums = .allocate(capacity: 2 * channels)
    }

    deinit { sums?.deallocate() }

    /// Starts averaging: the next training pass replaces the running statistics with its batch's,
    /// and the k-th after it moves them 1/k of the way to its own.
    public func beginAveragingStatistics() { averagedBatches = 0 }

    /// Returns training passes to the momentum update.
    public func endAveragingStatistics() { averagedBatches = nil }

    public func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode) -> UnsafeMutablePointer<Float> {
        lastMode = mode
        team.run(forwardJob, (x, batch, mode))
        if mode == .training, let k = averagedBatches { averagedBatches = k + 1 }
        return output.pointer
    }

    private lazy var forwardJob = TeamJob<(UnsafePointer<Float>, Int, PassMode)> { [unowned(unsafe) self] a, member in
        let range = team.part(member, of: channels)
        if !range.isEmpty { forward(a.0, batch: a.1, mode: a.2, channels: range) }
    }

    /// The forward pass of the channels in `range`: their statistics over the whole batch (and
    /// running statistics), then their normalised outputs.
    private func forward(_ x: UnsafePointer<Float>, batch: Int, mode: PassMode, channels range: Range<Int>) {
        let xh = normalized.pointer, y = output.pointer, inv = inverseStd.pointer, mu = channelMean.pointer
        let m = batch * spatial
        // Statistics, two passes (mean, then centred squares): no cancellation in E[x²] − μ².
        if mode == .evaluation {
            for c in range {
                mu[c] = runningMean[c]
                inv[c] = 1 / (runningVar[c] + epsilon).squareRoot()
            }
        } else {
            let sum = sums!, squares = sums! + channels
            (sum + range.lowerBound).update(repeating: 0, count: range.count)
            (squares + range.lowerBound).update(repeating: 0, count: range.count)
            if spatial == 1 {
                // Vectors: the batch runs down the rows of (N, C); accumulate across channels.
                for n in 0..<batch {
                    let row = x + n * channels
                    for c in range { sum[c] += Double(row[c]) }
                }
                for c in range { mu[c] = Float(sum[c] / Double(m)) }
                for n in 0..<batch {
                    let row = x + n * channels
                    for c in range { let d = row[c] - mu[c]; squares[c] += Double(d * d) }
                }
            } else {
                // Images: each (n, c) plane of S floats is summed in Float lanes, planes in Double.
                for c in range {
                    var total = 0.0
                    for n in 0..<batch { total += Double(channelSum(x + (n * channels + c) * spatial, count: spatial)) }
                    mu[c] = Float(total / Double(m))
                    var sq = 0.0
                    for n in 0..<batch { sq += Double(centredSquares(x + (n * channels + c) * spatial, mean: mu[c], count: spatial)) }
                    squares[c] = sq
                }
            }
            let rate = averagedBatches.map { 1 / Float($0 + 1) } ?? momentum
            for c in range {
                let variance = Float(squares[c] / Double(m))
                if mode == .training {
                    let unbiased = m > 1 ? Float(squares[c] / Double(m - 1)) : variance
                    runningMean[c] = (1 - rate) * runningMean[c] + rate * mu[c]
                    runningVar[c] = (1 - rate) * runningVar[c] + rate * unbiased
                }
                inv[c] = 1 / (variance + epsilon).squareRoot()
            }
        }
        // x̂ = (x − μ)·s, y = γ·x̂ + β
        if spatial == 1 {
            for n in 0..<batch {
                let o = n * channels
                for c in range {
                    let h = (x[o + c] - mu[c]) * inv[c]
                    xh[o + c] = h
                    y[o + c] = gamma[c] * h + beta[c]
                }
            }
        } else {
            for n in 0..<batch {
                for c in range {
                    let o = (n * channels + c) * spatial, mean = mu[c], s = inv[c], g = gamma[c], b = beta[c]
                    for i in 0..<spatial {
                        let h = (x[o + i] - mean) * s
                        xh[o + i] = h
                        y[o + i] = g * h + b
                    }
                }
            }
        }
    }

    public func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient: Bool) -> UnsafeMutablePointer<Float>? {
        team.run(backwardJob, (dy, batch, parameterGradients, inputGradient))
        return inputGradient ? dy : nil
    }

    private lazy var backwardJob = TeamJob<(UnsafeMutablePointer<Float>, Int, Bool, Bool)> { [unowned(unsafe) self] a, member in
        let range = team.part(member, of: channels)
        if !range.isEmpty { backward(a.0, batch: a.1, parameterGradients: a.2, inputGradient: a.3, channels: range) }
    }

    /// The backward pass of the channels in `range` (their sums over the whole batch).
    private func backward(_ dy: UnsafeMutablePointer<Float>, batch: Int, parameterGradients: Bool, inputGradient: Bool,
                          channels range: Range<Int>) {
        let xh = normalized.pointer, inv = inverseStd.pointer
        let m = batch * spatial
        // Σdy and Σ(dy·x̂) per channel, into sums (2, C).
        let sumDy = sums!, sumDyXh = sums! + channels
        if spatial == 1 {
            (sumDy + range.lowerBound).update(repeating: 0, count: range.count)
            (sumDyXh + range.lowerBound).update(repeating: 0, count: range.count)
            for n in 0..<batch {
                let o = n * channels
                for c in range { let g = dy[o + c]; sumDy[c] += Double(g); sumDyXh[c] += Double(g * xh[o + c]) }
            }
        } else {
            for c in range {
                var a = 0.0, b = 0.0
                for n in 0..<batch {
                    let o = (n * channels + c) * spatial
                    a += Double(channelSum(dy + o, count: spatial))
                    b += Double(dot(dy + o, xh + o, count: spatial))
                }
                sumDy[c] = a; sumDyXh[c] = b
            }
        }
        if parameterGradients {
            for c in range {
                dGamma[c] += Float(sumDyXh[c])
                dBeta[c] += Float(sumDy[c])
            }
        }
        guard inputGradient else { return }
        if lastMode == .evaluation {
            // Running statistics are constants: dx = γ/√(σ²+ε) · dy.
            for n in 0..<batch {
                for c in range {
                    let o = (n * channels + c) * spatial, scale = gamma[c] * inv[c]
                    for i in 0..<spatial { dy[o + i] *= scale }
                }
            }
        } else {
            // dx = γ/(M√(σ²+ε)) · (M·dy − Σdy − x̂·Σ(dy·x̂)); written over dy.
            for n in 0..<batch {
                for c in range {
                    let o = (n * channels + c) * spatial, scale = gamma[c] * inv[c]
                    let meanDy = Float(sumDy[c] / Double(m)), meanDyXh = Float(sumDyXh[c] / Double(m))
                    for i in 0..<spatial { dy[o + i] = scale * (dy[o + i] - meanDy - xh[o + i] * meanDyXh) }
                }
            }
        }
    }
}

/// Σ (x[i] − mean)² over `count` elements in eight Float lanes.
@inline(__always)
private func centredSquares(_ x: UnsafePointer<Float>, mean: Float, count: Int) -> Float {
    var lanes = SIMD8<Float>()
    let m = SIMD8<Float>(repeating: mean)
    var i = 0
    while i + 8 <= count {
        let d = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self) - m
        lanes += d * d
        i += 8
    }
    var s = lanes.sum()
    while i < count { let d = x[i] - mean; s += d * d; i += 1 }
    return s
}

/// Σ a[i]·b[i] over `count` elements in eight Float lanes.
@inline(__always)
private func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD8<Float>()
    var i = 0
    while i + 8 <= count {
        lanes += UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
        i += 8
    }
    var s = lanes.sum()
    while i < count { s += a[i] * b[i]; i += 1 }
    return s
}
