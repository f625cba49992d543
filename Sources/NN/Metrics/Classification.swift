/// Helpers the metrics' classifiers share.
enum Classification {
    /// The share of positions where `predicted` equals `labels` (0 for none).
    static func accuracy(_ predicted: [Int], _ labels: [Int]) -> Double {
        precondition(predicted.count == labels.count, "Classification: \(predicted.count) predictions for \(labels.count) labels")
        guard !labels.isEmpty else { return 0 }
        var right = 0
        for (p, y) in zip(predicted, labels) where p == y { right += 1 }
        return Double(right) / Double(labels.count)
    }

    /// The sorted distinct labels and each label's position among them.
    static func encode(_ labels: [Int]) -> (classes: [Int], targets: [Int]) {
        let classes = Array(Set(labels)).sorted()
        var position: [Int: Int] = [:]
        for (i, c) in classes.enumerated() { position[c] = i }
        return (classes, labels.map { position[$0] ?? 0 })
    }
}
