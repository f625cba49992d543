@testable import Evaluation
import Foundation
@testable import RunStore
@testable import Runner
import Spec
import Testing

/// The numbers behind the figures: Φ⁻¹ (manifold), linear and spherical paths (interpolations),
/// per-dimension KL and its order (traversals, latent scatter).
@Suite struct FigureMathTests {
    /// Reference values of Φ⁻¹ (to 15 digits, e.g. from R's qnorm or Python's
    /// statistics.NormalDist().inv_cdf); Acklam's approximation is good to 1.15e-9 relative.
    @Test(arguments: [
        (0.5, 0.0), (0.975, 1.959963984540054), (0.025, -1.959963984540054), (0.8413447460685429, 1.0),
        (0.001, -3.090232306167813), (0.999, 3.090232306167813), (0.1, -1.2815515655446008),
        (1e-10, -6.361340902404056), (0.02425, -1.9729610513118845), (0.9, 1.2815515655446008),
    ])
    func inverseNormalCDFMatchesKnownValues(p: Double, z: Double) {
        let value = InverseNormalCDF.value(p)
        #expect(abs(value - z) <= 2e-9 * max(abs(z), 1), "Φ⁻¹(\(p)) = \(value), expected \(z)")
    }

    @Test(.enabled(if: PythonPNG.available, "python3 not found"))
    func inverseNormalCDFAgreesWithPythonAcrossTheRange() throws {
        // Python's statistics.NormalDist().inv_cdf (Wichura's AS 241, ~1e-16) as the oracle.
        let ps = (1...199).map { Double($0) / 200 } + [1e-6, 1e-3, 0.02, 0.03, 0.97, 0.98, 1 - 1e-6]
        let script = "import statistics, sys; d = statistics.NormalDist(); print(' '.join(repr(d.inv_cdf(float(p))) for p in sys.argv[1:]))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + ps.map { "\($0)" }
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let expected = text.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(expected.count == ps.count)
        for (p, z) in zip(ps, expected) {
            #expect(abs(InverseNormalCDF.value(p) - z) <= 2e-9 * max(abs(z), 1), "Φ⁻¹(\(p))")
        }
    }

    @Test func linearPathHitsTheEndsAndTheMidpoint() {
        let a: [Float] = [1, -2, 0.5], b: [Float] = [3, 2, -0.5]
        let path = LatentInterpolation.path(from: a, to: b, steps: 5, kind: .linear)  // (5, 3)
        #expect(path.count == 15)
        #expect(Array(path[0..<3]) == a && Array(path[12..<15]) == b)
        #expect(Array(path[6..<9]) == [2, 0, 0])
    }

    @Test func sphericalPathKeepsTheNormOfEqualNormEnds() {
        let a: [Float] = [3, 0, 0, 4], b: [Float] = [0, 5, 0, 0]  // both of norm 5, orthogonal
        let steps = 9
        let path = LatentInterpolation.path(from: a, to: b, steps: steps, kind: .spherical)
        func code(_ k: Int) -> [Float] { Array(path[(k * 4)..<((k + 1) * 4)]) }
        func norm(_ v: [Float]) -> Float { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        for (x, y) in zip(code(0), a) { #expect(abs(x - y) < 1e-6) }
        for (x, y) in zip(code(steps - 1), b) { #expect(abs(x - y) < 1e-6) }
        for k in 0..<steps { #expect(abs(norm(code(k)) - 5) < 1e-5, "step \(k): norm \(norm(code(k)))") }
        // Midpoint of orthogonal ends: (a + b)/√2, where linear gives (a + b)/2, of norm 5/√2.
        for (x, y) in zip(code(4), zip(a, b).map { ($0 + $1) / Float(2).squareRoot() }) { #expect(abs(x - y) < 1e-5) }
        let linear = LatentInterpolation.path(from: a, to: b, steps: steps, kind: .linear)
        #expect(abs(norm(Array(linear[16..<20])) - 5 / Float(2).squareRoot()) < 1e-5)
    }

    @Test func sphericalFallsBackToLinearForParallelOrZeroCodes() {
        let a: [Float] = [1, 1], b: [Float] = [2, 2], zero: [Float] = [0, 0]
        #expect(LatentInterpolation.path(from: a, to: b, steps: 4, kind: .spherical)
                == LatentInterpolation.path(from: a, to: b, steps: 4, kind: .linear))
        #expect(LatentInterpolation.path(from: zero, to: b, steps: 3, kind: .spherical) == [0, 0, 1, 1, 2, 2])
    }

    @Test func klPerDimensionIsTheAnalyticGaussianKL() {
        // Two posteriors of 3 dimensions, rows [μ | log σ²].
        let stats: [Float] = [0, 2, 0, /**/ 0, 0, Float(log(4.0)),
                              0, -2, 1, /**/ 0, 0, Float(log(4.0))]
        let kl = PosteriorKL.perDimension(stats, count: 2, latent: 3)
        #expect(abs(kl[0]) < 1e-12)                                          // N(0, 1) itself
        #expect(abs(kl[1] - 2) < 1e-12)                                      // ½μ² with μ = ±2
        #expect(abs(kl[2] - (0.25 + 1.5 - log(2.0))) < 1e-6)                 // mean of ½·1 + ½(4 − ln 4 − 1)
    }

    @Test func dimensionsAreOrderedByKLLargestFirstTiesByIndex() {
        #expect(PosteriorKL.order([0.1, 2, 0.5, 2, .nan, 0]) == [1, 3, 2, 0, 5, 4])
        #expect(PosteriorKL.order([]) == [])
    }
}
