import Data
import Formats
import Foundation
@testable import RunStore
import Spec
import Testing

/// Decoded image folders are kept under the results root, keyed by the folder's content.
@Suite struct ImageFolderCacheTests {
    private func folderOfImages(_ root: String) throws -> String {
        let folder = root + "/images"
        for (name, value) in [("a", 10), ("b", 20), ("c", 30), ("d", 40)] {
            try FileManager.default.createDirectory(atPath: folder + "/cls", withIntermediateDirectories: true)
            let image = PixelImage(width: 6, height: 6, channels: 3, pixels: [UInt8](repeating: UInt8(value), count: 108))
            try Foundation.Data(try PNGCodec.encode(image)).write(to: URL(fileURLWithPath: "\(folder)/cls/\(name).png"))
        }
        return folder
    }

    private func load(_ folder: String, cache: String) throws -> DataSplits {
        let spec = DataSpec(dataset: .images, path: folder, size: 4, testSize: 1, channels: 3)
        return try DataCatalog(cacheFolder: cache).splits(for: spec, file: "x.json")
    }

    private func entries(_ cache: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasSuffix(".safetensors") }.sorted()
    }

    @Test func aFolderIsDecodedOnceAndAgainOnlyWhenItChanges() throws {
        let root = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = try folderOfImages(root), cache = root + "/results/.data"
        let fresh = try load(folder, cache: cache)
        #expect(try entries(cache).count == 1)
        let direct = try DataSplits.load(DataCatalog.source(for: DataSpec(dataset: .images, path: folder, size: 4, testSize: 1, channels: 3)))
        let pixels = { (splits: DataSplits) in (splits.train as! ByteImageDataset).pixels + (splits.test as! ByteImageDataset).pixels }
        #expect(pixels(fresh) == pixels(direct) && fresh.classNames == ["cls"] && fresh.train.labels == [0, 0, 0])

        // The second load reads the entry: one whose pixels were replaced (same key) shows it.
        let entry = cache + "/" + (try entries(cache))[0]
        let file = try SafeTensors.decode(Array(try Foundation.Data(contentsOf: URL(fileURLWithPath: entry))))
        let marked = SafeTensor([UInt8](repeating: 99, count: 4 * 48), shape: [4, 3, 4, 4])
        try Foundation.Data(SafeTensors.encode(tensors: [("pixels", marked)], metadata: file.metadata)).write(to: URL(fileURLWithPath: entry))
        #expect(pixels(try load(folder, cache: cache)).allSatisfy { $0 == 99 })

        // A damaged entry is decoded again and replaced; a changed image is another entry.
        try Foundation.Data("garbage".utf8).write(to: URL(fileURLWithPath: entry))
        #expect(pixels(try load(folder, cache: cache)) == pixels(direct))
        let image = PixelImage(width: 6, height: 6, channels: 3, pixels: [UInt8](repeating: 77, count: 108))
        try Foundation.Data(try PNGCodec.encode(image)).write(to: URL(fileURLWithPath: folder + "/cls/b.png"))
        let changed = try load(folder, cache: cache)
        #expect(try entries(cache).count == 2 && pixels(changed).contains(77))
    }
}
