@testable import Report
import Foundation
import Testing

@Suite struct PlotMathTests {
    @Test func logAndExpMatchTheCLibraryToFifteenDigits() {
        for x in [1e-300, 1e-9, 0.3, 1, 1.4142135623730951, 2, 3, 10, 1000, 123456.789, 1e300] {
            let ours = PlotMath.log2(x), libm = Foundation.log2(x)
            #expect(abs(ours - libm) <= 1e-13 * max(1, abs(libm)), "log2(\(x)): \(ours) vs \(libm)")
        }
        #expect(PlotMath.log2(8) == 3 && PlotMath.log2(0.5) == -1)  // powers of two are exact
        for x in [-10.5, -1, -0.3, 0, 0.5, 1, 3.3219280948873622, 20.25] {
            let ours = PlotMath.exp2(x), libm = Foundation.exp2(x)
            #expect(abs(ours - libm) <= 1e-14 * libm, "exp2(\(x)): \(ours) vs \(libm)")
        }
        #expect(PlotMath.powerOfTen(22) == 1e22 && PlotMath.decimal(3, -1) == 0.3 && PlotMath.decimal(-7, 3) == -7000)
    }
}
