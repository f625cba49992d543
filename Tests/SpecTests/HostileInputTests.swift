import Foundation
import Testing
import Spec

/// Issue 13's findings at the decoder: each hostile value is a `SpecError` at its JSON path,
/// found in well under a second, before any model or data exists.
@Suite struct HostileInputTests {
    static func text(_ change: (JSONValue) -> JSONValue) -> String { JSONWriter.canonical(change(minimal)) }

    @Test func batchOf2To32IsBoundedAtDecode() {
        let error = specError(Self.text { setting($0, ["training", "batch"], .int(1 << 32)) })
        #expect(error == SpecError(file: "x.json", path: "training.batch", expected: "an integer from 1 to 10000000",
                                   found: "number 4294967296"))
    }

    /// batch × packing must fit `data.train_size` when the file gives it (ring: 50,000 by default).
    @Test func batchLargerThanTheTrainingSetIsRefusedAtDecode() {
        let error = specError(Self.text { setting($0, ["training", "batch"], 50_001) })
        #expect(error == SpecError(file: "x.json", path: "training.batch",
                                   expected: "at most the 50000 training examples per step (data.train_size)",
                                   found: "number 50001"))
        let gan: JSONValue = setting(setting(minimal, ["model"], [
            "type": "gan", "latent": 2, "generator": [["dense": 2]], "discriminator": [], "schedule": ["packing": 4],
        ]), ["training", "batch"], 12_501)
        #expect(specError(JSONWriter.canonical(gan))?.found == "number 12501 (50004 examples with packing)")
    }

    @Test func epochsOf2To63AndTooManyStepsAreRefused() {
        #expect(specError(Self.text { setting($0, ["training", "epochs"], .int(.max)) })?.expected == "an integer from 1 to 1000000")
        // 1,000,000 epochs of 50,000 steps (batch 1): 5·10¹⁰ steps.
        let steps = specError(Self.text { setting(setting($0, ["training", "epochs"], 1_000_000), ["training", "batch"], 1) })
        #expect(steps?.path == "training.epochs")
        #expect(steps?.expected == "at most 1000000000 optimisation steps in all (epochs × 50000 steps per epoch)")
    }

    @Test(arguments: [["training", "checkpoint_steps"], ["model", "beta_warmup_steps"]])
    func stepCountsAreBounded(_ keys: [String]) {
        #expect(specError(Self.text { setting($0, keys, .int(.max)) })?.expected == "an integer from 0 to 1000000000")
    }

    @Test func convolutionPaddingOf2To63IsBoundedAtDecode() {
        let layers: JSONValue = [["reshape": [1, 2, 1]], ["conv": 4, "kernel": 3, "padding": .int(.max)]]
        let error = specError(Self.text { setting($0, ["model", "encoder"], layers) })
        #expect(error?.path == "model.encoder[1].padding")
        #expect(error?.expected == "an integer from 0 to 256")
    }

    @Test(arguments: ["..", ".", ".classifiers", String(repeating: "a", count: 300), "a/b", ""])
    func namesThatAreNotSafeFolderNamesAreRefused(_ name: String) {
        let error = specError(Self.text { setting($0, ["name"], .string(name)) })
        #expect(error?.path == "name")
        #expect(error?.expected == #"a name of 1 to 100 letters, digits, ".", "_" and "-", not starting with ".""#)
    }

    @Test(arguments: ["a.b", "x-1_2", String(repeating: "a", count: 100)])
    func safeNamesPass(_ name: String) {
        #expect(specError(Self.text { setting($0, ["name"], .string(name)) }) == nil)
    }

    /// 6,000,000 seeds (48 MB of text) are refused by size before parsing; 20,000 (under 1 MiB)
    /// by count before their elements are read; 10,000 distinct seeds pass the now linear
    /// duplicate check quickly, and a duplicate is still found.
    @Test func manySeedsAreRefusedQuickly() {
        let clock = ContinuousClock()
        func seeds(_ count: Int, then extra: [Int] = []) -> String {
            let list = ((0..<count).map(String.init) + extra.map(String.init)).joined(separator: ",")
            return Self.text { setting($0, ["seeds"], nil) }.dropLast() + #","seeds":["# + list + "]}"
        }
        var error: SpecError?
        let (hugeText, manyText, duplicateText) = (seeds(6_000_000), seeds(20_000), seeds(9_999, then: [42]))
        let huge = clock.measure { error = specError(hugeText) }
        #expect(error?.expected == "an experiment file of at most 1048576 bytes (1 MiB)")
        #expect(huge < .seconds(5))
        let many = clock.measure { error = specError(manyText) }
        #expect(error == SpecError(file: "x.json", path: "seeds", expected: "at most 10000 seeds (runs per experiment)",
                                   found: "array of 20000 elements"))
        #expect(many < .seconds(1))
        let duplicate = clock.measure { error = specError(duplicateText) }
        #expect(error?.path == "seeds[9999]")
        #expect(error?.hint == "also seeds[42]")
        #expect(duplicate < .seconds(2))
    }

    /// 10,001 variants of one seed are too many runs before any variant is decoded.
    @Test func tooManyVariantsAreRefusedBeforeDecoding() {
        let variants = JSONObject(pairs: (0...10_000).map { i in ("v\(i)", ["training": ["epochs": .int(Int64(i + 1))]]) })
        let text = Self.text { setting($0, ["variants"], .object(variants)) }
        let clock = ContinuousClock()
        var error: SpecError?
        let elapsed = clock.measure { error = specError(text) }
        #expect(error == SpecError(file: "x.json", path: "variants", expected: "at most 10000 runs (variants × sweep × seeds)",
                                   found: "10001 variants × 1 seeds"))
        #expect(elapsed < .seconds(1))
    }

    /// An object of 80,000 keys (1 MiB) parses in linear time (the uniqueness check of
    /// `JSONObject` was quadratic); a sweep of 101 paths is refused before its paths are compared.
    @Test func wideObjectsStayLinear() {
        let members = (0..<80_000).map { #""k\#($0)":0"# }.joined(separator: ",")
        let clock = ContinuousClock()
        var error: SpecError?
        let elapsed = clock.measure { error = specError(#"{"name":"t","x":{"# + members + "}}") }
        #expect(error?.path == "x")
        #expect(elapsed < .seconds(2))
        let sweep = JSONObject(pairs: (0...100).map { ("model.encoder[\($0)].dense", [1]) })
        let tooMany = specError(Self.text { setting($0, ["sweep"], .object(sweep)) })
        #expect(tooMany?.path == "sweep")
        #expect(tooMany?.expected == "at most 100 swept paths")
    }

    /// 70 axes of 2 values: 2⁷⁰ combinations used to overflow `reduce(1, *)`.
    @Test func sweepCombinationsThatOverflowAreRefused() {
        var sweep = JSONObject()
        for i in 0..<70 { sweep["model.encoder[\(i)].dense"] = [1, 2] }
        let layers = JSONValue.array(Array(repeating: ["dense": 4], count: 70))
        let error = specError(Self.text { setting(setting($0, ["model", "encoder"], layers), ["sweep"], .object(sweep)) })
        #expect(error == SpecError(file: "x.json", path: "sweep", expected: "at most 10000 runs (sweep combinations × seeds)",
                                   found: "more than 10000 runs"))
    }

    @Test(arguments: [
        (["model", "latent"], "an integer from 1 to 65536"),
        (["data", "train_size"], "an integer from 1 to 10000000"),
        (["data", "test_size"], "an integer from 1 to 10000000"),
    ] as [([String], String)])
    func sizesAreBounded(_ keys: [String], _ expected: String) {
        #expect(specError(Self.text { setting($0, keys, .int(1 << 32)) })?.expected == expected)
    }

    @Test func reshapeRankAndDimensionsAreBounded() {
        let tooLong: JSONValue = [["reshape": .array(Array(repeating: 1, count: 9))]]
        #expect(specError(Self.text { setting($0, ["model", "decoder"], tooLong) })?.expected
                == "a non-empty array of at most 8 integers ≥ 1")
        let tooBig: JSONValue = [["reshape": [.int(1 << 40), 1]]]
        #expect(specError(Self.text { setting($0, ["model", "decoder"], tooBig) })?.path == "model.decoder[0].reshape[0]")
    }
}
