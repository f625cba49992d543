/// `model.conditioning`: a model conditioned on the data's class labels (Mirza & Osindero 2014
/// for GANs, Sohn et al. 2015 for VAEs). The label y enters as a one-hot vector of `classes`
/// entries: concatenated to z at the generator's (decoder's) input, to x at a VAE encoder's input,
/// and to a GAN discriminator's input or through a projection (`discriminator`); docs/models.md.
public struct ConditioningSpec: Sendable, Equatable {
    /// How a conditional GAN's discriminator sees y.
    public enum Discriminator: String, Sendable, Equatable, CaseIterable {
        /// One-hot y appended to the input: to the features of flat data or of a discriminator
        /// whose first layer is dense, as K constant maps (extra channels) before a first conv layer.
        case concat
        /// Miyato & Koyama 2018: D(x, y) = ψ(φ(x)) + ⟨embed(y), φ(x)⟩, embed a learned K × F matrix.
        case projection
    }

    /// Number of classes K; labels must lie in 0..<K.
    public var classes: Int
    /// The discriminator's conditioning (GANs; nil for a VAE).
    public var discriminator: Discriminator?

    public init(classes: Int, discriminator: Discriminator? = nil) {
        self.classes = classes
        self.discriminator = discriminator
    }

    /// The classes a data section fixes by itself (Fashion-MNIST and MNIST-family IDX folders 10,
    /// sprite shapes 3, the ring's 8 and the grid's 25 components); nil where only the files can
    /// say (image folders, arrays), so the file must give `classes`.
    public static func knownClasses(of data: DataSpec) -> Int? {
        switch data.dataset {
        case .fashionMNIST, .idx: return 10
        case .sprites: return 3
        case .ring: return 8
        case .grid: return 25
        case .images, .array: return nil
        }
    }

    var resolvedJSON: JSONValue {
        var object: JSONObject = ["classes": .int(Int64(classes))]
        if let discriminator { object["discriminator"] = .string(discriminator.rawValue) }
        return .object(object)
    }
}

extension SpecDecoder {
    static let maxClasses = 1000

    /// `model.conditioning`: `true` (every default), `false` (unconditional, as if absent) or an
    /// object with `classes` (default: what the data section fixes, `ConditioningSpec.knownClasses`)
    /// and, for a GAN, `discriminator` (`concat`, the default, or `projection`).
    func decodeConditioning(_ model: ObjectReader, forGAN: Bool, data: DataSpec) throws -> ConditioningSpec? {
        guard let value = model["conditioning"] else { return nil }
        let path = model.path.key("conditioning")
        let expected = "true, false or an object with \"classes\"" + (forGAN ? " and \"discriminator\"" : "")
        let reader: ObjectReader
        switch value {
        case .bool(false): return nil
        case .bool(true): reader = try ObjectReader(.object([:]), at: path, self)
        default: reader = try ObjectReader(value, at: path, self, expected: expected)
        }
        let keys = forGAN ? ["classes", "discriminator"] : ["classes"]
        try reader.rejectUnknownKeys(keys, in: "model.conditioning")
        let classRule = Rules.integer(atLeast: 2, atMost: Int64(Self.maxClasses))
        let classes: Int
        if let known = ConditioningSpec.knownClasses(of: data) {
            classes = try reader.optional("classes", default: known, classRule)
        } else if reader.has("classes") {
            classes = try reader.required("classes", classRule)
        } else {
            throw error(path.key("classes"),
                        expected: "the number of classes (data set \(JSONWriter.quoted(data.dataset.rawValue)) does not fix it)",
                        found: "missing key")
        }
        let discriminator = forGAN ? try reader.optional("discriminator", default: .concat, Rules.oneOf(ConditioningSpec.Discriminator.self)) : nil
        return ConditioningSpec(classes: classes, discriminator: discriminator)
    }
}

extension ModelSpec {
    /// The model's conditioning on class labels, nil when unconditional (a VAE-GAN always).
    public var conditioning: ConditioningSpec? {
        switch self {
        case .vae(let vae): return vae.conditioning
        case .gan(let gan): return gan.conditioning
        case .vaeGAN: return nil
        }
    }
}
