import Testing
import Spec

/// `model.objective` of a `vae`: defaults, the string form, strict errors, and resolved JSON that
/// round-trips and leaves the ELBO's run ids alone.
@Suite struct ObjectiveSpecTests {
    func vae(_ objective: JSONValue?, beta: JSONValue? = nil) throws -> VAESpec {
        var tree = setting(minimal, ["model", "objective"], objective)
        if let beta { tree = setting(tree, ["model", "beta"], beta) }
        guard case .vae(let spec) = try experiment(tree).runs[0].model else { throw NotAVAE() }
        return spec
    }
    struct NotAVAE: Error {}

    func failure(_ objective: JSONValue, beta: JSONValue? = nil) -> SpecError? {
        var tree = setting(minimal, ["model", "objective"], objective)
        if let beta { tree = setting(tree, ["model", "beta"], beta) }
        return specError(text(tree))
    }

    @Test func defaultsAreThePublishedOnes() throws {
        #expect(try vae(nil).objective == .elbo)
        #expect(try vae("elbo").objective == .elbo)
        #expect(try vae(["type": "beta-tcvae", "beta": 6]).objective == .betaTCVAE(alpha: 1, beta: 6, gamma: 1))
        #expect(try vae(["type": "factor-vae", "gamma": 35]).objective
                == .factorVAE(gamma: 35, discriminator: VAEObjective.factorDiscriminatorDefault, optimizer: VAEObjective.factorOptimizerDefault))
        #expect(try vae(["type": "dip-vae", "variant": "i", "lambda_od": 10]).objective
                == .dipVAE(variant: .i, lambdaOffDiagonal: 10, lambdaDiagonal: 100))
        #expect(try vae(["type": "dip-vae", "variant": "ii", "lambda_od": 10]).objective
                == .dipVAE(variant: .ii, lambdaOffDiagonal: 10, lambdaDiagonal: 10))
        #expect(try vae("capacity").objective == .capacity(gamma: 1000, maxCapacity: 25, steps: 100_000))
        #expect(try vae("iwae").objective == .iwae(samples: 5))
        #expect(VAEObjective.factorDiscriminatorDefault.count == 6)
    }

    @Test func theKLWeightAppliesWhereThereIsOne() throws {
        #expect(try vae(["type": "factor-vae", "gamma": 10], beta: 2).beta == 2)
        #expect(try vae(["type": "dip-vae", "variant": "ii", "lambda_od": 1], beta: 3).beta == 3)
        let error = try #require(failure(["type": "beta-tcvae", "beta": 6], beta: 4))
        #expect(error.path == "model.beta")
        #expect(error.expected.contains("\"beta-tcvae\" weighs its terms itself"))
        #expect(failure("iwae", beta: 2)?.path == "model.beta")
        #expect(failure("capacity", beta: 2)?.path == "model.beta")
    }

    @Test(arguments: [
        (JSONValue.string("tcvae"), "model.objective"),
        (["type": "beta_tcvae", "beta": 1], "model.objective.type"),
        (["beta": 1], "model.objective.type"),
        (["type": "beta-tcvae"], "model.objective.beta"),
        (["type": "beta-tcvae", "beta": -1], "model.objective.beta"),
        (["type": "beta-tcvae", "beta": 1, "lambda_od": 2], "model.objective.lambda_od"),
        (["type": "beta-tcvae", "beta": 1, "gama": 2], "model.objective.gama"),
        (["type": "factor-vae"], "model.objective.gamma"),
        (["type": "factor-vae", "gamma": 1, "discriminator": [["dense": 0]]], "model.objective.discriminator[0].dense"),
        (["type": "factor-vae", "gamma": 1, "optimizer": ["type": "adam", "lr": 0]], "model.objective.optimizer.lr"),
        (["type": "dip-vae", "lambda_od": 1], "model.objective.variant"),
        (["type": "dip-vae", "variant": "iii", "lambda_od": 1], "model.objective.variant"),
        (["type": "capacity", "capacity_steps": 1.5], "model.objective.capacity_steps"),
        (["type": "iwae", "samples": 0], "model.objective.samples"),
        (["type": "iwae", "samples": 5001], "model.objective.samples"),
        (7, "model.objective"),
    ] as [(JSONValue, String)])
    func badObjectivesAreRefusedAtTheirPath(_ objective: JSONValue, _ path: String) throws {
        let error = try #require(failure(objective))
        #expect(error.path == path, "\(error)")
        #expect(error.file == "x.json")
    }

    /// The ELBO resolves to no `objective` key, so runs from before it existed keep their ids; the
    /// others resolve to every key and parse back to the same run.
    @Test func resolvedObjectivesRoundTrip() throws {
        let plain = try experiment(minimal).runs[0]
        let explicit = try experiment(setting(minimal, ["model", "objective"], "elbo")).runs[0]
        #expect(plain.id == explicit.id)
        guard case .object(let top) = plain.resolvedJSON, case .object(let model)? = top["model"] else {
            Issue.record("no model"); return
        }
        #expect(model["objective"] == nil)
        for objective: JSONValue in [["type": "beta-tcvae", "beta": 6], ["type": "factor-vae", "gamma": 35],
                                     ["type": "dip-vae", "variant": "ii", "lambda_od": 5], "capacity", ["type": "iwae", "samples": 3]] {
            let run = try experiment(setting(minimal, ["model", "objective"], objective)).runs[0]
            #expect(run.id != plain.id)
            let back = try ExperimentLoader.parseRun(text: run.resolvedJSON.pretty, file: "spec.json", experiment: run.experiment,
                                                     swept: run.swept)
            #expect(back == run)
        }
    }

    /// Objectives can be swept and compared as variants, each with its own weights.
    @Test func objectivesAsVariantsAndSweeps() throws {
        var tree = setting(minimal, ["variants"], [
            "beta-vae": ["model": ["beta": 4]],
            "tcvae": ["model": ["objective": ["type": "beta-tcvae", "beta": 6]]],
        ])
        tree = setting(tree, ["sweep"], ["model.latent": [2, 3]])
        #expect(try experiment(tree).runs.count == 4)
        let swept = setting(setting(minimal, ["model", "objective"], ["type": "beta-tcvae", "beta": 1]),
                            ["sweep"], ["model.objective.beta": [1, 2, 6]])
        let betas = try experiment(swept).runs.map { run -> Float in
            guard case .vae(let spec) = run.model, case .betaTCVAE(_, let beta, _) = spec.objective else { return -1 }
            return beta
        }
        #expect(betas == [1, 2, 6])
    }
}
