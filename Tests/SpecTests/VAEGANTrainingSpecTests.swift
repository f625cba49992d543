import Testing
import Spec

/// A VAE-GAN trained as Larsen et al. train it: `model.schedule.equilibrium` (true, an object, or
/// off) and the loss weights `model.discriminator_weights` / `model.decoder_weights`, resolved only
/// when they differ from the default (so the ids of earlier runs stay), refused with their JSON
/// path when malformed or when the loss has no cross-entropy for the rule to read.
@Suite struct VAEGANTrainingSpecTests {
    func spec(_ tree: JSONValue) throws -> VAEGANSpec {
        guard case .vaeGAN(let spec) = try experiment(tree).runs[0].model else { throw NotVAEGAN() }
        return spec
    }
    struct NotVAEGAN: Error {}

    func equilibrium(_ value: JSONValue?, loss: JSONValue? = nil) -> JSONValue {
        let base = loss.map { setting(AdversarialTests.vaeGAN, ["model", "loss"], $0) } ?? AdversarialTests.vaeGAN
        return setting(base, ["model", "schedule", "equilibrium"], value)
    }

    @Test func equilibriumIsTheOfficialRuleAnObjectOrOff() throws {
        #expect(try spec(equilibrium(true)).schedule.equilibrium == EquilibriumSpec(target: 0.68, margin: 0.35))
        #expect(try spec(equilibrium(["margin": 0.4])).schedule.equilibrium == EquilibriumSpec(target: 0.68, margin: 0.4))
        #expect(try spec(equilibrium(["target": 0.5, "margin": 0], loss: "minimax")).schedule.equilibrium
                == EquilibriumSpec(target: 0.5, margin: 0))
        #expect(try spec(equilibrium(false)).schedule.equilibrium == nil)
        #expect(try spec(equilibrium(.null, loss: "hinge")).schedule.equilibrium == nil)
        #expect(try spec(AdversarialTests.vaeGAN).schedule.equilibrium == nil)
    }

    @Test func weightsDefaultToOneEach() throws {
        #expect(try spec(AdversarialTests.vaeGAN).weights == VAEGANLossWeights())
        let pythae = setting(setting(AdversarialTests.vaeGAN, ["model", "discriminator_weights"], ["reconstructed": 0]),
                             ["model", "decoder_weights"], ["reconstructed": 0, "prior": 0.5])
        #expect(try spec(pythae).weights == VAEGANLossWeights(discriminatorReconstructed: 0, decoderReconstructed: 0, decoderPrior: 0.5))
    }

    @Test func resolvedOnlyWhenNotTheDefaultAndRoundTrips() throws {
        let plain = try experiment(AdversarialTests.vaeGAN).runs[0]
        let off = try experiment(equilibrium(false)).runs[0]
        let ones = try experiment(setting(AdversarialTests.vaeGAN, ["model", "decoder_weights"], ["prior": 1])).runs[0]
        #expect(plain.id == off.id && plain.id == ones.id)
        #expect(!plain.canonicalJSON.contains("equilibrium") && !plain.canonicalJSON.contains("_weights"))
        let gated = try experiment(equilibrium(true)).runs[0]
        let spelled = try experiment(equilibrium(["target": 0.68, "margin": 0.35])).runs[0]
        #expect(gated.id == spelled.id && gated.id != plain.id)
        #expect(gated.canonicalJSON.contains(#""equilibrium":{"margin":0.35,"target":0.68}"#), "\(gated.canonicalJSON)")
        let weighted = try experiment(setting(equilibrium(true), ["model", "discriminator_weights"], ["real": 2])).runs[0]
        #expect(weighted.canonicalJSON.contains(#""discriminator_weights":{"prior":1.0,"real":2.0,"reconstructed":1.0}"#),
                "\(weighted.canonicalJSON)")
        for run in [gated, weighted] {
            let back = try ExperimentLoader.parseRun(text: run.resolvedJSON.pretty, file: "spec.json", experiment: run.experiment,
                                                     swept: run.swept)
            #expect(back == run)
        }
    }

    @Test(arguments: [
        (JSONValue.string("yes"), "model.schedule.equilibrium", "true (target 0.68"),
        (["target": 0], "model.schedule.equilibrium.target", "0"),
        (["margin": -0.1], "model.schedule.equilibrium.margin", "-0.1"),
        (["target": 0.7, "width": 0.3], "model.schedule.equilibrium.width", "unknown key"),
    ] as [(JSONValue, String, String)])
    func malformedRulesAreRefusedAtTheirPath(_ value: JSONValue, _ path: String, _ mention: String) throws {
        let error = try #require(specError(equilibrium(value)))
        #expect(error.path == path, "\(error)")
        #expect(error.description.contains(mention), "\(error)")
    }

    @Test(arguments: ["hinge", "least-squares", "wasserstein"])
    func theRuleNeedsACrossEntropyLoss(_ loss: String) throws {
        let error = try #require(specError(equilibrium(true, loss: .string(loss))))
        #expect(error.path == "model.schedule.equilibrium", "\(error)")
        #expect(error.description.contains("loss \"\(loss)\""), "\(error)")
    }

    @Test func theRuleAndTheWeightsBelongToTheVAEGAN() throws {
        #expect(specError(setting(AdversarialTests.gan, ["model", "schedule", "equilibrium"], true))?.path
                == "model.schedule.equilibrium")
        #expect(specError(setting(AdversarialTests.gan, ["model", "decoder_weights"], ["prior": 1]))?.path == "model.decoder_weights")
    }

    @Test(arguments: [
        ("discriminator_weights", JSONValue.object(["real": 0]), "model.discriminator_weights.real"),
        ("discriminator_weights", ["reconstructed": 0, "prior": 0], "model.discriminator_weights"),
        ("discriminator_weights", ["fake": 1], "model.discriminator_weights.fake"),
        ("decoder_weights", ["prior": -1], "model.decoder_weights.prior"),
        ("decoder_weights", ["real": 1], "model.decoder_weights.real"),
        ("decoder_weights", 0.5, "model.decoder_weights"),
    ] as [(String, JSONValue, String)])
    func malformedWeightsAreRefusedAtTheirPath(_ key: String, _ value: JSONValue, _ path: String) throws {
        let error = try #require(specError(setting(AdversarialTests.vaeGAN, ["model", key], value)))
        #expect(error.path == path, "\(error)")
    }
}
