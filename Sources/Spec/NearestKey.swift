/// Suggestions for misspelt keys and paths: the nearest candidate by Levenshtein distance.
enum NearestKey {
    /// Levenshtein distance over Unicode scalars, ignoring ASCII case.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased().unicodeScalars)
        let b = Array(b.lowercased().unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The candidate nearest to `word` if its distance is at most 3 and at most half the length of
    /// `word` (rounded down, but at least 1), so short keys are not matched to anything; ties go to the earlier candidate.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let limit = min(3, max(1, word.count / 2))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let d = distance(word, candidate)
            if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.candidate
    }

    /// `did you mean "latent"?`, or nil.
    static func hint(for word: String, among candidates: [String]) -> String? {
        suggestion(for: word, among: candidates).map { "did you mean \(JSONWriter.quoted($0))?" }
    }
}
