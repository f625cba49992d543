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
