import Data
import Foundation
import Testing

@Suite struct IDXFileTests {
    @Test func encodedHeaderIsBigEndian() {
        let file = IDXFile(dimensions: [2, 3, 258], elements: [UInt8](repeating: 7, count: 2 * 3 * 258))
        let bytes = file.encoded()
        #expect(Array(bytes[0..<16]) == [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 1, 2])
        #expect(bytes.count == 16 + 2 * 3 * 258)
    }

    @Test(arguments: [false, true])
    func roundTrip(gzipped: Bool) throws {
        let folder = try freshFolder("roundtrip-\(gzipped)")
        let (images, labels) = tinyIDX(n: 5, rows: 4, cols: 3)
        let imagesPath = folder + "/images" + (gzipped ? ".gz" : "")
        let labelsPath = folder + "/labels" + (gzipped ? ".gz" : "")
        if gzipped {
            writeGzip(images.encoded(), to: imagesPath)
            writeGzip(labels.encoded(), to: labelsPath)
            #expect(Array(fileBytes(imagesPath).prefix(2)) == [0x1f, 0x8b])
        } else {
            try writePlain(images.encoded(), to: imagesPath)
            try writePlain(labels.encoded(), to: labelsPath)
        }
        #expect(try IDXFile.read(path: imagesPath, expectedMagic: IDXFile.imagesMagic) == images)
        #expect(try IDXFile.read(path: labelsPath, expectedMagic: IDXFile.labelsMagic) == labels)
    }

    @Test func largeGzipNeedsSeveralOutputChunks() throws {
        // Over 64 KiB decompressed and highly compressible, so inflate refills its output buffer.
        let folder = try freshFolder("large-gzip")
        let file = IDXFile(dimensions: [100, 50, 50], elements: (0..<250_000).map { UInt8($0 / 1000 % 256) })
        writeGzip(file.encoded(), to: folder + "/big.gz")
        #expect(try IDXFile.read(path: folder + "/big.gz", expectedMagic: IDXFile.imagesMagic) == file)
    }

    @Test func missingFileIsNamed() {
        let path = "/nonexistent/genlab/train-images-idx3-ubyte.gz"
        #expect(throws: DataError.missingFile(path: path)) {
            try IDXFile.read(path: path, expectedMagic: IDXFile.imagesMagic)
        }
    }

    @Test(arguments: [false, true])
    func badMagicIsNamed(gzipped: Bool) throws {
        let folder = try freshFolder("badmagic-\(gzipped)")
        let path = folder + "/labels-as-images"
        let (_, labels) = tinyIDX(n: 4, rows: 2, cols: 2)
        if gzipped { writeGzip(labels.encoded(), to: path) } else { try writePlain(labels.encoded(), to: path) }
        let error = try #require(throws: DataError.self) {
            try IDXFile.read(path: path, expectedMagic: IDXFile.imagesMagic)
        }
        #expect(error == .badMagic(path: path, expected: 0x803, found: 0x801))
        #expect(error.description.contains(path))
        #expect(error.description.contains("0x00000801"))
    }

    @Test func notIDXAtAllIsBadMagic() throws {
        let folder = try freshFolder("text")
        let path = folder + "/readme.txt"
        try writePlain(Array("hello, world\n".utf8), to: path)
        let error = try #require(throws: DataError.self) {
            try IDXFile.read(path: path, expectedMagic: IDXFile.labelsMagic)
        }
        guard case .badMagic(let p, _, _) = error else { Issue.record("expected badMagic, got \(error)"); return }
        #expect(p == path)
    }

    @Test(arguments: [4, 10, 16 + 5 * 4 * 3 - 1])
    func truncatedPlainIsNamed(keep: Int) throws {
        let folder = try freshFolder("truncated-\(keep)")
        let path = folder + "/images"
        try writePlain(Array(tinyIDX(n: 5, rows: 4, cols: 3).images.encoded().prefix(keep)), to: path)
        let error = try #require(throws: DataError.self) {
            try IDXFile.read(path: path, expectedMagic: IDXFile.imagesMagic)
        }
        guard case .truncated(let p, _) = error else { Issue.record("expected truncated, got \(error)"); return }
        #expect(p == path)
        #expect(error.description.contains(path))
    }

    @Test func truncatedGzipIsNamed() throws {
        let folder = try freshFolder("truncated-gzip")
        let whole = folder + "/whole.gz", cut = folder + "/cut.gz"
        let file = IDXFile(dimensions: [20, 28, 28], elements: (0..<(20 * 784)).map { UInt8(truncatingIfNeeded: $0 &* 7919) })
        writeGzip(file.encoded(), to: whole)
        let gz = fileBytes(whole)
        try writePlain(Array(gz.prefix(gz.count / 2)), to: cut)
        let error = try #require(throws: DataError.self) {
            try IDXFile.read(path: cut, expectedMagic: IDXFile.imagesMagic)
        }
        guard case .truncated(let p, _) = error else { Issue.record("expected truncated, got \(error)"); return }
        #expect(p == cut)
    }

    @Test func corruptGzipIsNamed() throws {
        let folder = try freshFolder("corrupt-gzip")
        let path = folder + "/corrupt.gz"
        let (images, _) = tinyIDX(n: 5, rows: 4, cols: 3)
        writeGzip(images.encoded(), to: path)
        var bytes = fileBytes(path)
        for i in 12..<(bytes.count - 8) { bytes[i] ^= 0x5a }  // scramble the deflate data
        try writePlain(bytes, to: path)
        let error = try #require(throws: DataError.self) {
            try IDXFile.read(path: path, expectedMagic: IDXFile.imagesMagic)
        }
        #expect(error.path == path)
    }

    @Test func trailingBytesAreRejected() throws {
        let folder = try freshFolder("trailing")
        let path = folder + "/labels"
        try writePlain(tinyIDX(n: 3, rows: 1, cols: 1).labels.encoded() + [9, 9], to: path)
        #expect(throws: DataError.trailingBytes(path: path, expected: 8 + 3, found: 8 + 5)) {
            try IDXFile.read(path: path, expectedMagic: IDXFile.labelsMagic)
        }
    }
}

@Suite struct IDXFolderTests {
    @Test(arguments: [false, true])
    func loadsSplitsWithLimits(gzipped: Bool) throws {
        let folder = try freshFolder("folder-\(gzipped)")
        let train = tinyIDX(n: 7, rows: 3, cols: 2), test = tinyIDX(n: 4, rows: 3, cols: 2)
        try writeIDXFolder(folder, train: train, test: test, gzip: gzipped)

        let all = try DataSplits.load(.idx(folder: folder, trainLimit: nil, testLimit: nil))
        #expect(all.train.count == 7 && all.test.count == 4)
        #expect(all.train.exampleShape == [1, 3, 2])
        #expect(all.train.labels == (0..<7).map { Int32($0 % 10) })
        let images = try #require(all.train as? ByteImageDataset)
        #expect(images.pixels == train.images.elements)

        let limited = try DataSplits.load(.idx(folder: folder, trainLimit: 5, testLimit: 4))
        #expect(limited.train.count == 5 && limited.test.count == 4)
        // A limit above what a split holds is refused, not lowered: 100 test examples were asked for.
        let tooMany = try #require(throws: DataError.self) { try DataSplits.load(.idx(folder: folder, trainLimit: 5, testLimit: 100)) }
        #expect(tooMany == .notEnoughExamples(path: folder + "/t10k-images-idx3-ubyte.gz", split: "test", requested: 100, available: 4, detail: nil)
                || tooMany == .notEnoughExamples(path: folder + "/t10k-images-idx3-ubyte", split: "test", requested: 100, available: 4, detail: nil))
        let first = try #require(limited.train as? ByteImageDataset)
        #expect(first.pixels == Array(train.images.elements.prefix(5 * 6)))
        #expect(first.labels == [0, 1, 2, 3, 4])
    }

    @Test func missingFileInFolderIsNamed() throws {
        let folder = try freshFolder("folder-missing")
        try writeIDXFolder(folder, train: tinyIDX(n: 2, rows: 2, cols: 2), test: tinyIDX(n: 2, rows: 2, cols: 2), gzip: true)
        try FileManager.default.removeItem(atPath: folder + "/t10k-labels-idx1-ubyte.gz")
        let error = try #require(throws: DataError.self) {
            try DataSplits.load(.idx(folder: folder, trainLimit: nil, testLimit: nil))
        }
        #expect(error == .missingFile(path: folder + "/t10k-labels-idx1-ubyte[.gz]"))
        #expect(error.description.contains("t10k-labels-idx1-ubyte"))
    }

    @Test func labelCountMismatchNamesBothFiles() throws {
        let folder = try freshFolder("folder-mismatch")
        let train = tinyIDX(n: 6, rows: 2, cols: 2)
        let fewerLabels = IDXFile(dimensions: [5], elements: Array(train.labels.elements.prefix(5)))
        try writeIDXFolder(folder, train: (train.images, fewerLabels), test: tinyIDX(n: 2, rows: 2, cols: 2), gzip: false)
        let error = try #require(throws: DataError.self) {
            try DataSplits.load(.idx(folder: folder, trainLimit: nil, testLimit: nil))
        }
        #expect(error == .countMismatch(imagesPath: folder + "/train-images-idx3-ubyte", images: 6,
                                        labelsPath: folder + "/train-labels-idx1-ubyte", labels: 5))
        #expect(error.description.contains("train-images-idx3-ubyte") && error.description.contains("train-labels-idx1-ubyte"))
    }

    @Test func testShapeMustMatchTrainShape() throws {
        let folder = try freshFolder("folder-shape")
        try writeIDXFolder(folder, train: tinyIDX(n: 2, rows: 2, cols: 2), test: tinyIDX(n: 2, rows: 3, cols: 2), gzip: false)
        #expect(throws: DataError.shapeMismatch(path: folder + "/t10k-images-idx3-ubyte", expected: [1, 2, 2], found: [1, 3, 2])) {
            try DataSplits.load(.idx(folder: folder, trainLimit: nil, testLimit: nil))
        }
    }
}
