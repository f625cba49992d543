import Testing
import Spec

/// `model.schedule.gradient_penalty`: a type name or an object, each paper's default weight,
/// null for none, resolved only when present (so the ids of runs without one stay), refused with
/// its JSON path when malformed.
@Suite struct GradientPenaltySpecTests {
    func schedule(_ tree: JSONValue) throws -> AdversarialSchedule {
        switch try experiment(tree).runs[0].model {
        case .gan(let gan): return gan.schedule
        case .vaeGAN(let vaeGAN): return vaeGAN.schedule
        case .vae: throw NotAdversarial()
        }
    }
    struct NotAdversarial: Error {}

    func penalised(_ value: JSONValue?, base: JSONValue = AdversarialTests.gan) -> JSONValue {
        setting(base, ["model", "schedule", "gradient_penalty"], value)
    }

    @Test func namesAndObjectsWithEachPapersDefaults() throws {
        #expect(try schedule(penalised("wgan-gp")).gradientPenalty == .wganGP(lambda: 10))
        #expect(try schedule(penalised("dragan")).gradientPenalty == .dragan(lambda: 10, c: 0.5))
        #expect(try schedule(penalised("r1")).gradientPenalty == .r1(gamma: 10))
        #expect(try schedule(penalised(["type": "wgan-gp", "lambda": 5])).gradientPenalty == .wganGP(lambda: 5))
        #expect(try schedule(penalised(["type": "dragan", "c": 1, "lambda": 2])).gradientPenalty == .dragan(lambda: 2, c: 1))
        #expect(try schedule(penalised(["type": "r1", "gamma": 0.1], base: AdversarialTests.vaeGAN)).gradientPenalty
                == .r1(gamma: 0.1))
        #expect(try schedule(penalised(.null)).gradientPenalty == nil)
        #expect(try schedule(AdversarialTests.gan).gradientPenalty == nil)
    }

    /// WGAN-GP replaces weight clipping: with a penalty the Wasserstein critic is not clipped
    /// unless `weight_clip` says so.
    @Test func aPenalisedWassersteinCriticIsNotClippedByDefault() throws {
        let wasserstein = setting(AdversarialTests.gan, ["model", "loss"], "wasserstein")
        #expect(try schedule(wasserstein).weightClip == 0.01)
        #expect(try schedule(penalised("wgan-gp", base: wasserstein)).weightClip == nil)
        let both = setting(penalised("wgan-gp", base: wasserstein), ["model", "schedule", "weight_clip"], 0.05)
        #expect(try schedule(both).weightClip == 0.05)
    }

    @Test func resolvedOnlyWhenPresentAndRoundTrips() throws {
        let plain = try experiment(AdversarialTests.gan).runs[0]
        let none = try experiment(penalised(.null)).runs[0]
        let named = try experiment(penalised("r1")).runs[0]
        let spelled = try experiment(penalised(["type": "r1", "gamma": 10])).runs[0]
        #expect(plain.id == none.id && !plain.canonicalJSON.contains("gradient_penalty"))
        #expect(named.id == spelled.id && named.id != plain.id)
        #expect(named.canonicalJSON.contains("\"gradient_penalty\":{\"gamma\":10.0,\"type\":\"r1\"}"), "\(named.canonicalJSON)")
        for run in [named, try experiment(penalised(["type": "dragan", "c": 0.25])).runs[0]] {
            let back = try ExperimentLoader.parseRun(text: run.resolvedJSON.pretty, file: "spec.json", experiment: run.experiment,
                                                     swept: run.swept)
            #expect(back == run)
        }
    }

    @Test(arguments: [
        (JSONValue.string("gp"), "model.schedule.gradient_penalty", "\"wgan-gp\""),
        (["lambda": 10], "model.schedule.gradient_penalty.type", "missing key"),
        (["type": "wgan-gp", "gamma": 10], "model.schedule.gradient_penalty.gamma", "wgan-gp"),
        (["type": "r1", "c": 0.5], "model.schedule.gradient_penalty.c", "r1"),
        (["type": "wgan-gp", "lambda": 0], "model.schedule.gradient_penalty.lambda", "0"),
        (["type": "dragan", "c": -1], "model.schedule.gradient_penalty.c", "-1"),
        (["type": "r1", "gamma": "10"], "model.schedule.gradient_penalty.gamma", "string"),
        (["type": "r1", "gama": 10], "model.schedule.gradient_penalty.gama", "gamma"),
        (3, "model.schedule.gradient_penalty", "number"),
    ] as [(JSONValue, String, String)])
    func malformedPenaltiesAreRefusedAtTheirPath(_ value: JSONValue, _ path: String, _ mention: String) throws {
        let error = try #require(specError(penalised(value)))
        #expect(error.path == path, "\(error)")
        #expect(error.description.contains(mention), "\(error)")
    }

    @Test func refusedOutsideAdversarialModels() throws {
        let vae: JSONValue = ["name": "v", "data": ["dataset": "ring"], "model": ["type": "vae", "latent": 2, "schedule": [:]],
                              "training": ["epochs": 1]]
        #expect(specError(vae)?.path == "model.schedule")
    }
}
