import Spec
import Testing

/// `variants`: named section overrides, variants × sweep × seeds, recorded as the swept value
/// `variant`.
@Suite struct VariantTests {
    static let text = """
        {"name":"cmp","data":{"dataset":"ring"},
         "model":{"type":"vae","latent":2,"encoder":[{"dense":8,"activation":"relu"}],"decoder":[{"dense":8,"activation":"relu"}]},
         "training":{"epochs":1,"batch":16},
         "variants":{"VAE":{},"beta-VAE":{"model":{"beta":4}},
                     "GAN":{"model":{"type":"gan","latent":2,"generator":[{"dense":8,"activation":"relu"},{"dense":2}],
                                     "discriminator":[{"dense":8,"activation":"leaky_relu"}]},
                            "training":{"optimizer":{"type":"adam","lr":0.0002,"beta1":0.5}}}},
         "seeds":[0,1],"sweep":{"training.batch":[16,32]}}
        """

    @Test func variantsAreOutermostAndRecordedFirst() throws {
        let experiment = try ExperimentLoader.parse(text: Self.text, file: "cmp.json")
        #expect(experiment.runs.count == 3 * 2 * 2)
        #expect(experiment.runs.map { $0.swept.map(\.value) }.prefix(4).map { $0 } ==
                [["\"VAE\"", "16"], ["\"VAE\"", "16"], ["\"VAE\"", "32"], ["\"VAE\"", "32"]])
        #expect(experiment.runs[0].swept.map(\.path) == ["variant", "training.batch"])
        #expect(experiment.runs[4].swept[0].value == "\"beta-VAE\"")
        guard case .vae(let beta) = experiment.runs[4].model, case .vae(let plain) = experiment.runs[0].model else {
            Issue.record("expected VAEs"); return
        }
        #expect(beta.beta == 4 && plain.beta == 1)
        #expect(beta.encoder == plain.encoder)   // merged key by key: the encoder stays
        // A different `type` replaces the model whole (no VAE keys left in the GAN).
        guard case .gan(let gan) = experiment.runs[8].model else { Issue.record("expected a GAN"); return }
        #expect(gan.latent == 2)
        if case .adam(let lr, let beta1, _, _, _) = experiment.runs[8].training.optimizer {
            #expect(lr == 0.0002 && beta1 == 0.5)
        } else {
            Issue.record("expected Adam")
        }
        #expect(experiment.runs[8].training.batch == 16)   // training merged, not replaced
    }

    @Test func theVariantNameIsNotPartOfTheRunID() throws {
        let renamed = Self.text.replacingOccurrences(of: "\"beta-VAE\"", with: "\"β-VAE\"")
        let a = try ExperimentLoader.parse(text: Self.text, file: "a.json")
        let b = try ExperimentLoader.parse(text: renamed, file: "b.json")
        #expect(a.runs.map(\.id) == b.runs.map(\.id))
        #expect(b.runs[4].swept[0].value == "\"β-VAE\"")
    }

    @Test func badVariantsNameThePath() throws {
        let unknown = try #require(specError(Self.text.replacingOccurrences(of: "\"beta-VAE\":{\"model\"", with: "\"beta-VAE\":{\"modle\"")))
        #expect(unknown.path == "variants[\"beta-VAE\"].modle", "\(unknown)")
        #expect(unknown.found.contains("modle"))

        let inside = try #require(specError(Self.text.replacingOccurrences(of: "{\"beta\":4}", with: "{\"beta\":-1}")))
        #expect(inside.path == "variants[\"beta-VAE\"].model.beta", "\(inside)")

        let same = try #require(specError(Self.text.replacingOccurrences(of: "{\"beta\":4}", with: "{\"beta\":1}")))
        #expect(same.path == "variants" && same.expected.contains("distinct runs"), "\(same)")

        let empty = try #require(specError(#"{"name":"e","data":{"dataset":"ring"},"model":{"type":"vae","latent":2},"training":{"epochs":1},"variants":{}}"#))
        #expect(empty.path == "variants" && empty.expected.contains("at least one variant"))
    }
}
