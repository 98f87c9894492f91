import GlossCore
import Testing

@Suite("Re-anchoring spans on a new revision of a text")
struct ReanchoringTests {
    /// The span of `needle` in `text`, in code points (first occurrence).
    static func span(of needle: String, in text: String) throws -> TextSpan {
        let scalars = Array(text.unicodeScalars), target = Array(needle.unicodeScalars)
        let start = try #require((0...(scalars.count - target.count)).first { scalars[$0..<($0 + target.count)].elementsEqual(target) })
        return try TextSpan(start: start, end: start + target.count)
    }

    static let old = "Kabul 😀 said on Monday that Russia armed the Taliban. Moscow denied it. Analysts doubted the denial."

    @Test func spansBeforeAndAfterAnEditKeepOrShiftTheirOffsets() throws {
        // "Monday" becomes "Tuesday": one code point longer.
        let new = Self.old.replacingOccurrences(of: "Monday", with: "Tuesday")
        let anchoring = Reanchoring(old: Self.old, new: new)
        #expect(anchoring.reanchor(try Self.span(of: "Kabul 😀", in: Self.old)) == .unchanged)
        // "Moscow denied it." is [54, 71) before and [55, 72) after.
        let moscow = try Self.span(of: "Moscow denied it.", in: Self.old)
        #expect(moscow == (try TextSpan(start: 54, end: 71)))
        #expect(anchoring.reanchor(moscow) == .moved(try TextSpan(start: 55, end: 72)))
    }

    @Test func aQuoteInsideTheChangedRegionIsFoundExactly() throws {
        // A sentence inserted before "Russia armed the Taliban" shifts it, inside the changed region.
        let new = Self.old.replacingOccurrences(of: "that Russia", with: "that, according to officials, Russia")
        let anchoring = Reanchoring(old: Self.old, new: new)
        let claim = try Self.span(of: "Russia armed the Taliban", in: Self.old)
        #expect(anchoring.reanchor(claim) == .moved(try Self.span(of: "Russia armed the Taliban", in: new)))
    }

    @Test func anEditedQuoteIsFoundApproximatelyOrLost() throws {
        // One letter changed in a 24-letter quote: similarity 23/24.
        let typo = Self.old.replacingOccurrences(of: "armed the Taliban", with: "armed the Talibans")
        let claim = try Self.span(of: "Russia armed the Taliban.", in: Self.old)
        let outcome = Reanchoring(old: Self.old, new: typo).reanchor(claim)
        #expect(outcome == .approximate(try Self.span(of: "Russia armed the Talibans", in: typo), similarity: 1 - 1.0 / 25))
        // The sentence rewritten entirely: nothing close enough remains.
        let rewritten = Self.old.replacingOccurrences(of: "Russia armed the Taliban.", with: "talks would resume in spring.")
        #expect(Reanchoring(old: Self.old, new: rewritten).reanchor(claim) == .lost)
    }

    @Test func theNearestOfSeveralExactMatchesWins() throws {
        let old = "the deal. Later the deal. Finally the deal."
        let new = "the deal. Later, much later, the deal. Finally the deal."
        let second = try TextSpan(start: 16, end: 24)  // "the deal" after "Later "
        #expect(Reanchoring(old: old, new: new).reanchor(second) == .moved(try TextSpan(start: 29, end: 37)))
    }
}
