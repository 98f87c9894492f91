import GlossAgreement
import Testing

@Suite("Degenerate reliability data")
struct DegenerateDataTests {
    static func data(_ units: [[String?]]) throws -> ReliabilityData { try ReliabilityData(values: units) }

    static func everyCoefficient(_ data: ReliabilityData) -> [AgreementValue] {
        DistanceMetric.allCases.map(data.krippendorffAlpha(metric:)) + [
            data.percentAgreement(), data.fleissKappa(), data.congerKappa(), data.bennettS(), data.gwetAC(),
            data.cohenKappa(), data.scottPi(), data.lightKappa(), data.cohenKappa(weights: AgreementWeights(.quadratic)),
        ]
    }

    @Test func noVariationIsUndefinedWithAReason() throws {
        // Every value is "a": expected disagreement is 0, so α and the κ family are undefined.
        let data = try Self.data([["a", "a"], ["a", "a"], ["a", nil]])
        #expect(data.krippendorffAlpha(metric: .nominal) == .undefined(reason: "no variation: all pairable values fall in one category"))
        #expect(data.cohenKappa() == .undefined(reason: "expected agreement is 1: the data have no variation"))
        #expect(data.percentAgreement() == .value(1))
    }

    @Test func fewerThanTwoPairableValuesIsUndefined() throws {
        // No unit has two values.
        let data = try Self.data([["a", nil], [nil, "b"], [nil, nil]])
        for value in Self.everyCoefficient(data) where value.number != nil {
            Issue.record("expected undefined, got \(value)")
        }
    }

    @Test func twoCoderCoefficientsRefuseOtherCoderCounts() throws {
        let data = try Self.data([["a", "b", "a"], ["b", "b", "b"]])
        #expect(data.cohenKappa() == .undefined(reason: "needs exactly two coders; this data has 3"))
    }

    @Test func neverNaNOnRandomSmallData() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let units = Int.random(in: 0...4, using: &generator), coders = Int.random(in: 1...3, using: &generator)
            let rows: [[String?]] = (0..<units).map { _ in (0..<coders).map { _ in Bool.random(using: &generator) ? nil : ["1", "2", "3"].randomElement(using: &generator) } }
            for value in Self.everyCoefficient(try Self.data(rows)) {
                if let number = value.number { #expect(number.isFinite, "\(rows)") }
            }
        }
    }

    @Test func coincidenceMatrixMatchesKrippendorffsWorkedExample() throws {
        // Krippendorff (2011), 4 coders × 12 units. By hand: o_11 = 3 (unit 1: 3·2/2) + 2 (unit 8: 3·2/3) + 2 (unit 11:
        // 2·1/1) = 7; o_12 = 1/3 (unit 6) + 1 (unit 8: 3·1/3) = 4/3; n = 40 pairable values, as in the paper.
        let units: [[String?]] = [
            ["1", "1", nil, "1"], ["2", "2", "3", "2"], ["3", "3", "3", "3"], ["3", "3", "3", "3"], ["2", "2", "2", "2"],
            ["1", "2", "3", "4"], ["4", "4", "4", "4"], ["1", "1", "2", "1"], ["2", "2", "2", "2"], [nil, "5", "5", "5"],
            [nil, nil, "1", "1"], [nil, nil, "3", nil],
        ]
        let matrix = try Self.data(units).coincidences()
        #expect(abs(matrix[0, 0] - 7) < 1e-9)
        #expect(abs(matrix[0, 1] - 4.0 / 3) < 1e-9)
        #expect(abs(matrix.pairableValues - 40) < 1e-9)
    }
}

@Suite("Agreement diagnostics")
struct DiagnosticsTests {
    @Test func reportsCategoriesPairsAndDisagreements() throws {
        // Units a–a, a–b, b–b. By hand: o_aa = o_bb = 2, o_ab = o_ba = 1, n = 6, n_a = n_b = 3;
        // α = 1 − (n − 1)(o_ab + o_ba) / (2 n_a n_b) = 1 − 5·2 / 18 = 4/9 for "a" against the rest, and for "b".
        let data = try ReliabilityData(values: [["a", "a"], ["a", "b"], ["b", "b"]])
        let diagnostics = data.diagnostics()
        #expect(diagnostics.categories.map(\.category) == ["a", "b"])
        for category in diagnostics.categories { #expect(abs((category.alpha.number ?? -1) - 4.0 / 9) < 1e-12) }
        #expect(diagnostics.disagreements == [1])
        #expect(diagnostics.pairs.count == 1)
        #expect(diagnostics.pairs[0].units == 3 && diagnostics.pairs[0].percentAgreement.number.map { abs($0 - 2.0 / 3) < 1e-12 } == true)
        #expect(diagnostics.pairs[0].cohenKappa == data.cohenKappa())
        #expect(diagnostics.coincidences[0, 1] == 1 && diagnostics.coincidences[1, 1] == 2)
    }
}
