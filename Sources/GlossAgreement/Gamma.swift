import GlossCore

/// γ, the holistic agreement measure of Mathet, Widlöcher & Métivier (2015, Computational Linguistics 41(3)),
/// with the combined dissimilarity pygamma-agreement calls `CombinedCategoricalDissimilarity`.
///
/// Between units u and v: d = α · Δ∅ · ((|s_u − s_v| + |e_u − e_v|) / (l_u + l_v))² + β · Δ∅ · [c_u ≠ c_v] (positional
/// sporadic and nominal categorical dissimilarities, §4.1); a unit aligned with nothing costs Δ∅. The disorder of
/// an alignment is the sum of its unitary alignments' disorders divided by the mean number of units per coder;
/// γ = 1 − D_obs / D_exp, where D_obs is the disorder of the best alignment and D_exp the mean best disorder of
/// random continua drawn from the data's own statistics (§5).
public struct GammaSettings: Sendable, Equatable {
    public var alpha: Double
    public var beta: Double
    public var emptyDissimilarity: Double

    public init(alpha: Double = 1, beta: Double = 1, emptyDissimilarity: Double = 1) {
        self.alpha = alpha
        self.beta = beta
        self.emptyDissimilarity = emptyDissimilarity
    }
}

extension Continuum {
    /// The disorder of the best alignment (Mathet et al. 2015, §4.2), solved exactly: for two coders as an
    /// assignment problem (Hungarian algorithm), where each unit is matched with one of the other coder's or
    /// with nothing. Aligning two units whose dissimilarity is at least 2Δ∅ never beats leaving both alone,
    /// so only closer pairs connect units, and each connected group is solved on its own.
    /// Nil for more than two coders (not yet supported) or no units.
    public func bestAlignmentDisorder(_ settings: GammaSettings = GammaSettings()) -> Double? {
        guard coderCount == 2 else { return nil }
        let first = spans.filter { $0.coder == 0 }, second = spans.filter { $0.coder == 1 }
        let meanUnits = Double(first.count + second.count) / 2
        guard meanUnits > 0 else { return nil }
        let empty = settings.emptyDissimilarity
        // Union-find over the units of both coders (second coder's units after the first's).
        var parent = Array(0..<(first.count + second.count))
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var dissimilarities: [[Int: Double]] = Array(repeating: [:], count: first.count)
        for (i, u) in first.enumerated() {
            for (j, v) in second.enumerated() {
                let d = Self.dissimilarity(u, v, settings)
                guard d < 2 * empty else { continue }
                dissimilarities[i][j] = d
                parent[root(i)] = root(first.count + j)
            }
        }
        var groups: [Int: (first: [Int], second: [Int])] = [:]
        for i in first.indices { groups[root(i), default: ([], [])].first.append(i) }
        for j in second.indices { groups[root(first.count + j), default: ([], [])].second.append(j) }
        var total = 0.0
        for group in groups.values {
            guard !group.first.isEmpty && !group.second.isEmpty else {
                total += empty * Double(group.first.count + group.second.count)
                continue
            }
            // Rows: the group's first-coder units, then one "nothing" per second-coder unit; columns: its
            // second-coder units, then one "nothing" per first-coder unit.
            let (a, b) = (group.first.count, group.second.count)
            let n = a + b
            let forbidden = Double.greatestFiniteMagnitude / 4
            var cost = [Double](repeating: 0, count: n * n)
            for row in 0..<n {
                for column in 0..<n {
                    let value: Double
                    switch (row < a, column < b) {
                    case (true, true): value = dissimilarities[group.first[row]][group.second[column]] ?? 2 * empty
                    case (true, false): value = column - b == row ? empty : forbidden
                    case (false, true): value = row - a == column ? empty : forbidden
                    case (false, false): value = 0
                    }
                    cost[row * n + column] = value
                }
            }
            total += Hungarian.minimumCost(cost, size: n)
        }
        return total / meanUnits
    }

    /// d(u, v): positional sporadic plus nominal categorical dissimilarity, each scaled by Δ∅.
    static func dissimilarity(_ u: Span, _ v: Span, _ settings: GammaSettings) -> Double {
        let lengths = Double((u.end - u.start) + (v.end - v.start))
        let positional = lengths > 0 ? pow2(Double(abs(u.start - v.start) + abs(u.end - v.end)) / lengths) : 0
        let categorical: Double = u.label == v.label ? 0 : 1
        return settings.emptyDissimilarity * (settings.alpha * positional + settings.beta * categorical)
    }

    /// γ with D_exp estimated from `samples` random continua (seeded): each coder gets as many units as the
    /// data's coders have on average, with lengths and labels drawn from the data's units and start positions
    /// drawn uniformly where the unit fits in the continuum (pygamma-agreement's statistical sampler does
    /// likewise, from a normal fit of the counts and lengths).
    public func gamma(_ settings: GammaSettings = GammaSettings(), samples: Int, seed: UInt64) -> AgreementValue {
        guard coderCount == 2 else { return .undefined(reason: "γ is computed for two coders so far; this continuum has \(coderCount)") }
        guard let observed = bestAlignmentDisorder(settings) else { return .undefined(reason: "no units") }
        guard samples > 0, !spans.isEmpty, end > begin else { return .undefined(reason: "no units to sample from") }
        var generator = SplitMix64(seed: seed)
        let perCoder = max(1, Int((Double(spans.count) / Double(coderCount)).rounded()))
        var expected = 0.0
        for _ in 0..<samples {
            var sampled: [Span] = []
            for coder in 0..<coderCount {
                for _ in 0..<perCoder {
                    let model = spans[Int(generator.next() % UInt64(spans.count))]
                    let length = min(model.end - model.start, end - begin)
                    let room = (end - begin) - length
                    let start = begin + (room > 0 ? Int(generator.next() % UInt64(room + 1)) : 0)
                    let label = spans[Int(generator.next() % UInt64(spans.count))].label
                    sampled.append(Span(coder: coder, start: start, end: start + length, label: label))
                }
            }
            expected += Continuum(begin: begin, end: end, coderCount: coderCount, spans: sampled).bestAlignmentDisorder(settings) ?? 0
        }
        expected /= Double(samples)
        guard expected > 0 else { return .undefined(reason: "the sampled continua have no disorder") }
        return .value(1 - observed / expected)
    }
}

private func pow2(_ x: Double) -> Double { x * x }

/// The Hungarian algorithm (Kuhn 1955; Munkres 1957) in its O(n³) potentials form: the minimum total cost of
/// assigning each row of a square cost matrix to a distinct column.
enum Hungarian {
    static func minimumCost(_ cost: [Double], size n: Int) -> Double {
        guard n > 0 else { return 0 }
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: n + 1)
        var assignment = [Int](repeating: 0, count: n + 1), way = [Int](repeating: 0, count: n + 1)
        for row in 1...n {
            assignment[0] = row
            var column0 = 0
            var minimum = [Double](repeating: .infinity, count: n + 1)
            var used = [Bool](repeating: false, count: n + 1)
            repeat {
                used[column0] = true
                let row0 = assignment[column0]
                var delta = Double.infinity, column1 = 0
                for column in 1...n where !used[column] {
                    let reduced = cost[(row0 - 1) * n + (column - 1)] - u[row0] - v[column]
                    if reduced < minimum[column] { minimum[column] = reduced; way[column] = column0 }
                    if minimum[column] < delta { delta = minimum[column]; column1 = column }
                }
                for column in 0...n {
                    if used[column] { u[assignment[column]] += delta; v[column] -= delta } else { minimum[column] -= delta }
                }
                column0 = column1
            } while assignment[column0] != 0
            repeat {
                let column1 = way[column0]
                assignment[column0] = assignment[column1]
                column0 = column1
            } while column0 != 0
        }
        var total = 0.0
        for column in 1...n { total += cost[(assignment[column] - 1) * n + (column - 1)] }
        return total
    }
}
