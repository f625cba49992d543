
/// A run's identity: its resolved JSON, the canonical text of it, and the id hashed from that.
/// The id covers what changes training and nothing else: `data`, `model`, `training` and `seed`.
/// The experiment name and the swept-value record are not part of it, so the same run has the
/// same id in any experiment; nor is `training.checkpoint_steps`, which changes how often a run is
/// saved but not one byte of its results, so changing it keeps the run ids (and resumes); nor is
/// `report`: figures and metrics are computed from the finished checkpoint by the evaluation
/// stage, keyed by their own parameters (`evaluation.json`), so changing them never retrains.
extension RunSpec {
    /// The resolved run: `data`, `model`, `training`, `report` with every applicable key explicit
    /// (defaults filled, `init` resolved, optimizer spelled out, `null` where an applicable
    /// optional is nil), and `seed`. Keys that do not apply (e.g. `sigma` for a Bernoulli
    /// likelihood) are absent, so the document decodes back to the same run.
    public var resolvedJSON: JSONValue {
        .object(["data": data.resolvedJSON, "model": model.resolvedJSON, "training": training.resolvedJSON,
                 "report": report.resolvedJSON, "seed": .int(Int64(clamping: seed))])
    }

    /// What training reads: `resolvedJSON` without `report`. The run's `spec.json`.
    public var trainingJSON: JSONValue {
        .object(["data": data.resolvedJSON, "model": model.resolvedJSON, "training": training.resolvedJSON,
                 "seed": .int(Int64(clamping: seed))])
    }

    /// `trainingJSON` without the key that cannot change results (`training.checkpoint_steps`):
    /// the document `canonicalJSON` writes and the id hashes.
    public var identityJSON: JSONValue {
        .object(["data": data.resolvedJSON, "model": model.resolvedJSON, "training": training.identityJSON,
                 "seed": .int(Int64(clamping: seed))])
    }

    /// The id this run had in GenLab 0.1, whose identity also held the grids `samples` and
    /// `reconstructions` and the declared metrics (`ReportSpec.legacyIdentityJSON`) and had no
    /// `log_every_steps` (0.1 logged at epoch ends): what `genlab migrate` looks for to move a
    /// results folder to the current ids.
    public var legacyID: String {
        let json: JSONValue = .object(["data": data.resolvedJSON, "model": model.resolvedJSON,
                                       "training": training.legacyIdentityJSON, "report": report.legacyIdentityJSON,
                                       "seed": .int(Int64(clamping: seed))])
        return RunSpec.identifier(canonicalJSON: JSONWriter.canonical(json))
    }

    /// First 12 hex digits of SHA-256 of the UTF-8 of `canonicalJSON`.
    public static func identifier(canonicalJSON: String) -> String {
        String(SHA256Text.hex(Array(canonicalJSON.utf8)).prefix(12))
    }

    /// A run whose `canonicalJSON` and `id` are computed from its typed fields.
    public init(experiment: String, seed: UInt64, swept: [SweptValue], data: DataSpec, model: ModelSpec,
                training: TrainingSpec, report: ReportSpec) {
        self.init(experiment: experiment, seed: seed, swept: swept, data: data, model: model, training: training,
                  report: report, canonicalJSON: "", id: "")
        canonicalJSON = JSONWriter.canonical(identityJSON)
        id = RunSpec.identifier(canonicalJSON: canonicalJSON)
    }
}
