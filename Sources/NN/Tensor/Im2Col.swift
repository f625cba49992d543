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
    /// (K·K, OH·OW): for kernel offset (kh, kw) and output position (oh, ow), the index of the
    /// pixel it reads in the image zero-padded by P on every side, (oh·S + kh)·(W + 2P) + ow·S + kw.
    private let gather: [Int32]

    public init(channels: Int, height: Int, width: Int, kernel: Int, stride: Int, padding: Int) {
        precondition(channels > 0 && height > 0 && width > 0, "convolution input must have positive channels and sides, got [\(channels), \(height), \(width)]")
        precondition(kernel > 0 && stride > 0 && padding >= 0, "convolution needs kernel ≥ 1, stride ≥ 1 and padding ≥ 0 (got K \(kernel), S \(stride), P \(padding))")
        precondition(height + 2 * padding >= kernel && width + 2 * padding >= kernel,
                     "convolution kernel \(kernel) does not fit the \(height)×\(width) input padded by \(padding)")
        self.channels = channels; self.height = height; self.width = width
        self.kernel = kernel; self.stride = stride; self.padding = padding
        outputHeight = (height + 2 * padding - kernel) / stride + 1
        outputWidth = (width + 2 * padding - kernel) / stride + 1
        let oh = outputHeight, ow = outputWidth, paddedWidth = width + 2 * padding
        var table = [Int32](repeating: 0, count: kernel * kernel * oh * ow)
        for kh in 0..<kernel { for kw in 0..<kernel { for i in 0..<oh { for j in 0..<ow {
            table[((kh * kernel + kw) * oh + i) * ow + j] = Int32((i * stride + kh) * paddedWidth + j * stride + kw)
        } } } }
        gather = table
    }

    /// Elements of one zero-padded image plane: (H + 2P)·(W + 2P).
    private var paddedPlane: Int { (height + 2 * padding) * (width + 2 * padding) }

    /// Floats of the scratch plane `im2col` and `col2im` work in.
    public var scratchFloats: Int { paddedPlane }

    /// Copies the H×W plane `image` into the interior of the zero-bordered `padded` plane.
    @inline(__always)
    private func fillInterior(_ padded: UnsafeMutablePointer<Float>, from image: UnsafePointer<Float>) {
        let pw = width + 2 * padding
        for r in 0..<height { (padded + (r + padding) * pw + padding).update(from: image + r * width, count: width) }
    }

    /// Rows of the column matrix: C·K·K.
    public var columnRows: Int { channels * kernel * kernel }
    /// Entries of the Int32 gather table (K·K, OH·OW).
    public var gatherCount: Int { gather.count }
    /// Kernel positions per example: OH·OW.
    public var positions: Int { outputHeight * outputWidth }
    /// Elements of one image: C·H·W.
    public var imageSize: Int { channels * height * width }

    /// Column-matrix floats per chunk that `Conv2D` and `ConvTranspose2D` allow: 16 Mi floats
    /// (64 MiB). Measured on the DCGAN (batch 128): 1 MiB chunks (L2-sized) were no faster — the
    /// products are compute-bound and a chunked backward recomputes im2col — so the chunk is the
    /// whole batch unless the column matrix would be very large.
    public static let chunkFloats = 1 << 24

    /// Examples per chunk B for batches of up to `maxBatch`: as many as keep the chunk's columns
    /// (R, B·L) within `chunkFloats`, at least 1.
    public func chunkExamples(maxBatch: Int) -> Int {
        max(1, min(maxBatch, Self.chunkFloats / (columnRows * positions)))
    }

    /// Unfolds `batch` images x (N, C, H, W) into col (C·K·K, N·OH·OW).
    ///
    /// Each image plane is copied once into a zero-bordered (H + 2P, W + 2P) plane, `scratch`
    /// (`scratchFloats` long; a layer keeps one per team member, so a pass allocates nothing); every
    /// row of col is then a branch-free gather from it through the precomputed `gather` table.
    public func im2col(_ x: UnsafePointer<Float>, batch: Int, col: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>? = nil) {
        guard let padded = scratch else {
            withUnsafeTemporaryAllocation(of: Float.self, capacity: paddedPlane) { im2col(x, batch: batch, col: col, scratch: $0.baseAddress!) }
            return
        }
        let l = positions, k2 = kernel * kernel, columns = batch * l, plane = height * width
        do {
            padded.initialize(repeating: 0, count: paddedPlane)
            gather.withUnsafeBufferPointer { table in
                let t = table.baseAddress!
                for c in 0..<channels {
                    for n in 0..<batch {
                        fillInterior(padded, from: x + (n * channels + c) * plane)
                        let block = col + c * k2 * columns + n * l                       // row (c, 0, 0), columns of n
                        for kk in 0..<k2 {
                            let line = block + kk * columns, index = t + kk * l           // (OH·OW)
                            for q in 0..<l { line[q] = padded[Int(index[q])] }
                        }
                    }
                }
            }
        }
    }

    /// Folds col (C·K·K, N·OH·OW) back into images x (N, C, H, W), summing overlapping
    /// contributions: the adjoint of `im2col`. Overwrites x.
    ///
    /// Each image plane is accumulated in a zero-bordered plane, `scratch` as in `im2col`
    /// (scatter-adds through the `gather` table; within one kernel offset no two positions share a
    /// pixel), then its interior is copied out.
    public func col2im(_ col: UnsafePointer<Float>, batch: Int, image x: UnsafeMutablePointer<Float>,
                       scratch: UnsafeMutablePointer<Float>? = nil) {
        guard let padded = scratch else {
            withUnsafeTemporaryAllocation(of: Float.self, capacity: paddedPlane) { col2im(col, batch: batch, image: x, scratch: $0.baseAddress!) }
            return
        }
        let l = positions, k2 = kernel * kernel, columns = batch * l, plane = height * width
        let pw = width + 2 * padding
        do {
            gather.withUnsafeBufferPointer { table in
                let t = table.baseAddress!
                for c in 0..<channels {
                    for n in 0..<batch {
                        padded.initialize(repeating: 0, count: paddedPlane)
                        let block = col + c * k2 * columns + n * l
                        for kk in 0..<k2 {
                            let line = block + kk * columns, index = t + kk * l
                            for q in 0..<l { padded[Int(index[q])] += line[q] }
                        }
                        let image = x + (n * channels + c) * plane
                        for r in 0..<height { (image + r * width).update(from: padded + (r + padding) * pw + padding, count: width) }
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
