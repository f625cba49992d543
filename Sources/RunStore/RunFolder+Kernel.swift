import Report

extension RunFolder {
    /// The OpenBLAS kernel family the run recorded: its checkpoint's (native runs record one there),
    /// else its `final.json`'s `openblas_core`; nil when neither says.
    public var recordedKernel: String? {
        if let family = Checkpoint.recordedKernel(atPath: checkpoint) { return family }
        if case .success(let record)? = TrainingRecord.read(folder: path) { return record.openblasCore }
        return nil
    }
}
