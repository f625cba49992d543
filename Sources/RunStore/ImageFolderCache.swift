import Data
import Formats
import Foundation
import Report
import Spec

/// Decoded image folders, kept under the results root (`<results>/.data/`) so that a folder of
/// PNGs is decoded, converted and resized once, not by every worker of every run. The cache key is
/// the folder's content: a SHA-256 of the decoding options and, for every image in the layout's
/// order, its path inside the folder and its bytes — so a changed, added or removed image decodes
/// again, and the same images anywhere share one entry. The entry is a safetensors file of
/// (N, C, size, size) bytes; a damaged or foreign entry is decoded again and replaced.
public enum ImageFolderCache {
    /// Bumped when decoding changes.
    static let format = "genlab-images-1"

    /// The splits of the image folder `folder`, from the cache in `cacheFolder` or decoded (and
    /// then cached; a cache that cannot be written only costs the decoding next time).
    public static func load(folder: String, options: ImageFolder.Options, cacheFolder: String) throws -> DataSplits {
        let layout = try ImageFolder.scan(folder: folder)
        let key = try self.key(layout, options: options)
        let path = cacheFolder + "/images-\(key.prefix(16)).safetensors"
        let shape = [layout.entries.count, options.channels, options.size, options.size]
        let pixels: [UInt8]
        if let kept = cached(path, key: key, shape: shape) {
            pixels = kept
        } else {
            pixels = try ImageFolder.decodeAll(layout, options: options)
            if (try? FileSystem.makeFolder(cacheFolder)) != nil,
               let file = try? SafeTensors.encode(tensors: [("pixels", SafeTensor(pixels, shape: shape))], metadata: ["format": format, "key": key]) {
                try? AtomicFile.write(file, to: path)
            }
        }
        let (train, test) = try ImageFolder.splits(layout, pixels: pixels, options: options)
        return DataSplits(source: .images(folder: folder, options: options), train: train, test: test, classNames: layout.classNames)
    }

    /// The content key of `layout` decoded with `options`.
    static func key(_ layout: ImageFolder.Layout, options: ImageFolder.Options) throws -> String {
        var stream = SHA256Text.Stream()
        stream.update("\(format) size \(options.size) channels \(options.channels) resize \(options.resize)\n")
        for entry in layout.entries {
            guard let data = FileManager.default.contents(atPath: entry.path) else {
                throw DataError.unreadable(path: entry.path, reason: "the file cannot be read")
            }
            stream.update("\(entry.relativePath)\n\(data.count)\n")
            data.withUnsafeBytes { stream.update($0) }
        }
        return stream.hex()
    }

    private static func cached(_ path: String, key: String, shape: [Int]) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path),
              let file = try? SafeTensors.decode(Array(data)),
              file.metadata["format"] == format, file.metadata["key"] == key,
              let tensor = file.tensors["pixels"], tensor.dtype == .u8, tensor.shape == shape else { return nil }
        return tensor.data
    }
}
