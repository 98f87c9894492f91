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
    /// Bootstraps α after Hayes & Krippendorff (2007) and Krippendorff's algorithm for it: each resample
    /// draws M = Σ_u m_u(m_u − 1)/2 pairs of values, a pair (c, k) with probability o_ck / n from the
    /// coincidence matrix, and gives α* = 1 − mean δ²_ck / D_e, with D_e that of the data (so the mean of
    /// δ² averages D_o). `seed` makes the draws, and so the interval, reproducible. The interval is the
    /// 2.5th and 97.5th percentiles (the ⌈pN⌉-th smallest values).
    public func bootstrapAlpha(metric: DistanceMetric, samples: Int, seed: UInt64, minimum: Double) -> AlphaBootstrap? {
        guard metricProblem(metric) == nil, samples > 0 else { return nil }
        let matrix = coincidences()
        let n = matrix.pairableValues
        guard n > 1 else { return nil }
        let q = categories.count
        let totals = matrix.totals
        let delta = distances(metric, totals: totals)
        var expected = 0.0
        for c in 0..<q { for k in 0..<q where c != k { expected += totals[c] * totals[k] * delta[c * q + k] } }
        expected /= n * (n - 1)
        guard expected > 0 else { return nil }
        var draws = 0
        for unit in 0..<unitCount {
            let m = (0..<coderCount).reduce(0) { $0 + (value(unit: unit, coder: $1) == nil ? 0 : 1) }
            if m >= 2 { draws += m * (m - 1) / 2 }
        }
        // Cumulative o_ck over the cells, for drawing a cell with probability o_ck / n.
        var cumulative: [Double] = [], cellDelta: [Double] = []
        var running = 0.0
        for cell in 0..<(q * q) where matrix.counts[cell] > 0 {
            running += matrix.counts[cell]
            cumulative.append(running)
            cellDelta.append(delta[cell])
        }
        var generator = SplitMix64(seed: seed)
        var alphas: [Double] = []
        alphas.reserveCapacity(samples)
        for _ in 0..<samples {
            var sum = 0.0
            for _ in 0..<draws {
                let target = Double(generator.next() >> 11) / Double(1 << 53) * running
                var low = 0, high = cumulative.count - 1
                while low < high {
                    let mid = (low + high) / 2
                    if cumulative[mid] > target { high = mid } else { low = mid + 1 }
                }
                sum += cellDelta[low]
            }
            alphas.append(1 - sum / Double(draws) / expected)
        }
        alphas.sort()
        func percentile(_ p: Double) -> Double { alphas[min(alphas.count - 1, max(0, Int((p * Double(alphas.count)).rounded(.up)) - 1))] }
        let below = alphas.prefix { $0 < minimum }.count
        return AlphaBootstrap(lower: percentile(0.025), upper: percentile(0.975), samples: samples,
                              probabilityBelowMinimum: Double(below) / Double(samples), minimum: minimum)
    }
}
