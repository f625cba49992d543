import Testing
import Spec

/// `model.conditioning`: decoded with the data's class count as default, resolved only when used
/// (so every unconditional run id stays), refused where it cannot apply.
@Suite struct ConditioningSpecTests {
    func conditioning(_ tree: JSONValue) throws -> ConditioningSpec? {
        try experiment(tree).runs[0].model.conditioning
    }

    @Test func defaultsComeFromTheData() throws {
        let gan = setting(AdversarialTests.gan, ["model", "conditioning"], true)
        #expect(try conditioning(gan) == ConditioningSpec(classes: 8, discriminator: .concat))
        let grid = setting(setting(gan, ["data", "dataset"], "grid"), ["model", "conditioning"], ["discriminator": "projection"])
        #expect(try conditioning(grid) == ConditioningSpec(classes: 25, discriminator: .projection))
        let vae = setting(setting(minimal, ["data"], ["dataset": "sprites", "size": 8, "train_size": 256, "test_size": 8]),
                          ["model", "conditioning"], [:])
        #expect(try conditioning(vae) == ConditioningSpec(classes: 3))
        let fashion = setting(setting(minimal, ["data"], ["dataset": "fashion-mnist"]), ["model", "conditioning"], ["classes": 12])
        #expect(try conditioning(fashion) == ConditioningSpec(classes: 12))
        #expect(try conditioning(setting(gan, ["model", "conditioning"], false)) == nil)
    }

    @Test func resolvedOnlyWhenUsedAndRoundTrips() throws {
        let plain = try experiment(AdversarialTests.gan).runs[0]
        let off = try experiment(setting(AdversarialTests.gan, ["model", "conditioning"], false)).runs[0]
        let on = try experiment(setting(AdversarialTests.gan, ["model", "conditioning"], true)).runs[0]
        #expect(plain.id == off.id && plain.id != on.id)
        #expect(!plain.canonicalJSON.contains("conditioning"))
        #expect(on.canonicalJSON.contains(#""conditioning":{"classes":8,"discriminator":"concat"}"#))
        let back = try ExperimentLoader.parseRun(text: on.resolvedJSON.pretty, file: "spec.json", experiment: on.experiment, swept: on.swept)
        #expect(back == on)
    }

    @Test func refusalsNameThePath() throws {
        let gan = setting(AdversarialTests.gan, ["model", "conditioning"], true)
        let cases: [(JSONValue, String, String)] = [
            (setting(AdversarialTests.vaeGAN, ["model", "conditioning"], true), "model.conditioning", "does not apply to model type \"vae-gan\""),
            (setting(gan, ["model", "schedule"], ["packing": 2]), "model.schedule.packing", "1 with \"conditioning\""),
            (setting(gan, ["model", "conditioning"], ["discriminator": "dot"]), "model.conditioning.discriminator", "concat"),
            (setting(gan, ["model", "conditioning"], ["classes": 1]), "model.conditioning.classes", "from 2 to 1000"),
            (setting(gan, ["model", "conditioning"], ["clases": 3]), "model.conditioning.clases", "classes"),
            (setting(gan, ["model", "conditioning"], "yes"), "model.conditioning", "true, false or an object"),
            (setting(minimal, ["model", "conditioning"], ["discriminator": "concat"]), "model.conditioning.discriminator", "\"classes\""),
            (setting(setting(minimal, ["model", "objective"], "iwae"), ["model", "conditioning"], true), "model.conditioning", "iwae"),
            (setting(setting(gan, ["data"], ["dataset": "images", "path": "/nowhere"]), ["model", "conditioning"], true),
             "model.conditioning.classes", "does not fix it"),
        ]
        for (tree, path, expected) in cases {
            let error = specError(tree)
            #expect(error?.path == path, "\(String(describing: error))")
            #expect(error?.description.contains(expected) == true, "\(String(describing: error))")
        }
    }
}
