/// Coders' segmentations of one continuum `[begin, end)`: labelled spans, half-open.
public struct Continuum: Sendable {
    public struct Span: Sendable, Equatable {
        public var coder: Int
        public var start: Int
        public var end: Int
        public var label: String

        public init(coder: Int, start: Int, end: Int, label: String) {
            self.coder = coder
            self.start = start
            self.end = end
            self.label = label
        }
    }

    public var begin: Int
    public var end: Int
    public var coderCount: Int
    public var spans: [Span]

    public init(begin: Int, end: Int, coderCount: Int, spans: [Span]) {
        self.begin = begin
        self.end = end
        self.coderCount = coderCount
        self.spans = spans
    }

    /// The labels, sorted.
    public var labels: [String] { Array(Set(spans.map(\.label))).sorted() }
}

extension Continuum {
    /// Krippendorff's unitizing α for one category, or over all of them as 1 − Σ_c D_o,c / Σ_c D_e,c (the
    /// DKPro Agreement convention) when `category` is nil (Krippendorff 1995; 2004, Quality & Quantity 38,
    /// eqs. for D_o and D_e).
    ///
    /// For category c each coder's continuum is cut into c-units and gaps (everything else, other
    /// categories included); a coder's overlapping c-spans are merged. D_o = Σ_i Σ_{j≠i} Σ_g Σ_h δ²(g, h) /
    /// (m(m − 1) L²), where δ² = (b_g − b_h)² + (e_g − e_h)² for two overlapping c-units, l_g² for a c-unit
    /// inside a gap of the other coder (and l_h² the other way round), 0 otherwise. D_e = (2/L) ·
    /// Σ_i Σ_g w_g [ (N_c − 1)/3 · (2l³ − 3l² + l) + l² Σ_j Σ_h (1 − w_h)(l_h − l + 1)·[l_h ≥ l] ] /
    /// [ mL(mL − 1) − Σ_i Σ_g w_g l(l − 1) ], N_c the number of c-units of all coders.
    public func unitizingAlpha(category: String? = nil) -> AgreementValue {
        let categories = category.map { [$0] } ?? labels
        var observed = 0.0, expected = 0.0
        for label in categories {
            let (o, e) = disagreements(for: label)
            observed += o
            expected += e
        }
        guard end > begin else { return .undefined(reason: "the continuum is empty") }
        guard coderCount >= 2 else { return .undefined(reason: "needs at least two coders") }
        guard expected > 0 else { return .undefined(reason: "no expected disagreement: no coder marked a unit of \(category ?? "any category")") }
        return .value(1 - observed / expected)
    }

    /// D_o and D_e of one category.
    public func disagreements(for label: String) -> (observed: Double, expected: Double) {
        let length = Double(end - begin), m = Double(coderCount)
        guard length > 0, coderCount >= 2 else { return (0, 0) }
        let sections = (0..<coderCount).map { self.sections(coder: $0, label: label) }
        var observed = 0.0
        for i in 0..<coderCount {
            for j in 0..<coderCount where j != i {
                for g in sections[i] {
                    for h in sections[j] where g.start < h.end && h.start < g.end {
                        observed += Self.delta(g, h)
                    }
                }
            }
        }
        observed /= m * (m - 1) * length * length
        let units = sections.flatMap { $0 }.filter(\.isUnit)
        let gaps = sections.flatMap { $0 }.filter { !$0.isUnit }
        let count = Double(units.count)
        var numerator = 0.0, lengthTerms = 0.0
        for unit in units {
            let l = Double(unit.length)
            var gapSum = 0.0
            for gap in gaps where gap.length >= unit.length { gapSum += Double(gap.length - unit.length + 1) }
            numerator += (count - 1) / 3 * (2 * l * l * l - 3 * l * l + l) + l * l * gapSum
            lengthTerms += l * (l - 1)
        }
        let denominator = m * length * (m * length - 1) - lengthTerms
        guard denominator > 0 else { return (observed, 0) }
        return (observed, 2 / length * numerator / denominator)
    }

    private struct Section {
        var start: Int
        var end: Int
        var isUnit: Bool
        var length: Int { end - start }
    }

    /// A coder's continuum cut into units of `label` (overlapping ones merged) and the gaps between them.
    private func sections(coder: Int, label: String) -> [Section] {
        let units = spans.filter { $0.coder == coder && $0.label == label && $0.end > $0.start }
            .map { (max($0.start, begin), min($0.end, end)) }.filter { $0.0 < $0.1 }.sorted { $0.0 < $1.0 }
        var merged: [(Int, Int)] = []
        for unit in units {
            if let last = merged.last, unit.0 < last.1 { merged[merged.count - 1].1 = max(last.1, unit.1) } else { merged.append(unit) }
        }
        var sections: [Section] = []
        var cursor = begin
        for (start, stop) in merged {
            if start > cursor { sections.append(Section(start: cursor, end: start, isUnit: false)) }
            sections.append(Section(start: start, end: stop, isUnit: true))
            cursor = stop
        }
        if cursor < end { sections.append(Section(start: cursor, end: end, isUnit: false)) }
        return sections
    }

    private static func delta(_ g: Section, _ h: Section) -> Double {
        switch (g.isUnit, h.isUnit) {
        case (true, true):
            let b = Double(g.start - h.start), e = Double(g.end - h.end)
            return b * b + e * e
        case (true, false) where h.start <= g.start && g.end <= h.end:
            return Double(g.length) * Double(g.length)
        case (false, true) where g.start <= h.start && h.end <= g.end:
            return Double(h.length) * Double(h.length)
        default:
            return 0
        }
    }
}
