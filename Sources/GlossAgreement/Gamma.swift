import Foundation
import GlossCore

/// The settings of γ, the holistic agreement measure of Mathet, Widlöcher & Métivier (2015, Computational
/// Linguistics 41(3)), with the combined dissimilarity pygamma-agreement calls `CombinedCategoricalDissimilarity`.
///
/// Between units u and v: d = α · Δ∅ · ((|s_u − s_v| + |e_u − e_v|) / (l_u + l_v))² + β · Δ∅ · [c_u ≠ c_v] (positional
/// sporadic and nominal categorical dissimilarities, §4.1). A unitary alignment holds at most one unit per coder;
/// its disorder is the mean of d over its C(n, 2) pairs of coders, where a pair with a missing unit (one or both
/// sides) costs Δ∅, as in pygamma-agreement. The disorder of an alignment is the sum of its unitary alignments'
/// disorders divided by the mean number of units per coder; γ = 1 − D_obs / D_exp, where D_obs is the disorder of
/// the best alignment and D_exp the mean best disorder of random continua drawn from the data's own statistics (§5).
public struct GammaSettings: Sendable, Equatable {
    public var alpha: Double
    public var beta: Double
    public var emptyDissimilarity: Double
    /// How the best alignment is searched for.
    public var search: GammaSearch

    public init(alpha: Double = 1, beta: Double = 1, emptyDissimilarity: Double = 1, search: GammaSearch = .exact) {
        self.alpha = alpha
        self.beta = beta
        self.emptyDissimilarity = emptyDissimilarity
        self.search = search
    }
}

/// The search for the best alignment.
public enum GammaSearch: Sendable, Equatable {
    /// The exact optimum, within `maximumStates` partial alignments at any point of the continuum (about 100 bytes
    /// each); a continuum that needs more (units overlapping densely) gets no value rather than an approximate one.
    case exact(maximumStates: Int)
    /// An approximation: the search keeps only the `width` most promising partial alignments at each unit, so a
    /// disorder may come out above the best one and γ below the exact value.
    case beam(width: Int)

    public static let exact = GammaSearch.exact(maximumStates: 2_000_000)
    /// How much work either search may spend listing the unitary alignments worth considering (a unitary
    /// alignment of p units costs about 2^p · p² steps to check against its splits): densely overlapping units of
    /// many coders would take longer than anyone waits, so the search then gives up with a reason.
    public static let maximumEnumerationSteps = 100_000_000
}

extension Continuum {
    /// The disorder of the best alignment (Mathet et al. 2015, §4.2), found as `settings.search` says; nil without
    /// units or when the exact search would need more states than it may use.
    public func bestAlignmentDisorder(_ settings: GammaSettings = GammaSettings()) -> Double? {
        try? GammaAligner(coderCount: coderCount, settings: settings).bestDisorder(gammaUnits().units)
    }

    /// γ with D_exp estimated from `samples` random continua drawn with a seeded generator the way
    /// pygamma-agreement's `StatisticalContinuumSampler` draws them: for each coder, a number of units from a
    /// normal fit of the units per coder; each unit starts a gap after the previous one's end and has a duration,
    /// both from normal fits of the data's gaps and durations, and a category drawn with the data's frequencies.
    public func gamma(_ settings: GammaSettings = GammaSettings(), samples: Int, seed: UInt64) -> AgreementValue {
        guard coderCount >= 2 else { return .undefined(reason: "γ needs at least two coders") }
        let (units, categoryCount) = gammaUnits()
        let aligner = GammaAligner(coderCount: coderCount, settings: settings)
        guard samples > 0 else { return .undefined(reason: "no random continua to estimate the expected disorder from") }
        var sampler = GammaSampler(units: units, coderCount: coderCount, categoryCount: categoryCount, origin: Double(begin), seed: seed)
        let observed: Double
        var expected = 0.0
        do throws(GammaAligner.SearchLimit) {
            guard let disorder = try aligner.bestDisorder(units) else { return .undefined(reason: "no units") }
            observed = disorder
            for _ in 0..<samples { expected += try aligner.bestDisorder(sampler.continuum()) ?? 0 }
        } catch {
            return .undefined(reason: "the best alignment needs more than \(error.states) partial alignments or steps here (the units of many coders overlap densely); an approximate search (beam) may give a value")
        }
        expected /= Double(samples)
        guard expected > 0 else { return .undefined(reason: "the sampled continua have no disorder") }
        return .value(1 - observed / expected)
    }

    /// The spans as reals, with labels numbered in byte order (compared byte for byte, as everywhere in Gloss).
    func gammaUnits() -> (units: [GammaUnit], categoryCount: Int) {
        var numbers: [[UInt8]: Int] = [:]
        for label in Set(spans.map { Array($0.label.utf8) }).sorted(by: { $0.lexicographicallyPrecedes($1) }) { numbers[label] = numbers.count }
        let units = spans.map { span in
            GammaUnit(coder: span.coder, start: Double(span.start), end: Double(span.end), category: numbers[Array(span.label.utf8)] ?? 0)
        }
        return (units, numbers.count)
    }
}

/// One unit as γ sees it; positions are reals because random continua are drawn on the reals.
struct GammaUnit: Sendable {
    var coder: Int
    var start: Double
    var end: Double
    var category: Int
}

/// Finds the best alignment of a continuum (Mathet et al. 2015, §4.2), exactly or with a beam search.
struct GammaAligner {
    let coderCount: Int
    let settings: GammaSettings

    /// The search would need more than `states` partial alignments at one point, or more than that many steps to
    /// list the unitary alignments.
    struct SearchLimit: Error {
        let states: Int
    }

    /// d(u, v): positional sporadic plus nominal categorical dissimilarity, each scaled by Δ∅ (infinite between
    /// two empty units at different places).
    func dissimilarity(_ u: GammaUnit, _ v: GammaUnit) -> Double {
        let lengths = (u.end - u.start) + (v.end - v.start)
        let offsets = abs(u.start - v.start) + abs(u.end - v.end)
        // Two empty units are at distance 0 where they coincide and never align elsewhere (the ratio is undefined).
        let ratio = lengths > 0 ? offsets / lengths : (offsets == 0 ? 0 : .infinity)
        return settings.emptyDissimilarity * (settings.alpha * ratio * ratio + settings.beta * (u.category == v.category ? 0 : 1))
    }

    /// The disorder of the best alignment: the least total disorder of unitary alignments covering every unit
    /// once, divided by the mean number of units per coder. Nil without units.
    func bestDisorder(_ units: [GammaUnit]) throws(SearchLimit) -> Double? {
        guard !units.isEmpty, coderCount >= 2 else { return nil }
        let total: Double
        if coderCount == 2, case .exact = settings.search { total = twoCoderCost(units) } else { total = try setPartitionCost(units) }
        return total / (Double(units.count) / Double(coderCount))
    }

    /// Two coders: an assignment problem (Hungarian algorithm), where each unit is matched with one of the other
    /// coder's or with nothing. Aligning two units whose dissimilarity is at least 2Δ∅ never beats leaving both
    /// alone, so only closer pairs connect units, and each connected group is solved on its own.
    private func twoCoderCost(_ units: [GammaUnit]) -> Double {
        let first = units.filter { $0.coder == 0 }, second = units.filter { $0.coder == 1 }
        let empty = settings.emptyDissimilarity
        var groups = UnionFind(count: first.count + second.count)
        var dissimilarities: [[Int: Double]] = Array(repeating: [:], count: first.count)
        for (i, u) in first.enumerated() {
            for (j, v) in second.enumerated() {
                let d = dissimilarity(u, v)
                guard d < 2 * empty else { continue }
                dissimilarities[i][j] = d
                groups.join(i, first.count + j)
            }
        }
        var members: [Int: (first: [Int], second: [Int])] = [:]
        for i in first.indices { members[groups.root(i), default: ([], [])].first.append(i) }
        for j in second.indices { members[groups.root(first.count + j), default: ([], [])].second.append(j) }
        var total = 0.0
        for group in members.values {
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
        return total
    }

    /// Three or more coders: the exact set partitioning (the integer program of §4.2 that pygamma-agreement hands
    /// to a MIP solver), solved by dynamic programming along the continuum.
    ///
    /// Costs are sums over the C(n, 2) pairs (divided by C(n, 2) at the end); a unitary alignment of p units costs
    /// Σ d over its unit pairs + (C(n, 2) − C(p, 2)) Δ∅. Two reductions keep it exact:
    /// - Splitting a unitary alignment P into parts A and B changes the cost by (C(n, 2) + |A||B|) Δ∅ − Σ_{A×B} d,
    ///   so a unitary alignment that costs no less than some split of it never needs to be used; the candidates are
    ///   the ones cheaper than each of their splits. In such a one, each unit w is cheaper with the others than
    ///   alone: Σ_{v≠w} d(v, w) < (C(n, 2) + p − 1) Δ∅, so every pair in it is closer than (C(n, 2) + n − 1) Δ∅.
    /// - Units sorted by start: a state is the set of later units already covered when every earlier unit is; the
    ///   first uncovered unit is covered by one of the candidates it is the first unit of. Candidates are local,
    ///   so these sets stay small unless units overlap densely; the exact search stops at its limit of states.
    private func setPartitionCost(_ units: [GammaUnit]) throws(SearchLimit) -> Double {
        let empty = settings.emptyDissimilarity
        let pairs = Double(coderCount * (coderCount - 1) / 2)
        let sorted = units.sorted { ($0.start, $0.end, $0.coder) < ($1.start, $1.end, $1.coder) }
        let single = pairs * empty
        func cost(_ dissimilaritySum: Double, _ size: Int) -> Double { dissimilaritySum + (pairs - Double(size * (size - 1) / 2)) * empty }
        // Pairs that may share a unitary alignment. d ≥ α Δ∅ ((s_v − s_u) / (l_u + l_v))², so the search along the
        // sorted starts stops once that bound reaches the limit.
        let limit = (pairs + Double(coderCount - 1)) * empty
        let longest = sorted.map { $0.end - $0.start }.max() ?? 0
        let scale = settings.alpha * empty
        // Listing the pairs and the unitary alignments of densely overlapping units can itself take too long: it
        // stops after `maximumEnumerationSteps` (a pair looked at is a step, a unitary alignment of p units 2^p · p²).
        let maximumSteps = GammaSearch.maximumEnumerationSteps
        var steps = 0
        var neighbours: [[Int]] = Array(repeating: [], count: sorted.count)
        for i in sorted.indices {
            let u = sorted[i]
            let reach = scale > 0 ? (limit / scale).squareRoot() * ((u.end - u.start) + longest) : .infinity
            var j = i + 1
            while j < sorted.count, sorted[j].start - u.start <= reach {
                if sorted[j].coder != u.coder, dissimilarity(u, sorted[j]) < limit { neighbours[i].append(j) }
                j += 1
                steps += 1
            }
            if steps > maximumSteps { throw SearchLimit(states: maximumSteps) }
        }
        // Candidates by their first unit: the other members (ascending) and the cost.
        var candidates: [[(others: [Int], cost: Double)]] = Array(repeating: [], count: sorted.count)
        for i in sorted.indices {
            candidates[i].append(([], single))
            var members = [i]
            var coders = Set([sorted[i].coder])
            func extend(from position: Int) throws(SearchLimit) {
                for index in position..<neighbours[i].count {
                    let j = neighbours[i][index]
                    steps += members.count
                    guard !coders.contains(sorted[j].coder),
                          members.dropFirst().allSatisfy({ dissimilarity(sorted[$0], sorted[j]) < limit }) else {
                        if steps > maximumSteps { throw SearchLimit(states: maximumSteps) }
                        continue
                    }
                    members.append(j)
                    steps += (1 << members.count) * members.count * members.count
                    if steps > maximumSteps { throw SearchLimit(states: maximumSteps) }
                    coders.insert(sorted[j].coder)
                    if let total = cheaperThanEverySplit(members.map { sorted[$0] }, cost: cost) {
                        candidates[i].append((Array(members.dropFirst()), total))
                    }
                    try extend(from: index + 1)
                    members.removeLast()
                    coders.remove(sorted[j].coder)
                }
            }
            try extend(from: 0)
        }
        // States ranked for the beam by their cost less the shares of the later units they cover, a unit's share
        // being the least cost per member of the candidates holding it.
        var share = [Double](repeating: single, count: sorted.count)
        if case .beam = settings.search {
            for i in sorted.indices {
                for candidate in candidates[i] {
                    let perMember = candidate.cost / Double(candidate.others.count + 1)
                    for j in [i] + candidate.others { share[j] = min(share[j], perMember) }
                }
            }
        }
        var states: [[Int]: (cost: Double, ahead: Double)] = [[]: (0, 0)]
        for i in sorted.indices {
            var next: [[Int]: (cost: Double, ahead: Double)] = [:]
            next.reserveCapacity(states.count * 2)
            for (covered, state) in states {
                if covered.first == i {
                    let rest = Array(covered.dropFirst())
                    if state.cost < next[rest]?.cost ?? .infinity { next[rest] = (state.cost, state.ahead - share[i]) }
                    continue
                }
                for candidate in candidates[i] {
                    guard let merged = disjointUnion(covered, candidate.others) else { continue }
                    let cost = state.cost + candidate.cost
                    if cost < next[merged]?.cost ?? .infinity { next[merged] = (cost, state.ahead + candidate.others.reduce(0) { $0 + share[$1] }) }
                }
            }
            switch settings.search {
            case .exact(let maximumStates):
                if next.count > maximumStates { throw SearchLimit(states: maximumStates) }
            case .beam(let width):
                if next.count > width {
                    let best = next.sorted { $0.value.cost - $0.value.ahead < $1.value.cost - $1.value.ahead }.prefix(width)
                    next = Dictionary(uniqueKeysWithValues: best.map { ($0.key, $0.value) })
                }
            }
            states = next
        }
        return (states[[]]?.cost ?? 0) / pairs
    }

    /// The cost of the unitary alignment `members` if it is cheaper than every split of it into two parts.
    private func cheaperThanEverySplit(_ members: [GammaUnit], cost: (Double, Int) -> Double) -> Double? {
        let count = members.count
        var d = [Double](repeating: 0, count: count * count)
        for a in 0..<count { for b in 0..<a { d[a * count + b] = dissimilarity(members[a], members[b]); d[b * count + a] = d[a * count + b] } }
        func partCost(_ mask: Int) -> Double {
            var sum = 0.0, size = 0
            for a in 0..<count where mask & (1 << a) != 0 {
                size += 1
                for b in 0..<a where mask & (1 << b) != 0 { sum += d[a * count + b] }
            }
            return cost(sum, size)
        }
        let full = (1 << count) - 1
        let whole = partCost(full)
        // Parts containing the first member, short of the whole.
        var mask = 1
        while mask < full {
            if partCost(mask) + partCost(full ^ mask) <= whole { return nil }
            mask += 2
        }
        return whole
    }
}

/// The union of two ascending lists if they share no element.
private func disjointUnion(_ a: [Int], _ b: [Int]) -> [Int]? {
    if b.isEmpty { return a }
    if a.isEmpty { return b }
    var result: [Int] = []
    result.reserveCapacity(a.count + b.count)
    var (i, j) = (0, 0)
    while i < a.count || j < b.count {
        if j == b.count || (i < a.count && a[i] < b[j]) { result.append(a[i]); i += 1 }
        else if i == a.count || b[j] < a[i] { result.append(b[j]); j += 1 }
        else { return nil }
    }
    return result
}

/// Union–find with path halving.
struct UnionFind {
    private var parent: [Int]

    init(count: Int) { parent = Array(0..<count) }

    mutating func root(_ x: Int) -> Int {
        var x = x
        while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
        return x
    }

    mutating func join(_ a: Int, _ b: Int) { parent[root(a)] = root(b) }
}

/// Draws random continua from a continuum's statistics, as pygamma-agreement's `StatisticalContinuumSampler` does
/// (Mathet et al. 2015, §5.2 use shuffled continua; pygamma-agreement's default draws from normal fits).
struct GammaSampler {
    private let coderCount: Int
    private let units: (mean: Double, deviation: Double)
    private let gaps: (mean: Double, deviation: Double)
    private let durations: (mean: Double, deviation: Double)
    private let categoryWeights: [Double]
    private var generator: SplitMix64

    /// The statistics: units per coder; durations; gaps between a coder's consecutive units (end to next start,
    /// negative when they overlap), with each coder's first start (from `origin`) when positive and one 0.
    init(units all: [GammaUnit], coderCount: Int, categoryCount: Int, origin: Double, seed: UInt64) {
        self.coderCount = coderCount
        var perCoder = Array(repeating: [GammaUnit](), count: coderCount)
        for unit in all { perCoder[unit.coder].append(unit) }
        var gapValues: [Double] = [0]
        for var list in perCoder where !list.isEmpty {
            list.sort { ($0.start, $0.end) < ($1.start, $1.end) }
            for (previous, unit) in zip(list, list.dropFirst()) { gapValues.append(unit.start - previous.end) }
            if list[0].start - origin > 0 { gapValues.append(list[0].start - origin) }
        }
        units = Self.fit(perCoder.map { Double($0.count) })
        gaps = Self.fit(gapValues)
        durations = Self.fit(all.map { $0.end - $0.start })
        var counts = Array(repeating: 0.0, count: max(categoryCount, 1))
        for unit in all { counts[unit.category] += 1 }
        categoryWeights = counts.map { $0 / Double(max(all.count, 1)) }
        generator = SplitMix64(seed: seed)
    }

    /// Mean and population standard deviation (numpy's default).
    private static func fit(_ values: [Double]) -> (mean: Double, deviation: Double) {
        guard !values.isEmpty else { return (0, 0) }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }

    /// A uniform draw in (0, 1].
    private mutating func uniform() -> Double { (Double(generator.next() >> 11) + 1) * 0x1p-53 }

    /// A normal draw (Box–Muller).
    private mutating func normal(_ fit: (mean: Double, deviation: Double)) -> Double {
        let (u, v) = (uniform(), uniform())
        return fit.mean + fit.deviation * (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    mutating func continuum() -> [GammaUnit] {
        var result: [GammaUnit] = []
        for coder in 0..<coderCount {
            var count = abs(Int(normal(units)))
            if result.isEmpty { count = max(1, count) }
            var last = 0.0
            for _ in 0..<count {
                let start = last + normal(gaps)
                var duration = abs(normal(durations)), attempts = 0
                while duration < 1e-6 && attempts < 100 { duration = abs(normal(durations)); attempts += 1 }
                let end = start + max(duration, 1e-6)
                var pick = uniform(), category = 0
                while category < categoryWeights.count - 1 && pick > categoryWeights[category] { pick -= categoryWeights[category]; category += 1 }
                result.append(GammaUnit(coder: coder, start: start, end: end, category: category))
                last = end
            }
        }
        return result
    }
}

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
