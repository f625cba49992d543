import Testing
import Spec

/// The `report` section: its keys, strict decoding, and that none of the figure options reach the
/// run id.
@Suite struct ReportSpecTests {
    @Test func optionsDecodeAndReadBackFromTheResolvedSpec() throws {
        let tree = setting(minimal, ["report"], ["grids": ["latent", "samples"], "interpolation": "spherical",
                                                 "interpolation_steps": 7])
        let run = try experiment(tree).runs[0]
        #expect(run.report == ReportSpec(grids: [.latent, .samples], interpolation: .spherical, interpolationSteps: 7))
        let back = try ExperimentLoader.parseRun(text: run.resolvedJSON.pretty, file: "spec.json", experiment: "t")
        #expect(back == run)
        // A spec.json written before these keys existed still reads (with the defaults).
        let oldSpec = setting(run.resolvedJSON, ["report"], ["grids": ["samples", "reconstructions"]])
        let old = try ExperimentLoader.parseRun(text: oldSpec.pretty, file: "spec.json", experiment: "t")
        #expect(old.report == ReportSpec(grids: [.samples, .reconstructions], interpolation: .linear, interpolationSteps: 10))
    }

    @Test func badValuesNameThePathAndSuggestAKey() {
        #expect(specError(setting(minimal, ["report", "interpolations"], "linear")) == SpecError(
            file: "x.json", path: "report.interpolations",
            expected: #"a key of report: "grids", "interpolation", "interpolation_steps", "metrics", "table""#,
            found: #"unknown key "interpolations""#, hint: #"did you mean "interpolation"?"#))
        #expect(specError(setting(minimal, ["report", "interpolation"], "slerp")) == SpecError(
            file: "x.json", path: "report.interpolation", expected: #"one of "linear", "spherical""#,
            found: #"string "slerp""#))
        #expect(specError(setting(minimal, ["report", "interpolation_steps"], 1)) == SpecError(
            file: "x.json", path: "report.interpolation_steps", expected: "an integer from 2 to 32", found: "number 1"))
        #expect(specError(setting(minimal, ["report", "interpolation_steps"], 10.0))?.path == "report.interpolation_steps")
        #expect(specError(setting(minimal, ["report", "grids"], ["manifold", "manifold"])) == SpecError(
            file: "x.json", path: "report.grids[1]", expected: "a grid not listed before", found: #"string "manifold""#))
    }

    /// None of the report reaches the id or `spec.json` (`trainingJSON`); GenLab 0.1's id
    /// (`legacyID`, for `genlab migrate`) hashed the listed `samples` and `reconstructions` grids
    /// in their order.
    @Test func noneOfTheReportReachesTheId() throws {
        func run(_ report: JSONValue?) throws -> RunSpec { try experiment(setting(minimal, ["report"], report)).runs[0] }
        let before = try run(["grids": ["samples", "reconstructions"]])
        for other in [nil, ["grids": ["samples"]], ["grids": []], ["grids": ["reconstructions", "samples"]],
                      ["interpolation": "spherical", "interpolation_steps": 3] as JSONValue] {
            #expect(try run(other).id == before.id)
            #expect(try run(other).trainingJSON == before.trainingJSON)
        }
        #expect(try run(nil).legacyID == before.legacyID)
        #expect(try run(["grids": ["samples", "latent", "reconstructions", "manifold"], "interpolation": "spherical"]).legacyID == before.legacyID)
        #expect(try run(["grids": ["samples"]]).legacyID != before.legacyID)
        #expect(try run(["grids": ["reconstructions", "samples"]]).legacyID != before.legacyID)
        // …while the resolved spec (`validate --resolved`) records everything.
        #expect(try run(["interpolation": "spherical"]).resolvedJSON != before.resolvedJSON)
    }

    @Test func sweepingAFigureOptionGivesTheSameRunTwice() {
        let swept = setting(minimal, ["sweep"], ["report.interpolation": ["linear", "spherical"]])
        #expect(specError(swept)?.expected == "sweep values that give distinct runs")
    }

    /// `report.table` names the summary table's columns; it is the experiment's, so it is not in a
    /// run's resolved spec (the run's `spec.json` and id do not move) and a variant cannot set it.
    @Test func tableDecodesStaysOutOfTheRunAndIsRefusedInAVariant() throws {
        let tree = setting(minimal, ["report"], ["table": ["fid", "test_kl", "precision_recall.recall"]])
        let run = try experiment(tree).runs[0]
        #expect(run.report.table == ["fid", "test_kl", "precision_recall.recall"])
        let plain = try experiment(minimal).runs[0]
        #expect(run.id == plain.id && run.resolvedJSON == plain.resolvedJSON)
        #expect(plain.report.table == nil)

        let variant = setting(setting(minimal, ["variants"], ["a": ["report": ["table": ["fid"]]]]), ["seeds"], [0])
        #expect(specError(variant) == SpecError(
            file: "x.json", path: "variants[\"a\"].report.table",
            expected: "no table in a variant (the summary table is the experiment's: set report.table at the top level)",
            found: "a table"))
    }

    @Test func badTablesNameThePath() {
        #expect(specError(setting(minimal, ["report", "table"], [])) == SpecError(
            file: "x.json", path: "report.table", expected: "at least one metric name", found: "an empty array"))
        #expect(specError(setting(minimal, ["report", "table"], ["fid", "fid"])) == SpecError(
            file: "x.json", path: "report.table[1]", expected: "a metric not listed before", found: #"string "fid""#))
        #expect(specError(setting(minimal, ["report", "table"], ["fid", 3]))?.path == "report.table[1]")
        #expect(specError(setting(minimal, ["report", "table"], ["test kl"]))?.path == "report.table[0]")
        #expect(specError(setting(minimal, ["report", "table"], "fid"))?.path == "report.table")
    }
}
