/// What lies behind an agreement coefficient: the coincidence matrix, agreement per category and per pair
/// of coders, and the units on which coders disagree.
public struct AgreementDiagnostics: Sendable {
    /// Agreement on one category against all others.
    public struct CategoryAgreement: Sendable, Equatable {
        public var category: String
        /// Krippendorff's α on the data reduced to "this category" and "another category" (nominal).
        public var alpha: AgreementValue
        /// How many pairable values fall in the category (n_c).
        public var pairableValues: Double
    }

    /// Agreement between two coders on the units both coded.
    public struct CoderPair: Sendable, Equatable {
        public var first: Int
        public var second: Int
        public var units: Int
        public var percentAgreement: AgreementValue
        public var cohenKappa: AgreementValue
    }

    public var coincidences: CoincidenceMatrix
    public var categories: [CategoryAgreement]
    public var pairs: [CoderPair]
    /// Indices of the units with values from at least two coders that are not all the same.
    public var disagreements: [Int]
}

extension ReliabilityData {
    public func diagnostics() -> AgreementDiagnostics {
        let matrix = coincidences()
        let totals = matrix.totals
        let categoryAgreement = categories.indices.map { category in
            let binary = try? ReliabilityData(
                categories: [Category(label: "other"), Category(label: categories[category].label)],
                units: (0..<unitCount).map { unit in (0..<coderCount).map { coder in value(unit: unit, coder: coder).map { $0 == category ? 1 : 0 } } })
            return AgreementDiagnostics.CategoryAgreement(category: categories[category].label,
                                                         alpha: binary?.krippendorffAlpha(metric: .nominal) ?? .undefined(reason: "no data"),
                                                         pairableValues: totals[category])
        }
        var pairs: [AgreementDiagnostics.CoderPair] = []
        for first in 0..<coderCount {
            for second in (first + 1)..<max(first + 1, coderCount) {
                let rows = (0..<unitCount).map { unit in [value(unit: unit, coder: first), value(unit: unit, coder: second)] }
                guard let pair = try? ReliabilityData(categories: categories, units: rows) else { continue }
                let both = rows.filter { $0[0] != nil && $0[1] != nil }.count
                pairs.append(AgreementDiagnostics.CoderPair(first: first, second: second, units: both,
                                                            percentAgreement: pair.percentAgreement(), cohenKappa: pair.cohenKappa()))
            }
        }
        let disagreements = (0..<unitCount).filter { unit in
            Set((0..<coderCount).compactMap { value(unit: unit, coder: $0) }).count > 1
        }
        return AgreementDiagnostics(coincidences: matrix, categories: categoryAgreement, pairs: pairs, disagreements: disagreements)
    }
}
