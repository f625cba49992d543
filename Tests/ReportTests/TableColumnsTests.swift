import Foundation
import Spec
import Testing
@testable import Report

/// Which metric columns the tables people read show (`TableColumns`), and that the machine-read
/// files keep every metric.
@Suite struct TableColumnsTests {
    /// Two variants × two seeds, with the metrics vae-gan-comparison's runs report.
    private var comparison: ExperimentSummary {
        func run(_ id: String, _ variant: String, seed: UInt64, fid: Double, gan: Bool) -> RunRecord {
            var metrics: [(String, Double)] = [
                ("fid", fid), ("fid.classifier_test_accuracy", 0.8915), ("fid.generated", 10000), ("fid.real", 10000),
                ("kid", fid / 10), ("kid.sd", 0.5 + Double(seed)), ("kid.subset_size", 1000),
                ("precision_recall.precision", 0.7 + Double(seed) / 100), ("precision_recall.recall", 0.1 + Double(seed) / 50),
                ("precision_recall.real", 10000),
            ]
            metrics += gan
                ? [("test_d_fake", 0.4), ("test_d_loss", 1.2 + Double(seed)), ("test_d_real", 0.5), ("train_g_loss", 0.9)]
                : [("iwae", 240 + Double(seed)), ("iwae.examples", 1000), ("test_kl", 14 + Double(seed)),
                   ("test_neg_elbo", 244 + Double(seed)), ("test_recon", 230), ("train_loss", 243)]
            return RunRecord(id: id, seed: seed, swept: [SweptValue(path: "variant", value: "\"\(variant)\"")], status: .completed,
                             metrics: metrics.sorted { $0.0 < $1.0 }.map { (name: $0.0, value: $0.1) })
        }
        return ExperimentSummary(experiment: "cmp", sweptPaths: ["variant"], runs: [
            run("v0", "VAE", seed: 0, fid: 85, gan: false), run("v1", "VAE", seed: 1, fid: 86, gan: false),
            run("g0", "GAN", seed: 0, fid: 80, gan: true), run("g1", "GAN", seed: 1, fid: 84, gan: true),
        ])
    }

    @Test func theDefaultShowsTheMainMetricsWithoutCountsConstantsOrTrainingNumbers() {
        var summary = comparison
        summary.table = TableColumns(reported: summary.metrics, runs: summary.runs,
                                     declared: ["iwae", "fid", "kid", "precision_recall"], requested: nil)
        // Declared order first, precision/recall beside their metric, then the held-out objective;
        // test_recon is 230 in every run, so it tells nothing apart and is dropped.
        #expect(summary.table.metrics == ["iwae", "fid", "kid", "precision_recall.precision", "precision_recall.recall",
                                          "test_neg_elbo", "test_kl", "test_d_loss"])
        #expect(summary.table.unreported.isEmpty)

        let markdown = SummaryTables.markdown(summary)
        let header = markdown.split(separator: "\n").first { $0.hasPrefix("| `variant`") }.map(String.init) ?? ""
        #expect(header == "| `variant` | n | runs | iwae | fid | kid | precision_recall.precision | precision_recall.recall | test_neg_elbo | test_kl | test_d_loss |")
        for hidden in ["fid.real", "iwae.examples", "classifier_test_accuracy", "kid.subset_size", "train_loss", "test_d_real"] {
            #expect(!markdown.contains(hidden), "\(hidden) is in summary.md")
        }
        #expect(markdown.contains("The tables show 8 of the 20 metrics the runs reported; runs.csv and summary.json have all of them."))
        // The machine-read files keep every metric.
        let runsHeader = SummaryTables.runsCSV(summary).split(separator: "\n")[0]
        for name in summary.metrics { #expect(runsHeader.contains(name), "\(name) missing from runs.csv") }
        #expect(SummaryTables.json(summary).contains("\"fid.real\""))
        #expect(SummaryTables.csv(summary).contains("iwae.examples_mean"))
    }

    @Test func withoutDeclaredNamesTheMetricsThatAreNeitherPartsNorTrainingNumbersLead() {
        let summary = comparison
        #expect(summary.table.metrics.prefix(3) == ["fid", "iwae", "kid"])
    }

    @Test func aRequestedTableIsShownAsAskedAndNamesWhatNoRunReported() {
        var summary = comparison
        summary.table = TableColumns(reported: summary.metrics, runs: summary.runs, declared: nil,
                                     requested: ["test_recon", "fid", "fid.real", "tset_kl"])
        #expect(summary.table.metrics == ["test_recon", "fid", "fid.real"])
        #expect(summary.table.unreported == ["tset_kl"])
        let markdown = SummaryTables.markdown(summary)
        #expect(markdown.contains("| `variant` | n | runs | test_recon | fid | fid.real |"))
        #expect(markdown.contains("No completed run reported `tset_kl` (named by report.table)."))
    }

    @Test func aSingleRunKeepsEveryColumn() {
        let one = RunRecord(id: "a", seed: 0, swept: [], status: .completed, metrics: [(name: "test_kl", value: 3), (name: "test_neg_elbo", value: 9)])
        let summary = ExperimentSummary(experiment: "one", sweptPaths: [], runs: [one])
        #expect(summary.table.metrics == ["test_neg_elbo", "test_kl"])
    }

    /// The HTML table scrolls inside its box with the first column held, and marks the main metric.
    @Test func theHTMLTableScrollsInsideThePageWithTheMainMetricFirst() {
        var summary = comparison
        summary.table = TableColumns(reported: summary.metrics, runs: summary.runs, declared: ["fid"], requested: nil)
        let html = IndexPage(summary: summary, description: nil, experimentFile: "{}", figures: [], runPictures: [:]).render()
        #expect(html.contains(#"<div class="table-scroll"><table class="summary">"#))
        #expect(html.contains(#"<th class="metric main" data-metric="fid">fid</th>"#))
        #expect(html.contains("position:sticky"))
        #expect(!html.contains(">fid.real</th>"))
    }

    @Test func seedsThatAgreeShowTheirValueNotRoundingError() throws {
        let stats = try #require(MetricStats([0.8915, 0.8915, 0.8915 + 1e-16]))
        #expect(ReadableNumber.format(stats) == "0.8915")
        #expect(ReadableNumber.format(try #require(MetricStats([85.0, 87.0]))) == "86.0 ± 1.4")
    }
}
