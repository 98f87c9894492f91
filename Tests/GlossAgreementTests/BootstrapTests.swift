import Foundation
import GlossAgreement
import GlossTestSupport
import Testing

@Suite("Bootstrapped α")
struct BootstrapTests {
    /// Hayes & Krippendorff (2007), 40 units × 5 coders, ordinal α = 0.7598, from the reference file.
    static func hayesData() throws -> ReliabilityData {
        let vector = try #require(ReferenceValueTests.vectors.first { $0.name == "hayes_krippendorff2007_40x5_ordinal" })
        return try ReliabilityData(values: vector.units)
    }

    @Test func isReproducibleAndCentredOnAlpha() throws {
        let data = try Self.hayesData()
        let alpha = try #require(data.krippendorffAlpha(metric: .ordinal).number)
        let first = try #require(data.bootstrapAlpha(metric: .ordinal, samples: 2000, seed: 7, minimum: 0.667))
        #expect(data.bootstrapAlpha(metric: .ordinal, samples: 2000, seed: 7, minimum: 0.667) == first)
        #expect(data.bootstrapAlpha(metric: .ordinal, samples: 2000, seed: 8, minimum: 0.667) != first)
        #expect(first.lower < alpha && alpha < first.upper)
        // The draws average D_o, so the interval sits around α: neither side more than twice the other.
        let (below, above) = (alpha - first.lower, first.upper - alpha)
        #expect(below < 2 * above && above < 2 * below)
        #expect(first.probabilityBelowMinimum > 0 && first.probabilityBelowMinimum < 0.5)
    }

    @Test func narrowsWithMoreData() throws {
        let data = try Self.hayesData()
        let rows = (0..<data.unitCount).map { unit in (0..<data.coderCount).map { data.value(unit: unit, coder: $0).map { data.categories[$0].label } } }
        let quadrupled = try ReliabilityData(values: rows + rows + rows + rows)
        let small = try #require(data.bootstrapAlpha(metric: .ordinal, samples: 2000, seed: 1, minimum: 0.667))
        let large = try #require(quadrupled.bootstrapAlpha(metric: .ordinal, samples: 2000, seed: 1, minimum: 0.667))
        #expect(large.upper - large.lower < 0.7 * (small.upper - small.lower))
    }

    @Test func isUndefinedWithoutVariation() throws {
        #expect(try ReliabilityData(values: [["a", "a"], ["a", "a"]]).bootstrapAlpha(metric: .nominal, samples: 100, seed: 1, minimum: 0.8) == nil)
    }
}
