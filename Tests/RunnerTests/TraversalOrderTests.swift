@testable import Evaluation
import Foundation
import Report
@testable import RunStore
@testable import Runner
import Spec
import Testing

/// Traversal rows ordered by KL, on an encoder whose KL per dimension is known: all weights zero
/// but the head's bias, so every test image gets μ = (0.6, 2, 1) and log σ² = 0, and
/// KL = ½μ² = (0.18, 2, 0.5).
@Suite struct TraversalOrderTests {
    static let text = """
        {"name":"kl","data":{"dataset":"sprites","size":16,"train_size":64,"test_size":16},
         "model":{"type":"vae","latent":3,"encoder":[{"dense":8,"activation":"relu"}],"decoder":[{"dense":8,"activation":"relu"}]},
         "training":{"epochs":1,"batch":16}}
        """

    @Test func rowsFollowTheKLLargestFirstAndPrintIt() throws {
        let run = try ExperimentLoader.parse(text: Self.text, file: "kl.json").runs[0]
        let data = try DataCatalog().splits(for: run.data, file: "kl.json")
        let model = try ModelFactory.make(run, dataShape: data.exampleShape, trainingExamples: data.train.count, file: "kl.json")
        // Encoder layers: 0 flattens, 1 is the dense layer, 2 the (μ, log σ²) head.
        for named in model.checkpointBuffers where named.name.hasPrefix("encoder.") { named.buffer.update(repeating: 0) }
        let head = try #require(model.checkpointBuffers.first { $0.name == "encoder.2.bias" })
        _ = head.buffer.update(fromContentsOf: [0.6, 2, 1, 0, 0, 0] as [Float])

        let context = try #require(FigureContext(model: model, run: run, data: data))
        let kl = try #require(context.posteriors?.kl)
        for (value, expected) in zip(kl, [0.18, 2, 0.5]) { #expect(abs(value - expected) < 1e-6) }

        // The label column of traversals.png holds exactly these labels, row by row.
        let labels = ["z1  KL 2.00", "z2  KL 0.50", "z0  KL 0.18"]
        let picture = try context.traversals()
        let labelWidth = BitmapFont.standard.width(of: labels[0]) + 8
        #expect(picture.width == labelWidth + 11 * 33 - 1 + 4 && picture.height == 21 + 3 * 33 - 1 + 4)
        var expected = Canvas(width: labelWidth, height: picture.height)
        for (row, label) in labels.enumerated() { expected.text(label, x: 4, y: 21 + row * 33 + (32 - 13) / 2) }
        var column = [UInt8]()
        for y in 0..<picture.height { column += picture.pixels[(y * picture.width * 3)..<((y * picture.width + labelWidth) * 3)] }
        #expect(column == expected.image.pixels)
    }
}
