import Data
import Spec

/// A conditional model needs labels in 0..<K for every example of both splits: a data set
/// without them (an image folder without class folders, an array without a labels file) or with
/// a label K or more is bad input at `model.conditioning`, found before any model is built.
public enum ConditioningCheck {
    public static func check(_ run: RunSpec, data: DataSplits, file: String) throws(SpecError) {
        guard let conditioning = run.model.conditioning else { return }
        let path = "model.conditioning"
        for (name, split) in [("training", data.train), ("test", data.test)] {
            guard let labels = split.labels, labels.count == split.count else {
                throw SpecError(file: file, path: path, expected: "a data set with class labels (a conditional model trains on them)",
                                found: "\(JSONWriter.quoted(run.data.dataset.rawValue)) data whose \(name) split has no labels")
            }
            if let bad = labels.first(where: { $0 < 0 || Int($0) >= conditioning.classes }) {
                throw SpecError(file: file, path: path + ".classes",
                                expected: "more classes than the largest label of the data",
                                found: "\(conditioning.classes) classes, but the \(name) split has label \(bad)")
            }
        }
    }
}
