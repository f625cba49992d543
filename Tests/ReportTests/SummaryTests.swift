import Foundation
import Spec
import Testing
@testable import Report

/// Aggregation over seeds and the three summary files.
@Suite struct SummaryTests {
    private func run(_ id: String, seed: UInt64, beta: String, status: RunStatus = .completed,
                     metrics: [(String, Double)] = [], reason: String? = nil) -> RunRecord {
        RunRecord(id: id, seed: seed, swept: [SweptValue(path: "model.beta", value: beta)], status: status,
                  metrics: metrics.map { (name: $0.0, value: $0.1) }, reason: reason)
    }

    private var sample: ExperimentSummary {
        ExperimentSummary(experiment: "demo", sweptPaths: ["model.beta"], runs: [
            run("a0", seed: 0, beta: "1", metrics: [("loss", 1.0), ("kl", 4.0)]),
            run("a1", seed: 1, beta: "1", metrics: [("loss", 2.0), ("kl", 5.0)]),
            run("a2", seed: 2, beta: "1", metrics: [("loss", 4.0), ("kl", 6.0)]),
            run("b0", seed: 0, beta: "4", metrics: [("loss", 10.0), ("extra", .nan)]),
            run("b1", seed: 1, beta: "4", status: .diverged, metrics: [("loss", .infinity)], reason: "diverged at step 3"),
            run("b2", seed: 2, beta: "4", status: .failed, reason: "disk full, \"really\""),
        ])
    }

    @Test func meanAndSampleStandardDeviation() throws {
        let stats = try #require(MetricStats([1, 2, 4]))
        #expect(stats.mean == 7.0 / 3)
        // Σ(x − 7/3)² = 16/9 + 1/9 + 25/9 = 42/9; / (n − 1) = 7/3.
        #expect(abs(try #require(stats.sd) - (7.0 / 3).squareRoot()) < 1e-15)
        #expect(stats.n == 3)
        #expect(MetricStats([5])?.sd == nil)
        #expect(MetricStats([]) == nil)
    }

    @Test func groupsBySweptValuesAndCountsOnlyCompletedFiniteValues() throws {
        let summary = sample
        #expect(summary.metrics == ["loss", "kl", "extra"])
        #expect(summary.configurations.map { $0.values.map(\.value) } == [["1"], ["4"]])
        let second = summary.configurations[1]
        #expect(second.count(.completed) == 1 && second.count(.diverged) == 1 && second.count(.failed) == 1)
        #expect(second.metrics[0] == MetricStats([10]))   // the diverged run's inf is not averaged
        #expect(second.metrics[1] == nil)                 // no kl in beta = 4
        #expect(second.metrics[2] == nil)                 // NaN is not a value
        #expect(summary.configurations[0].metrics[1] == MetricStats([4, 5, 6]))
    }

    @Test func readableNumbers() throws {
        #expect(ReadableNumber.format(8) == "8")
        #expect(ReadableNumber.format(0.83333333) == "0.8333")
        #expect(ReadableNumber.format(771.84851) == "771.8")
        #expect(ReadableNumber.format(1.23456e-5) == "1.235e-05")
        #expect(ReadableNumber.format(.nan) == "nan")
        #expect(ReadableNumber.format(try #require(MetricStats([0.736, 0.852, 0.910]))) == "0.833 ± 0.089")
        #expect(ReadableNumber.format(try #require(MetricStats([770, 775]))) == "772.5 ± 3.5")
        #expect(ReadableNumber.format(try #require(MetricStats([8, 8, 8]))) == "8")
        #expect(ReadableNumber.format(try #require(MetricStats([12000, 14000]))) == "13000 ± 1414")
    }

    @Test func markdownHasAConfigurationRowPerValueAndARunRowPerRun() {
        let text = SummaryTables.markdown(sample)
        #expect(text.contains("6 runs in 2 configuration(s): 4 completed, 1 diverged, 1 failed."))
        #expect(text.contains("| 1 | 3 | 3 of 3 | 2.3 ± 1.5 | 5.0 ± 1.0 | – |"))
        #expect(text.contains("| 4 | 1 | 1 of 3 (1 diverged, 1 failed) | 10 | – | – |"))
        #expect(text.contains("| `b1` | 1 | 4 | diverged: diverged at step 3 | inf | – | – |"))
    }

    @Test func csvKeepsFullPrecisionAndQuotes() {
        let lines = SummaryTables.csv(sample).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "model.beta,runs,completed,diverged,failed,unfinished,loss_mean,loss_sd,loss_n,kl_mean,kl_sd,kl_n,extra_mean,extra_sd,extra_n")
        // Python: m = 7/3; sqrt(((1-m)² + (2-m)² + (4-m)²) / 2) in this order = 1.5275252316519465.
        #expect(lines[1] == "1,3,3,0,0,0,2.3333333333333335,1.5275252316519465,3,5.0,1.0,3,,,0")
        #expect(lines[2] == "4,3,1,1,1,0,10.0,,1,,,0,,,0")
        let runs = SummaryTables.runsCSV(sample)
        #expect(runs.contains("b2,2,4,failed,\"disk full, \"\"really\"\"\",,,\n"))
    }

    @Test func jsonParsesBackWithTheSameNumbers() throws {
        let text = SummaryTables.json(sample)
        guard case .object(let root) = try JSONParser.parse(text, file: "summary.json"),
              case .array(let configurations)? = root["configurations"],
              case .object(let first) = configurations[0],
              case .object(let metrics)? = first["metrics"],
              case .object(let loss)? = metrics["loss"] else {
            Issue.record("unexpected summary.json shape:\n\(text)")
            return
        }
        #expect(loss["mean"] == .number(7.0 / 3))
        #expect(loss["n"] == .int(3))
        #expect(first["values"] == .object(["model.beta": .int(1)]))
        #expect(SummaryTables.json(sample) == text)
    }

    @Test func indexPageEscapesTextAndLinksRelatively() {
        let page = IndexPage(summary: sample, description: "a <b>bold</b> claim", experimentFile: "{\"name\": \"demo\"}",
                             figures: [.init(path: "figures/loss-vs-beta.png", caption: "loss vs β")],
                             runPictures: ["a0": [.init(path: "runs/a0/samples.png", caption: "samples")]])
        let html = page.render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("a &lt;b&gt;bold&lt;/b&gt; claim"))
        #expect(html.contains("src=\"runs/a0/samples.png\""))
        #expect(html.contains("src=\"figures/loss-vs-beta.png\""))
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
        #expect(html == page.render())
    }
}
