import Spec
import Testing
@testable import Report

@Suite struct RunTitleTests {
    @Test func aRunTitleNamesTheRunItsSeedAndItsSweptValues() {
        let swept = [SweptValue(path: "variant", value: "\"β-VAE\""), SweptValue(path: "model.beta", value: "4")]
        #expect(RunTitle.text(id: "0123456789ab", seed: 2, swept: swept) == "run 0123456789ab · seed 2 · variant = β-VAE, model.beta = 4")
        #expect(RunTitle.text(id: "0123456789ab", seed: 0, swept: []) == "run 0123456789ab · seed 0")
    }

    @Test func aLongTitleIsCutToTheWidthWithAnEllipsis() {
        let font = BitmapFont.standard
        let text = String(repeating: "x", count: 100)
        let fitted = RunTitle.fitted(text, width: 200, font: font)
        #expect(fitted.hasSuffix("…") && font.width(of: fitted) <= 200 && font.width(of: fitted) > 200 - font.glyphWidth)
        #expect(RunTitle.fitted("short", width: 200, font: font) == "short")
    }
}
