import Testing
import Spec

/// Every error names the file, the JSON path, what was expected and what was found.
@Suite struct DecodingErrorTests {
    @Test func unknownKeySuggestsTheNearestKnownKey() {
        let tree = setting(minimal, ["model", "latnet"], 4)
        #expect(specError(tree) == SpecError(
            file: "x.json", path: "model.latnet",
            expected: #"a key of model: "type", "latent", "beta", "beta_warmup_steps", "likelihood", "sigma", "encoder", "decoder", "objective", "conditioning", "prior", "generator", "discriminator", "loss", "schedule", "gamma", "feature_layer", "discriminator_weights", "decoder_weights""#,
            found: #"unknown key "latnet""#, hint: #"did you mean "latent"?"#))
        let top = setting(minimal, ["seed"], [1])
        #expect(specError(top)?.path == "seed")
        #expect(specError(top)?.hint == #"did you mean "seeds"?"#)
        let far = setting(minimal, ["training", "zzzzzz"], 1)
        #expect(specError(far)?.hint == nil)
    }

    @Test func wrongTypesShowTheValueFound() {
        #expect(specError(setting(minimal, ["model", "latent"], "8")) == SpecError(
            file: "x.json", path: "model.latent", expected: "an integer from 1 to 65536", found: #"string "8""#))
        #expect(specError(setting(minimal, ["model", "latent"], 4.5)) == SpecError(
            file: "x.json", path: "model.latent", expected: "an integer from 1 to 65536", found: "number 4.5"))
        // Integers must be integer literals: 4.0 is a number, not an integer.
        #expect(specError(setting(minimal, ["model", "latent"], 4.0)) == SpecError(
            file: "x.json", path: "model.latent", expected: "an integer from 1 to 65536", found: "number 4.0"))
        #expect(specError(setting(minimal, ["training"], [1, 2])) == SpecError(
            file: "x.json", path: "training", expected: "an object", found: "array of 2 elements"))
        #expect(specError(setting(minimal, ["training", "optimizer"], ["type": "adam", "lr": .null])) == SpecError(
            file: "x.json", path: "training.optimizer.lr", expected: "a number > 0", found: "null"))
        #expect(specError("[]") == SpecError(file: "x.json", path: "", expected: "an experiment object", found: "empty array"))
    }

    @Test func zeroAndNegativeSizesAreRejected() {
        #expect(specError(setting(minimal, ["model", "latent"], 0)) == SpecError(
            file: "x.json", path: "model.latent", expected: "an integer from 1 to 65536", found: "number 0"))
        #expect(specError(setting(minimal, ["data", "train_size"], -3)) == SpecError(
            file: "x.json", path: "data.train_size", expected: "an integer from 1 to 10000000", found: "number -3"))
        #expect(specError(setting(minimal, ["training", "batch"], 0))?.path == "training.batch")
        #expect(specError(setting(minimal, ["training", "epochs"], 0))?.path == "training.epochs")
        let layers = setting(minimal, ["model", "encoder"], [["dense": 8], ["dense": -1]])
        #expect(specError(layers) == SpecError(
            file: "x.json", path: "model.encoder[1].dense", expected: "an integer from 1 to 16777216", found: "number -1"))
        let sprites = setting(setting(minimal, ["data", "dataset"], "sprites"), ["data", "size"], 4)
        #expect(specError(sprites) == SpecError(
            file: "x.json", path: "data.size", expected: "an integer from 8 to 256", found: "number 4"))
        #expect(specError(setting(minimal, ["model", "beta"], -1)) == SpecError(
            file: "x.json", path: "model.beta", expected: "a number ≥ 0", found: "number -1"))
        #expect(specError(setting(minimal, ["training", "clip_norm"], 0)) == SpecError(
            file: "x.json", path: "training.clip_norm", expected: "a number > 0 or null", found: "number 0"))
        #expect(specError(setting(minimal, ["training", "threads"], 65)) == SpecError(
            file: "x.json", path: "training.threads", expected: "an integer from 1 to 64", found: "number 65"))
    }

    @Test func missingRequiredKeys() {
        #expect(specError(setting(minimal, ["model", "latent"], nil)) == SpecError(
            file: "x.json", path: "model.latent", expected: "an integer from 1 to 65536", found: "missing key"))
        #expect(specError(setting(minimal, ["training"], nil)) == SpecError(
            file: "x.json", path: "training", expected: "an object", found: "missing key"))
        #expect(specError(setting(minimal, ["data", "dataset"], "idx")) == SpecError(
            file: "x.json", path: "data.path", expected: "a non-empty string", found: "missing key"))
    }

    @Test func unknownActivationLayerAndOptimizer() {
        let activation = setting(minimal, ["model", "encoder"], [["dense": 8], ["dense": 8], ["dense": 8, "activation": "relux"]])
        #expect(specError(activation) == SpecError(
            file: "x.json", path: "model.encoder[2].activation",
            expected: #"one of "linear", "relu", "leaky_relu", "sigmoid", "tanh", "softplus""#,
            found: #"string "relux""#, hint: #"did you mean "relu"?"#))
        let noKind = setting(minimal, ["model", "decoder"], [["slope": 0.1]])
        #expect(specError(noKind) == SpecError(
            file: "x.json", path: "model.decoder[0]",
            expected: #"an object with one of "dense", "conv", "deconv", "maxout", "dropout", "activation", "batch_norm", "flatten", "reshape""#,
            found: #"object with keys "slope""#))
        let misspelt = setting(minimal, ["model", "decoder"], [["dens": 4]])
        #expect(specError(misspelt)?.found == #"unknown key "dens""#)
        #expect(specError(misspelt)?.hint == #"did you mean "dense"?"#)
        let optimizer = setting(minimal, ["training", "optimizer"], ["type": "adamm"])
        #expect(specError(optimizer) == SpecError(
            file: "x.json", path: "training.optimizer.type", expected: #"one of "sgd", "rmsprop", "adam", "adamw""#,
            found: #"string "adamm""#, hint: #"did you mean "adam"?"#))
        #expect(specError(setting(minimal, ["model", "type"], "gann")) == SpecError(
            file: "x.json", path: "model.type", expected: #"one of "vae", "gan", "vae-gan""#, found: #"string "gann""#,
            hint: #"did you mean "gan"?"#))
        #expect(specError(setting(minimal, ["data", "dataset"], "mnist"))?.path == "data.dataset")
    }

    @Test func keysThatDoNotApplyNameTheVariant() {
        let sgd = setting(minimal, ["training", "optimizer"], ["type": "sgd", "beta1": 0.9])
        #expect(specError(sgd) == SpecError(
            file: "x.json", path: "training.optimizer.beta1",
            expected: #"a key of optimizer type "sgd": "type", "lr", "momentum", "nesterov", "weight_decay""#,
            found: #"key "beta1", which does not apply to optimizer type "sgd""#))
        let path = setting(minimal, ["data", "path"], "/tmp")
        #expect(specError(path)?.found == #"key "path", which does not apply to dataset "ring""#)
        let slope = setting(minimal, ["model", "encoder"], [["dense": 4, "activation": "relu", "slope": 0.1]])
        #expect(specError(slope) == SpecError(
            file: "x.json", path: "model.encoder[0].slope",
            expected: #"no "slope" unless "activation" is "leaky_relu""#, found: "number 0.1"))
        let sigma = setting(minimal, ["model", "sigma"], 0.5)
        #expect(specError(sigma)?.expected == #"no "sigma" unless "likelihood" is "gaussian""#)
        let nesterov = setting(minimal, ["training", "optimizer"], ["type": "sgd", "nesterov": true])
        #expect(specError(nesterov) == SpecError(
            file: "x.json", path: "training.optimizer.nesterov", expected: "false unless \"momentum\" > 0",
            found: "boolean true with momentum 0"))
        let flattenPlus = setting(minimal, ["model", "encoder"], [["flatten": true, "activation": "relu"]])
        #expect(specError(flattenPlus)?.found == #"key "activation", which does not apply to a "flatten" layer"#)
    }

    @Test func topLevelChecks() {
        #expect(specError(setting(minimal, ["name"], "a b")) == SpecError(
            file: "x.json", path: "name", expected: #"a name of 1 to 100 letters, digits, ".", "_" and "-", not starting with ".""#,
            found: #"string "a b""#))
        #expect(specError(setting(minimal, ["seeds"], [0, 1, 0])) == SpecError(
            file: "x.json", path: "seeds[2]", expected: "a seed not listed before", found: "number 0", hint: "also seeds[0]"))
        #expect(specError(setting(minimal, ["seeds"], [])) == SpecError(
            file: "x.json", path: "seeds", expected: "a non-empty array of integers ≥ 0", found: "empty array"))
        #expect(specError(setting(minimal, ["seeds"], [-1]))?.path == "seeds[0]")
        #expect(specError(setting(minimal, ["report", "grids"], ["samples", "traversal"])) == SpecError(
            file: "x.json", path: "report.grids[1]",
            expected: #"one of "samples", "reconstructions", "interpolations", "traversals", "manifold", "latent""#,
            found: #"string "traversal""#, hint: #"did you mean "traversals"?"#))
    }

    @Test func jsonSyntaxErrorsComeThroughTheLoader() {
        #expect(specError("{\"name\": \"a\",\n \"name\": \"b\"}", file: "e.json") == SpecError(
            file: "e.json", path: "line 2, column 2", expected: "a key not already in this object",
            found: #"duplicate key "name""#, hint: "first at line 1, column 2"))
    }

    @Test func missingFileIsASpecError() {
        #expect(throws: SpecError(file: "/nonexistent/e.json", path: "", expected: "a readable JSON file", found: "no such file")) {
            try ExperimentLoader.load(path: "/nonexistent/e.json")
        }
        #expect(throws: SpecError(file: "/tmp", path: "", expected: "a readable JSON file", found: "a directory")) {
            try ExperimentLoader.load(path: "/tmp")
        }
    }

    @Test func errorDescriptionReadsAsOneLine() {
        let error = SpecError(file: "x.json", path: "model.latent", expected: "an integer ≥ 1", found: "number 0")
        #expect(error.description == "x.json: model.latent: expected an integer ≥ 1, found number 0")
    }
}
