/// Agreement weights for weighted κ, weighted Fleiss' κ and Gwet's AC2 (Gwet 2014, §3.3; Cohen 1968).
///
/// Weights come from the categories' numeric values (`fromValues`) or from their ranks in the ordered
/// category list (`fromRanks`); for non-numeric categories both use ranks. irr (R) builds ranks from the
/// categories present in the data; irrCAC, statsmodels and DKPro use values.
public struct AgreementWeights: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// 1 on the diagonal, 0 elsewhere: unweighted.
        case identity
        /// 1 − |x_k − x_l| / (x_max − x_min).
        case linear
        /// 1 − (x_k − x_l)² / (x_max − x_min)².
        case quadratic
        /// 1 − d_kl / max d, d_kl = (x_k − x_l)² / ((x_k + x_l − 2 x_min)(2 x_max − x_k − x_l)) (Gwet 2014, §3.3).
        case bipolar
    }

    public var kind: Kind
    public var fromValues: Bool

    public init(_ kind: Kind, fromValues: Bool = true) {
        self.kind = kind
        self.fromValues = fromValues
    }

    public static let identity = AgreementWeights(.identity)

    /// The q × q weight matrix, row-major.
    func matrix(for categories: [ReliabilityData.Category]) -> [Double] {
        let q = categories.count
        let numeric = categories.allSatisfy { $0.value != nil }
        let x = categories.enumerated().map { fromValues && numeric ? ($1.value ?? 0) : Double($0 + 1) }
        var weights = [Double](repeating: 0, count: q * q)
        for k in 0..<q { weights[k * q + k] = 1 }
        guard kind != .identity, q > 1, let low = x.min(), let high = x.max(), high > low else { return weights }
        var largest = 0.0
        for k in 0..<q {
            for l in 0..<q where k != l {
                switch kind {
                case .identity: break
                case .linear: weights[k * q + l] = 1 - abs(x[k] - x[l]) / (high - low)
                case .quadratic: weights[k * q + l] = 1 - (x[k] - x[l]) * (x[k] - x[l]) / ((high - low) * (high - low))
                case .bipolar:
                    let denominator = (x[k] + x[l] - 2 * low) * (2 * high - x[k] - x[l])
                    let d = denominator == 0 ? 0 : (x[k] - x[l]) * (x[k] - x[l]) / denominator
                    weights[k * q + l] = d
                    largest = max(largest, d)
                }
            }
        }
        if kind == .bipolar {
            for k in 0..<q {
                for l in 0..<q where k != l { weights[k * q + l] = largest > 0 ? 1 - weights[k * q + l] / largest : 1 }
            }
        }
        return weights
    }
}
