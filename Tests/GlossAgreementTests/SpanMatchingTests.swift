import GlossAgreement
import Testing

@Suite("Span matching")
struct SpanMatchingTests {
    /// a: [0,10) x, [20,30) y, [40,50) x;  b: [0,10) x, [22,30) y, [60,70) x.
    static let continuum = Continuum(begin: 0, end: 100, coderCount: 2, spans: [
        .init(coder: 0, start: 0, end: 10, label: "x"), .init(coder: 0, start: 20, end: 30, label: "y"), .init(coder: 0, start: 40, end: 50, label: "x"),
        .init(coder: 1, start: 0, end: 10, label: "x"), .init(coder: 1, start: 22, end: 30, label: "y"), .init(coder: 1, start: 60, end: 70, label: "x"),
    ])

    @Test func exactMatchingPairsIdenticalSpansOnly() throws {
        let report = try #require(Self.continuum.matchSpans(.exact).first)
        // One match of three spans each: precision = recall = 1/3, F1 = 2·1/6.
        #expect(report.matches.count == 1)
        #expect(report.precision == .value(1.0 / 3) && report.recall == .value(1.0 / 3) && report.f1 == .value(2.0 / 6))
    }

    @Test(arguments: [(0.5, 2), (0.8, 2), (0.81, 1)])
    func overlapMatchingUsesTheSharedShareOfTheUnion(ratio: Double, matched: Int) throws {
        // [20,30) and [22,30) share 8 of 10 code points: ratio 0.8.
        let report = try #require(Self.continuum.matchSpans(.overlap(minimumRatio: ratio)).first)
        #expect(report.matches.count == matched)
        if matched == 2 { #expect(Self.continuum.kappaOnMatches(report) == .value(1)) }  // x–x and y–y
    }

    @Test func twentyThousandIdenticalSpansPerCoderAreAllMatched() throws {
        let n = 20_000
        let spans = (0..<2).flatMap { coder in
            (0..<n).map { Continuum.Span(coder: coder, start: 10 * $0, end: 10 * $0 + 5, label: "x") }
        }
        let continuum = Continuum(begin: 0, end: 10 * n, coderCount: 2, spans: spans)
        for match in [SpanMatch.exact, .overlap(minimumRatio: 0.5)] {
            let report = try #require(continuum.matchSpans(match).first)
            #expect(report.matches.count == n)
            #expect(report.matches.allSatisfy { $0.1 == $0.0 + n })
        }
    }

    /// An augmenting path through every span: the last span of the first coder takes the second coder's first
    /// span, and each span matched before moves one along.
    ///
    /// Second coder: y0 … y(n-1) at [10k + 10, 10k + 20), and y* at [0, 10). First coder: x0 … x(n-2) at
    /// [10k + 12, 10k + 22), sharing 8 of 12 code points with yk (ratio 2/3) and 2 of 18 with y(k+1) (ratio 1/9);
    /// then x* at [8, 18), sharing 8 of 12 with y0 and 2 of 18 with y*. Every x has two candidates, so they are
    /// tried in order; x0 … x(n-2) take y0 … y(n-2), and x* finds y0 taken: x0 moves to y1, x1 to y2, …, and
    /// x(n-2) to the free y(n-1), a path of n - 1 steps.
    @Test func anAugmentingPathThroughTwentyThousandSpansIsFollowed() throws {
        let n = 20_000
        var spans = (0..<n).map { Continuum.Span(coder: 1, start: 10 * $0 + 10, end: 10 * $0 + 20, label: "y") }
        spans.append(.init(coder: 1, start: 0, end: 10, label: "y*"))
        spans += (0..<(n - 1)).map { Continuum.Span(coder: 0, start: 10 * $0 + 12, end: 10 * $0 + 22, label: "x") }
        spans.append(.init(coder: 0, start: 8, end: 18, label: "x*"))
        let continuum = Continuum(begin: 0, end: 10 * n + 20, coderCount: 2, spans: spans)
        let report = try #require(continuum.matchSpans(.overlap(minimumRatio: 0.1)).first)
        #expect(report.firstSpans == n && report.secondSpans == n + 1)
        #expect(report.matches.count == n)
        // xk (index n + 1 + k) with y(k+1) (index k + 1); x* (index 2n) with y0 (index 0); y* unmatched.
        let expected = (0..<(n - 1)).map { (n + 1 + $0, $0 + 1) } + [(2 * n, 0)]
        #expect(report.matches.elementsEqual(expected, by: { $0 == $1 }))
    }

    @Test func parsesTheMatchArgument() {
        #expect(SpanMatch(argument: "exact") == .exact)
        #expect(SpanMatch(argument: "overlap:0.5") == .overlap(minimumRatio: 0.5))
        #expect(SpanMatch(argument: "overlap:2") == nil)
        #expect(SpanMatch(argument: "fuzzy") == nil)
    }
}
