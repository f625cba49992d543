import Data
import Spec

/// Names of a data set's class labels, for legends: Fashion-MNIST's ten classes (Xiao, Rasul &
/// Vollgraf 2017, in label order), the sprite shapes (`SpriteShape`), digits for other IDX
/// folders (MNIST), and the mixture components of `ring` and `grid` by number.
enum LabelNames {
    static let fashionMNIST = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// One name per class of `splits` (`classCount` of them).
    static func names(for spec: DataSpec, splits: DataSplits) -> [String] {
        switch spec.dataset {
        case .fashionMNIST: return (0..<splits.classCount).map { $0 < fashionMNIST.count ? fashionMNIST[$0] : String($0) }
        case .sprites: return SpriteShape.allCases.map { "\($0)" }
        case .images, .array:
            let names = splits.classNames ?? []
            return (0..<splits.classCount).map { label in label < names.count ? names[label] : String(label) }
        case .idx, .ring, .grid: return (0..<splits.classCount).map(String.init)
        }
    }
}
