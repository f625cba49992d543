import Testing
@testable import NN

@Test func expNegativeIsAccurateOverItsRange() {
    var worst = 0.0
    var a: Float = 0
    while a <= 87 {
        let exact = Foundation_exp(-Double(a))
        worst = max(worst, abs(Double(FastMath.expNegative(a)) - exact) / exact)
        a += 0.0173
    }
    #expect(worst < 3e-7, "worst relative error \(worst)")
    #expect(FastMath.expNegative(0) == 1)
    #expect(FastMath.expNegative(1000) > 0)   // clamped, no underflow to 0 or NaN
}

@Test func log1pUnitIsAccurateOnTheUnitInterval() {
    var worst = 0.0
    for i in 0...10_000 {
        let e = Float(i) / 10_000
        worst = max(worst, abs(Double(FastMath.log1pUnit(e)) - Foundation_log(1 + Double(e))))
    }
    #expect(worst < 2e-7, "worst absolute error \(worst)")
}

@Test func tanhSigmoidAndSoftplusAreAccurate() {
    var worstTanh = 0.0, worstSigmoid = 0.0, worstSoftplus = 0.0
    var x: Float = -20
    while x <= 20 {
        let d = Double(x)
        let t = (Foundation_exp(2 * d) - 1) / (Foundation_exp(2 * d) + 1)
        worstTanh = max(worstTanh, abs(Double(FastMath.tanh(x)) - t) / max(abs(t), 1e-30))
        let s = 1 / (1 + Foundation_exp(-d))
        worstSigmoid = max(worstSigmoid, abs(Double(FastMath.sigmoid(x)) - s) / s)
        let sp = max(d, 0) + Foundation_log(1 + Foundation_exp(-abs(d)))
        worstSoftplus = max(worstSoftplus, abs(Double(FastMath.softplus(x)) - sp) / max(sp, 1e-30))
        x += 0.00731
    }
    #expect(worstTanh < 1e-6, "tanh relative error \(worstTanh)")
    #expect(worstSigmoid < 1e-6, "sigmoid relative error \(worstSigmoid)")
    #expect(worstSoftplus < 2e-6, "softplus relative error \(worstSoftplus)")
    #expect(FastMath.tanh(0) == 0 && FastMath.tanh(-1e-3) < 0)
}
