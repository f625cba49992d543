// Dimensions: N examples per step, P = N/M discriminator inputs of a GAN (M packing), k discriminator steps.
import Spec

/// One pass of one network over a batch, as a model's `trainStep` makes it.
public struct NetworkPass: Sendable, Equatable {
    public enum Direction: Sendable, Equatable {
        case forward
        /// `Network.backward`: the weight gradients when `parameterGradients`; the input gradient
        /// of every layer but the first, and of the first too when `inputGradient`.
        case backward(parameterGradients: Bool, inputGradient: Bool)
    }

    public var network: String
    public var direction: Direction
    public var batch: Int
    /// The last layer the pass runs through or starts back from (nil: the whole network).
    public var through: Int? = nil
    /// The pass happens once every `every` steps (a GAN's generator update, every k steps).
    public var every: Int = 1

    /// FLOPs of the pass over `plan`'s layers (`LayerPlan.forwardFLOPs`, `backwardFLOPs`).
    public func flops(_ plan: NetworkPlan) -> Int {
        let layers = plan.layers.prefix((through ?? plan.layers.count - 1) + 1)
        return Saturating.sum(layers.enumerated().map { i, layer in
            switch direction {
            case .forward:
                return layer.forwardFLOPs(batch: batch)
            case let .backward(parameterGradients, inputGradient):
                return layer.backwardFLOPs(batch: batch, parameterGradients: parameterGradients,
                                           inputGradient: i > 0 || inputGradient)
            }
        })
    }
}

extension ModelPlan {
    /// Every network pass one `trainStep` of `model` makes (`model` is the spec this plan was made
    /// from), in order, ignoring a GAN's discriminator-only warm-up:
    /// - VAE: encoder and decoder forward on N (the decoder on N·k codes for the IWAE objective);
    ///   decoder backward with its input gradient (∂z); encoder backward. FactorVAE adds its
    ///   discriminator forward on 2N codes, an input-only backward and a weights-only backward.
    /// - GAN: the discriminator forward and backward on the P real inputs, the generator forward on
    ///   N codes, the discriminator forward and backward on the P fake inputs; every k steps the
    ///   generator update: generator forward on N, discriminator forward and backward (input
    ///   gradient only) on P, generator backward on N.
    /// - VAE-GAN (`VAEGAN.trainStep`, all on N): encoder and decoder ×2 forward (x̃, x_p), the
    ///   discriminator forward and backward ×3; decoder forward on prior codes, discriminator
    ///   forward and input-only backward, decoder backward; discriminator forward through the
    ///   feature layer on x, encoder and decoder forward, discriminator forward, input-only
    ///   backward from the head and from the feature layer, decoder input-only backward, encoder
    ///   and decoder backward.
    /// A gradient penalty's passes over the discriminator (`NN.GradientPenalty`): forward on the
    /// P points, an input-only backward (∇ₓD), the tangent pass (the forward's products without
    /// bias and activation: counted as a forward) and the backward through both passes (two
    /// weight-gradient backwards: z̄ against x and ż̄ against ẋ).
    func penaltyPasses(batch p: Int) -> [NetworkPass] {
        let weights = NetworkPass.Direction.backward(parameterGradients: true, inputGradient: false)
        return [NetworkPass(network: "discriminator", direction: .forward, batch: p),
                NetworkPass(network: "discriminator", direction: .backward(parameterGradients: false, inputGradient: true), batch: p),
                NetworkPass(network: "discriminator", direction: .forward, batch: p),
                NetworkPass(network: "discriminator", direction: weights, batch: p),
                NetworkPass(network: "discriminator", direction: weights, batch: p)]
    }

    public func trainingPasses(for model: ModelSpec) -> [NetworkPass] {
        let n = examplesPerStep
        let weights = NetworkPass.Direction.backward(parameterGradients: true, inputGradient: false)
        let inputOnly = NetworkPass.Direction.backward(parameterGradients: false, inputGradient: true)
        func pass(_ network: String, _ direction: NetworkPass.Direction = .forward, batch: Int? = nil,
                  through: Int? = nil, every: Int = 1) -> NetworkPass {
            NetworkPass(network: network, direction: direction, batch: batch ?? n, through: through, every: every)
        }
        switch model {
        case .vae(let spec):
            let codes = network("decoder").maxBatch
            var passes = [pass("encoder"), pass("decoder", batch: codes),
                          pass("decoder", .backward(parameterGradients: true, inputGradient: true), batch: codes),
                          pass("encoder", weights)]
            if case .factorVAE = spec.objective {
                let both = network("discriminator").maxBatch
                passes += [pass("discriminator", batch: both), pass("discriminator", inputOnly, batch: both),
                           pass("discriminator", .backward(parameterGradients: true, inputGradient: false), batch: both)]
            }
            return passes
        case .gan(let spec):
            let p = network("discriminator").maxBatch, k = spec.schedule.discriminatorSteps
            return [pass("discriminator", batch: p), pass("discriminator", weights, batch: p),
                    pass("generator"),
                    pass("discriminator", batch: p), pass("discriminator", weights, batch: p)]
                + (spec.schedule.gradientPenalty == nil ? [] : penaltyPasses(batch: p))
                + [pass("generator", every: k), pass("discriminator", batch: p, every: k),
                   pass("discriminator", inputOnly, batch: p, every: k), pass("generator", weights, every: k)]
        case .vaeGAN(let spec):
            let feature = featureLayer
            let judge = [pass("discriminator"), pass("discriminator", weights)]
            return [pass("encoder"), pass("decoder"), pass("decoder")] + judge + judge + judge
                + (spec.schedule.gradientPenalty == nil ? [] : penaltyPasses(batch: n))
                + [pass("decoder"), pass("discriminator"), pass("discriminator", inputOnly), pass("decoder", weights)]
                + [pass("discriminator", through: feature), pass("encoder"), pass("decoder"), pass("discriminator"),
                   pass("discriminator", inputOnly), pass("discriminator", inputOnly, through: feature),
                   pass("decoder", inputOnly), pass("encoder", weights), pass("decoder", weights)]
        }
    }

    /// FLOPs of one training step of `model`: the sum of its `trainingPasses`, a pass made every
    /// k steps counted as 1/k.
    public func trainingFLOPs(for model: ModelSpec) -> Double {
        trainingPasses(for: model).reduce(0) { total, pass in
            total + Double(pass.flops(network(pass.network).plan)) / Double(pass.every)
        }
    }
}
