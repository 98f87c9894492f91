/// How two coders' spans are paired.
public enum SpanMatch: Sendable, Equatable {
    /// Same start and end.
    case exact
    /// Overlap ratio (shared code points over the union of both spans, Jaccard) at least this value.
    case overlap(minimumRatio: Double)

    /// `exact` or `overlap:0.5`.
    public init?(argument: String) {
        if argument == "exact" { self = .exact; return }
        if argument == "overlap" { self = .overlap(minimumRatio: 0.5); return }
        guard argument.hasPrefix("overlap:"), let ratio = Double(argument.dropFirst("overlap:".count)), ratio > 0, ratio <= 1 else { return nil }
        self = .overlap(minimumRatio: ratio)
    }
}

/// Matching the spans of two coders of one continuum, one-to-one.
public struct SpanMatchReport: Sendable, Equatable {
    public var first: Int
    public var second: Int
    public var firstSpans: Int
    public var secondSpans: Int
    /// Index pairs into the coders' span lists (in `Continuum.spans` order) of the spans matched.
    public var matches: [(Int, Int)]

    public static func == (a: SpanMatchReport, b: SpanMatchReport) -> Bool {
        a.first == b.first && a.second == b.second && a.firstSpans == b.firstSpans && a.secondSpans == b.secondSpans
            && a.matches.elementsEqual(b.matches, by: { $0 == $1 })
    }

    /// Matched spans over the second coder's spans, taking the first coder as the reference.
    public var precision: AgreementValue {
        secondSpans > 0 ? .value(Double(matches.count) / Double(secondSpans)) : .undefined(reason: "the second coder marked no span")
    }

    /// Matched spans over the first coder's spans.
    public var recall: AgreementValue {
        firstSpans > 0 ? .value(Double(matches.count) / Double(firstSpans)) : .undefined(reason: "the first coder marked no span")
    }

    /// 2 · matched / (spans of both), which does not depend on which coder is the reference.
    public var f1: AgreementValue {
        firstSpans + secondSpans > 0 ? .value(2 * Double(matches.count) / Double(firstSpans + secondSpans)) : .undefined(reason: "no spans")
    }
}

extension Continuum {
    /// Matches every pair of coders' spans one-to-one, pairing as many as possible (a maximum bipartite
    /// matching by augmenting paths, Kuhn 1955) and, among candidates, trying higher overlap ratios first.
    public func matchSpans(_ match: SpanMatch) -> [SpanMatchReport] {
        var reports: [SpanMatchReport] = []
        for first in 0..<coderCount {
            for second in (first + 1)..<max(first + 1, coderCount) {
                let a = spans.indices.filter { spans[$0].coder == first }
                let b = spans.indices.filter { spans[$0].coder == second }
                var candidates: [(ratio: Double, i: Int, j: Int)] = []
                for i in a {
                    for j in b {
                        let (x, y) = (spans[i], spans[j])
                        switch match {
                        case .exact:
                            if x.start == y.start && x.end == y.end { candidates.append((1, i, j)) }
                        case .overlap(let minimum):
                            let shared = min(x.end, y.end) - max(x.start, y.start)
                            let union = max(x.end, y.end) - min(x.start, y.start)
                            guard shared > 0, union > 0 else { continue }
                            let ratio = Double(shared) / Double(union)
                            if ratio >= minimum { candidates.append((ratio, i, j)) }
                        }
                    }
                }
                var options: [Int: [Int]] = [:]
                for candidate in candidates.sorted(by: { ($0.ratio, -$0.j) > ($1.ratio, -$1.j) }) { options[candidate.i, default: []].append(candidate.j) }
                var partner: [Int: Int] = [:]  // second coder's span → first coder's span
                func augment(_ i: Int, _ visited: inout Set<Int>) -> Bool {
                    for j in options[i] ?? [] where visited.insert(j).inserted {
                        if let other = partner[j] {
                            guard augment(other, &visited) else { continue }
                        }
                        partner[j] = i
                        return true
                    }
                    return false
                }
                for i in a.sorted(by: { (options[$0]?.count ?? 0, $0) < (options[$1]?.count ?? 0, $1) }) {
                    var visited: Set<Int> = []
                    _ = augment(i, &visited)
                }
                let matches = partner.map { ($0.value, $0.key) }.sorted { $0.0 < $1.0 }
                reports.append(SpanMatchReport(first: first, second: second, firstSpans: a.count, secondSpans: b.count, matches: matches))
            }
        }
        return reports
    }

    /// Cohen's κ on the labels of matched spans (Cohen 1960), over all labels used.
    public func kappaOnMatches(_ report: SpanMatchReport) -> AgreementValue {
        let rows = report.matches.map { [spans[$0.0].label as String?, spans[$0.1].label as String?] }
        guard !rows.isEmpty, let data = try? ReliabilityData(values: rows) else { return .undefined(reason: "no matched spans") }
        return data.cohenKappa()
    }
}
