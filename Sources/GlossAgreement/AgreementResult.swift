/// The coefficients `gloss agree` computes, by their names in reports.
public enum Coefficient: String, Sendable, CaseIterable {
    case percentAgreement = "percent_agreement"
    case cohenKappa = "cohen_kappa"
    case weightedKappa = "weighted_kappa"
    case scottPi = "scott_pi"
    case fleissKappa = "fleiss_kappa"
    case congerKappa = "conger_kappa"
    case bennettS = "bennett_s"
    case gwetAC1 = "gwet_ac1"
    case gwetAC2 = "gwet_ac2"
    case krippendorffAlpha = "krippendorff_alpha"
    /// Unitizing α: computed on spans (a continuum), not on units × coders.
    case alphaU = "alpha_u"
    /// γ (Mathet et al. 2015): on spans; two coders so far.
    case gamma

    /// The coefficients computed on spans.
    public static let onSpans: Set<Coefficient> = [.alphaU, .gamma]

    /// The coefficients computed on units × coders.
    public static let coding: [Coefficient] = allCases.filter { !onSpans.contains($0) }
}

/// One coefficient computed on one set of reliability data.
public struct AgreementResult: Sendable, Equatable {
    public var coefficient: Coefficient
    /// The distance metric for α; the weighting (`linear`, `quadratic`, `bipolar`) for weighted κ and AC2.
    public var metric: String?
    public var value: AgreementValue
    public var units: Int
    public var coders: Int
    /// Values in units with at least two values (Krippendorff's n); for α_u, the continuum's length.
    public var pairableValues: Int
    /// For α, when asked: the bootstrap interval and the chance of falling below a minimum.
    public var bootstrap: AlphaBootstrap?
    /// For a per-category result, the category; nil for the overall value.
    public var category: String?
}

extension Continuum {
    /// γ with the default dissimilarity (α = β = Δ∅ = 1) and `samples` seeded random continua.
    public func gammaResult(_ settings: GammaSettings = GammaSettings(), samples: Int, seed: UInt64) -> AgreementResult {
        AgreementResult(coefficient: .gamma, metric: "combined_categorical", value: gamma(settings, samples: samples, seed: seed), units: spans.count,
                        coders: coderCount, pairableValues: end - begin, bootstrap: nil, category: nil)
    }

    /// α_u per category, then overall.
    public func unitizingResults() -> [AgreementResult] {
        let units = spans.count
        return (labels.map(Optional.some) + [nil]).map { label in
            AgreementResult(coefficient: .alphaU, metric: "nominal", value: unitizingAlpha(category: label), units: units,
                            coders: coderCount, pairableValues: end - begin, bootstrap: nil, category: label)
        }
    }
}

extension ReliabilityData {
    /// Computes `coefficients` with the α metric `metric` and, for weighted κ and AC2, `weights`.
    public func results(_ coefficients: [Coefficient], metric: DistanceMetric, weights: AgreementWeights) -> [AgreementResult] {
        let matrix = coincidences()  // once, for n and for α
        let pairable = Int(matrix.pairableValues.rounded())
        return coefficients.map { coefficient in
            let value: AgreementValue
            var metricName: String?
            switch coefficient {
            case .percentAgreement: value = percentAgreement()
            case .cohenKappa: value = cohenKappa()
            case .weightedKappa: value = cohenKappa(weights: weights); metricName = weights.kind.rawValue
            case .scottPi: value = scottPi()
            case .fleissKappa: value = fleissKappa()
            case .congerKappa: value = congerKappa()
            case .bennettS: value = bennettS()
            case .gwetAC1: value = gwetAC()
            case .gwetAC2: value = gwetAC(weights: weights); metricName = weights.kind.rawValue
            case .krippendorffAlpha: value = krippendorffAlpha(matrix, metric: metric); metricName = metric.rawValue
            case .alphaU, .gamma: value = .undefined(reason: "\(coefficient.rawValue) is computed on spans: use --layer with --feature, or --spans-data")
            }
            return AgreementResult(coefficient: coefficient, metric: metricName, value: value, units: unitCount, coders: coderCount,
                                   pairableValues: pairable, bootstrap: nil, category: nil)
        }
    }
}
