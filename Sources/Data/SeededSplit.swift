import NN

/// The train/test split of a user's data set that comes without one (an image folder without
/// `train/` and `test/`, an array without `test_path`): `testCount` of the `count` examples,
/// chosen by a Fisher–Yates shuffle of `0..<count` driven by
/// `RandomStream(seed: data.seed, purpose: "data.split")` — the first `testCount` of the
/// permutation. Both splits keep the examples' order, so the split depends only on the count,
/// the test count and the seed.
public enum SeededSplit {
    /// The indices of the test examples.
    public static func testIndices(count: Int, testCount: Int, seed: UInt64) -> Set<Int> {
        var permutation = Array(0..<count)
        var stream = RandomStream(seed: seed, purpose: "data.split")
        var i = count - 1
        while i > 0 {
            permutation.swapAt(i, stream.nextInt(below: i + 1))
            i -= 1
        }
        return Set(permutation.prefix(testCount))
    }

    /// The default number of test examples: a tenth, at least one.
    public static func defaultTestCount(of count: Int) -> Int { max(1, count / 10) }

    /// The test count for `count` examples (`requested`, or the default), refused when it would
    /// leave no training example. `path` names the data in the error.
    public static func testCount(of count: Int, requested: Int?, path: String) throws(DataError) -> Int {
        let testCount = requested ?? defaultTestCount(of: count)
        guard testCount < count else {
            throw .notEnoughExamples(path: path, split: "test", requested: testCount, available: max(0, count - 1),
                                     detail: "the train split needs at least one of the \(count) examples")
        }
        return testCount
    }

    /// The first `limit` of a split's `count` examples; a limit above `count` is refused.
    public static func limit(_ count: Int, to limit: Int?, split: String, path: String) throws(DataError) -> Int {
        guard let limit else { return count }
        guard limit <= count else {
            throw .notEnoughExamples(path: path, split: split, requested: limit, available: count, detail: nil)
        }
        return limit
    }
}
