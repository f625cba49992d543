import Formats
import Foundation
import NN

/// A folder of PNG or JPEG images as a data set (`"dataset": "images"`), greyscale or colour, any size.
///
/// Layout: `train/` and `test/` sub-folders give the split; without them the images are split by
/// a seeded rule. Inside a split (or the folder), sub-folders are
/// classes — labels 0, 1, … in the byte order of their names — and images directly there are
/// unlabelled; a mix of both is refused. Files are taken in the byte order of their paths, so the
/// same folder gives the same data set on every file system. Hidden files and files that are not
/// `.png`, `.jpg` or `.jpeg` are ignored. Without `train/` and `test/` the split is a `SeededSplit` (`test_size`
/// images, default a tenth).
///
/// Each image is decoded with libpng or libjpeg-turbo (as Pillow decodes it; `JPEGCodec`), brought to `channels` (grey to colour by copying, colour to
/// grey with ITU-R 601 luma as Pillow's `convert("L")`, alpha composited over white), then to
/// `size` × `size` by `ImageResampler` (a centre crop and Pillow's antialiased bilinear resize),
/// or, with `resize` off, required to be `size` × `size` already. Pixels are held as bytes.
public enum ImageFolder {
    /// The image file extensions read (lower-cased).
    public static let extensions: Set<String> = ["png", "jpg", "jpeg"]

    /// How the images become examples.
    public struct Options: Sendable, Hashable {
        public var size: Int
        /// 1 (grey) or 3 (RGB).
        public var channels: Int
        /// Centre-crop and resize every image; when false, every image must be `size` × `size`.
        public var resize: Bool
        public var trainLimit: Int?
        public var testLimit: Int?
        /// The seed of the split when the folder has no `train/` and `test/`.
        public var seed: UInt64

        public init(size: Int, channels: Int, resize: Bool = true, trainLimit: Int? = nil, testLimit: Int? = nil, seed: UInt64 = 0) {
            self.size = size
            self.channels = channels
            self.resize = resize
            self.trainLimit = trainLimit
            self.testLimit = testLimit
            self.seed = seed
        }
    }

    /// One image file: its path, its path inside the folder, its label and its split (nil until
    /// the seeded rule decides).
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var relativePath: String
        public var label: Int32?
        public var isTest: Bool?
    }

    /// What `scan` found: the images in order and the class names (nil when unlabelled).
    public struct Layout: Sendable, Equatable {
        public var folder: String
        public var entries: [Entry]
        public var classNames: [String]?
        /// Whether `train/` and `test/` decide the split.
        public var hasSplitFolders: Bool
    }

    /// Lists the folder's images, labels and splits without decoding anything.
    public static func scan(folder: String) throws(DataError) -> Layout {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) else { throw .missingFile(path: folder) }
        guard isFolder.boolValue else { throw .badLayout(path: folder, detail: "is a file, not a folder of images") }
        let top = try children(of: folder)
        let hasTrain = top.folders.contains("train"), hasTest = top.folders.contains("test")
        if hasTrain != hasTest {
            throw .badLayout(path: folder, detail: "has \(hasTrain ? "train/" : "test/") but no \(hasTrain ? "test/" : "train/"); give both, or neither for a seeded split")
        }
        if hasTrain {
            let train = try split(folder + "/train", relative: "train/", classNames: nil)
            let test = try split(folder + "/test", relative: "test/", classNames: train.classNames)
            guard (train.classNames == nil) == (test.classNames == nil) else {
                throw .badLayout(path: folder, detail: "has class folders in one of train/ and test/ but not in the other")
            }
            let entries = train.entries.map { Entry(path: $0.path, relativePath: $0.relativePath, label: $0.label, isTest: false) }
                + test.entries.map { Entry(path: $0.path, relativePath: $0.relativePath, label: $0.label, isTest: true) }
            return Layout(folder: folder, entries: entries, classNames: train.classNames, hasSplitFolders: true)
        }
        let all = try split(folder, relative: "", classNames: nil)
        return Layout(folder: folder, entries: all.entries, classNames: all.classNames, hasSplitFolders: false)
    }

    /// Decodes the images of `layout` into the train and test splits.
    public static func load(_ layout: Layout, options: Options) throws(DataError) -> (train: ByteImageDataset, test: ByteImageDataset) {
        try splits(layout, pixels: try decodeAll(layout, options: options), options: options)
    }

    /// Every image of `layout`, in its order, as (N, C, size, size) bytes: what the data cache keeps.
    public static func decodeAll(_ layout: Layout, options: Options) throws(DataError) -> [UInt8] {
        let size = options.size, channels = options.channels, exampleBytes = size * size * channels
        var pixels = [UInt8](repeating: 0, count: layout.entries.count * exampleBytes)
        for (n, entry) in layout.entries.enumerated() {
            let image = try decodeImage(entry.path, options: options)
            // (H, W, C) interleaved → (C, H, W) planar.
            for c in 0..<channels {
                for p in 0 ..< size * size { pixels[n * exampleBytes + c * size * size + p] = image[p * channels + c] }
            }
        }
        return pixels
    }

    /// The train and test splits of `layout` from its decoded `pixels` (`decodeAll`): the split
    /// folders or the seeded split, then the limits.
    public static func splits(_ layout: Layout, pixels: [UInt8], options: Options) throws(DataError)
        -> (train: ByteImageDataset, test: ByteImageDataset)
    {
        var isTest = layout.entries.map { $0.isTest ?? false }
        if !layout.hasSplitFolders {
            let count = layout.entries.count
            let testCount = try SeededSplit.testCount(of: count, requested: options.testLimit, path: layout.folder)
            let test = SeededSplit.testIndices(count: count, testCount: testCount, seed: options.seed)
            isTest = (0..<count).map(test.contains)
        }
        let train = layout.entries.indices.filter { !isTest[$0] }, test = layout.entries.indices.filter { isTest[$0] }
        let trainCount = try SeededSplit.limit(train.count, to: options.trainLimit, split: "train", path: layout.folder)
        let testCount = try SeededSplit.limit(test.count, to: layout.hasSplitFolders ? options.testLimit : nil,
                                              split: "test", path: layout.folder)
        func dataset(_ indices: ArraySlice<Int>) -> ByteImageDataset {
            let exampleBytes = options.size * options.size * options.channels
            var kept = [UInt8](); kept.reserveCapacity(indices.count * exampleBytes)
            for i in indices { kept += pixels[i * exampleBytes ..< (i + 1) * exampleBytes] }
            let labels = layout.classNames == nil ? nil : indices.map { layout.entries[$0].label ?? 0 }
            return ByteImageDataset(pixels: kept, exampleShape: [options.channels, options.size, options.size], labels: labels)
        }
        return (dataset(train.prefix(trainCount)), dataset(test.prefix(testCount)))
    }

    /// One file decoded, converted to `channels` and brought to `size` × `size`: (H, W, C) bytes.
    static func decodeImage(_ path: String, options: Options) throws(DataError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "the file cannot be read")
        }
        let bytes = Array(data), decoded: PixelImage
        if bytes.starts(with: JPEGCodec.magic) {
            do { decoded = try JPEGCodec.decode(bytes) } catch {
                throw .badImage(path: path, reason: "not a readable JPEG (\(error.message)); truncated?")
            }
        } else {
            do { decoded = try PNGCodec.decode(bytes) } catch {
                throw .badImage(path: path, reason: "not a readable PNG or JPEG (\((error as? PNGError)?.message ?? "\(error)")); truncated, or another format?")
            }
        }
        let pixels = convert(decoded, to: options.channels)
        if !options.resize {
            guard decoded.width == options.size, decoded.height == options.size else {
                throw .badImage(path: path, reason: "is \(decoded.width)×\(decoded.height), not \(options.size)×\(options.size); set \"resize\": \"center_crop\" to crop and resize it")
            }
            return pixels
        }
        return ImageResampler.squareResize(pixels, width: decoded.width, height: decoded.height,
                                           channels: options.channels, size: options.size)
    }

    /// Grey, RGB or RGBA pixels as `channels` (1 or 3) channels: alpha composited over white,
    /// colour to grey by Pillow's `convert("L")` (L = (R·299 + G·587 + B·114 + 500) / 1000).
    static func convert(_ image: PixelImage, to channels: Int) -> [UInt8] {
        let count = image.width * image.height, source = image.channels
        var out = [UInt8](repeating: 0, count: count * channels)
        for p in 0..<count {
            var rgb: (Int, Int, Int)
            let base = p * source
            if source == 1 {
                let v = Int(image.pixels[base]); rgb = (v, v, v)
            } else {
                rgb = (Int(image.pixels[base]), Int(image.pixels[base + 1]), Int(image.pixels[base + 2]))
            }
            if source == 4 {
                let a = Int(image.pixels[base + 3])
                func over(_ v: Int) -> Int { (v * a + 255 * (255 - a) + 127) / 255 }
                rgb = (over(rgb.0), over(rgb.1), over(rgb.2))
            }
            if channels == 1 {
                out[p] = source == 1 ? image.pixels[base] : UInt8((rgb.0 * 299 + rgb.1 * 587 + rgb.2 * 114 + 500) / 1000)
            } else {
                out[p * 3] = UInt8(rgb.0); out[p * 3 + 1] = UInt8(rgb.1); out[p * 3 + 2] = UInt8(rgb.2)
            }
        }
        return out
    }

    /// The images of one split folder (or of the whole folder): its class sub-folders, or its
    /// image files. `classNames` from the train split fixes the labels of the test split.
    private static func split(_ folder: String, relative: String, classNames known: [String]?) throws(DataError)
        -> (entries: [Entry], classNames: [String]?)
    {
        let listing = try children(of: folder)
        if listing.folders.isEmpty {
            guard !listing.images.isEmpty else {
                throw .badLayout(path: folder, detail: "holds no .png or .jpg images" + (listing.ignored > 0 ? " (\(listing.ignored) other files ignored)" : ""))
            }
            return (listing.images.map { Entry(path: folder + "/" + $0, relativePath: relative + $0, label: nil, isTest: nil) }, nil)
        }
        guard listing.images.isEmpty else {
            throw .badLayout(path: folder, detail: "mixes image files (\(listing.images[0]), …) with class folders (\(listing.folders[0])/, …); put every image in a class folder, or none")
        }
        let names = known ?? listing.folders
        var entries: [Entry] = []
        for name in listing.folders {
            guard let label = names.firstIndex(of: name) else {
                throw .badLayout(path: folder + "/" + name, detail: "is a class folder that train/ does not have (its classes: \(names.joined(separator: ", ")))")
            }
            let inner = try children(of: folder + "/" + name)
            guard !inner.images.isEmpty else {
                throw .badLayout(path: folder + "/" + name, detail: "is a class folder with no .png or .jpg images")
            }
            if let nested = inner.folders.first {
                throw .badLayout(path: folder + "/" + name + "/" + nested, detail: "is a folder inside a class folder; classes are one level deep")
            }
            entries += inner.images.map {
                Entry(path: folder + "/" + name + "/" + $0, relativePath: relative + name + "/" + $0, label: Int32(label), isTest: nil)
            }
        }
        return (entries, names)
    }

    /// The visible sub-folders and image files of `folder`, each sorted by the bytes of its name.
    private static func children(of folder: String) throws(DataError) -> (folders: [String], images: [String], ignored: Int) {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw .unreadable(path: folder, reason: "the folder cannot be listed")
        }
        var folders: [String] = [], images: [String] = [], ignored = 0
        for name in names where !name.hasPrefix(".") {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder)
            if isFolder.boolValue {
                folders.append(name)
            } else if let dot = name.lastIndex(of: "."), extensions.contains(name[name.index(after: dot)...].lowercased()) {
                images.append(name)
            } else {
                ignored += 1
            }
        }
        let byBytes: (String, String) -> Bool = { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return (folders.sorted(by: byBytes), images.sorted(by: byBytes), ignored)
    }
}

