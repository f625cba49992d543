import NN

/// Where a run's training stands between two optimisation steps: everything a checkpoint holds
/// besides the model, so that training continues from it exactly as it would have gone on.
struct TrainingPosition: Equatable {
    /// Epochs completed (their metrics lines written).
    var epochsDone: Int
    /// Steps already taken in epoch `epochsDone + 1` (0 at an epoch boundary).
    var epochStep: Int
    /// The data stream as it was before epoch `epochsDone + 1` drew its order, so the same
    /// permutation is drawn again on resume.
    var dataStream: RandomStream
    /// Partial train-term sums of epoch `epochsDone + 1` (empty when `epochStep` is 0).
    var totals: [Double]
    /// The `metrics.jsonl` lines of the completed epochs.
    var metricsLines: [String]

    /// A run's start: no epoch done, the data stream fresh from (seed, "data").
    static func start(seed: UInt64) -> TrainingPosition {
        TrainingPosition(epochsDone: 0, epochStep: 0, dataStream: RandomStream(seed: seed, purpose: "data"), totals: [], metricsLines: [])
    }
}
