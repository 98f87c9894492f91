/// The known name closest to a mistyped one, for "did you mean" hints.
public enum NameSuggestion {
    /// The name of `candidates` nearest to `name` by Levenshtein distance over code points (ties: the first),
    /// if it is within a third of the longer name's length (at least 1); nil when none is that close.
    public static func nearest(to name: String, in candidates: [String]) -> String? {
        let typed = Array(name.unicodeScalars)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let known = Array(candidate.unicodeScalars)
            let distance = levenshtein(typed, known)
            let allowed = max(1, max(typed.count, known.count) / 3)
            if distance <= allowed, distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// "did you mean X?" when a candidate is near, else the list of candidates.
    public static func hint(for name: String, in candidates: [String]) -> String {
        if let near = nearest(to: name, in: candidates) { return "did you mean \(near)?" }
        return candidates.isEmpty ? "there are none yet" : "known: \(candidates.joined(separator: ", "))"
    }

    /// The edit distance (insertions, deletions, substitutions) between two scalar sequences.
    static func levenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        guard !a.isEmpty else { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
