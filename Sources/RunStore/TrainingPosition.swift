import NN

/// Where a run's training stands between two optimisation steps: everything a checkpoint holds
/// besides the model, so that training continues from it exactly as it would have gone on.
package struct TrainingPosition: Equatable {
    /// Epochs completed (their metrics lines written).
    package var epochsDone: Int
    /// Steps already taken in epoch `epochsDone + 1` (0 at an epoch boundary).
    package var epochStep: Int
    /// The data stream as it was before epoch `epochsDone + 1` drew its order, so the same
    /// permutation is drawn again on resume.
    package var dataStream: RandomStream
    /// Partial train-term sums of epoch `epochsDone + 1` (empty when `epochStep` is 0).
    package var totals: [Double]
    /// The `metrics.jsonl` lines of the completed epochs.
    package var metricsLines: [String]

    package init(epochsDone: Int, epochStep: Int, dataStream: RandomStream, totals: [Double], metricsLines: [String]) {
        self.epochsDone = epochsDone
        self.epochStep = epochStep
        self.dataStream = dataStream
        self.totals = totals
        self.metricsLines = metricsLines
    }

    /// A run's start: no epoch done, the data stream fresh from (seed, "data").
    package static func start(seed: UInt64) -> TrainingPosition {
        TrainingPosition(epochsDone: 0, epochStep: 0, dataStream: RandomStream(seed: seed, purpose: "data"), totals: [], metricsLines: [])
    }
}
