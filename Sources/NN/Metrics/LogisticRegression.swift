// Dimension letters: N examples, D features, K classes, P = K·(D + 1) parameters.

/// L2-regularised logistic regression as scikit-learn's `LogisticRegression()` defaults fit it:
/// penalty ½‖W‖² / C with C = 1, an unpenalised intercept, multinomial (softmax) for three or more
/// classes and the binary logistic model for two, minimising
///
///     Σₙ −log p(yₙ | xₙ) + ½‖W‖² / C
///
/// The classes are the distinct training labels, sorted. Solved with Newton's method to
/// convergence (largest gradient component of the objective divided by N ≤ 1e-10) rather than
/// sklearn's lbfgs capped at 100 iterations, so the result is the problem's minimiser, not a
/// solver's approximation of it. Softmax is unchanged by adding a constant to every intercept, so
/// the last class's intercept is held at 0 (the predictions are those of any minimiser).
public struct LogisticRegression: Sendable {
    /// The sorted distinct training labels.
    public let classes: [Int]
    /// (K, D) weights; for two classes row 0 is 0 and row 1 is sklearn's `coef_`.
    public let weights: [Double]
    /// (K) intercepts.
    public let intercepts: [Double]
    public let dimension: Int

    /// Fits `features` (N, D) row-major to `labels` (N). One class alone gives a model that
    /// always predicts it.
    public init(features: [Double], labels: [Int], dimension d: Int, c: Double = 1) {
        let n = labels.count
        precondition(n > 0 && features.count == n * d && c > 0, "LogisticRegression: needs examples with \(d) features each")
        let (classes, targets) = Classification.encode(labels)
        self.classes = classes
        self.dimension = d
        let k = classes.count
        guard k >= 2 else {
            weights = [Double](repeating: 0, count: k * d)
            intercepts = [Double](repeating: 0, count: k)
            return
        }
        // Pinned parameters stay 0: for two classes the whole of row 0 (the binary model), else
        // the last intercept.
        let p = k * (d + 1)
        var pinned = [Bool](repeating: false, count: p)
        if k == 2 {
            for a in 0..<d { pinned[a] = true }
            pinned[k * d] = true
        } else {
            pinned[k * d + k - 1] = true
        }
        let objective = SoftmaxObjective(x: features, targets: targets, count: n, dimension: d, classes: k,
                                         penalty: 1 / (c * Double(n)), pinned: pinned)
        let solution = NewtonMinimizer.minimize([Double](repeating: 0, count: p), value: objective.value,
                                                derivatives: objective.derivatives)
        weights = Array(solution[0..<(k * d)])
        intercepts = Array(solution[(k * d)...])
    }

    /// The predicted class of each row of `features` (N, D): the largest score Wx + b, the first
    /// class on ties (sklearn's `argmax`; for two classes, class 1 only when its score is > 0).
    public func predict(_ features: [Double]) -> [Int] {
        let d = dimension, k = classes.count, n = d == 0 ? 0 : features.count / d
        return (0..<n).map { i in
            var best = 0, bestScore = -Double.infinity
            for c in 0..<k {
                var s = intercepts[c]
                for a in 0..<d { s += weights[c * d + a] * features[i * d + a] }
                if s > bestScore { best = c; bestScore = s }
            }
            return classes[best]
        }
    }

    /// The share of rows whose prediction equals the label.
    public func accuracy(_ features: [Double], labels: [Int]) -> Double {
        Classification.accuracy(predict(features), labels)
    }
}

/// The mean negative log-likelihood of a softmax model with an L2 penalty on W, its gradient and
/// Hessian, over parameters [W (K, D) | b (K)]; pinned parameters have zero gradient and an
/// identity Hessian row, so Newton never moves them.
private struct SoftmaxObjective {
    let x: [Double], targets: [Int], count: Int, dimension: Int, classes: Int, penalty: Double, pinned: [Bool]

    /// Class probabilities of example i under parameters `theta`, into `p` (K); returns log Σ exp.
    private func probabilities(_ theta: UnsafePointer<Double>, _ i: Int, _ p: UnsafeMutablePointer<Double>) -> Double {
        let d = dimension, k = classes
        var largest = -Double.infinity
        x.withUnsafeBufferPointer { x in
            for c in 0..<k {
                var s = theta[k * d + c]
                for a in 0..<d { s += theta[c * d + a] * x[i * d + a] }
                p[c] = s
                largest = max(largest, s)
            }
        }
        var total = 0.0
        for c in 0..<k { p[c] = _exp(p[c] - largest); total += p[c] }
        for c in 0..<k { p[c] /= total }
        return largest + _log(total)
    }

    func value(_ theta: [Double]) -> Double {
        let d = dimension, k = classes
        var p = [Double](repeating: 0, count: k), loss = 0.0
        theta.withUnsafeBufferPointer { t in
            p.withUnsafeMutableBufferPointer { p in
                for i in 0..<count {
                    let lse = probabilities(t.baseAddress!, i, p.baseAddress!)
                    var s = t[k * d + targets[i]]
                    x.withUnsafeBufferPointer { x in for a in 0..<d { s += t[targets[i] * d + a] * x[i * d + a] } }
                    loss += lse - s
                }
            }
        }
        var norm = 0.0
        for j in 0..<(k * d) { norm += theta[j] * theta[j] }
        return loss / Double(count) + 0.5 * penalty * norm
    }

    func derivatives(_ theta: [Double]) -> (gradient: [Double], hessian: [Double]) {
        let d = dimension, k = classes, size = k * (d + 1), scale = 1 / Double(count)
        var g = [Double](repeating: 0, count: size), h = [Double](repeating: 0, count: size * size)
        var p = [Double](repeating: 0, count: k), xt = [Double](repeating: 1, count: d + 1)
        // Parameter index of (class c, input a), a = D being the intercept.
        func index(_ c: Int, _ a: Int) -> Int { a < d ? c * d + a : k * d + c }
        theta.withUnsafeBufferPointer { t in
            g.withUnsafeMutableBufferPointer { g in
                h.withUnsafeMutableBufferPointer { h in
                    p.withUnsafeMutableBufferPointer { p in
                        xt.withUnsafeMutableBufferPointer { xt in
                            x.withUnsafeBufferPointer { x in
                                for i in 0..<count {
                                    _ = probabilities(t.baseAddress!, i, p.baseAddress!)
                                    for a in 0..<d { xt[a] = x[i * d + a] }
                                    for c in 0..<k {
                                        let r = (p[c] - (targets[i] == c ? 1 : 0)) * scale
                                        for a in 0...d { g[index(c, a)] += r * xt[a] }
                                        for l in c..<k {
                                            let w = p[c] * ((c == l ? 1 : 0) - p[l]) * scale
                                            for a in 0...d {
                                                let row = index(c, a) * size, wa = w * xt[a]
                                                for b in 0...d { h[row + index(l, b)] += wa * xt[b] }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        // The blocks below the diagonal (l < c) by symmetry, then the penalty and the pins.
        for c in 0..<k {
            for l in 0..<c {
                for a in 0...d { for b in 0...d { h[index(c, a) * size + index(l, b)] = h[index(l, b) * size + index(c, a)] } }
            }
        }
        for j in 0..<(k * d) { g[j] += penalty * theta[j]; h[j * size + j] += penalty }
        for j in 0..<size where pinned[j] {
            g[j] = 0
            for m in 0..<size { h[j * size + m] = 0; h[m * size + j] = 0 }
            h[j * size + j] = 1
        }
        return (g, h)
    }
}
