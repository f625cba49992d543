import Testing
@testable import NN

/// The naive twin of `BLAS.gemm`: the test oracle for all four transpose cases.
func naiveGEMM(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, a: [Float], b: [Float], beta: Float, c: [Float]) -> [Float] {
    var out = c
    for i in 0..<m {
        for j in 0..<n {
            var s: Double = 0
            for p in 0..<k {
                let av = transA ? a[p * m + i] : a[i * k + p]
                let bv = transB ? b[j * k + p] : b[p * n + j]
                s += Double(av) * Double(bv)
            }
            out[i * n + j] = alpha * Float(s) + beta * c[i * n + j]
        }
    }
    return out
}

@Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
func gemmMatchesNaiveProduct(transA: Bool, transB: Bool) {
    var rng = RandomStream(seed: 7, purpose: "gemm")
    let m = 5, n = 7, k = 3
    let a = (0..<(m * k)).map { _ in rng.nextNormal() }
    let b = (0..<(k * n)).map { _ in rng.nextNormal() }
    let c = (0..<(m * n)).map { _ in rng.nextNormal() }
    let expected = naiveGEMM(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, b: b, beta: 2, c: c)
    var got = c
    got.withUnsafeMutableBufferPointer { cp in
        BLAS.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.5, a: a, b: b, beta: 2, c: cp.baseAddress!)
    }
    for i in 0..<(m * n) {
        #expect(abs(got[i] - expected[i]) <= 1e-5 * max(1, abs(expected[i])), "element \(i): expected \(expected[i]), got \(got[i])")
    }
}
