import Formats
import Foundation
import Testing
@testable import Data

/// `"dataset": "images"`: layouts, labels, splits, conversion and every kind of bad folder.
@Suite struct ImageFolderTests {
    /// Writes a `width`×`height` PNG whose every pixel is `pixel` (1, 3 or 4 channels).
    private func png(_ path: String, width: Int = 4, height: Int = 4, pixel: [UInt8]) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let image = PixelImage(width: width, height: height, channels: pixel.count,
                               pixels: Array((0 ..< width * height).map { _ in pixel }.joined()))
        try writePlain(try PNGCodec.encode(image), to: path)
    }

    private func load(_ folder: String, _ options: ImageFolder.Options) throws -> (train: ByteImageDataset, test: ByteImageDataset) {
        try ImageFolder.load(try ImageFolder.scan(folder: folder), options: options)
    }

    @Test func classFoldersAndSplitFoldersGiveLabelsInNameOrder() throws {
        let folder = try freshFolder("images-classes")
        for (split, count) in [("train", 3), ("test", 1)] {
            for (label, name) in ["cat", "bird"].enumerated() {
                for i in 0..<count { try png("\(folder)/\(split)/\(name)/\(i).png", pixel: [UInt8(label * 100 + i), 0, 0]) }
            }
        }
        try writePlain(Array("notes".utf8), to: folder + "/train/bird/README.txt")  // ignored
        let layout = try ImageFolder.scan(folder: folder)
        #expect(layout.classNames == ["bird", "cat"] && layout.hasSplitFolders)
        let (train, test) = try load(folder, .init(size: 4, channels: 3))
        #expect(train.count == 6 && test.count == 2)
        #expect(train.labels == [0, 0, 0, 1, 1, 1] && test.labels == [0, 1])
        #expect(train.exampleShape == [3, 4, 4])
        // bird is label 1 when written (pixel 100 + i), so the first train images are 100, 101, 102.
        #expect(train.bytes(of: 0).first == 100 && train.bytes(of: 3).first == 0)
        // Planar: the red plane first, then green and blue (0 here).
        #expect(Array(train.bytes(of: 1)) == [UInt8](repeating: 101, count: 16) + [UInt8](repeating: 0, count: 32))
    }

    @Test func withoutSplitFoldersTheSplitIsSeededAndStable() throws {
        let folder = try freshFolder("images-seeded")
        for i in 0..<25 { try png(folder + "/img\(String(format: "%02d", i)).png", pixel: [UInt8(i)]) }
        let (train, test) = try load(folder, .init(size: 4, channels: 1, seed: 3))
        #expect(train.count == 23 && test.count == 2 && train.labels == nil)  // a tenth, rounded down
        let testValues = (0..<test.count).map { test.bytes(of: $0).first! }
        let expected = SeededSplit.testIndices(count: 25, testCount: 2, seed: 3).sorted().map(UInt8.init)
        #expect(testValues == expected)
        let again = try load(folder, .init(size: 4, channels: 1, seed: 3))
        #expect(again.test.pixels == test.pixels && again.train.pixels == train.pixels)
        let other = try load(folder, .init(size: 4, channels: 1, testLimit: 5, seed: 4))
        #expect(other.test.count == 5 && other.train.count == 20)
    }

    @Test func coloursBecomeGreyAsPillowDoesAndAlphaGoesOverWhite() throws {
        let folder = try freshFolder("images-convert")
        try png(folder + "/a.png", pixel: [200, 100, 50])
        try png(folder + "/b.png", pixel: [0, 0, 0, 128])
        try png(folder + "/c.png", pixel: [77])
        let grey = try ImageFolder.decodeImage(folder + "/a.png", options: .init(size: 4, channels: 1))
        let luma: Int = (200 * 299 + 100 * 587 + 50 * 114 + 500) / 1000  // 119
        #expect(grey.first == UInt8(luma))
        let over = try ImageFolder.decodeImage(folder + "/b.png", options: .init(size: 4, channels: 3))
        #expect(Array(over.prefix(3)) == [127, 127, 127])  // black at alpha 128 over white
        let colour = try ImageFolder.decodeImage(folder + "/c.png", options: .init(size: 4, channels: 3))
        #expect(Array(colour.prefix(3)) == [77, 77, 77])
    }

    @Test func imagesOfOtherSizesAreCroppedAndResizedOrRefused() throws {
        let folder = try freshFolder("images-sizes")
        try png(folder + "/wide.png", width: 12, height: 6, pixel: [9, 9, 9])
        try png(folder + "/square.png", width: 8, height: 8, pixel: [9, 9, 9])
        let resized = try ImageFolder.decodeImage(folder + "/wide.png", options: .init(size: 8, channels: 3))
        #expect(resized.count == 8 * 8 * 3 && resized.allSatisfy { $0 == 9 })
        let error = try #require(throws: DataError.self) {
            try load(folder, .init(size: 8, channels: 3, resize: false, testLimit: 1))
        }
        guard case .badImage(let path, let reason) = error else { Issue.record("\(error)"); return }
        #expect(path == folder + "/wide.png" && reason.contains("is 12×6, not 8×8"))
    }

    /// Each bad layout is an error that names the folder or file and says what is wrong.
    @Test func badFoldersAreNamed() throws {
        func problem(_ build: (String) throws -> Void, _ name: String, options: ImageFolder.Options = .init(size: 4, channels: 1)) throws -> DataError {
            let folder = try freshFolder("images-bad-\(name)")
            try build(folder)
            return try #require(throws: DataError.self) { try load(folder, options) }
        }
        let empty = try problem({ try writePlain([1], to: $0 + "/x.gif") }, "empty")
        #expect(empty.description.hasSuffix("holds no .png or .jpg images (1 other files ignored)"))
        let mixed = try problem({ try png($0 + "/a.png", pixel: [1]); try png($0 + "/cls/b.png", pixel: [1]) }, "mixed")
        #expect(mixed.description.contains("mixes image files (a.png, …) with class folders (cls/, …)"))
        let emptyClass = try problem({ try png($0 + "/a/1.png", pixel: [1]); try FileManager.default.createDirectory(atPath: $0 + "/b", withIntermediateDirectories: true) }, "emptyclass")
        #expect(emptyClass.path?.hasSuffix("/b") == true && emptyClass.description.contains("class folder with no .png or .jpg images"))
        let onlyTrain = try problem({ try png($0 + "/train/1.png", pixel: [1]) }, "onlytrain")
        #expect(onlyTrain.description.contains("has train/ but no test/"))
        let truncated = try problem({ folder in
            try png(folder + "/a.png", pixel: [1]); try png(folder + "/b.png", pixel: [1])
            let bytes = fileBytes(folder + "/b.png"); try writePlain(Array(bytes.prefix(bytes.count / 2)), to: folder + "/b.png")
        }, "truncated")
        #expect(truncated.path?.hasSuffix("/b.png") == true && truncated.description.contains("not a readable PNG"))
        let garbage = try problem({ try png($0 + "/a.png", pixel: [1]); try writePlain(Array("not a png".utf8), to: $0 + "/b.png") }, "garbage")
        #expect(garbage.path?.hasSuffix("/b.png") == true)
        let foreignClass = try problem({
            try png($0 + "/train/a/1.png", pixel: [1]); try png($0 + "/test/z/1.png", pixel: [1])
        }, "foreign")
        #expect(foreignClass.description.contains("is a class folder that train/ does not have"))
        let tooMany = try problem({ try png($0 + "/train/1.png", pixel: [1]); try png($0 + "/test/1.png", pixel: [1]) }, "toomany",
                                  options: .init(size: 4, channels: 1, trainLimit: 2))
        #expect(tooMany == .notEnoughExamples(path: tooMany.path ?? "", split: "train", requested: 2, available: 1, detail: nil))
        let oneImage = try problem({ try png($0 + "/1.png", pixel: [1]) }, "one")
        #expect(oneImage.description.contains("the train split needs at least one of the 1 examples"))
        let missing = try #require(throws: DataError.self) { try ImageFolder.scan(folder: "/nonexistent/genlab-images") }
        #expect(missing == .missingFile(path: "/nonexistent/genlab-images"))
    }
}

/// JPEG folders decode as Pillow decodes them (libjpeg-turbo's accurate IDCT and fancy
/// upsampling), pixel for pixel, and a truncated JPEG is refused as Pillow refuses it.
@Suite struct JPEGFolderTests {
    @Test func jpegPixelsAreWhatPillowReads() throws {
        let folder = try freshFolder("jpeg-pillow")
        let script = """
        import sys, numpy as np
        from PIL import Image
        d = sys.argv[1]
        rng = np.random.default_rng(0)
        x = (rng.random((37, 45, 3)) * 255).astype(np.uint8)
        Image.fromarray(x).save(d + '/colour.jpg', quality=85)                     # 4:2:0
        Image.fromarray(x).save(d + '/colour444.jpeg', quality=95, subsampling=0)
        Image.fromarray(x[..., 0]).save(d + '/grey.jpg', quality=90)
        for name in ('colour.jpg', 'colour444.jpeg', 'grey.jpg'):
            open(d + '/' + name + '.raw', 'wb').write(np.asarray(Image.open(d + '/' + name)).tobytes())
        """
        _ = try python(script, [folder])
        for (name, channels) in [("colour.jpg", 3), ("colour444.jpeg", 3), ("grey.jpg", 1)] {
            let image = try JPEGCodec.decode(fileBytes(folder + "/" + name))
            #expect(image.width == 45 && image.height == 37 && image.channels == channels, "\(name)")
            #expect(image.pixels == fileBytes(folder + "/" + name + ".raw"), "\(name) differs from Pillow's pixels")
        }
        // Through the folder reader: the colour file converted to grey and resized like a PNG.
        let grey = try ImageFolder.decodeImage(folder + "/colour.jpg", options: .init(size: 16, channels: 1))
        #expect(grey.count == 256)
    }

    @Test func aTruncatedJPEGIsRefusedWithItsName() throws {
        let folder = try freshFolder("jpeg-truncated")
        _ = try python("""
        import sys, numpy as np
        from PIL import Image
        Image.fromarray((np.random.default_rng(1).random((32, 32, 3)) * 255).astype(np.uint8)).save(sys.argv[1] + '/a.jpg')
        Image.fromarray((np.random.default_rng(2).random((32, 32, 3)) * 255).astype(np.uint8)).save(sys.argv[1] + '/b.jpg')
        """, [folder])
        let bytes = fileBytes(folder + "/b.jpg")
        try writePlain(Array(bytes.prefix(bytes.count * 2 / 3)), to: folder + "/b.jpg")
        let error = try #require(throws: DataError.self) {
            try ImageFolder.load(try ImageFolder.scan(folder: folder), options: .init(size: 16, channels: 3, testLimit: 1))
        }
        #expect(error.path == folder + "/b.jpg" && error.description.contains("not a readable JPEG"), "\(error)")
    }
}
