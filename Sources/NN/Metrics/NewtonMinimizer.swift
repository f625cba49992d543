/// Newton's method with a backtracking (Armijo) line search for the small convex problems of the
/// disentanglement metrics' classifiers (logistic regression, the squared-hinge SVM), in double
/// precision. Deterministic: the same problem gives the same bits.
///
/// `value(x)` is the objective; `derivatives(x)` its gradient and (generalised) Hessian, P × P
/// row-major. The Hessian must be positive definite (the L2 penalties make it so); if a Cholesky
/// factorisation fails anyway, a growing multiple of the identity is added. Stops when the largest
/// gradient component is at most `tolerance` or a step no longer changes the objective.
enum NewtonMinimizer {
    static func minimize(_ start: [Double], tolerance: Double = 1e-10, maxIterations: Int = 200,
                         value: ([Double]) -> Double,
                         derivatives: ([Double]) -> (gradient: [Double], hessian: [Double])) -> [Double] {
        var x = start
        var f = value(x)
        for _ in 0..<maxIterations {
            let (g, h) = derivatives(x)
            var largest = 0.0
            for v in g { largest = max(largest, abs(v)) }
            if largest <= tolerance || !largest.isFinite { break }
            let direction = solve(h, g, size: x.count).map { -$0 }
            var slope = 0.0
            for i in 0..<x.count { slope += g[i] * direction[i] }
            if !(slope < 0) { break }
            var step = 1.0, moved = false
            while step > 1e-20 {
                var trial = x
                for i in 0..<x.count { trial[i] += step * direction[i] }
                let ft = value(trial)
                if ft <= f + 1e-4 * step * slope {
                    moved = ft < f || trial != x
                    x = trial
                    f = ft
                    break
                }
                step *= 0.5
            }
            if !moved { break }
        }
        return x
    }

    /// Solves h·d = g for symmetric positive definite h (P × P) by Cholesky.
    static func solve(_ h: [Double], _ g: [Double], size p: Int) -> [Double] {
        var ridge = 0.0
        while true {
            if let l = cholesky(h, size: p, ridge: ridge) {
                var y = g
                for i in 0..<p {                          // L·y = g
                    var s = y[i]
                    for k in 0..<i { s -= l[i * p + k] * y[k] }
                    y[i] = s / l[i * p + i]
                }
                for i in stride(from: p - 1, through: 0, by: -1) {   // Lᵀ·d = y
                    var s = y[i]
                    for k in (i + 1)..<p { s -= l[k * p + i] * y[k] }
                    y[i] = s / l[i * p + i]
                }
                return y
            }
            var scale = 0.0
            for i in 0..<p { scale = max(scale, abs(h[i * p + i])) }
            ridge = ridge == 0 ? 1e-12 * max(scale, 1) : ridge * 10
        }
    }

    /// The lower Cholesky factor of h + ridge·I, or nil when it is not positive definite.
    static func cholesky(_ h: [Double], size p: Int, ridge: Double) -> [Double]? {
        var l = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0...i {
                var s = h[i * p + j] + (i == j ? ridge : 0)
                for k in 0..<j { s -= l[i * p + k] * l[j * p + k] }
                if i == j {
                    guard s > 0, s.isFinite else { return nil }
                    l[i * p + i] = s.squareRoot()
                } else {
                    l[i * p + j] = s / l[j * p + j]
                }
            }
        }
        return l
    }
}
