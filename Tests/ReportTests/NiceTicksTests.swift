import Report
import Testing

private func labels(_ ticks: [Tick]) -> [String] { ticks.map(\.label) }

@Suite struct NiceTicksTests {
    @Test func linearTicksAreOneTwoFiveTimesAPowerOfTen() {
        #expect(labels(NiceTicks.linear(from: 0, to: 1, maxCount: 6)) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(labels(NiceTicks.linear(from: -2.5, to: 2.5, maxCount: 6)) == ["−2", "−1", "0", "1", "2"])
        #expect(labels(NiceTicks.linear(from: 37, to: 512, maxCount: 6)) == ["100", "200", "300", "400", "500"])
        #expect(labels(NiceTicks.linear(from: 0.95, to: 2.05, maxCount: 8, integers: true)) == ["1", "2"])
        #expect(labels(NiceTicks.linear(from: 0.95, to: 1.2, maxCount: 8)) == ["0.95", "1", "1.05", "1.1", "1.15", "1.2"])
    }

    @Test func decimalTicksAreExactInValueAndLabel() {
        let ticks = NiceTicks.linear(from: 0.1, to: 0.7, maxCount: 7)
        #expect(labels(ticks) == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
        #expect(ticks[2].value == 0.3)       // 3 / 10, not 3 · 0.1 = 0.30000000000000004
        #expect(ticks[6].value == 0.7)       // the end itself is kept despite rounding
    }

    @Test func tinyAndHugeRangesUseScientificLabels() {
        #expect(labels(NiceTicks.linear(from: 1e-6, to: 5e-6, maxCount: 5)) == ["1e−6", "2e−6", "3e−6", "4e−6", "5e−6"])
        #expect(labels(NiceTicks.linear(from: 0, to: 3e7, maxCount: 4)) == ["0", "1e7", "2e7", "3e7"])
        #expect(labels(NiceTicks.linear(from: 0, to: 1e-4, maxCount: 6)) == ["0", "2e−5", "4e−5", "6e−5", "8e−5", "1e−4"])
        #expect(labels(NiceTicks.linear(from: 1500, to: 4500, maxCount: 4)) == ["2000", "3000", "4000"])
        #expect(labels(NiceTicks.linear(from: 0, to: 1.5e6, maxCount: 4)) == ["0", "5e5", "1e6", "1.5e6"])
    }

    @Test func aRangeFarFromZeroLabelsItsEnds() {
        let ticks = NiceTicks.linear(from: 1e15, to: 1e15 + 2, maxCount: 5)
        #expect(ticks.count == 2 && ticks[0].value == 1e15)
    }

    @Test func logTicksAreDecadesFilledInWhenFew() {
        #expect(labels(NiceTicks.log10(from: 0.87, to: 18.4, maxCount: 8)) == ["1", "2", "5", "10"])
        #expect(labels(NiceTicks.log10(from: 0.5, to: 2000, maxCount: 8)) == ["1", "10", "100", "1000"])
        #expect(labels(NiceTicks.log10(from: 1e-5, to: 1, maxCount: 8)) == ["1e−5", "1e−4", "1e−3", "1e−2", "1e−1", "1e0"])
        #expect(labels(NiceTicks.log10(from: 1e-10, to: 1e10, maxCount: 8))
                == ["1e−9", "1e−6", "1e−3", "1e0", "1e3", "1e6", "1e9"])
        #expect(labels(NiceTicks.log10(from: 3, to: 7, maxCount: 8)) == ["3", "4", "5", "6", "7"])
        #expect(NiceTicks.log10(from: 0.001, to: 0.05, maxCount: 8).map(\.value) == [0.001, 0.002, 0.005, 0.01, 0.02, 0.05])
        #expect(NiceTicks.log10(from: 0.001, to: 0.1, maxCount: 8).map(\.value) == [0.001, 0.01, 0.1])  // three decades suffice
    }

    @Test func labelsAreWrittenFromIntegers() {
        #expect(NiceTicks.label(mantissa: 15, exponent: -1, scientific: false) == "1.5")
        #expect(NiceTicks.label(mantissa: -25, exponent: -3, scientific: false) == "−0.025")
        #expect(NiceTicks.label(mantissa: 120, exponent: 0, scientific: false) == "120")
        #expect(NiceTicks.label(mantissa: 3, exponent: 2, scientific: false) == "300")
        #expect(NiceTicks.label(mantissa: 150, exponent: -2, scientific: false) == "1.5")
        #expect(NiceTicks.label(mantissa: 15, exponent: 5, scientific: true) == "1.5e6")
        #expect(NiceTicks.label(mantissa: -2, exponent: -5, scientific: true) == "−2e−5")
        #expect(NiceTicks.label(mantissa: 0, exponent: -5, scientific: true) == "0")
    }

    @Test func anyNumberGetsAShortLabel() {
        #expect(NiceTicks.label(0.001) == "0.001")
        #expect(NiceTicks.label(4) == "4")
        #expect(NiceTicks.label(1e-5) == "1e−5")
        #expect(NiceTicks.label(-2.5) == "−2.5")
        #expect(NiceTicks.label(1e20) == "1e20")
        #expect(NiceTicks.label(0.1 + 0.2) == "0.30000000000000004")  // shortest round trip: the value as stored
        #expect(NiceTicks.label(.nan) == "nan")
    }
}
