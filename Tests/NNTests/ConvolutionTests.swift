import Testing
@testable import NN

// Dimensions: N batch, C input channels, H, W input sides, F filters, K kernel side, S stride,
// P padding, OH, OW output sides.

/// A convolution configuration for parameterised tests.
struct ConvCase: CustomTestStringConvertible, Sendable {
    var channels: Int, side: Int, filters: Int, kernel: Int, stride: Int, padding: Int
    var testDescription: String { "C\(channels) \(side)×\(side) → F\(filters), K\(kernel) S\(stride) P\(padding)" }
}

let convCases: [ConvCase] = [
    ConvCase(channels: 2, side: 6, filters: 3, kernel: 3, stride: 1, padding: 1),
    ConvCase(channels: 2, side: 7, filters: 3, kernel: 3, stride: 2, padding: 0),
    ConvCase(channels: 2, side: 8, filters: 3, kernel: 4, stride: 2, padding: 1),   // DCGAN
    ConvCase(channels: 3, side: 5, filters: 2, kernel: 1, stride: 1, padding: 0),
    ConvCase(channels: 1, side: 7, filters: 2, kernel: 5, stride: 3, padding: 2),
    ConvCase(channels: 2, side: 3, filters: 2, kernel: 4, stride: 1, padding: 2),   // kernel larger than the image
]

// MARK: - Naive twins

/// The naive twin of `ConvolutionGeometry.im2col`, straight from its definition.
func naiveIm2col(_ x: [Float], batch: Int, _ g: ConvolutionGeometry) -> [Float] {
    let columns = batch * g.positions
    var col = [Float](repeating: .nan, count: g.columnRows * columns)
    for c in 0..<g.channels { for kh in 0..<g.kernel { for kw in 0..<g.kernel {
        for n in 0..<batch { for i in 0..<g.outputHeight { for j in 0..<g.outputWidth {
            let ih = i * g.stride - g.padding + kh, iw = j * g.stride - g.padding + kw
            let inside = ih >= 0 && ih < g.height && iw >= 0 && iw < g.width
            col[((c * g.kernel + kh) * g.kernel + kw) * columns + (n * g.outputHeight + i) * g.outputWidth + j] =
                inside ? x[((n * g.channels + c) * g.height + ih) * g.width + iw] : 0
        } } }
    } } }
    return col
}

/// The naive twin of `ConvolutionGeometry.col2im`: scatters every column entry back to its pixel.
func naiveCol2im(_ col: [Float], batch: Int, _ g: ConvolutionGeometry) -> [Float] {
    let columns = batch * g.positions
    var x = [Float](repeating: 0, count: batch * g.imageSize)
    for c in 0..<g.channels { for kh in 0..<g.kernel { for kw in 0..<g.kernel {
        for n in 0..<batch { for i in 0..<g.outputHeight { for j in 0..<g.outputWidth {
            let ih = i * g.stride - g.padding + kh, iw = j * g.stride - g.padding + kw
            guard ih >= 0 && ih < g.height && iw >= 0 && iw < g.width else { continue }
            x[((n * g.channels + c) * g.height + ih) * g.width + iw] +=
                col[((c * g.kernel + kh) * g.kernel + kw) * columns + (n * g.outputHeight + i) * g.outputWidth + j]
        } } }
    } } }
    return x
}

/// Direct convolution, PyTorch's `conv2d`: x (N, C, H, W), weight (F, C, K, K), bias (F) → (N, F, OH, OW).
func naiveConv2D(_ x: [Float], batch: Int, channels: Int, height: Int, width: Int, weight: [Float], bias: [Float],
                 filters: Int, kernel k: Int, stride s: Int, padding p: Int) -> [Float] {
    let oh = (height + 2 * p - k) / s + 1, ow = (width + 2 * p - k) / s + 1
    var y = [Float](repeating: 0, count: batch * filters * oh * ow)
    for n in 0..<batch { for f in 0..<filters { for i in 0..<oh { for j in 0..<ow {
        var sum = Double(bias[f])
        for c in 0..<channels { for kh in 0..<k { for kw in 0..<k {
            let ih = i * s - p + kh, iw = j * s - p + kw
            guard ih >= 0 && ih < height && iw >= 0 && iw < width else { continue }
            sum += Double(x[((n * channels + c) * height + ih) * width + iw]) * Double(weight[((f * channels + c) * k + kh) * k + kw])
        } } }
        y[((n * filters + f) * oh + i) * ow + j] = Float(sum)
    } } } }
    return y
}

/// Direct transposed convolution, PyTorch's `conv_transpose2d`: x (N, C, H, W), weight (C, F, K, K),
/// bias (F) → (N, F, (H − 1)S − 2P + K, (W − 1)S − 2P + K); every input pixel scatters a weighted kernel.
func naiveConvTranspose2D(_ x: [Float], batch: Int, channels: Int, height: Int, width: Int, weight: [Float], bias: [Float],
                          filters: Int, kernel k: Int, stride s: Int, padding p: Int) -> [Float] {
    let oh = (height - 1) * s - 2 * p + k, ow = (width - 1) * s - 2 * p + k
    var y = [Double](repeating: 0, count: batch * filters * oh * ow)
    for n in 0..<batch { for c in 0..<channels { for i in 0..<height { for j in 0..<width {
        let v = Double(x[((n * channels + c) * height + i) * width + j])
        for f in 0..<filters { for kh in 0..<k { for kw in 0..<k {
            let o = i * s - p + kh, q = j * s - p + kw
            guard o >= 0 && o < oh && q >= 0 && q < ow else { continue }
            y[((n * filters + f) * oh + o) * ow + q] += v * Double(weight[((c * filters + f) * k + kh) * k + kw])
        } } }
    } } } }
    for n in 0..<batch { for f in 0..<filters { for i in 0..<(oh * ow) { y[(n * filters + f) * oh * ow + i] += Double(bias[f]) } } }
    return y.map { Float($0) }
}

func randomArray(_ count: Int, seed: UInt64, purpose: String) -> [Float] {
    var rng = RandomStream(seed: seed, purpose: purpose)
    return (0..<count).map { _ in rng.nextNormal() }
}

/// Expects `got` and `expected` to agree elementwise within `tolerance`·max(1, |expected|).
func expectClose(_ got: [Float], _ expected: [Float], tolerance: Float = 1e-4, _ what: String) {
    #expect(got.count == expected.count, "\(what): \(got.count) values, expected \(expected.count)")
    var worst: (index: Int, error: Float) = (-1, 0)
    for i in 0..<min(got.count, expected.count) {
        let error = abs(got[i] - expected[i]) / max(1, abs(expected[i]))
        if !(error <= worst.error) || worst.index < 0 { worst = (i, error) }
    }
    if worst.index >= 0 {
        #expect(worst.error <= tolerance,
                "\(what): element \(worst.index) expected \(expected[worst.index]), got \(got[worst.index]), error \(worst.error), tolerance \(tolerance)")
    }
}

// MARK: - im2col / col2im

@Test(arguments: convCases)
func im2colAndCol2imMatchNaiveTwins(_ c: ConvCase) {
    let g = ConvolutionGeometry(channels: c.channels, height: c.side, width: c.side + 1, kernel: c.kernel, stride: c.stride, padding: c.padding)
    let batch = 3
    let x = randomArray(batch * g.imageSize, seed: 1, purpose: "image")
    var col = [Float](repeating: .nan, count: g.columnRows * batch * g.positions)
    col.withUnsafeMutableBufferPointer { g.im2col(x, batch: batch, col: $0.baseAddress!) }
    expectClose(col, naiveIm2col(x, batch: batch, g), tolerance: 0, "im2col")

    let dcol = randomArray(col.count, seed: 2, purpose: "columns")
    var image = [Float](repeating: .nan, count: x.count)
    image.withUnsafeMutableBufferPointer { g.col2im(dcol, batch: batch, image: $0.baseAddress!) }
    expectClose(image, naiveCol2im(dcol, batch: batch, g), tolerance: 1e-6, "col2im")
}

// MARK: - Forward against the direct loops

/// A one-layer network initialised from `seed`, with its biases moved away from zero.
func singleLayerNetwork(_ layer: Layer, batch: Int, seed: UInt64 = 3) -> Network {
    let net = Network(name: "one", layers: [layer], maxBatch: batch)
    net.initialize(rng: RandomStream(seed: seed, purpose: "init"))
    var rng = RandomStream(seed: seed, purpose: "bias")
    for slot in net.parameterSlots where slot.name.hasSuffix("bias") {
        for i in 0..<slot.count { net.parameters[slot.offset + i] = rng.nextNormal() }
    }
    return net
}

func slot(_ net: Network, _ name: String) -> [Float] {
    let s = net.parameterSlots.first { $0.name == name }!
    return Array(net.parameters[s.offset..<(s.offset + s.count)])
}

@Test(arguments: convCases, [ActivationFunction.linear, .relu])
func conv2DForwardMatchesDirectConvolution(_ c: ConvCase, activation: ActivationFunction) {
    let batch = 3
    let layer = Conv2D(inputShape: [c.channels, c.side, c.side], filters: c.filters, kernel: c.kernel, stride: c.stride,
                       padding: c.padding, activation: activation)
    let net = singleLayerNetwork(layer, batch: batch)
    let x = randomArray(batch * layer.inputSize, seed: 4, purpose: "x")
    let y = Array(UnsafeBufferPointer(start: net.forward(x, batch: batch, mode: .training), count: batch * layer.outputSize))
    var expected = naiveConv2D(x, batch: batch, channels: c.channels, height: c.side, width: c.side, weight: slot(net, "0.weight"),
                               bias: slot(net, "0.bias"), filters: c.filters, kernel: c.kernel, stride: c.stride, padding: c.padding)
    expected.withUnsafeMutableBufferPointer { activation.apply($0.baseAddress!, count: $0.count) }
    expectClose(y, expected, "Conv2D \(c.testDescription)")
}

@Test(arguments: convCases, [ActivationFunction.linear, .tanh])
func convTranspose2DForwardMatchesDirectTransposedConvolution(_ c: ConvCase, activation: ActivationFunction) {
    let batch = 2
    let layer = ConvTranspose2D(inputShape: [c.channels, c.side, c.side], filters: c.filters, kernel: c.kernel, stride: c.stride,
                                padding: c.padding, activation: activation)
    let net = singleLayerNetwork(layer, batch: batch)
    let x = randomArray(batch * layer.inputSize, seed: 5, purpose: "x")
    let y = Array(UnsafeBufferPointer(start: net.forward(x, batch: batch, mode: .training), count: batch * layer.outputSize))
    var expected = naiveConvTranspose2D(x, batch: batch, channels: c.channels, height: c.side, width: c.side, weight: slot(net, "0.weight"),
                                        bias: slot(net, "0.bias"), filters: c.filters, kernel: c.kernel, stride: c.stride, padding: c.padding)
    expected.withUnsafeMutableBufferPointer { activation.apply($0.baseAddress!, count: $0.count) }
    expectClose(y, expected, "ConvTranspose2D \(c.testDescription)")
}

// MARK: - Shapes and slots

@Test func dcganShapesHalveAndDouble() {
    let c1 = Conv2D(inputShape: [1, 28, 28], filters: 64, kernel: 4, stride: 2, padding: 1, activation: .leakyReLU(slope: 0.2))
    let c2 = Conv2D(inputShape: c1.outputShape, filters: 128, kernel: 4, stride: 2, padding: 1)
    #expect(c1.outputShape == [64, 14, 14])
    #expect(c2.outputShape == [128, 7, 7])
    let d1 = ConvTranspose2D(inputShape: [128, 7, 7], filters: 64, kernel: 4, stride: 2, padding: 1, activation: .relu)
    let d2 = ConvTranspose2D(inputShape: d1.outputShape, filters: 1, kernel: 4, stride: 2, padding: 1, activation: .sigmoid)
    #expect(d1.outputShape == [64, 14, 14])
    #expect(d2.outputShape == [1, 28, 28])
    // PyTorch layouts: Conv2d weight [out, in, K, K]; ConvTranspose2d weight [in, out, K, K].
    #expect(c2.parameterSlots == [TensorSlot(name: "weight", shape: [128, 64, 4, 4], offset: 0),
                                  TensorSlot(name: "bias", shape: [128], offset: 128 * 64 * 16)])
    #expect(d1.parameterSlots == [TensorSlot(name: "weight", shape: [128, 64, 4, 4], offset: 0),
                                  TensorSlot(name: "bias", shape: [64], offset: 128 * 64 * 16)])
    #expect(c2.parameterCount == 128 * 64 * 16 + 128 && d2.parameterCount == 64 * 16 + 1)
    // Odd sides: ⌊(7 + 2 − 3)/2⌋ + 1 = 4; (4 − 1)·3 − 0 + 2 = 11.
    #expect(Conv2D(inputShape: [1, 7, 7], filters: 1, kernel: 3, stride: 2, padding: 1).outputShape == [1, 4, 4])
    #expect(ConvTranspose2D(inputShape: [1, 4, 4], filters: 1, kernel: 2, stride: 3).outputShape == [1, 11, 11])
}

@Test func impossibleConvolutionShapesAreRejected() async {
    await #expect(processExitsWith: .failure) {
        _ = Conv2D(inputShape: [1, 3, 3], filters: 1, kernel: 5)
    }
    await #expect(processExitsWith: .failure) {
        _ = ConvTranspose2D(inputShape: [1, 1, 1], filters: 1, kernel: 2, stride: 1, padding: 1)
    }
}

// MARK: - Adjointness

/// ConvTranspose2D is the adjoint of Conv2D: with the same weights (the [F, C, K, K] tensor of a
/// C → F convolution is the [C_in = F, C, K, K] tensor of an F → C transposed one) and no bias,
/// ⟨conv(x), y⟩ = ⟨x, deconv(y)⟩ for every x and y.
@Test(arguments: [ConvCase(channels: 2, side: 28, filters: 3, kernel: 4, stride: 2, padding: 1),
                  ConvCase(channels: 3, side: 9, filters: 2, kernel: 3, stride: 2, padding: 1),
                  ConvCase(channels: 2, side: 6, filters: 4, kernel: 3, stride: 1, padding: 0)])
func convTranspose2DIsTheAdjointOfConv2D(_ c: ConvCase) {
    let batch = 2
    let conv = Conv2D(inputShape: [c.channels, c.side, c.side], filters: c.filters, kernel: c.kernel, stride: c.stride, padding: c.padding)
    let deconv = ConvTranspose2D(inputShape: conv.outputShape, filters: c.channels, kernel: c.kernel, stride: c.stride, padding: c.padding)
    #expect(deconv.outputShape == conv.inputShape, "choose sides with (H + 2P − K) divisible by S")
    let convNet = Network(name: "conv", layers: [conv], maxBatch: batch)
    let deconvNet = Network(name: "deconv", layers: [deconv], maxBatch: batch)
    convNet.initialize(rng: RandomStream(seed: 6, purpose: "init"))
    let weights = c.filters * c.channels * c.kernel * c.kernel   // both start with the weight; biases stay 0
    for i in 0..<weights { deconvNet.parameters[i] = convNet.parameters[i] }
    #expect(convNet.parameters[weights...].allSatisfy { $0 == 0 } && deconvNet.parameters[weights...].allSatisfy { $0 == 0 })
    let x = randomArray(batch * conv.inputSize, seed: 7, purpose: "x")
    let y = randomArray(batch * conv.outputSize, seed: 8, purpose: "y")
    let cx = convNet.forward(x, batch: batch, mode: .evaluation)
    let dy = deconvNet.forward(y, batch: batch, mode: .evaluation)
    var left = 0.0, right = 0.0, scale = 0.0
    for i in 0..<y.count { left += Double(cx[i]) * Double(y[i]); scale += abs(Double(cx[i]) * Double(y[i])) }
    for i in 0..<x.count { right += Double(x[i]) * Double(dy[i]) }
    #expect(abs(left - right) <= 1e-5 * scale, "⟨conv(x), y⟩ = \(left), ⟨x, deconv(y)⟩ = \(right), scale \(scale)")
}

// MARK: - Finite-difference gradient checks

/// Smooth activations for the sweep: the fused activation is applied and differentiated by the same
/// `ActivationFunction` code for every kind (tested on its own in LayerGradientTests), and with a
/// kink at 0 some of a convolution's many outputs land within a finite-difference step of it, where
/// the central difference is meaningless. The ReLU family is checked separately below, on DCGAN
/// shapes, with a smaller step.
let convActivations: [ActivationFunction] = [.linear, .tanh, .softplus]

@Test(arguments: convCases, convActivations)
func conv2DGradientsMatchFiniteDifferences(_ c: ConvCase, activation: ActivationFunction) {
    checkNetworkGradients([Conv2D(inputShape: [c.channels, c.side, c.side], filters: c.filters, kernel: c.kernel, stride: c.stride,
                                  padding: c.padding, activation: activation)], batch: 2)
}

@Test(arguments: convCases, convActivations)
func convTranspose2DGradientsMatchFiniteDifferences(_ c: ConvCase, activation: ActivationFunction) {
    checkNetworkGradients([ConvTranspose2D(inputShape: [c.channels, c.side, c.side], filters: c.filters, kernel: c.kernel, stride: c.stride,
                                           padding: c.padding, activation: activation)], batch: 2)
}

@Test(arguments: [ActivationFunction.relu, .leakyReLU(slope: 0.2)])
func convolutionsWithReLUGradientsMatchFiniteDifferences(activation: ActivationFunction) {
    checkNetworkGradients([Conv2D(inputShape: [2, 8, 8], filters: 3, kernel: 4, stride: 2, padding: 1, activation: activation)],
                          batch: 2, epsilon: 1e-3)
    checkNetworkGradients([ConvTranspose2D(inputShape: [3, 4, 4], filters: 2, kernel: 4, stride: 2, padding: 1, activation: activation)],
                          batch: 2, epsilon: 1e-3)
}

@Test(arguments: [PassMode.training, .evaluation])
func convolutionsFollowedByBatchNormGradientsMatchFiniteDifferences(mode: PassMode) {
    let conv = Conv2D(inputShape: [2, 8, 8], filters: 3, kernel: 4, stride: 2, padding: 1)
    let deconv = ConvTranspose2D(inputShape: [3, 4, 4], filters: 2, kernel: 4, stride: 2, padding: 1)
    checkNetworkGradients([conv, BatchNorm(shape: conv.outputShape), ActivationLayer(.leakyReLU(slope: 0.2), shape: conv.outputShape),
                           deconv, BatchNorm(shape: deconv.outputShape)], batch: 3, mode: mode, epsilon: 1e-3)
}

@Test func dcganStackGradientsMatchFiniteDifferences() {
    // Generator-like then discriminator-like, with stride 2, padding 1, kernel 4 everywhere
    // (softplus standing in for the ReLUs, whose kinks defeat finite differences through a stack).
    checkNetworkGradients([ConvTranspose2D(inputShape: [3, 2, 2], filters: 2, kernel: 4, stride: 2, padding: 1, activation: .softplus),
                           ConvTranspose2D(inputShape: [2, 4, 4], filters: 1, kernel: 4, stride: 2, padding: 1, activation: .tanh),
                           Conv2D(inputShape: [1, 8, 8], filters: 2, kernel: 4, stride: 2, padding: 1, activation: .softplus),
                           Conv2D(inputShape: [2, 4, 4], filters: 2, kernel: 4, stride: 2, padding: 1, activation: .sigmoid)], batch: 2)
}

@Test func convolutionBackwardWithoutParameterGradientsLeavesThemUntouched() {
    let conv = Conv2D(inputShape: [2, 5, 5], filters: 3, kernel: 3, stride: 2, padding: 1, activation: .tanh)
    let deconv = ConvTranspose2D(inputShape: [3, 3, 3], filters: 2, kernel: 3, stride: 2, padding: 1)
    let net = Network(name: "n", layers: [conv, deconv], maxBatch: 2)
    net.initialize(rng: RandomStream(seed: 9))
    net.zeroGradients()
    let x = randomArray(2 * net.inputSize, seed: 10, purpose: "x")
    var dy = randomArray(2 * net.outputSize, seed: 11, purpose: "dy")
    net.forward(x, batch: 2, mode: .training)
    let dx = dy.withUnsafeMutableBufferPointer { net.backward($0.baseAddress!, batch: 2, parameterGradients: false, inputGradient: true) }
    #expect(dx != nil)
    #expect(net.gradients.allSatisfy { $0 == 0 })
}

// MARK: - Chunks of the batch

/// Forward, backward, dW and dx with chunks of 2 examples (a batch of 5: the last chunk is short)
/// agree with the same layer processing the batch in one chunk, and the chunked forward with the
/// direct loops.
@Test(arguments: convCases)
func chunkedConvolutionsMatchOneChunk(_ c: ConvCase) {
    let batch = 5
    func run(_ make: () -> Layer, chunk: Int?) -> (y: [Float], dx: [Float], grads: [Float], net: Network) {
        let layer = make()
        if let conv = layer as? Conv2D { conv.chunkOverride = chunk }
        if let deconv = layer as? ConvTranspose2D { deconv.chunkOverride = chunk }
        let net = singleLayerNetwork(layer, batch: batch)
        net.zeroGradients()
        let x = randomArray(batch * layer.inputSize, seed: 12, purpose: "x")
        var dy = randomArray(batch * layer.outputSize, seed: 13, purpose: "dy")
        return x.withUnsafeBufferPointer { xp in
            let y = Array(UnsafeBufferPointer(start: net.forward(xp.baseAddress!, batch: batch, mode: .training), count: batch * layer.outputSize))
            let dx = dy.withUnsafeMutableBufferPointer {
                Array(UnsafeBufferPointer(start: net.backward($0.baseAddress!, batch: batch, parameterGradients: true, inputGradient: true)!,
                                          count: batch * layer.inputSize))
            }
            return (y, dx, Array(net.gradients), net)
        }
    }
    let makers: [(String, () -> Layer)] = [
        ("Conv2D", { Conv2D(inputShape: [c.channels, c.side, c.side], filters: c.filters, kernel: c.kernel, stride: c.stride,
                            padding: c.padding, activation: .tanh) }),
        ("ConvTranspose2D", { ConvTranspose2D(inputShape: [c.channels, c.side, c.side], filters: c.filters, kernel: c.kernel,
                                              stride: c.stride, padding: c.padding, activation: .tanh) }),
    ]
    for (name, make) in makers {
        let whole = run(make, chunk: nil), chunked = run(make, chunk: 2)
        #expect((chunked.net.layers[0] as? Conv2D)?.chunk ?? (chunked.net.layers[0] as! ConvTranspose2D).chunk == 2)
        expectClose(chunked.y, whole.y, tolerance: 1e-6, "\(name) chunked forward")
        expectClose(chunked.dx, whole.dx, tolerance: 1e-5, "\(name) chunked dx")
        expectClose(chunked.grads, whole.grads, tolerance: 1e-5, "\(name) chunked parameter gradients")
    }
}

@Test func chunkedConvolutionGradientsMatchFiniteDifferences() {
    let conv = Conv2D(inputShape: [2, 8, 8], filters: 3, kernel: 4, stride: 2, padding: 1, activation: .softplus)
    let deconv = ConvTranspose2D(inputShape: [3, 4, 4], filters: 2, kernel: 4, stride: 2, padding: 1, activation: .tanh)
    conv.chunkOverride = 2
    deconv.chunkOverride = 2
    checkNetworkGradients([conv, deconv], batch: 3)
}

/// The chunk keeps a chunk's columns within `chunkFloats`: the DCGAN layers take the whole batch
/// of 128, a large layer one example at a time.
@Test func chunkSizesFollowTheColumnBudget() {
    let g1 = ConvolutionGeometry(channels: 1, height: 28, width: 28, kernel: 4, stride: 2, padding: 1)
    let g2 = ConvolutionGeometry(channels: 64, height: 14, width: 14, kernel: 4, stride: 2, padding: 1)
    #expect(g1.chunkExamples(maxBatch: 128) == min(128, ConvolutionGeometry.chunkFloats / (16 * 196)))
    #expect(g2.chunkExamples(maxBatch: 128) == min(128, ConvolutionGeometry.chunkFloats / (1024 * 49)))
    #expect(g1.chunkExamples(maxBatch: 128) == 128 && g2.chunkExamples(maxBatch: 128) == 128)
    #expect(ConvolutionGeometry(channels: 512, height: 128, width: 128, kernel: 5, stride: 1, padding: 2).chunkExamples(maxBatch: 8) == 1)
}
