import Spec

/// A deterministic slice of an experiment's runs: shard `index` of `count` (0-based, as Slurm's
/// `SLURM_ARRAY_TASK_ID` is for `--array=0-(N-1)`) takes the runs whose position in the file's
/// expansion order is `index` modulo `count`. Round-robin spreads seeds and sweep values evenly,
/// and the slices of all shards together are exactly the file's runs.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        precondition(count >= 1 && index >= 0 && index < count)
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 0 ≤ I < N; nil for anything else.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else { return nil }
        self.init(index: i, count: n)
    }

    /// The runs of this shard, in expansion order, with their 1-based positions in the whole file.
    public func select(_ runs: [RunSpec]) -> [(position: Int, run: RunSpec)] {
        runs.enumerated().filter { $0.offset % count == index }.map { ($0.offset + 1, $0.element) }
    }

    public var description: String { "\(index)/\(count)" }
}
