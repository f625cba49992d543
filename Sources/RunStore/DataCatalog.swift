import Data
import Spec

/// Loads each distinct data set of an experiment once per process and maps data problems to
/// `SpecError`s at the spec's `data` section, so a missing or corrupt file stops the command
/// before anything is trained or written.
public final class DataCatalog {
    private var loaded: [DataSource: DataSplits] = [:]
    /// Where decoded image folders are kept (`ImageFolderCache`, `<results>/.data`); nil: decode
    /// every time.
    public let cacheFolder: String?

    public init(cacheFolder: String? = nil) {
        self.cacheFolder = cacheFolder
    }

    /// A catalog that keeps decoded image folders under the results root `resultsRoot` (`""`,
    /// the parent of a one-component path, is the working directory).
    public convenience init(resultsRoot: String) {
        self.init(cacheFolder: (resultsRoot.isEmpty ? "." : resultsRoot) + "/.data")
    }

    /// The data `spec` describes, loaded (or generated) on first use.
    public func splits(for spec: DataSpec, file: String) throws(SpecError) -> DataSplits {
        let source = DataCatalog.source(for: spec)
        if let cached = loaded[source] { return cached }
        do {
            let splits: DataSplits
            if case .images(let folder, let options) = source, let cacheFolder {
                splits = try ImageFolderCache.load(folder: folder, options: options, cacheFolder: cacheFolder)
            } else {
                splits = try DataSplits.load(source)
            }
            loaded[source] = splits
            return splits
        } catch let error as DataError {
            if case .notEnoughExamples(_, let split, let requested, let available, _) = error {
                throw SpecError(file: file, path: "data.\(split)_size",
                                expected: "at most the \(available) \(split) examples the data hold",
                                found: "\(requested): " + error.description)
            }
            let path = spec.path != nil ? "data.path" : "data.dataset"
            throw SpecError(file: file, path: path, expected: expectedDescription(spec), found: error.description)
        } catch {
            throw SpecError(file: file, path: "data", expected: "a loadable data set", found: "\(error)")
        }
    }

    /// The `Data` target's description of a spec's data set.
    public static func source(for spec: DataSpec) -> DataSource {
        switch spec.dataset {
        case .sprites:
            return .sprites(size: spec.size, trainSize: spec.trainSize ?? 20000, testSize: spec.testSize ?? 2000, seed: spec.seed)
        case .fashionMNIST:
            return .idx(folder: spec.path ?? DataSource.fashionMNISTFolder, trainLimit: spec.trainSize, testLimit: spec.testSize)
        case .idx:
            return .idx(folder: spec.path ?? ".", trainLimit: spec.trainSize, testLimit: spec.testSize)
        case .ring:
            return .ring(trainSize: spec.trainSize ?? 50000, testSize: spec.testSize ?? 5000, seed: spec.seed)
        case .grid:
            return .grid(trainSize: spec.trainSize ?? 50000, testSize: spec.testSize ?? 5000, seed: spec.seed)
        case .images:
            return .images(folder: spec.path ?? ".", options: ImageFolder.Options(
                size: spec.size, channels: spec.channels, resize: spec.resize == .centerCrop,
                trainLimit: spec.trainSize, testLimit: spec.testSize, seed: spec.seed))
        case .array:
            return .array(files: ArrayData.Files(path: spec.path ?? ".", labels: spec.labels, testPath: spec.testPath,
                                                 testLabels: spec.testLabels),
                          trainLimit: spec.trainSize, testLimit: spec.testSize, seed: spec.seed)
        }
    }

    private func expectedDescription(_ spec: DataSpec) -> String {
        switch spec.dataset {
        case .fashionMNIST:
            return "Fashion-MNIST IDX files in \(spec.path ?? DataSource.fashionMNISTFolder) (Debian: apt-get install dataset-fashion-mnist)"
        case .idx:
            return "a folder of MNIST-family IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-…)"
        case .images:
            return "a folder of PNG or JPEG images (class sub-folders optional; train/ and test/ optional)"
        case .array:
            return "a .npy or .safetensors array of images [N, H, W], [N, C, H, W], [N, H, W, C] or points [N, 2]"
        default:
            return "a valid \(spec.dataset.rawValue) data set"
        }
    }
}
