@testable import Evaluation
import Foundation
@testable import RunStore
import Runner
import Testing

// Known answers on synthetic extremes (points exactly on modes, all on one, none near any).
// Modes are written out here: the ring's 8 on the unit circle (σ = 0.01) and the grid's 25 on
// {−4, −2, 0, 2, 4}² (σ = 0.05), as in `GaussianMixture.ring` / `.grid`.

private let ring: [SIMD2<Float>] = (0..<8).map { k in
    let angle = 2 * Double.pi * Double(k) / 8
    return SIMD2<Float>(Float(cos(angle)), Float(sin(angle)))
}
private let ringSigma: Float = 0.01
private let grid: [SIMD2<Float>] = (0..<25).map { (k: Int) -> SIMD2<Float> in
    let x: Int = (k / 5) * 2 - 4
    let y: Int = (k % 5) * 2 - 4
    return SIMD2<Float>(Float(x), Float(y))
}
private let gridSigma: Float = 0.05

/// Interleaved (N, 2) floats of `points`.
private func interleaved(_ points: [SIMD2<Float>]) -> [Float] { points.flatMap { [$0.x, $0.y] } }

/// `count` points on each of `modes`, in order.
private func repeated(_ modes: [SIMD2<Float>], _ count: Int) -> [Float] {
    interleaved(modes.flatMap { [SIMD2<Float>](repeating: $0, count: count) })
}

private func expectClose(_ observed: Double, _ expected: Double, tolerance: Double = 1e-12,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    let error = abs(observed - expected)
    #expect(error <= tolerance, "expected \(expected), observed \(observed), error \(error), tolerance \(tolerance)",
            sourceLocation: sourceLocation)
}

@Suite struct ModeMetricsTests {
    @Test func pointsOnEveryModeCaptureAllWithZeroDivergence() {
        for (modes, sigma) in [(ring, ringSigma), (grid, gridSigma)] {
            let m = ModeMetrics.compute(points: repeated(modes, 100), modes: modes, sigma: sigma)
            #expect(m.modesCaptured == modes.count)
            #expect(m.modeCount == modes.count)
            #expect(m.sampleCount == 100 * modes.count)
            #expect(m.hqFraction == 1)
            expectClose(m.reverseKL, 0)
        }
    }

    @Test func allPointsOnOneModeOfEightGiveLogEight() {
        let m = ModeMetrics.compute(points: repeated([ring[3]], 2500), modes: ring, sigma: ringSigma)
        #expect(m == ModeMetrics(modesCaptured: 1, modeCount: 8, hqFraction: 1, reverseKL: m.reverseKL, sampleCount: 2500))
        expectClose(m.reverseKL, log(8))
    }

    @Test func halfOnModeZeroHalfOnModeOneGiveLogFour() {
        let m = ModeMetrics.compute(points: repeated([ring[0], ring[1]], 1250), modes: ring, sigma: ringSigma)
        #expect(m.modesCaptured == 2)
        #expect(m.hqFraction == 1)
        expectClose(m.reverseKL, log(4))
    }

    @Test func pointsFarFromEveryModeCaptureNothing() {
        // All at the origin: 1 from every ring mode (100σ). Every mode is nearest to none but
        // mode 0 (ties go to the lower index), so the divergence is still log 8.
        let m = ModeMetrics.compute(points: [Float](repeating: 0, count: 2 * 500), modes: ring, sigma: ringSigma)
        #expect(m.modesCaptured == 0)
        #expect(m.hqFraction == 0)
        #expect(m.sampleCount == 500)
        expectClose(m.reverseKL, log(8))
        // Far outside the grid: nearest modes are corners, none within 3σ.
        let far = interleaved([SIMD2(100, 100), SIMD2(-100, -100), SIMD2(100, -100), SIMD2(-100, 100)])
        let g = ModeMetrics.compute(points: far, modes: grid, sigma: gridSigma)
        #expect(g.modesCaptured == 0 && g.hqFraction == 0)
        expectClose(g.reverseKL, log(25) - log(4))  // 4 corners, each q = 1/4
    }

    @Test func threeSigmaBoundary() {
        // Offsets along several directions from a grid mode and a ring mode: 2.9σ counts, 3.1σ does not.
        let directions: [SIMD2<Float>] = [SIMD2(1, 0), SIMD2(0, -1), SIMD2(0.6, 0.8), SIMD2(-0.8, 0.6)]
        for (mode, sigma, modes) in [(grid[12], gridSigma, grid), (ring[2], ringSigma, ring), (ring[5], ringSigma, ring)] {
            for direction in directions {
                let inside = ModeMetrics.compute(points: interleaved([mode + 2.9 * sigma * direction]), modes: modes, sigma: sigma)
                #expect(inside.modesCaptured == 1 && inside.hqFraction == 1, "2.9σ along \(direction) from \(mode)")
                let outside = ModeMetrics.compute(points: interleaved([mode + 3.1 * sigma * direction]), modes: modes, sigma: sigma)
                #expect(outside.modesCaptured == 0 && outside.hqFraction == 0, "3.1σ along \(direction) from \(mode)")
                expectClose(outside.reverseKL, log(Double(modes.count)))  // still assigned to its nearest mode
            }
        }
    }

    @Test func capturedNeedsAHighQualitySampleButDivergenceCountsAll() {
        // 3 points near mode 0 (within 3σ), 1 point far from mode 1 but nearest to it.
        let points = interleaved([ring[0], ring[0], ring[0] + SIMD2(0, 0.02), ring[1] * 1.2])
        let m = ModeMetrics.compute(points: points, modes: ring, sigma: ringSigma)
        #expect(m.modesCaptured == 1)
        expectClose(m.hqFraction, 0.75)
        let expected = 0.75 * log(0.75 * 8) + 0.25 * log(0.25 * 8)
        expectClose(m.reverseKL, expected)
    }

    @Test func nonFinitePointsCountInNButHaveNoMode() {
        let points: [Float] = [.nan, 0, 1, .infinity] + interleaved([ring[4], ring[4]])
        let m = ModeMetrics.compute(points: points, modes: ring, sigma: ringSigma)
        #expect(m.sampleCount == 4)
        #expect(m.modesCaptured == 1)
        expectClose(m.hqFraction, 0.5)
        expectClose(m.reverseKL, log(8))
        let none = ModeMetrics.compute(points: [.nan, .nan], modes: ring, sigma: ringSigma)
        #expect(none.sampleCount == 1 && none.hqFraction == 0 && none.modesCaptured == 0 && none.reverseKL.isNaN)
        let empty = ModeMetrics.compute(points: [], modes: ring, sigma: ringSigma)
        #expect(empty.sampleCount == 0 && empty.hqFraction == 0 && empty.reverseKL.isNaN)
    }

    @Test func bufferAndArrayOverloadsAgree() {
        let points = interleaved([grid[0], grid[7] + SIMD2(0.1, 0), grid[7] + SIMD2(0.2, 0), SIMD2(1, 1)])
        let fromArray = ModeMetrics.compute(points: points, modes: grid, sigma: gridSigma)
        let fromBuffer = points.withUnsafeBufferPointer { ModeMetrics.compute(points: $0, modes: grid, sigma: gridSigma) }
        #expect(fromArray == fromBuffer)
        #expect(fromArray.modesCaptured == 2)  // grid[0] and grid[7] (0.1 = 2σ); 0.2 = 4σ and (1, 1) are not
        expectClose(fromArray.hqFraction, 0.5)
    }
}
