import GlossAgreement
import GlossCore
import Testing

@Suite("Categories, orders and inputs")
struct InputHandlingTests {
    static let labels: [[String?]] = [["low", "low"], ["mid", "high"], ["high", "high"], ["mid", "mid"], ["low", "mid"]]

    @Test func labelsWithoutAnOrderHaveNoOrdinalIntervalOrRatioAlpha() throws {
        let unordered = try ReliabilityData(values: Self.labels)
        for metric in [DistanceMetric.ordinal, .interval, .ratio] { #expect(unordered.krippendorffAlpha(metric: metric).number == nil) }
        #expect(unordered.cohenKappa(weights: AgreementWeights(.linear)).number == nil)
        #expect(unordered.krippendorffAlpha(metric: .nominal).number != nil)
        // With their order, ordinal and interval are defined; ratio still needs numbers.
        let ordered = try ReliabilityData(values: Self.labels, order: ["low", "mid", "high"])
        #expect(ordered.krippendorffAlpha(metric: .ordinal).number != nil)
        #expect(ordered.krippendorffAlpha(metric: .ratio) == .undefined(reason: "the ratio metric needs numeric categories"))
        // Interval on ranks 1, 2, 3 equals interval on the numbers 1, 2, 3.
        let numbers = try ReliabilityData(values: Self.labels.map { $0.map { $0.map { ["low": "1", "mid": "2", "high": "3"][$0] ?? $0 } } })
        #expect(ordered.krippendorffAlpha(metric: .interval) == numbers.krippendorffAlpha(metric: .interval))
    }

    @Test func numbersThatSpellTheSameValueAreOneCategory() throws {
        let data = try ReliabilityData(values: [["1", "1.0"], ["2", "2"], ["1", "2"]])
        #expect(data.categories.count == 2)
        #expect(data.percentAgreement().number.map { abs($0 - 2.0 / 3) < 1e-12 } == true)
        #expect(ReliabilityData.Category.number("nan") == nil && ReliabilityData.Category.number("inf") == nil && ReliabilityData.Category.number("0x1p3") == nil)
    }

    @Test func refusesAnOrderNamingACategoryTwice() {
        #expect(throws: AgreementError.malformed("the order names a twice")) { try ReliabilityData(values: [["a", "b"]], order: ["a", "b", "a"]) }
    }

    @Test func trimsCellsAndRefusesARepeatedCoder() throws {
        let parsed = try ReliabilityData.csv("unit,a,b\nu1, 1, 1\nu2,2 ,\" 2\"\n", file: "t.csv")
        #expect(parsed.data.categories.map(\.label) == ["1", "2", " 2"])  // a quoted cell keeps its spaces
        #expect { try ReliabilityData.csv("unit,a,a\nu1,1,1\n", file: "t.csv") } throws: { ($0 as? GlossError)?.message.contains("coder a appears twice") == true }
    }

    @Test func unitizingAlphaOnHugeSpansStaysFinite() {
        let continuum = Continuum(begin: 0, end: 4_000_000_000, coderCount: 2, spans: [
            .init(coder: 0, start: 0, end: 3_100_000_000, label: "c"), .init(coder: 1, start: 100, end: 3_100_000_000, label: "c"),
        ])
        #expect(continuum.unitizingAlpha().number?.isFinite == true)
    }

    @Test func matchingPairsAsManySpansAsPossible() throws {
        // Ratios: a[0,10)–b[1,10) 0.9, a[0,10)–b[0,4) 0.4, a[5,15)–b[1,10) 5/14. Taking the best pair first leaves
        // a[5,15) unmatched; a maximum matching pairs both (0.4 and 5/14 ≥ 0.3).
        let continuum = Continuum(begin: 0, end: 20, coderCount: 2, spans: [
            .init(coder: 0, start: 0, end: 10, label: "x"), .init(coder: 0, start: 5, end: 15, label: "x"),
            .init(coder: 1, start: 1, end: 10, label: "x"), .init(coder: 1, start: 0, end: 4, label: "x"),
        ])
        let report = try #require(continuum.matchSpans(.overlap(minimumRatio: 0.3)).first)
        #expect(report.matches.count == 2)
        #expect(report.f1 == .value(1))
        #expect(SpanMatch(argument: "overlap=0.5") == nil)
    }
}
