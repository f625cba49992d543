import Testing
import Spec

/// `spectral_norm` on dense, conv and deconv layers: decoded, resolved only when true (so the ids
/// of runs without it stay), refused elsewhere.
@Suite struct SpectralNormSpecTests {
    func discriminator(_ layers: JSONValue) throws -> [LayerSpec] {
        guard case .gan(let gan) = try experiment(setting(AdversarialTests.gan, ["model", "discriminator"], layers)).runs[0].model else {
            throw NotAGAN()
        }
        return gan.discriminator
    }
    struct NotAGAN: Error {}

    @Test func decodedOnDenseConvAndDeconv() throws {
        let layers = try discriminator([["dense": 8, "spectral_norm": true], ["dense": 8]])
        #expect(layers[0] == .dense(units: 8, activation: .linear, batchNorm: false, initializer: .glorot, spectralNorm: true))
        #expect(layers[1] == .dense(units: 8, activation: .linear, batchNorm: false, initializer: .glorot))
        var tree = setting(AdversarialTests.gan, ["data"], ["dataset": "sprites", "size": 8, "train_size": 64, "test_size": 8])
        tree = setting(tree, ["model", "generator"], [["dense": 16], ["reshape": [1, 4, 4]],
                                                      ["deconv": 1, "kernel": 4, "stride": 2, "padding": 1, "spectral_norm": true]])
        tree = setting(tree, ["model", "discriminator"], [["conv": 4, "kernel": 4, "stride": 2, "padding": 1, "spectral_norm": true]])
        tree = setting(tree, ["training", "batch"], 8)
        guard case .gan(let gan) = try experiment(tree).runs[0].model else { Issue.record("not a GAN"); return }
        guard case .deconv(_, _, _, _, _, _, _, let deconvNorm) = gan.generator[2],
              case .conv(_, _, _, _, _, _, _, let convNorm) = gan.discriminator[0] else {
            Issue.record("unexpected layers"); return
        }
        #expect(deconvNorm && convNorm)
    }

    @Test func resolvedOnlyWhenOnAndRoundTrips() throws {
        let plain = try experiment(setting(AdversarialTests.gan, ["model", "discriminator"], [["dense": 8]])).runs[0]
        let off = try experiment(setting(AdversarialTests.gan, ["model", "discriminator"], [["dense": 8, "spectral_norm": false]])).runs[0]
        let on = try experiment(setting(AdversarialTests.gan, ["model", "discriminator"], [["dense": 8, "spectral_norm": true]])).runs[0]
        #expect(plain.id == off.id && plain.id != on.id)
        #expect(!plain.canonicalJSON.contains("spectral_norm") && on.canonicalJSON.contains("\"spectral_norm\":true"))
        let back = try ExperimentLoader.parseRun(text: on.resolvedJSON.pretty, file: "spec.json", experiment: on.experiment, swept: on.swept)
        #expect(back == on)
    }

    @Test(arguments: [
        (JSONValue.array([["maxout": 8, "pieces": 2, "spectral_norm": true]]), "model.discriminator[0].spectral_norm"),
        (.array([["dense": 8, "spectral_norm": 1]]), "model.discriminator[0].spectral_norm"),
        (.array([["dropout": 0.5, "spectral_norm": true]]), "model.discriminator[0].spectral_norm"),
    ] as [(JSONValue, String)])
    func refusedWhereItDoesNotApply(_ layers: JSONValue, _ path: String) throws {
        let error = try #require(specError(text(setting(AdversarialTests.gan, ["model", "discriminator"], layers))))
        #expect(error.path == path, "\(error)")
    }
}
