import NN

/// Which runs `genlab verify --runs K` re-runs: K of the ids drawn without replacement from a
/// seeded stream, returned in the file's order, so the same seed picks the same runs.
public enum VerifySample {
    public static func choose(count: Int, from ids: [String], seed: UInt64) -> [String] {
        guard count < ids.count else { return ids }
        var rng = RandomStream(seed: seed, purpose: "verify")
        var positions = Array(ids.indices)
        for i in 0..<count { positions.swapAt(i, i + rng.nextInt(below: ids.count - i)) }
        return positions[..<count].sorted().map { ids[$0] }
    }
}
