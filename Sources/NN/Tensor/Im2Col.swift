// Dimensions: N batch, C channels, H, W image height and width, K kernel side, S stride,
// P zero padding, OH, OW output height and width (positions of the kernel), L = OH·OW.

/// The geometry of a 2-D convolution over NCHW images — C channels of H×W, a square K×K kernel
/// moved with stride S over the image zero-padded by P on every side — and the two layout changes
/// that turn it into one matrix product: `im2col` and its adjoint `col2im`.
///
/// The column matrix has one row per (c, kh, kw) and one column per (n, oh, ow):
/// `col[(c·K + kh)·K + kw, (n·OH + oh)·OW + ow] = x[n, c, oh·S − P + kh, ow·S − P + kw]` (0 in the
/// padding). With the batch in the columns, a layer's weight product is one `sgemm` over the whole
/// batch. `ConvTranspose2D` uses the same geometry with the roles of image and columns exchanged.
public struct ConvolutionGeometry: Sendable, Equatable {
    public let channels: Int, height: Int, width: Int
    public let kernel: Int, stride: Int, padding: Int
    /// ⌊(H + 2P − K)/S⌋ + 1 and ⌊(W + 2P − K)/S⌋ + 1.
    public let outputHeight: Int, outputWidth: Int

    public init(channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int) {
        precondition(channels > 0 && height > 0 && width > 0, "convolution input must have positive channels and sides, got [\(channels), \(height), \(width)]")
        precondition(kernel > 0 && stride > 0 && padding >= 0, "convolution needs kernel ≥ 1, stride ≥ 1 and padding ≥ 0 (got K \(kernel), S \(stride), P \(padding))")
        precondition(height + 2 * padding >= kernel && width + 2 * padding >= kernel,
                     "convolution kernel \(kernel) does not fit the \(height)×\(width) input padded by \(padding)")
        self.channels = channels; self.height = height; self.width = width
        self.kernel = kernel; self.stride = stride; self.padding = padding
        outputHeight = (height + 2 * padding - kernel) / stride + 1
        outputWidth = (width + 2 * padding - kernel) / stride + 1
    }

    /// Rows of the column matrix: C·K·K.
    public var columnRows: Int { channels * kernel * kernel }
    /// Kernel positions per example: OH·OW.
    public var positions: Int { outputHeight * outputWidth }
    /// Elements of one image: C·H·W.
    public var imageSize: Int { channels * height * width }

    /// The output positions `o` along one axis at which kernel offset `k` reads inside the image
    /// (0 ≤ o·S − P + k < side): a half-open range, possibly empty.
    @inline(__always)
    private func validRange(offset k: Int, side: Int, outputs: Int) -> Range<Int> {
        // o·S ≥ P − k  and  o·S ≤ side − 1 + P − k
        let lowNumerator = padding - k
        let low = lowNumerator <= 0 ? 0 : min(outputs, (lowNumerator + stride - 1) / stride)
        let highNumerator = side - 1 + padding - k
        let high = highNumerator < 0 ? 0 : min(outputs, highNumerator / stride + 1)
        return low < high ? low..<high : low..<low
    }

    /// Unfolds `batch` images x (N, C, H, W) into col (C·K·K, N·OH·OW).
    public func im2col(_ x: UnsafePointer<Float>, batch: Int, col: UnsafeMutablePointer<Float>) {
        let oh = outputHeight, ow = outputWidth, h = height, w = width, s = stride, p = padding
        let columns = batch * positions
        for c in 0..<channels {
            for kh in 0..<kernel {
                let rows = validRange(offset: kh, side: h, outputs: oh)
                for kw in 0..<kernel {
                    let cols = validRange(offset: kw, side: w, outputs: ow)
                    let dst = col + ((c * kernel + kh) * kernel + kw) * columns   // (N, OH, OW) row of col
                    for n in 0..<batch {
                        let image = x + (n * channels + c) * h * w                   // (H, W)
                        let block = dst + n * positions                              // (OH, OW)
                        for i in 0..<oh {
                            let line = block + i * ow
                            guard rows.contains(i) else { line.update(repeating: 0, count: ow); continue }
                            let source = image + (i * s - p + kh) * w + (kw - p)     // x[…, i·S − P + kh, (j·S) − P + kw]
                            for j in 0..<cols.lowerBound { line[j] = 0 }
                            if s == 1 {
                                for j in cols { line[j] = source[j] }
                            } else {
                                for j in cols { line[j] = source[j * s] }
                            }
                            for j in cols.upperBound..<ow { line[j] = 0 }
                        }
                    }
                }
            }
        }
    }

    /// Folds col (C·K·K, N·OH·OW) back into images x (N, C, H, W), summing overlapping
    /// contributions: the adjoint of `im2col`. Overwrites x.
    public func col2im(_ col: UnsafePointer<Float>, batch: Int, image x: UnsafeMutablePointer<Float>) {
        let oh = outputHeight, ow = outputWidth, h = height, w = width, s = stride, p = padding
        let columns = batch * positions
        x.update(repeating: 0, count: batch * imageSize)
        for c in 0..<channels {
            for kh in 0..<kernel {
                let rows = validRange(offset: kh, side: h, outputs: oh)
                for kw in 0..<kernel {
                    let cols = validRange(offset: kw, side: w, outputs: ow)
                    let src = col + ((c * kernel + kh) * kernel + kw) * columns      // (N, OH, OW) row of col
                    for n in 0..<batch {
                        let image = x + (n * channels + c) * h * w                   // (H, W)
                        let block = src + n * positions                              // (OH, OW)
                        for i in rows {
                            let line = block + i * ow
                            let target = image + (i * s - p + kh) * w + (kw - p)
                            if s == 1 {
                                for j in cols { target[j] += line[j] }
                            } else {
                                for j in cols { target[j * s] += line[j] }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// y (B, A, L) ← x (A, B, L): exchanges the two leading axes of a three-axis tensor (NCHW images to
/// channel-major (C, N, H·W) and back), so a whole batch goes through one `sgemm`.
@inline(__always)
func swapLeadingAxes(_ x: UnsafePointer<Float>, _ a: Int, _ b: Int, inner: Int, into y: UnsafeMutablePointer<Float>) {
    for i in 0..<a {
        for j in 0..<b {
            (y + (j * a + i) * inner).update(from: x + (i * b + j) * inner, count: inner)
        }
    }
}

/// Σ x[i] over `count` elements with eight interleaved partial sums (a bias gradient over N·L
/// positions: one serial accumulator would be bound by the add latency, about 4× slower).
@inline(__always)
func channelSum(_ x: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD8<Float>()
    var i = 0
    while i + 8 <= count {
        lanes += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        i += 8
    }
    var s = lanes.sum()
    while i < count { s += x[i]; i += 1 }
    return s
}
