/// Finds where a span of an old text lies in a new revision of it, by quote and context.
///
/// The two texts share a prefix and a suffix; what lies between is the changed region. A span before the
/// changed region keeps its offsets, and one after it moves by the change in length. A span that touches
/// the changed region is looked for by its quote near the changed region: an exact match first (the one whose
/// surrounding text matches best, then the one nearest to where the span was), then the closest
/// approximate match (Sellers 1980: edit distance with a free start), accepted when at least
/// `minimumSimilarity` of the quote survives. Otherwise the span is lost and must be reviewed.
public struct Reanchoring: Sendable {
    public enum Outcome: Sendable, Equatable {
        case unchanged
        case moved(TextSpan)
        /// Re-anchored on approximately the same text; `similarity` is 1 − edit distance / quote length.
        case approximate(TextSpan, similarity: Double)
        case lost
    }

    public let old: [Unicode.Scalar]
    public let new: [Unicode.Scalar]
    /// Code points shared at the start and at the end.
    public let prefix: Int
    public let suffix: Int
    public var minimumSimilarity = 0.8
    /// How far beyond the changed region a quote is looked for, in code points.
    public var reach = 200

    public init(old: String, new: String) {
        self.old = Array(old.unicodeScalars)
        self.new = Array(new.unicodeScalars)
        var prefix = 0
        while prefix < self.old.count, prefix < self.new.count, self.old[prefix] == self.new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < min(self.old.count, self.new.count) - prefix, self.old[self.old.count - 1 - suffix] == self.new[self.new.count - 1 - suffix] { suffix += 1 }
        self.prefix = prefix
        self.suffix = suffix
    }

    public func reanchor(_ span: TextSpan) -> Outcome {
        let delta = new.count - old.count
        if span.end <= prefix && span.start < prefix || (span.length == 0 && span.start <= prefix) { return .unchanged }
        if span.start >= old.count - suffix {
            if delta == 0 { return .unchanged }
            guard let moved = try? TextSpan(start: span.start + delta, end: span.end + delta) else { return .lost }
            return .moved(moved)
        }
        let quote = Array(old[span.start..<span.end])
        guard !quote.isEmpty else { return .lost }
        let window = max(0, prefix - quote.count - reach)..<min(new.count, new.count - suffix + quote.count + reach)
        let expected = span.start < prefix ? span.start : span.start + delta
        if let start = exactMatch(quote, in: window, near: expected, context: span) {
            guard let moved = try? TextSpan(start: start, end: start + quote.count) else { return .lost }
            return moved == span ? .unchanged : .moved(moved)
        }
        if let (range, distance) = approximateMatch(quote, in: window) {
            let similarity = 1 - Double(distance) / Double(quote.count)
            if similarity >= minimumSimilarity, let moved = try? TextSpan(start: range.lowerBound, end: range.upperBound) {
                return .approximate(moved, similarity: similarity)
            }
        }
        return .lost
    }

    /// The start of the occurrence of `quote` in `window` whose 20 code points before and after match the old
    /// text's best; ties go to the one nearest to `expected`.
    private func exactMatch(_ quote: [Unicode.Scalar], in window: Range<Int>, near expected: Int, context span: TextSpan) -> Int? {
        guard window.count >= quote.count else { return nil }
        var best: (start: Int, distance: Int, context: Int)?
        for start in window.lowerBound...(window.upperBound - quote.count) where new[start] == quote[0] {
            guard new[start..<(start + quote.count)].elementsEqual(quote) else { continue }
            let distance = abs(start - expected)
            let context = contextMatch(oldSpan: span, newStart: start, length: quote.count)
            if best.map({ context > $0.context || (context == $0.context && distance < $0.distance) }) ?? true {
                best = (start, distance, context)
            }
        }
        return best?.start
    }

    private func contextMatch(oldSpan: TextSpan, newStart: Int, length: Int) -> Int {
        var score = 0
        for offset in 1...20 {
            let (o, n) = (oldSpan.start - offset, newStart - offset)
            if o >= 0, n >= 0, old[o] == new[n] { score += 1 }
            let (o2, n2) = (oldSpan.end - 1 + offset, newStart + length - 1 + offset)
            if o2 < old.count, n2 < new.count, old[o2] == new[n2] { score += 1 }
        }
        return score
    }

    /// The substring of `window` with the least edit distance to `quote` (Sellers' dynamic programme gives the
    /// ends with that distance; the same backwards from each end gives its start), with that distance. Among
    /// equally close substrings, the one nearest the quote's length wins, then the first.
    private func approximateMatch(_ quote: [Unicode.Scalar], in window: Range<Int>) -> (Range<Int>, Int)? {
        let m = quote.count
        guard !window.isEmpty else { return nil }
        var column = Array(0...m)
        var ends: [Int] = [], bestDistance = m
        for position in window {
            var previousDiagonal = column[0]
            column[0] = 0
            for j in 1...m {
                let saved = column[j]
                column[j] = min(column[j] + 1, column[j - 1] + 1, previousDiagonal + (quote[j - 1] == new[position] ? 0 : 1))
                previousDiagonal = saved
            }
            if column[m] < bestDistance {
                bestDistance = column[m]
                ends = [position + 1]
            } else if column[m] == bestDistance, bestDistance < m, ends.count < 8 {
                ends.append(position + 1)
            }
        }
        guard bestDistance < m else { return nil }
        let candidates = ends.compactMap { end in start(of: quote, endingAt: end, distance: bestDistance, from: window.lowerBound).map { $0..<end } }
        return candidates.min { abs($0.count - m) != abs($1.count - m) ? abs($0.count - m) < abs($1.count - m) : $0.lowerBound < $1.lowerBound }
            .map { ($0, bestDistance) }
    }

    /// The latest start of a substring ending at `end` whose edit distance to `quote` is `distance` (the DP
    /// run backwards from the fixed end).
    private func start(of quote: [Unicode.Scalar], endingAt end: Int, distance: Int, from lowest: Int) -> Int? {
        let m = quote.count
        var column = Array(0...m)
        for position in stride(from: end - 1, through: lowest, by: -1) {
            var previousDiagonal = column[0]
            column[0] = end - position  // the end is fixed: text taken without the quote costs
            for j in 1...m {
                let saved = column[j]
                column[j] = min(column[j] + 1, column[j - 1] + 1, previousDiagonal + (quote[m - j] == new[position] ? 0 : 1))
                previousDiagonal = saved
            }
            if column[m] == distance { return position }
            if end - position > 2 * m + distance { return nil }
        }
        return nil
    }
}
