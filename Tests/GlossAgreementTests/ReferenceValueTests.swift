import Foundation
import GlossAgreement
import GlossTestSupport
import Testing

/// Published agreement values from Tests/Resources/agreement/reference-values.json (Krippendorff 2004, 2011;
/// Hayes & Krippendorff 2007; Fleiss 1971; Cohen 1960; Gwet 2008, 2014; Warrens 2010, 2012; Artstein &
/// Poesio 2008; Zwick 1988; Brennan & Prediger 1981; Randolph 2005; …), each reproduced within its tolerance.
@Suite("Agreement coefficients against published values")
struct ReferenceValueTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var coefficient: String
        var metric: String?
        var units: [[String?]]
        var expected: Double
        var tolerance: Double
        var computedBy: [String: Double]
        var testDescription: String { name }
    }

    static let vectors: [Vector] = {
        let url = TestPaths.resources.appendingPathComponent("agreement/reference-values.json")
        guard let data = try? Data(contentsOf: url),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let vectors = root["vectors"] as? [[String: Any]] else { return [] }
        return vectors.compactMap { entry in
            guard entry["kind"] as? String == "coding", let name = entry["name"] as? String,
                  let coefficient = entry["coefficient"] as? String, let expected = entry["expected"] as? Double,
                  let rows = entry["data"] as? [[Any]] else { return nil }
            let units = rows.map { row in row.map { cell -> String? in
                switch cell {
                case let number as NSNumber: number.doubleValue.rounded() == number.doubleValue ? String(Int(number.doubleValue)) : String(number.doubleValue)
                case let text as String: text
                default: nil
                }
            } }
            let computed = (entry["computed_by"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.doubleValue }
            return Vector(name: name, coefficient: coefficient, metric: entry["metric"] as? String, units: units, expected: expected,
                          tolerance: entry["tolerance"] as? Double ?? 0.0005, computedBy: computed)
        }
    }()

    /// Where published values follow another definition than Gloss, the implementation whose value Gloss
    /// reproduces instead, and why.
    static let otherDefinitions: [String: (implementation: String, reason: String)] = [
        "krippendorff2011_4x12_percent_agreement_dkpro": ("irrCAC(pa)", """
            DKPro's 0.800 divides the agreeing pairs by the 40 pairable values, so each unit counts as much as \
            its number of values (Krippendorff's 1 − D_o). Gloss follows Gwet (2014, eq. 2.5.3), as the issue \
            asks: the plain mean over the 11 units with at least two values, 0.818, as irrCAC gives.
            """),
    ]

    /// Where a public implementation computes another value than the published one on a vector's data (the
    /// `computed_by` entries of reference-values.json), why Gloss follows the published definition instead.
    /// Each cause was reproduced to 1e-9 by re-implementing the other definition in Python (numpy, irrCAC
    /// 0.4.4 and the dkpro-statistics sources; 2026-11-22).
    static let disagreements: [String: (implementations: [String], reason: String)] = {
        let gwetOrdinal = """
            irrCAC's ordinal α uses Gwet's (2014) ordinal weights, 1 − C(|k−l|+1, 2)/C(q, 2), which depend only on \
            the ranks. Gloss follows Krippendorff (2004; 2011): the ordinal δ² comes from the category frequencies \
            of the coincidence matrix, as in the published value; with Gwet's weights the same α gives irrCAC's.
            """
        let pooled = """
            averages agreement over the pairable values (0.800 on these data) instead of the units; DKPro says its \
            measure does not support missing values. Gloss follows Gwet's (2014, eq. 2.5.3) mean over the units \
            with at least two values, as irrCAC does.
            """
        let valueWeights = """
            The published value is irr's kappa2, whose weights come from the ranks of the levels present (1, 2, 3, \
            4, 6 become 1…5, so 4 and 6 are one step apart). These implementations take weights from the values \
            (Cohen 1968), as Gloss does by default; Gloss reproduces irr with weights from ranks.
            """
        return [
            "krippendorff2011_4x12_ordinal": (["irrCAC"], gwetOrdinal),
            "hayes_krippendorff2007_40x5_ordinal": (["irrCAC"], gwetOrdinal),
            "krippendorff2011_4x12_fleiss_kappa_gwet": (["dkpro"], "DKPro's Fleiss κ " + pooled),
            "krippendorff2011_4x12_conger_kappa": (["dkpro(hubert)"], "DKPro's Hubert κ " + pooled + """
                 Its chance agreement also divides each coder's counts by all 12 units, blanks included; Gloss \
                takes each coder's shares over the units that coder coded (Conger 1980 as Gwet 2014, eq. 2.5.6, \
                extends it).
                """),
            "krippendorff2011_4x12_brennan_prediger": (["dkpro"], "DKPro's Randolph κ (1/q chance agreement, as here) " + pooled),
            "krippendorff2011_4x12_gwet_ac2_linear": (["dkpro"], "DKPro's AC2 " + pooled + """
                 Its category shares also leave out the units with one value; Gwet (2014, eq. 2.5.4) averages \
                r_ik/r_i over every unit with a value.
                """),
            "irr_anxiety_r2r3_weighted_linear": (["statsmodels(values)", "irrCAC(raw conger, values)", "dkpro(values)"], valueWeights),
            "irr_anxiety_r2r3_weighted_quadratic": (["statsmodels(values)", "irrCAC(raw conger, values)", "dkpro(values)"], valueWeights),
        ]
    }()

    /// Weights from ranks of the categories present, as irr (R) builds them; elsewhere from values, as irrCAC,
    /// statsmodels and DKPro do (see the notes in reference-values.json).
    static let weightsFromRanks: Set<String> = ["irr_anxiety_r2r3_weighted_linear", "irr_anxiety_r2r3_weighted_quadratic"]

    static func compute(_ vector: Vector) throws -> AgreementValue? {
        let data = try ReliabilityData(values: vector.units)
        let fromValues = !weightsFromRanks.contains(vector.name)
        let weights = vector.metric.flatMap(AgreementWeights.Kind.init(rawValue:)).map { AgreementWeights($0, fromValues: fromValues) } ?? .identity
        switch vector.coefficient {
        case "krippendorff_alpha": return vector.metric.flatMap(DistanceMetric.init(rawValue:)).map(data.krippendorffAlpha(metric:))
        case "percent_agreement": return data.percentAgreement(weights: weights)
        case "cohen_kappa", "weighted_kappa": return data.cohenKappa(weights: weights)
        case "scott_pi": return data.scottPi(weights: weights)
        case "fleiss_kappa": return data.fleissKappa(weights: weights)
        case "conger_kappa": return data.congerKappa(weights: weights)
        case "bennett_s": return data.bennettS(weights: weights)
        case "gwet_ac1", "gwet_ac2": return data.gwetAC(weights: weights)
        case "light_kappa": return data.lightKappa()
        default: return nil
        }
    }

    @Test func everyCodingVectorIsLoaded() {
        #expect(Self.vectors.count == 67)  // every vector of kind "coding" in the file
    }

    /// Every implementation whose value falls outside a vector's tolerance has its reason written down above.
    @Test func everyDisagreementIsExplained() {
        for vector in Self.vectors {
            for (implementation, value) in vector.computedBy where abs(value - vector.expected) > vector.tolerance {
                let explained = Self.otherDefinitions[vector.name]?.implementation == implementation
                    || Self.disagreements[vector.name]?.implementations.contains(implementation) == true
                #expect(explained, "\(vector.name): \(implementation) gives \(value), the published value is \(vector.expected), and no reason is given")
            }
        }
    }

    @Test(arguments: vectors)
    func reproducesThePublishedValue(_ vector: Vector) throws {
        let value = try #require(try Self.compute(vector)?.number, "\(vector.coefficient) gave no value")
        if let other = Self.otherDefinitions[vector.name] {
            let reference = try #require(vector.computedBy[other.implementation])
            #expect(abs(value - reference) <= 1e-9, "\(other.reason)")
        } else {
            #expect(abs(value - vector.expected) <= vector.tolerance, "\(vector.name): \(value) vs \(vector.expected) ± \(vector.tolerance)")
            // Gloss does not follow the implementations that compute another value here.
            for implementation in Self.disagreements[vector.name]?.implementations ?? [] {
                let other = try #require(vector.computedBy[implementation])
                #expect(abs(value - other) > vector.tolerance, "\(vector.name) \(implementation): \(Self.disagreements[vector.name]?.reason ?? "")")
            }
        }
    }
}

@Suite("Unitizing α against published values")
struct UnitizingReferenceTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        var name: String
        var coefficient: String
        var continuum: Continuum
        var category: String?
        var expected: Double
        var tolerance: Double
        var testDescription: String { name }
    }

    static let vectors: [Vector] = {
        let url = TestPaths.resources.appendingPathComponent("agreement/reference-values.json")
        guard let data = try? Data(contentsOf: url), let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let vectors = root["vectors"] as? [[String: Any]] else { return [] }
        return vectors.compactMap { entry in
            guard entry["kind"] as? String == "unitizing", let name = entry["name"] as? String, let coefficient = entry["coefficient"] as? String,
                  let expected = entry["expected"] as? Double, let body = entry["data"] as? [String: Any],
                  let bounds = body["continuum"] as? [Int], bounds.count == 2, let coders = body["coders"] as? [String],
                  let spans = body["spans"] as? [[Any]] else { return nil }
            let parsed = spans.compactMap { span -> Continuum.Span? in
                guard span.count == 4, let coder = span[0] as? Int, let start = span[1] as? Int, let end = span[2] as? Int, let label = span[3] as? String else { return nil }
                return Continuum.Span(coder: coder, start: start, end: end, label: label)
            }
            // "alpha_u[c]" names the category c; plain "alpha_u" is the overall value.
            let category = name.firstIndex(of: "[").map { String(name[name.index(after: $0)..<(name.lastIndex(of: "]") ?? name.endIndex)]) }
            return Vector(name: name, coefficient: coefficient, continuum: Continuum(begin: bounds[0], end: bounds[1], coderCount: coders.count, spans: parsed),
                          category: category, expected: expected, tolerance: entry["tolerance"] as? Double ?? 0.0005)
        }
    }()

    @Test func everyUnitizingVectorIsLoaded() { #expect(Self.vectors.count == 5) }

    @Test(arguments: vectors)
    func reproducesThePublishedValue(_ vector: Vector) throws {
        let value: Double?
        switch vector.coefficient {
        case "alpha_u": value = vector.continuum.unitizingAlpha(category: vector.category).number
        case "alpha_u_observed_disagreement": value = vector.category.map { vector.continuum.disagreements(for: $0).observed }
        case "alpha_u_expected_disagreement": value = vector.category.map { vector.continuum.disagreements(for: $0).expected }
        default: value = nil
        }
        let computed = try #require(value)
        #expect(abs(computed - vector.expected) <= vector.tolerance, "\(vector.name): \(computed) vs \(vector.expected)")
    }
}
