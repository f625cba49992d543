import Models
import Spec

/// Builds the model a run describes — the one place a `ModelSpec` chooses a model type.
/// `trainingExamples` is the training split's size (β-TCVAE's estimator needs it).
public enum ModelFactory {
    public static func make(_ run: RunSpec, dataShape: [Int], trainingExamples: Int, file: String) throws(SpecError) -> any GenerativeModel {
        switch run.model {
        case .vae(let spec):
            return try VAE(spec: spec, training: run.training, dataShape: dataShape, trainingExamples: trainingExamples,
                           seed: run.seed, file: file)
        case .gan(let spec):
            return try GAN(spec: spec, training: run.training, dataShape: dataShape, seed: run.seed, file: file)
        case .vaeGAN(let spec):
            return try VAEGAN(spec: spec, training: run.training, dataShape: dataShape, seed: run.seed, file: file)
        }
    }
}
