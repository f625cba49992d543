// Dimension letters: N examples, D features.

/// The examples of a fit, each feature's values sorted once (ascending, ties by example index), so
/// that a tree finds every split by one pass over each feature per level of depth.
struct SortedFeatures {
    let count: Int, dimension: Int
    /// (N, D) the examples as given.
    let rows: [Float]
    /// (D, N) example indices in ascending order of each feature.
    let order: [Int32]
    /// (D, N) the feature values in that order.
    let values: [Float]

    init(_ rows: [Float], count n: Int, dimension d: Int) {
        precondition(rows.count == n * d && n < Int(Int32.max), "SortedFeatures: \(rows.count) values for \(n) × \(d)")
        self.rows = rows
        count = n
        dimension = d
        var order = [Int32](repeating: 0, count: d * n), values = [Float](repeating: 0, count: d * n)
        for j in 0..<d {
            let sorted = (0..<n).sorted { a, b in
                let va = rows[a * d + j], vb = rows[b * d + j]
                return va < vb || (va == vb && a < b)
            }
            for (p, i) in sorted.enumerated() {
                order[j * n + p] = Int32(i)
                values[j * n + p] = rows[i * d + j]
            }
        }
        self.order = order
        self.values = values
    }
}

/// A regression tree as scikit-learn's `DecisionTreeRegressor(criterion="friedman_mse",
/// max_depth=…)` grows it inside gradient boosting (min_samples_split 2, min_samples_leaf 1, every
/// feature considered): a node is split unless it is at the maximum depth, holds fewer than 2
/// examples or has impurity (the targets' variance) ≤ machine epsilon; the split is the one with the
/// largest Friedman improvement proxy (n_R·ΣL − n_L·ΣR)² / (n_L·n_R) over every feature and every
/// position between values more than 1e-7 apart, at the midpoint threshold (`x ≤ t` goes left).
/// Ties go to the lower feature, then the lower threshold — sklearn visits features in a random
/// order, so its ties depend on `random_state`; ours are deterministic.
struct RegressionTree {
    struct Node {
        /// The split feature, or −1 for a leaf.
        var feature = -1
        var threshold = 0.0
        var left = -1, right = -1
        var count = 0
        /// Variance of the node's targets (sklearn's MSE impurity).
        var impurity = 0.0
        /// The leaf's output (set by the booster).
        var value = 0.0
    }

    var nodes: [Node]

    /// Grows a tree on `targets` (N). On return `leafOf` holds each example's leaf.
    static func fit(_ data: SortedFeatures, targets: UnsafeBufferPointer<Double>, maxDepth: Int, leafOf: inout [Int32]) -> RegressionTree {
        let n = data.count, d = data.dimension, epsilon = Double.ulpOfOne
        func impurity(_ count: Int, _ sum: Double, _ squares: Double) -> Double {
            let mean = sum / Double(count)
            return squares / Double(count) - mean * mean
        }
        var sum = 0.0, squares = 0.0
        for r in targets { sum += r; squares += r * r }
        var nodes = [Node(count: n, impurity: impurity(n, sum, squares))]
        var sums = [sum], squareSums = [squares]
        for i in 0..<n { leafOf[i] = 0 }
        var frontier = maxDepth > 0 && n >= 2 && nodes[0].impurity > epsilon ? [0] : []
        var depth = 0
        while !frontier.isEmpty {
            // Per frontier node: the scan so far and the best split.
            var slot = [Int32](repeating: -1, count: nodes.count)
            for (s, node) in frontier.enumerated() { slot[node] = Int32(s) }
            let m = frontier.count
            var bestProxy = [Double](repeating: -.infinity, count: m), bestFeature = [Int](repeating: -1, count: m)
            var bestThreshold = [Double](repeating: 0, count: m), bestCount = [Int](repeating: 0, count: m)
            var bestSum = [Double](repeating: 0, count: m), bestSquares = [Double](repeating: 0, count: m)
            var seen = [Int](repeating: 0, count: m), seenSum = [Double](repeating: 0, count: m)
            var seenSquares = [Double](repeating: 0, count: m), last = [Float](repeating: 0, count: m)
            let totals = frontier.map { (nodes[$0].count, sums[$0]) }
            data.order.withUnsafeBufferPointer { order in
                data.values.withUnsafeBufferPointer { values in
                    leafOf.withUnsafeBufferPointer { leafOf in
                        for j in 0..<d {
                            for s in 0..<m { seen[s] = 0; seenSum[s] = 0; seenSquares[s] = 0 }
                            for p in (j * n)..<((j + 1) * n) {
                                let example = Int(order[p])
                                let s = Int(slot[Int(leafOf[example])])
                                guard s >= 0 else { continue }
                                let v = values[p], r = targets[example]
                                if seen[s] > 0 && Double(v) > Double(last[s]) + 1e-7 {
                                    let nl = Double(seen[s]), nr = Double(totals[s].0 - seen[s])
                                    let diff = nr * seenSum[s] - nl * (totals[s].1 - seenSum[s])
                                    let proxy = diff * diff / (nl * nr)
                                    if proxy > bestProxy[s] {
                                        var threshold = Double(last[s]) / 2 + Double(v) / 2
                                        if threshold == Double(v) || !threshold.isFinite { threshold = Double(last[s]) }
                                        bestProxy[s] = proxy; bestFeature[s] = j; bestThreshold[s] = threshold
                                        bestCount[s] = seen[s]; bestSum[s] = seenSum[s]; bestSquares[s] = seenSquares[s]
                                    }
                                }
                                seen[s] += 1; seenSum[s] += r; seenSquares[s] += r * r; last[s] = v
                            }
                        }
                    }
                }
            }
            // Children of the nodes that split; the next frontier holds those that may split again.
            var next: [Int] = []
            for (s, parent) in frontier.enumerated() where bestFeature[s] >= 0 {
                let count = nodes[parent].count, leftCount = bestCount[s], rightCount = count - leftCount
                let children = [(leftCount, bestSum[s], bestSquares[s]),
                                (rightCount, sums[parent] - bestSum[s], squareSums[parent] - bestSquares[s])]
                for (side, child) in children.enumerated() {
                    let index = nodes.count
                    nodes.append(Node(count: child.0, impurity: impurity(child.0, child.1, child.2)))
                    sums.append(child.1)
                    squareSums.append(child.2)
                    if side == 0 { nodes[parent].left = index } else { nodes[parent].right = index }
                    if depth + 1 < maxDepth && child.0 >= 2 && nodes[index].impurity > epsilon { next.append(index) }
                }
                nodes[parent].feature = bestFeature[s]
                nodes[parent].threshold = bestThreshold[s]
            }
            data.rows.withUnsafeBufferPointer { rows in
                for i in 0..<n {
                    let node = nodes[Int(leafOf[i])]
                    guard node.feature >= 0 else { continue }
                    leafOf[i] = Int32(Double(rows[i * d + node.feature]) <= node.threshold ? node.left : node.right)
                }
            }
            frontier = next
            depth += 1
        }
        return RegressionTree(nodes: nodes)
    }

    /// The leaf that `row` (D values) falls into.
    func leaf(_ row: UnsafePointer<Float>) -> Int {
        var i = 0
        while nodes[i].feature >= 0 { i = Double(row[nodes[i].feature]) <= nodes[i].threshold ? nodes[i].left : nodes[i].right }
        return i
    }

    /// sklearn's `compute_feature_importances(normalize=False)`: per feature, the summed weighted
    /// impurity decrease n_t·i_t − n_L·i_L − n_R·i_R of the nodes split on it, over the root's n.
    func addImportances(into importances: inout [Double]) {
        var sum = [Double](repeating: 0, count: importances.count)
        for node in nodes where node.feature >= 0 {
            let left = nodes[node.left], right = nodes[node.right]
            sum[node.feature] += Double(node.count) * node.impurity - Double(left.count) * left.impurity
                - Double(right.count) * right.impurity
        }
        for j in 0..<importances.count { importances[j] += sum[j] / Double(nodes[0].count) }
    }
}
