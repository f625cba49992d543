import Foundation
import Testing

/// `genlab validate --summary` on the committed quickstart: the β sweep's four runs share one
/// model block, whose rows, totals and step cost are worked out by hand below.
@Suite struct ValidateSummaryTests {
    static var quickstart: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("experiments/quickstart.json")
    }

    /// The output's lines as cells (columns are two or more spaces apart).
    static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { line in
            line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    @Test func summaryOfTheQuickstart() throws {
        let result = try Genlab.run(["validate", "--summary", Self.quickstart.path])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
        let out = result.stdout
        #expect(out.hasPrefix("\(Self.quickstart.path): ok — quickstart, 4 run(s), about "))
        #expect(out.contains("\nquickstart — model 1 of 1 (vae): 4 runs: seeds 0, 1; model.beta = 1, 4\n"))
        #expect(out.contains("\n  encoder — input [1, 32, 32]\n"))
        #expect(out.contains("\n  decoder — input [8]\n"))
        let rows = Self.rows(out)
        #expect(rows.contains(["#", "layer", "output shape", "parameters"]))
        // Encoder: flatten, 1024→256→128, the 2Z = 16 head; decoder 8→128→256, the 1024 head.
        #expect(rows.contains(["0", "reshape", "[1024]", "0"]))
        #expect(rows.contains(["1", "dense 256 relu", "[256]", "262,400"]))
        #expect(rows.contains(["3", "dense 16", "[16]", "2,064"]))
        #expect(rows.contains(["2", "dense 1024", "[1024]", "263,168"]))
        #expect(rows.contains(["total parameters", "297,360"]))
        #expect(rows.contains(["total parameters", "297,344"]))
        #expect(rows.contains(["non-trainable state", "0"]))
        #expect(out.contains("\n  model: 594,704 parameters, 0 non-trainable state\n"))
        // 3 × 2 FLOPs × 64 examples × 592,896 multiply-adds = 227,672,064.
        #expect(out.contains("\n  training step: 228 MFLOP per step — 64 examples through the encoder and decoder, forward and backward\n"))
        #expect(out.contains("\n  memory: about "))
        #expect(out.contains(" per worker (limit 16 GiB)\n"))
        #expect(!out.contains(" \n"), "no trailing spaces")
    }

    /// A bad file is still bad input: exit status 2, the error on stderr and no summary.
    @Test func badFileWithSummaryExitsTwo() throws {
        let dir = try Genlab.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("bad.json")
        let text = try String(contentsOf: Self.quickstart, encoding: .utf8)
        try edited(text, [(#""latent": 8"#, #""latent": 0"#)]).write(to: bad, atomically: true, encoding: .utf8)
        let result = try Genlab.run(["validate", "--summary", bad.path])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "error: \(bad.path): model.latent: expected an integer from 1 to 65536, found number 0\n")
    }
}
