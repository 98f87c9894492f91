import GlossCore

/// Paragraph and sentence boundaries of a text, for layers whose spans must stay `within` one.
///
/// A boundary is the code-point offset where the next paragraph or sentence starts (its first
/// non-white-space character). A span `[start, end)` crosses boundary `b` when `start < b < end` and the
/// span has non-white-space text before `b`. The rules are documented in `Codebooks/README.md`:
/// - paragraph: a blank line (a line break, optional spaces or tabs, another line break), or U+2029;
///   line breaks are LF, CR LF, CR and U+2028;
/// - sentence: a paragraph boundary, or `.` `!` `?` `…` (repeated or not, then optional closing quotes or
///   brackets), white space, and a next character that is not a lowercase letter, except a `.` after a
///   single letter or an initialism ("J.", "U.S.") or after a common abbreviation (Mr, Dr, Gen, …).
public struct TextBoundaries: Sendable {
    public let paragraphs: [Int]
    public let sentences: [Int]
    /// `nonWhitespaceBefore[i]`: how many non-white-space code points precede offset `i`.
    private let nonWhitespaceBefore: [Int32]

    static let abbreviations: Set<String> = ["mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "prof", "sen", "rep", "gov", "st", "vs", "etc", "e.g", "i.e"]

    public init(_ text: String) {
        let scalars = Array(text.unicodeScalars)
        var counts = [Int32](repeating: 0, count: scalars.count + 1)
        for (index, scalar) in scalars.enumerated() {
            counts[index + 1] = counts[index] + (scalar.properties.isWhitespace ? 0 : 1)
        }
        nonWhitespaceBefore = counts
        func nextText(from index: Int) -> Int {
            var index = index
            while index < scalars.count && scalars[index].properties.isWhitespace { index += 1 }
            return index
        }
        var paragraphs: [Int] = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\u{2029}" {
                paragraphs.append(nextText(from: index + 1))
            } else if let afterBreak = Self.lineBreakEnd(scalars, index) {
                var cursor = afterBreak
                while cursor < scalars.count && (scalars[cursor] == " " || scalars[cursor] == "\t") { cursor += 1 }
                if Self.lineBreakEnd(scalars, cursor) != nil || (cursor < scalars.count && scalars[cursor] == "\u{2029}") {
                    let start = nextText(from: cursor)
                    paragraphs.append(start)
                    index = max(start, index + 1)
                    continue
                }
                index = afterBreak
                continue
            }
            index += 1
        }
        paragraphs = paragraphs.filter { $0 < scalars.count }
        self.paragraphs = paragraphs

        var sentences = Set(paragraphs)
        let terminators: Set<Unicode.Scalar> = [".", "!", "?", "…"]
        let closers: Set<Unicode.Scalar> = ["\"", "”", "’", "'", ")", "]", "»"]
        index = 0
        while index < scalars.count {
            guard terminators.contains(scalars[index]) else { index += 1; continue }
            let first = index
            while index < scalars.count && terminators.contains(scalars[index]) { index += 1 }
            while index < scalars.count && closers.contains(scalars[index]) { index += 1 }
            guard index < scalars.count, scalars[index].properties.isWhitespace else { continue }
            let next = nextText(from: index)
            guard next < scalars.count, !scalars[next].properties.isLowercase else { continue }
            if scalars[first] == "." && index - first == 1 && Self.isAbbreviation(scalars, periodAt: first) { continue }
            sentences.insert(next)
        }
        self.sentences = sentences.sorted()
    }

    /// The offset just after a line break starting at `index`, or nil when there is none.
    private static func lineBreakEnd(_ scalars: [Unicode.Scalar], _ index: Int) -> Int? {
        guard index < scalars.count else { return nil }
        switch scalars[index] {
        case "\r": return index + 1 < scalars.count && scalars[index + 1] == "\n" ? index + 2 : index + 1
        case "\n", "\u{2028}": return index + 1
        default: return nil
        }
    }

    /// Whether the word before the period at `index` is an initial or initialism (single letters between
    /// periods: "J.", "U.S.", "A.B.") or a known abbreviation.
    private static func isAbbreviation(_ scalars: [Unicode.Scalar], periodAt index: Int) -> Bool {
        var start = index
        while start > 0 && (scalars[start - 1].properties.isAlphabetic || scalars[start - 1] == ".") { start -= 1 }
        let word = String(String.UnicodeScalarView(scalars[start..<index])).lowercased()
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { $0.unicodeScalars.count == 1 } || abbreviations.contains(word)
    }

    /// The first boundary of the kind that `span` crosses, or nil.
    public func crossing(_ span: TextSpan, _ boundary: Layer.Boundary) -> Int? {
        let positions = boundary == .paragraph ? paragraphs : sentences
        var low = 0, high = positions.count
        while low < high {  // first boundary greater than span.start
            let mid = (low + high) / 2
            if positions[mid] <= span.start { low = mid + 1 } else { high = mid }
        }
        var index = low
        while index < positions.count && positions[index] < span.end {
            let position = positions[index]
            if position < nonWhitespaceBefore.count, nonWhitespaceBefore[position] > nonWhitespaceBefore[span.start] { return position }
            index += 1
        }
        return nil
    }
}
