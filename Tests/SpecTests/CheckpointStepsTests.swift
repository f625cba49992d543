import Testing
import Spec

/// `training.checkpoint_steps`: decoded strictly like the other training fields, spelled out in
/// the resolved spec, and left out of the run id (it changes how often a run is saved, not what
/// it computes).
@Suite struct CheckpointStepsTests {
    @Test func defaultsToZeroAndIsInTheResolvedSpec() throws {
        let run = try experiment(minimal).runs[0]
        #expect(run.training.checkpointSteps == 0)
        guard case .object(let resolved) = run.resolvedJSON, case .object(let training)? = resolved["training"] else {
            Issue.record("resolved spec without a training object"); return
        }
        #expect(training["checkpoint_steps"] == .int(0))
        let every5 = try experiment(setting(minimal, ["training", "checkpoint_steps"], 5)).runs[0]
        #expect(every5.training.checkpointSteps == 5)
        // The resolved spec (spec.json) reads back with the value.
        let back = try ExperimentLoader.parseRun(text: every5.resolvedJSON.pretty, file: "spec.json", experiment: "t")
        #expect(back.training.checkpointSteps == 5)
    }

    @Test func badValuesNameThePath() {
        #expect(specError(setting(minimal, ["training", "checkpoint_steps"], -1)) == SpecError(
            file: "x.json", path: "training.checkpoint_steps", expected: "an integer from 0 to 1000000000", found: "number -1"))
        #expect(specError(setting(minimal, ["training", "checkpoint_steps"], "5")) == SpecError(
            file: "x.json", path: "training.checkpoint_steps", expected: "an integer from 0 to 1000000000", found: #"string "5""#))
        #expect(specError(setting(minimal, ["training", "checkpoint_steps"], 2.5))?.path == "training.checkpoint_steps")
        #expect(specError(setting(minimal, ["training", "checkpoint_step"], 5))?.hint == #"did you mean "checkpoint_steps"?"#)
    }

    @Test func runIdsDoNotDependOnIt() throws {
        let plain = try ExperimentLoader.parse(text: quickstart, file: "q.json").runs
        let every5 = try ExperimentLoader.parse(
            text: quickstart.replacingOccurrences(of: #""batch":64,"#, with: #""batch":64,"checkpoint_steps":5,"#), file: "q.json").runs
        #expect(every5.map(\.training.checkpointSteps) == [5, 5, 5, 5])
        #expect(every5.map(\.id) == plain.map(\.id))
        #expect(every5.map(\.canonicalJSON) == plain.map(\.canonicalJSON))
        #expect(every5.map(\.resolvedJSON) != plain.map(\.resolvedJSON))
        // The ids genlab gave these runs before checkpoint_steps existed (GenLab 0.1's ids).
        #expect(plain.map(\.legacyID) == ["ba9021477e59", "b6b3b8783f73", "a2c7e5ca67f8", "981d9f80b7c6"])
    }

    @Test func sweepingItGivesTheSameRunTwice() {
        let swept = setting(minimal, ["sweep"], ["training.checkpoint_steps": [0, 5]])
        #expect(specError(swept)?.expected == "sweep values that give distinct runs")
    }
}
