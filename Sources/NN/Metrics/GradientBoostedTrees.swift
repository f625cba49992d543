// Dimension letters: N examples, D features, K classes, T outputs (K, or 1 for two classes).

/// scikit-learn's `GradientBoostingClassifier()` with its defaults — log-loss, `stages` = 100
/// boosting stages of `RegressionTree`s of depth 3 (friedman_mse), learning rate 0.1, no
/// subsampling — the classifier of disentanglement_lib's DCI (`dci.py`), with its
/// `feature_importances_`.
///
/// The raw scores F start at the log prior (log-odds for two classes, one output; log p_k for K > 2,
/// one per class). Each stage computes the negative gradients r = y − p from the stage's F (y the
/// class indicator, p the sigmoid or softmax), fits one tree to r per output, sets each leaf to a
/// Newton step γ = c·Σr / Σp(1 − p) (c = (K − 1)/K for K > 2, else 1; 0 where the denominator is
/// below 1e-150) and adds 0.1·γ to F (Friedman 2001, algorithm 6). Prediction is the largest F
/// (first class on ties), or class 1 where F > 0 for two classes.
///
/// Importances: each tree's summed weighted impurity decrease per feature (`RegressionTree`),
/// averaged over the trees that split at all and normalised to sum 1 (zeros when none split).
public struct GradientBoostedTrees: Sendable {
    public struct Configuration: Sendable, Equatable {
        public var stages: Int
        public var maxDepth: Int
        public var learningRate: Double

        public init(stages: Int = 100, maxDepth: Int = 3, learningRate: Double = 0.1) {
            self.stages = stages
            self.maxDepth = maxDepth
            self.learningRate = learningRate
        }

        /// "gradient_boosting(100 stages, depth 3, lr 0.1)".
        public var description: String {
            "gradient_boosting(\(stages) stages, depth \(maxDepth), lr \(learningRate))"
        }
    }

    public let classes: [Int]
    public let configuration: Configuration
    /// (D) normalised impurity-based importances, summing to 1 (or all 0).
    public let featureImportances: [Double]
    let dimension: Int
    /// (T) initial raw scores.
    let initial: [Double]
    /// stages × T trees, stage-major.
    let trees: [RegressionTree]

    /// Fits `features` (N, D) row-major to `labels` (N). One class alone gives a model that always
    /// predicts it, with zero importances.
    public init(features: [Float], labels: [Int], dimension d: Int, configuration: Configuration = Configuration()) {
        let n = labels.count
        precondition(n > 0 && d > 0 && features.count == n * d, "GradientBoostedTrees: needs examples with \(d) features each")
        let (classes, targets) = Classification.encode(labels)
        self.classes = classes
        self.configuration = configuration
        dimension = d
        let k = classes.count, outputs = k == 2 ? 1 : k
        guard k >= 2 else {
            initial = [0]
            trees = []
            featureImportances = [Double](repeating: 0, count: d)
            return
        }
        var counts = [Int](repeating: 0, count: k)
        for t in targets { counts[t] += 1 }
        let initial = k == 2
            ? [_log(Double(counts[1]) / Double(counts[0]))]
            : counts.map { _log(Double($0) / Double(n)) }
        self.initial = initial
        let data = SortedFeatures(features, count: n, dimension: d)
        var raw = [Double](repeating: 0, count: n * outputs)                   // (N, T)
        for i in 0..<n { for t in 0..<outputs { raw[i * outputs + t] = initial[t] } }
        var residuals = [Double](repeating: 0, count: outputs * n)             // (T, N)
        var leafOf = [Int32](repeating: 0, count: n)
        var trees: [RegressionTree] = []
        var importances = [Double](repeating: 0, count: d), splitting = 0
        let newtonScale = k == 2 ? 1 : Double(k - 1) / Double(k)
        for _ in 0..<configuration.stages {
            Self.negativeGradients(raw, targets: targets, outputs: outputs, into: &residuals)
            for t in 0..<outputs {
                var tree = residuals.withUnsafeBufferPointer { r in
                    RegressionTree.fit(data, targets: UnsafeBufferPointer(rebasing: r[(t * n)..<((t + 1) * n)]),
                                       maxDepth: configuration.maxDepth, leafOf: &leafOf)
                }
                // Each leaf's Newton step from r and p = y − r.
                var numerator = [Double](repeating: 0, count: tree.nodes.count)
                var denominator = [Double](repeating: 0, count: tree.nodes.count)
                for i in 0..<n {
                    let r = residuals[t * n + i], y: Double = (outputs == 1 ? targets[i] == 1 : targets[i] == t) ? 1 : 0
                    let p = y - r
                    numerator[Int(leafOf[i])] += r
                    denominator[Int(leafOf[i])] += p * (1 - p)
                }
                for node in 0..<tree.nodes.count where tree.nodes[node].feature < 0 {
                    tree.nodes[node].value = abs(denominator[node]) < 1e-150 ? 0 : newtonScale * numerator[node] / denominator[node]
                }
                for i in 0..<n { raw[i * outputs + t] += configuration.learningRate * tree.nodes[Int(leafOf[i])].value }
                if tree.nodes.count > 1 {
                    tree.addImportances(into: &importances)
                    splitting += 1
                }
                trees.append(tree)
            }
        }
        self.trees = trees
        var total = 0.0
        for j in 0..<d { importances[j] /= Double(max(splitting, 1)); total += importances[j] }
        featureImportances = total > 0 ? importances.map { $0 / total } : [Double](repeating: 0, count: d)
    }

    /// r = y − p for every output, from the raw scores (N, T), into (T, N).
    static func negativeGradients(_ raw: [Double], targets: [Int], outputs: Int, into residuals: inout [Double]) {
        let n = targets.count
        var p = [Double](repeating: 0, count: outputs)
        for i in 0..<n {
            if outputs == 1 {
                let f = raw[i]
                let probability = f >= 0 ? 1 / (1 + _exp(-f)) : _exp(f) / (1 + _exp(f))
                residuals[i] = (targets[i] == 1 ? 1 : 0) - probability
                continue
            }
            var largest = -Double.infinity
            for t in 0..<outputs { largest = max(largest, raw[i * outputs + t]) }
            var total = 0.0
            for t in 0..<outputs { p[t] = _exp(raw[i * outputs + t] - largest); total += p[t] }
            for t in 0..<outputs { residuals[t * n + i] = (targets[i] == t ? 1 : 0) - p[t] / total }
        }
    }

    /// The predicted class of each row of `features` (N, D).
    public func predict(_ features: [Float]) -> [Int] {
        guard classes.count >= 2 else { return [Int](repeating: classes.first ?? 0, count: features.count / dimension) }
        let outputs = initial.count, raw = rawScores(features)
        return (0..<(raw.count / outputs)).map { i in
            if outputs == 1 { return classes[raw[i] > 0 ? 1 : 0] }
            var best = 0
            for t in 1..<outputs where raw[i * outputs + t] > raw[i * outputs + best] { best = t }
            return classes[best]
        }
    }

    /// The raw scores F (N, T) of each row of `features` (N, D), stage by stage as sklearn sums them.
    func rawScores(_ features: [Float]) -> [Double] {
        let d = dimension, n = features.count / d, outputs = initial.count
        var raw = [Double](repeating: 0, count: n * outputs)
        features.withUnsafeBufferPointer { x in
            for i in 0..<n {
                for t in 0..<outputs { raw[i * outputs + t] = initial[t] }
                for (index, tree) in trees.enumerated() {
                    raw[i * outputs + index % outputs] += configuration.learningRate * tree.nodes[tree.leaf(x.baseAddress! + i * d)].value
                }
            }
        }
        return raw
    }

    public func accuracy(_ features: [Float], labels: [Int]) -> Double { Classification.accuracy(predict(features), labels) }
}
