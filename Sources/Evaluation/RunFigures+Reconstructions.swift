import Formats
import Models
import Report

extension FigureContext {
    static let reconstructionCount = 32

    /// `reconstructions.png`: the first 32 test images, 8 per row, each row of originals above
    /// the row of their reconstructions (decoded posterior means).
    func reconstructions() throws -> PixelImage {
        guard let encoder = model as? any EncodingModel else { preconditionFailure("reconstructions need an encoder") }
        let n = min(Self.reconstructionCount, test.count)
        let originals = testImages(n)
        let reconstructions = decode(encodeMeans(encoder, originals, count: n), count: n, labels: testLabels(n))
        let (channels, height, width) = imageShape
        return try grid(columns: 8).composePairs(originals: originals, reconstructions: reconstructions, count: n,
                                                 channels: channels, height: height, width: width)
    }
}
