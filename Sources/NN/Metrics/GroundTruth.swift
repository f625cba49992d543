/// Ground-truth factors and a representation of them — disentanglement_lib's `GroundTruthData`
/// with a `representation_function` — the input of every disentanglement metric.
///
/// Factor vectors are rows of K integer levels (factor k in `0..<levelCounts[k]`); `represent`
/// maps N such rows, (N, K) row-major, to N codes (N, Z) row-major (GenLab: render the sprites and
/// encode them to posterior means). Draws are uniform over all combinations, one
/// `nextInt(below: combinationCount)` per vector, decoded in mixed radix with the first factor most
/// significant — uniform and independent per factor, as dlib's `sample_factors`.
public struct GroundTruth {
    /// Levels of each of the K factors.
    public let levelCounts: [Int]
    /// Z, the size of a code.
    public let dimension: Int
    private let represent: ([Int], Int) -> [Float]

    public init(levelCounts: [Int], dimension: Int, represent: @escaping (_ factors: [Int], _ count: Int) -> [Float]) {
        precondition(!levelCounts.isEmpty && levelCounts.allSatisfy { $0 >= 1 } && dimension >= 1,
                     "GroundTruth: needs at least one factor with levels and a code dimension")
        self.levelCounts = levelCounts
        self.dimension = dimension
        self.represent = represent
    }

    /// K, the number of factors.
    public var factorCount: Int { levelCounts.count }

    /// The product of the level counts.
    public var combinationCount: Int { levelCounts.reduce(1, *) }

    /// `count` factor vectors (count, K), each one uniform draw over all combinations.
    public func sampleFactors(_ count: Int, rng: inout RandomStream) -> [Int] {
        let k = factorCount, combinations = combinationCount
        var factors = [Int](repeating: 0, count: count * k)   // (N, K)
        for i in 0..<count {
            var rest = rng.nextInt(below: combinations)
            for f in stride(from: k - 1, through: 0, by: -1) {
                factors[i * k + f] = rest % levelCounts[f]
                rest /= levelCounts[f]
            }
        }
        return factors
    }

    /// The codes (count, Z) of factor vectors (count, K).
    public func codes(_ factors: [Int], count: Int) -> [Float] {
        precondition(factors.count == count * factorCount, "GroundTruth: \(factors.count) levels for \(count) vectors")
        let codes = represent(factors, count)
        precondition(codes.count == count * dimension, "GroundTruth: the representation gave \(codes.count) values for \(count) codes")
        return codes
    }

    /// `count` uniform factor vectors and their codes (dlib's `generate_batch_factor_code`).
    public func sample(_ count: Int, rng: inout RandomStream) -> (factors: [Int], codes: [Float]) {
        let factors = sampleFactors(count, rng: &rng)
        return (factors, codes(factors, count: count))
    }

    /// The combination index of the vector at `row` of `factors` (N, K) (the mixed-radix number
    /// that `sampleFactors` decodes; for sprites, `SpriteFactors.factorIndex`).
    public static func combinationIndex(_ factors: [Int], row: Int, levelCounts: [Int]) -> Int {
        var index = 0
        for (f, levels) in levelCounts.enumerated() { index = index * levels + factors[row * levelCounts.count + f] }
        return index
    }
}
