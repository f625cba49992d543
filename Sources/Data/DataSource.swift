/// Which data set to load, with its parameters: the `Data` target's own configuration, mapped
/// from the experiment spec by the runner (so `Data` does not depend on `Spec`).
public enum DataSource: Sendable, Hashable {
    /// dSprites-like procedural sprites (`SpritesRenderer`), `size`×`size` pixels,
    /// `trainSize + testSize` distinct factor combinations chosen with `seed`.
    case sprites(size: Int, trainSize: Int, testSize: Int, seed: UInt64)
    /// A folder of MNIST-family IDX files; limits keep the first N examples of a split.
    case idx(folder: String, trainLimit: Int?, testLimit: Int?)
    /// `GaussianMixture.ring` samples.
    case ring(trainSize: Int, testSize: Int, seed: UInt64)
    /// `GaussianMixture.grid` samples.
    case grid(trainSize: Int, testSize: Int, seed: UInt64)
    /// A folder of PNG images (`ImageFolder`).
    case images(folder: String, options: ImageFolder.Options)
    /// Array files (`ArrayData`); limits keep the first N examples of a split (in a seeded split,
    /// `testLimit` is the number of test examples).
    case array(files: ArrayData.Files, trainLimit: Int?, testLimit: Int?, seed: UInt64)

    /// Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST (Xiao, Rasul & Vollgraf 2017).
    public static let fashionMNISTFolder = "/usr/share/datasets/fashion-mnist"

    /// Fashion-MNIST from `fashionMNISTFolder`.
    public static func fashionMNIST(trainLimit: Int? = nil, testLimit: Int? = nil) -> DataSource {
        .idx(folder: fashionMNISTFolder, trainLimit: trainLimit, testLimit: testLimit)
    }
}

/// The train and test splits of one data source.
public struct DataSplits: Sendable {
    public let source: DataSource
    public let train: any Dataset
    public let test: any Dataset
    /// The names of the classes, where the data name them (an image folder's class folders).
    public let classNames: [String]?

    public init(source: DataSource, train: any Dataset, test: any Dataset, classNames: [String]? = nil) {
        precondition(train.exampleShape == test.exampleShape, "train and test examples differ in shape")
        self.source = source
        self.train = train
        self.test = test
        self.classNames = classNames
    }

    /// Loads (or generates) both splits.
    /// - Throws: `DataError`, naming the file for every file problem.
    public static func load(_ source: DataSource) throws -> DataSplits {
        switch source {
        case .sprites(let size, let trainSize, let testSize, let seed):
            let (train, test) = try SpritesDataset.splits(size: size, trainSize: trainSize, testSize: testSize, seed: seed)
            return DataSplits(source: source, train: train, test: test)
        case .idx(let folder, let trainLimit, let testLimit):
            let (train, test) = try IDXFolder.load(folder: folder, trainLimit: trainLimit, testLimit: testLimit)
            return DataSplits(source: source, train: train, test: test)
        case .ring(let trainSize, let testSize, let seed):
            let (train, test) = try PointDataset.splits(of: .ring, trainSize: trainSize, testSize: testSize,
                                                        seed: seed, purpose: "data.ring")
            return DataSplits(source: source, train: train, test: test)
        case .grid(let trainSize, let testSize, let seed):
            let (train, test) = try PointDataset.splits(of: .grid, trainSize: trainSize, testSize: testSize,
                                                        seed: seed, purpose: "data.grid")
            return DataSplits(source: source, train: train, test: test)
        case .images(let folder, let options):
            let layout = try ImageFolder.scan(folder: folder)
            let (train, test) = try ImageFolder.load(layout, options: options)
            return DataSplits(source: source, train: train, test: test, classNames: layout.classNames)
        case .array(let files, let trainLimit, let testLimit, let seed):
            let (train, test) = try ArrayData.load(files, trainLimit: trainLimit, testLimit: testLimit, seed: seed)
            return DataSplits(source: source, train: train, test: test)
        }
    }

    /// Shape of one example.
    public var exampleShape: [Int] { train.exampleShape }

    /// Number of label classes: 10 for IDX folders (MNIST family), 3 sprite shapes, 8 or 25 modes,
    /// an image folder's class folders, one more than an array's largest label (1 unlabelled).
    public var classCount: Int {
        switch source {
        case .sprites: return 3
        case .idx: return Int((train.labels ?? []).max() ?? 9) + 1
        case .images: return max(classNames?.count ?? 1, 1)
        case .array: return Int(((train.labels ?? []) + (test.labels ?? [])).max() ?? 0) + 1
        case .ring: return GaussianMixture.ring.modes.count
        case .grid: return GaussianMixture.grid.modes.count
        }
    }

    /// The mixture behind `ring` and `grid` (for mode metrics); nil otherwise.
    public var mixture: GaussianMixture? { (train as? PointDataset)?.mixture }
}
