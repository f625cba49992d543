/// How much a run asks of its training set: examples per optimisation step (`training.batch`,
/// times `schedule.packing` for a GAN, as PacGAN packs M examples into each discriminator input)
/// and steps in all. Checked when the file is decoded, against `data.train_size` where the file
/// gives it, and again by the runner against the loaded data, always before a model is built, so
/// a batch larger than the data or a step count that would overflow is a `SpecError`, not a huge
/// allocation or a trap.
public enum TrainingBudget {
    /// Examples one optimisation step consumes.
    public static func examplesPerStep(model: ModelSpec, training: TrainingSpec) -> Int {
        if case .gan(let gan) = model { return training.batch * gan.schedule.packing }
        return training.batch
    }

    /// Throws unless a step fits in `trainCount` examples and epochs × steps per epoch is at most
    /// `SpecLimits.maxSteps`. `source` says where `trainCount` comes from, for the message.
    public static func check(model: ModelSpec, training: TrainingSpec, trainCount: Int, source: String? = nil,
                             file: String) throws(SpecError) {
        let perStep = examplesPerStep(model: model, training: training)
        guard perStep <= trainCount else {
            throw SpecError(file: file, path: "training.batch",
                            expected: "at most the \(trainCount) training examples per step" + (source.map { " (\($0))" } ?? ""),
                            found: "number \(training.batch)" + (perStep != training.batch ? " (\(perStep) examples with packing)" : ""))
        }
        let stepsPerEpoch = trainCount / perStep
        let (steps, overflow) = stepsPerEpoch.multipliedReportingOverflow(by: training.epochs)
        guard !overflow, steps <= SpecLimits.maxSteps else {
            throw SpecError(file: file, path: "training.epochs",
                            expected: "at most \(SpecLimits.maxSteps) optimisation steps in all (epochs × \(stepsPerEpoch) steps per epoch)",
                            found: "number \(training.epochs)" + (overflow ? "" : " (\(steps) steps)"))
        }
    }
}

extension SpecDecoder {
    /// `TrainingBudget.check` against `data.train_size` where the file fixes it (sprites, ring and
    /// grid always do; an IDX data set only with an explicit `train_size`, which may still exceed
    /// the files: the runner checks again once they are read).
    func checkBudget(_ sections: Sections) throws {
        guard let trainSize = sections.data.trainSize else { return }
        try TrainingBudget.check(model: sections.model, training: sections.training, trainCount: trainSize,
                                 source: "data.train_size", file: file)
    }
}
