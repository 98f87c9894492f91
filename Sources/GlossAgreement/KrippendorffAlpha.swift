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
    public func coincidences() -> CoincidenceMatrix {
        let q = categories.count
        var matrix = [Double](repeating: 0, count: q * q)
        var counts = [Int32](repeating: 0, count: q)
        var present: [Int] = []
        present.reserveCapacity(coderCount)
        cells.withUnsafeBufferPointer { cells in
            counts.withUnsafeMutableBufferPointer { counts in
                matrix.withUnsafeMutableBufferPointer { matrix in
                    for unit in 0..<unitCount {
                        var m = 0
                        present.removeAll(keepingCapacity: true)
                        for cell in cells[(unit * coderCount)..<((unit + 1) * coderCount)] where cell >= 0 {
                            if counts[Int(cell)] == 0 { present.append(Int(cell)) }
                            counts[Int(cell)] += 1
                            m += 1
                        }
                        if m >= 2 {
                            let scale = 1 / Double(m - 1)
                            for c in present {
                                let nc = Double(counts[c])
                                for k in present {
                                    let pairs = c == k ? nc * (nc - 1) : nc * Double(counts[k])
                                    matrix[c * q + k] += pairs * scale
                                }
                            }
                        }
                        for c in present { counts[c] = 0 }
                    }
                }
            }
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

    /// δ²_ck for every pair of categories, row-major.
    func distances(_ metric: DistanceMetric, totals: [Double]) -> [Double] {
        let q = categories.count
        let values = categories.enumerated().map { $1.value ?? Double($0) }
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
