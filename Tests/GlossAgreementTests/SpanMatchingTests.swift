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

    @Test func parsesTheMatchArgument() {
        #expect(SpanMatch(argument: "exact") == .exact)
        #expect(SpanMatch(argument: "overlap:0.5") == .overlap(minimumRatio: 0.5))
        #expect(SpanMatch(argument: "overlap:2") == nil)
        #expect(SpanMatch(argument: "fuzzy") == nil)
    }
}
