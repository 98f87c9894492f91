/// The difference function δ² of Krippendorff's α (Krippendorff 2004, §12.3; 2011, eqs. for δ²).
public enum DistanceMetric: String, Sendable, CaseIterable {
    /// δ² = 0 if c = k, else 1.
    case nominal
    /// δ²_ck = (Σ_{g=c..k} n_g − (n_c + n_k)/2)², with n_g the category totals of the coincidence matrix
    /// (Krippendorff's frequency-based ordinal metric; the categories' order is their rank).
    case ordinal
    /// δ² = (c − k)², on the categories' numeric values (or their ranks when they have none).
    case interval
    /// δ² = ((c − k) / (c + k))².
    case ratio
}

/// Krippendorff's coincidence matrix: o_ck = Σ_u (number of c–k pairs of values in unit u) / (m_u − 1),
/// over units with m_u ≥ 2 values (Krippendorff 2004, eq. 11.6; 2011, p. 2).
public struct CoincidenceMatrix: Sendable, Equatable {
    /// Row-major q × q.
    public let counts: [Double]
    public let categoryCount: Int

    public subscript(c: Int, k: Int) -> Double { counts[c * categoryCount + k] }

    /// n_c: the total of row c.
    public var totals: [Double] {
        (0..<categoryCount).map { c in (0..<categoryCount).reduce(0) { $0 + self[c, $1] } }
    }

    /// n: the number of pairable values.
    public var pairableValues: Double { counts.reduce(0, +) }
}

extension ReliabilityData {
    /// The coincidence matrix, in one pass over the units.
    ///
    /// A unit with m values adds each ordered pair of its values (from different coders) with weight
    /// 1/(m − 1). The pairs are counted as integers per m and divided once at the end, so the pass over
    /// the units does no floating-point work.
    public func coincidences() -> CoincidenceMatrix {
        let q = categories.count, coders = coderCount
        guard coders >= 2, q > 0 else { return CoincidenceMatrix(counts: [Double](repeating: 0, count: q * q), categoryCount: q) }
        var pairs = [Int](repeating: 0, count: (coders + 1) * q * q)
        cells.withUnsafeBufferPointer { cells in
            pairs.withUnsafeMutableBufferPointer { pairs in
                for unit in 0..<unitCount {
                    let base = unit * coders
                    var m = 0
                    for coder in 0..<coders where cells[base + coder] >= 0 { m += 1 }
                    guard m >= 2 else { continue }
                    let offset = m * q * q
                    for i in 0..<(coders - 1) {
                        let a = Int(cells[base + i])
                        guard a >= 0 else { continue }
                        for j in (i + 1)..<coders {
                            let b = Int(cells[base + j])
                            guard b >= 0 else { continue }
                            pairs[offset + a * q + b] += 1
                            pairs[offset + b * q + a] += 1
                        }
                    }
                }
            }
        }
        var matrix = [Double](repeating: 0, count: q * q)
        for m in 2...coders {
            let offset = m * q * q
            for cell in 0..<(q * q) where pairs[offset + cell] != 0 { matrix[cell] += Double(pairs[offset + cell]) / Double(m - 1) }
        }
        return CoincidenceMatrix(counts: matrix, categoryCount: q)
    }

    /// Krippendorff's α = 1 − D_o / D_e = 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck
    /// (Krippendorff 2004, eq. 11.8; 2011, p. 3). Units with fewer than two values drop out.
    public func krippendorffAlpha(metric: DistanceMetric) -> AgreementValue {
        krippendorffAlpha(coincidences(), metric: metric)
    }

    /// α from a coincidence matrix already computed (the bootstrap resamples its pairs).
    public func krippendorffAlpha(_ matrix: CoincidenceMatrix, metric: DistanceMetric) -> AgreementValue {
        if let reason = metricProblem(metric) { return .undefined(reason: reason) }
        let n = matrix.pairableValues
        guard n > 1 else { return .undefined(reason: "fewer than two pairable values: no unit has values from two coders") }
        let delta = distances(metric, totals: matrix.totals)
        let q = categories.count
        var observed = 0.0, expected = 0.0
        let totals = matrix.totals
        for c in 0..<q {
            for k in 0..<q where c != k {
                observed += matrix[c, k] * delta[c * q + k]
                expected += totals[c] * totals[k] * delta[c * q + k]
            }
        }
        guard expected > 0 else { return .undefined(reason: "no variation: all pairable values fall in one category") }
        return .value(1 - (n - 1) * observed / expected)
    }

    /// Why `metric` cannot apply to these categories, or nil.
    func metricProblem(_ metric: DistanceMetric) -> String? {
        switch metric {
        case .nominal: return nil
        case .ratio where !isNumeric: return "the ratio metric needs numeric categories"
        case .ordinal, .interval, .ratio:
            return isOrdered ? nil : "the categories are labels without an order; give their order (--order a,b,c) or use the nominal metric"
        }
    }

    /// δ²_ck for every pair of categories, row-major. Distances use the categories' values when all are
    /// numbers, else their ranks (1, 2, …) in the ordered list.
    func distances(_ metric: DistanceMetric, totals: [Double]) -> [Double] {
        let q = categories.count
        let values = isNumeric ? categories.map { $0.value ?? 0 } : categories.indices.map { Double($0 + 1) }
        var delta = [Double](repeating: 0, count: q * q)
        for c in 0..<q {
            for k in 0..<q where c != k {
                switch metric {
                case .nominal:
                    delta[c * q + k] = 1
                case .interval:
                    delta[c * q + k] = (values[c] - values[k]) * (values[c] - values[k])
                case .ratio:
                    let sum = values[c] + values[k]
                    delta[c * q + k] = sum == 0 ? 0 : ((values[c] - values[k]) / sum) * ((values[c] - values[k]) / sum)
                case .ordinal:
                    let (low, high) = (min(c, k), max(c, k))
                    var between = 0.0
                    for g in low...high { between += totals[g] }
                    let d = between - (totals[c] + totals[k]) / 2
                    delta[c * q + k] = d * d
                }
            }
        }
        return delta
    }
}
