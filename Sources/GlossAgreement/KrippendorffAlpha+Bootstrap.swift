import GlossCore

/// A bootstrap distribution of Krippendorff's α: a 95% interval and the chance that α is below a minimum.
public struct AlphaBootstrap: Sendable, Equatable {
    /// The 2.5th and 97.5th percentiles of the resampled α.
    public var lower: Double
    public var upper: Double
    public var samples: Int
    /// The share of resampled α below `minimum` (Hayes & Krippendorff 2007, q).
    public var probabilityBelowMinimum: Double
    public var minimum: Double
}

extension ReliabilityData {
    /// Bootstraps α after Hayes & Krippendorff (2007): the unordered pairs of values within units are drawn
    /// with replacement, as many as the data have, each contributing 2 δ² / (n (m_u − 1)) to the observed
    /// disagreement D*_o, so that D*_o averages D_o; the expected disagreement D_e stays that of the data, and
    /// α* = 1 − D*_o / D_e. `seed` makes the draws, and so the interval, reproducible.
    public func bootstrapAlpha(metric: DistanceMetric, samples: Int, seed: UInt64, minimum: Double) -> AlphaBootstrap? {
        let matrix = coincidences()
        let n = matrix.pairableValues
        guard n > 1, samples > 0 else { return nil }
        let q = categories.count
        let totals = matrix.totals
        let delta = distances(metric, totals: totals)
        var expected = 0.0
        for c in 0..<q { for k in 0..<q where c != k { expected += totals[c] * totals[k] * delta[c * q + k] } }
        expected /= n * (n - 1)
        guard expected > 0 else { return nil }
        // Each unordered pair's contribution to D_o.
        var contributions: [Double] = []
        for unit in 0..<unitCount {
            let values = (0..<coderCount).compactMap { value(unit: unit, coder: $0) }
            let m = values.count
            guard m >= 2 else { continue }
            for i in 0..<(m - 1) {
                for j in (i + 1)..<m { contributions.append(2 * delta[values[i] * q + values[j]] / (n * Double(m - 1))) }
            }
        }
        var generator = SplitMix64(seed: seed)
        var alphas: [Double] = []
        alphas.reserveCapacity(samples)
        for _ in 0..<samples {
            var observed = 0.0
            for _ in 0..<contributions.count { observed += contributions[Int(generator.next() % UInt64(contributions.count))] }
            alphas.append(1 - observed / expected)
        }
        alphas.sort()
        func percentile(_ p: Double) -> Double { alphas[min(alphas.count - 1, max(0, Int((p * Double(alphas.count)).rounded(.down))))] }
        let below = alphas.prefix { $0 < minimum }.count
        return AlphaBootstrap(lower: percentile(0.025), upper: percentile(0.975), samples: samples,
                              probabilityBelowMinimum: Double(below) / Double(samples), minimum: minimum)
    }
}
