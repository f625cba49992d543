/// scikit-learn's `LinearSVC(C=0.01, class_weight="balanced")` on a single feature, the classifier
/// of the SAP score (Kumar et al. 2018, as disentanglement_lib's `sap_score.py`): liblinear's
/// L2-regularised squared-hinge SVM with the intercept as a constant feature 1, so regularised too.
/// Each binary problem, in (w, b) with x̃ = (x, 1) and labels y = ±1, is
///
///     min ½(w² + b²) + Σₙ Cₙ max(0, 1 − yₙ(w xₙ + b))²
///
/// "balanced" weights class c by N / (K · N_c). As liblinear: two classes are one problem (class 1
/// positive, each example's C times its class's weight); more are one-vs-rest, where in class c's
/// problem its examples have C · weight_c and all others plain C. The classes are the distinct
/// training labels, sorted. Each problem is solved to convergence by Newton's method with the
/// generalised Hessian (liblinear stops at tolerance 1e-4).
public struct LinearSVC: Sendable {
    public let classes: [Int]
    /// (w, b) of each binary problem: one for two classes, K for more, none for one.
    public let planes: [(w: Double, b: Double)]

    public init(feature x: [Double], labels: [Int], c: Double = 0.01) {
        precondition(x.count == labels.count && !x.isEmpty && c > 0, "LinearSVC: needs one feature value per label")
        let (classes, targets) = Classification.encode(labels)
        self.classes = classes
        let k = classes.count, n = Double(x.count)
        var counts = [Int](repeating: 0, count: k)
        for t in targets { counts[t] += 1 }
        let weights = counts.map { n / (Double(k) * Double($0)) }
        switch k {
        case 1:
            planes = []
        case 2:
            let y = targets.map { $0 == 1 ? 1.0 : -1.0 }
            planes = [Self.fit(x, y, cost: targets.map { c * weights[$0] })]
        default:
            planes = (0..<k).map { positive in
                Self.fit(x, targets.map { $0 == positive ? 1.0 : -1.0 },
                         cost: targets.map { $0 == positive ? c * weights[positive] : c })
            }
        }
    }

    /// The predicted class of each value: for two classes class 1 where w x + b > 0; for more the
    /// largest w_c x + b_c, the first class on ties.
    public func predict(_ x: [Double]) -> [Int] {
        switch classes.count {
        case 1: return x.map { _ in classes[0] }
        case 2: return x.map { planes[0].w * $0 + planes[0].b > 0 ? classes[1] : classes[0] }
        default:
            return x.map { v in
                var best = 0, bestScore = -Double.infinity
                for (c, plane) in planes.enumerated() where plane.w * v + plane.b > bestScore {
                    best = c
                    bestScore = plane.w * v + plane.b
                }
                return classes[best]
            }
        }
    }

    public func accuracy(_ x: [Double], labels: [Int]) -> Double { Classification.accuracy(predict(x), labels) }

    /// The minimiser of ½(w² + b²) + Σ costₙ max(0, 1 − yₙ(w xₙ + b))².
    static func fit(_ x: [Double], _ y: [Double], cost: [Double]) -> (w: Double, b: Double) {
        let n = x.count
        func value(_ v: [Double]) -> Double {
            var f = 0.5 * (v[0] * v[0] + v[1] * v[1])
            x.withUnsafeBufferPointer { x in
                for i in 0..<n {
                    let slack = 1 - y[i] * (v[0] * x[i] + v[1])
                    if slack > 0 { f += cost[i] * slack * slack }
                }
            }
            return f
        }
        func derivatives(_ v: [Double]) -> (gradient: [Double], hessian: [Double]) {
            var g0 = v[0], g1 = v[1], h00 = 1.0, h01 = 0.0, h11 = 1.0
            x.withUnsafeBufferPointer { x in
                for i in 0..<n {
                    let slack = 1 - y[i] * (v[0] * x[i] + v[1])
                    guard slack > 0 else { continue }
                    let r = -2 * cost[i] * slack * y[i]
                    g0 += r * x[i]; g1 += r
                    h00 += 2 * cost[i] * x[i] * x[i]; h01 += 2 * cost[i] * x[i]; h11 += 2 * cost[i]
                }
            }
            return ([g0, g1], [h00, h01, h01, h11])
        }
        let solution = NewtonMinimizer.minimize([0, 0], value: value, derivatives: derivatives)
        return (solution[0], solution[1])
    }
}
