import Foundation

/// A folder in the MNIST family layout (MNIST, Fashion-MNIST, KMNIST): four IDX files,
/// each gzipped (`NAME.gz`, preferred) or plain (`NAME`):
///
///     train-images-idx3-ubyte  train-labels-idx1-ubyte  t10k-images-idx3-ubyte  t10k-labels-idx1-ubyte
enum IDXFolder {
    static let trainImages = "train-images-idx3-ubyte"
    static let trainLabels = "train-labels-idx1-ubyte"
    static let testImages = "t10k-images-idx3-ubyte"
    static let testLabels = "t10k-labels-idx1-ubyte"

    /// Loads the train and test splits; images become `[1, rows, cols]` byte images with labels.
    /// `trainLimit` / `testLimit` keep only the first N examples of a split; a limit above what
    /// the split holds is refused (`DataError.notEnoughExamples`), not silently lowered.
    static func load(folder: String, trainLimit: Int?, testLimit: Int?) throws -> (train: ByteImageDataset, test: ByteImageDataset) {
        for limit in [trainLimit, testLimit] {
            if let limit, limit < 1 { throw DataError.invalidSource("an example limit must be at least 1, got \(limit)") }
        }
        let train = try loadSplit(folder: folder, images: trainImages, labels: trainLabels, limit: trainLimit, split: "train")
        let test = try loadSplit(folder: folder, images: testImages, labels: testLabels, limit: testLimit, split: "test")
        guard train.set.exampleShape == test.set.exampleShape else {
            throw DataError.shapeMismatch(path: test.imagesPath, expected: train.set.exampleShape, found: test.set.exampleShape)
        }
        return (train.set, test.set)
    }

    /// The path of `name` in `folder`: `NAME.gz` if it exists, else `NAME`.
    /// - Throws: `DataError.missingFile` naming both candidates when neither exists.
    static func locate(_ name: String, in folder: String) throws -> String {
        let base = (folder as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: base + ".gz") { return base + ".gz" }
        if FileManager.default.fileExists(atPath: base) { return base }
        throw DataError.missingFile(path: base + "[.gz]")
    }

    private static func loadSplit(folder: String, images: String, labels: String, limit: Int?, split: String) throws
        -> (set: ByteImageDataset, imagesPath: String)
    {
        let imagesPath = try locate(images, in: folder)
        let labelsPath = try locate(labels, in: folder)
        let imageFile = try IDXFile.read(path: imagesPath, expectedMagic: IDXFile.imagesMagic)
        let labelFile = try IDXFile.read(path: labelsPath, expectedMagic: IDXFile.labelsMagic)
        let n = imageFile.dimensions[0]
        guard n == labelFile.dimensions[0] else {
            throw DataError.countMismatch(imagesPath: imagesPath, images: n, labelsPath: labelsPath, labels: labelFile.dimensions[0])
        }
        let rows = imageFile.dimensions[1], cols = imageFile.dimensions[2]
        guard rows > 0, cols > 0 else {
            throw DataError.truncated(path: imagesPath, detail: "images of size \(rows)×\(cols)")
        }
        let kept = try SeededSplit.limit(n, to: limit, split: split, path: imagesPath)
        let pixels = kept == n ? imageFile.elements : Array(imageFile.elements[0 ..< kept * rows * cols])
        let classes = labelFile.elements[0 ..< kept].map { Int32($0) }
        return (ByteImageDataset(pixels: pixels, exampleShape: [1, rows, cols], labels: classes), imagesPath)
    }
}
