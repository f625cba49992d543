import Testing
@testable import NN

/// Spectral normalisation (Miyato et al. 2018) on dense, conv and deconv layers: σ(W / σ̂) ≈ 1,
/// gradients through the normalisation, and which passes move u.
@Suite struct SpectralNormTests {
    static func layers() -> [(String, Layer)] {
        [("dense", Dense(inputs: 6, outputs: 5, activation: .tanh, spectralNorm: true)),
         ("conv", Conv2D(inputShape: [2, 5, 5], filters: 3, kernel: 3, stride: 2, padding: 1, activation: .tanh, spectralNorm: true)),
         ("deconv", ConvTranspose2D(inputShape: [3, 3, 3], filters: 2, kernel: 4, stride: 2, padding: 1, activation: .tanh,
                                    spectralNorm: true))]
    }

    /// The largest singular value of the layer's weight matrix (rows by `row(index)`), by 2,000
    /// power iterations in double precision.
    static func largestSingularValue(_ w: [Float], rows: Int, columns: Int, index: (Int) -> (Int, Int)) -> Double {
        var v = [Double](repeating: 1, count: columns), u = [Double](repeating: 0, count: rows)
        for _ in 0..<2000 {
            u = [Double](repeating: 0, count: rows)
            for i in w.indices { let (r, q) = index(i); u[r] += Double(w[i]) * v[q] }
            let nu = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            u = u.map { $0 / nu }
            v = [Double](repeating: 0, count: columns)
            for i in w.indices { let (r, q) = index(i); v[q] += Double(w[i]) * u[r] }
            let nv = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            v = v.map { $0 / nv }
        }
        var s = 0.0
        for i in w.indices { let (r, q) = index(i); s += u[r] * Double(w[i]) * v[q] }
        return s
    }

    @Test func normalisedWeightsHaveSpectralNormOne() throws {
        for (name, layer) in Self.layers() {
            let network = Network(name: name, layers: [layer], maxBatch: 2)
            network.initialize(rng: RandomStream(seed: 3, purpose: "init"))
            let x = [Float](repeating: 0.5, count: 2 * network.inputSize)
            // The power iteration converges over training passes (one iteration each).
            for _ in 0..<30 { network.forward(x, batch: 2, mode: .training) }
            let sn = try #require((layer as? Dense)?.spectralNorm ?? (layer as? Conv2D)?.spectralNorm
                                  ?? (layer as? ConvTranspose2D)?.spectralNorm)
            let weightCount = sn.outer * sn.middle * sn.inner
            let w = Array(network.parameters.prefix(weightCount))
            let index: (Int) -> (Int, Int) = { i in
                let a = i / (sn.middle * sn.inner), b = (i / sn.inner) % sn.middle, k = i % sn.inner
                return sn.middleIsRow ? (b, a * sn.inner + k) : (a, b * sn.inner + k)
            }
            let sigma = Self.largestSingularValue(w, rows: sn.rows, columns: sn.columns, index: index)
            #expect(abs(Double(sn.sigma) / sigma - 1) < 0.01, "\(name): σ̂ \(sn.sigma), σ \(sigma)")
            let normalised = w.map { $0 / sn.sigma }
            let unit = Self.largestSingularValue(normalised, rows: sn.rows, columns: sn.columns, index: index)
            #expect(abs(unit - 1) < 0.01, "\(name): σ(W / σ̂) = \(unit)")
        }
    }

    /// Central differences of Σ r·y through the normalisation, u and v held (a frozen pass makes no
    /// power iteration, so σ = uᵀWv is the function the gradient differentiates), after 20
    /// training passes have brought u and v near the top singular vectors.
    @Test func gradientsThroughTheNormalisationMatchFiniteDifferences() {
        for (_, layer) in Self.layers() {
            checkNetworkGradients([layer], batch: 3, mode: .trainingFrozen, tolerance: 2e-2, epsilon: 1e-2) { network, x in
                for _ in 0..<20 { network.forward(x, batch: 3, mode: .training) }
            }
        }
    }

    /// Training passes move u and v (state, in the checkpoint as `weight_u`, `weight_v`);
    /// frozen and evaluation passes do not.
    @Test func onlyTrainingPassesIterate() {
        for (name, layer) in Self.layers() {
            let network = Network(name: name, layers: [layer], maxBatch: 2)
            network.initialize(rng: RandomStream(seed: 1, purpose: "init"))
            #expect(layer.stateSlots.map(\.name) == ["weight_u", "weight_v"], "\(name)")
            let x = [Float](repeating: 0.25, count: 2 * network.inputSize)
            let start = Array(network.state)
            network.forward(x, batch: 2, mode: .trainingFrozen)
            network.forward(x, batch: 2, mode: .evaluation)
            #expect(Array(network.state) == start, "\(name)")
            network.forward(x, batch: 2, mode: .training)
            #expect(Array(network.state) != start, "\(name)")
        }
    }

    /// Without spectral normalisation nothing changes: no state, the same outputs as before.
    @Test func offByDefault() {
        #expect(Dense(inputs: 3, outputs: 2).stateCount == 0)
        #expect(Conv2D(inputShape: [1, 4, 4], filters: 2, kernel: 3).stateSlots.isEmpty)
    }
}
