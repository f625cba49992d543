import Foundation
import Report
import Spec

/// A run's wall-clock seconds, summed over the attempts that trained it: each checkpoint also
/// rewrites `timing.json`, and a resumed run starts from the figures found there. `timing.json` is
/// the one file of a run that is not byte-stable; checkpoints hold no time, so they stay
/// identical whether or not the run was interrupted.
struct RunTiming {
    var trainSeconds = 0.0
    var evalSeconds = 0.0
    /// Seconds of all attempts before this process's, up to their last `timing.json`.
    var earlierSeconds = 0.0
    /// Times the run was resumed from a checkpoint.
    var resumes = 0

    /// The figures in `path`, or zeros when it is missing or unreadable.
    static func read(_ path: String) -> RunTiming {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              case .object(let object)? = try? JSONParser.parse(text, file: path) else { return RunTiming() }
        func number(_ key: String) -> Double {
            switch object[key] {
            case .number(let x)?: return x
            case .int(let n)?: return Double(n)
            default: return 0
            }
        }
        return RunTiming(trainSeconds: number("train_seconds"), evalSeconds: number("eval_seconds"),
                         earlierSeconds: number("total_seconds"), resumes: Int(number("resumes")))
    }

    /// Writes `timing.json` with `seconds` of this process added and the images trained so far.
    func write(to path: String, seconds: Double, trainedImages: Int) throws {
        let timing: JSONObject = [
            "train_seconds": JSONValue.finite(trainSeconds), "eval_seconds": JSONValue.finite(evalSeconds),
            "total_seconds": JSONValue.finite(earlierSeconds + seconds),
            "train_images_per_s": JSONValue.finite(Double(trainedImages) / max(trainSeconds, 1e-9)),
            "resumes": .int(Int64(resumes)),
        ]
        try AtomicFile.write(JSONWriter.pretty(.object(timing)) + "\n", to: path)
    }

    /// Sets `evaluation_seconds` in the `timing.json` at `path` (the last evaluation's time).
    static func recordEvaluation(seconds: Double, at path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              case .object(var object)? = try? JSONParser.parse(text, file: path) else { return }
        object["evaluation_seconds"] = JSONValue.finite(seconds)
        try AtomicFile.write(JSONWriter.pretty(.object(object)) + "\n", to: path)
    }
}
