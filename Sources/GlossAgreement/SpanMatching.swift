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
                let candidates = matchCandidates(a, b, match)
                var options: [Int: [Int]] = [:]
                for candidate in candidates.sorted(by: { ($0.ratio, -$0.j) > ($1.ratio, -$1.j) }) {
                    options[candidate.i, default: []].append(candidate.j)
                }
                var partner: [Int: Int] = [:]  // second coder's span → first coder's span
                for i in a.sorted(by: { (options[$0]?.count ?? 0, $0) < (options[$1]?.count ?? 0, $1) }) {
                    _ = Self.augment(from: i, options: options, partner: &partner)
                }
                let matches = partner.map { ($0.value, $0.key) }.sorted { $0.0 < $1.0 }
                reports.append(SpanMatchReport(first: first, second: second, firstSpans: a.count, secondSpans: b.count, matches: matches))
            }
        }
        return reports
    }

    /// The pairs of a span of `a` and a span of `b` (indices into `spans`) that `match` allows, with their
    /// overlap ratio (1 for an exact match).
    ///
    /// Exact matches are looked up by their bounds; overlapping pairs are found by sweeping the spans in order
    /// of their start, each meeting only the other coder's spans still open there. Either way the work grows
    /// with the spans and the pairs found, not with the product of the two coders' spans.
    private func matchCandidates(_ a: [Int], _ b: [Int], _ match: SpanMatch) -> [(ratio: Double, i: Int, j: Int)] {
        var candidates: [(ratio: Double, i: Int, j: Int)] = []
        switch match {
        case .exact:
            var byBounds: [SpanBounds: [Int]] = [:]
            for j in b { byBounds[SpanBounds(start: spans[j].start, end: spans[j].end), default: []].append(j) }
            for i in a {
                let same = byBounds[SpanBounds(start: spans[i].start, end: spans[i].end)] ?? []
                candidates += same.map { (1, i, $0) }
            }
        case .overlap(let minimum):
            func consider(_ i: Int, _ j: Int) {
                let (x, y) = (spans[i], spans[j])
                let shared = min(x.end, y.end) - max(x.start, y.start)
                let union = max(x.end, y.end) - min(x.start, y.start)
                guard shared > 0, union > 0 else { return }
                let ratio = Double(shared) / Double(union)
                if ratio >= minimum { candidates.append((ratio, i, j)) }
            }
            // Two spans share a code point exactly when the later one starts before both end. A span without
            // code points shares none.
            let events = (a.map { (index: $0, isFirst: true) } + b.map { (index: $0, isFirst: false) })
                .filter { spans[$0.index].start < spans[$0.index].end }
                .sorted { spans[$0.index].start < spans[$1.index].start }
            var openFirst: [Int] = [], openSecond: [Int] = []
            for event in events {
                let start = spans[event.index].start
                if event.isFirst {
                    openSecond.removeAll { spans[$0].end <= start }
                    for j in openSecond { consider(event.index, j) }
                    openFirst.append(event.index)
                } else {
                    openFirst.removeAll { spans[$0].end <= start }
                    for i in openFirst { consider(i, event.index) }
                    openSecond.append(event.index)
                }
            }
        }
        return candidates
    }

    /// Looks for an augmenting path from the first coder's span `i` (Kuhn's depth-first search) and, when there
    /// is one, flips it in `partner`, so `i` and every span moved along the path are matched.
    ///
    /// The search keeps its own stack rather than recursing, as a path may run through every span.
    private static func augment(from i: Int, options: [Int: [Int]], partner: inout [Int: Int]) -> Bool {
        var visited: Set<Int> = []
        // The first coder's spans on the path, each with the index of its next option to try.
        var stack: [(i: Int, next: Int)] = [(i, 0)]
        // path[k]: the second coder's span that stack[k] tries to take from stack[k + 1].
        var path: [Int] = []
        while let (current, next) = stack.last {
            let choices = options[current] ?? []
            var position = next
            var descended = false
            while position < choices.count {
                let j = choices[position]
                position += 1
                guard visited.insert(j).inserted else { continue }
                guard let other = partner[j] else {
                    // j is free: every span on the path takes the span it was trying for.
                    partner[j] = current
                    for (frame, taken) in zip(stack, path) { partner[taken] = frame.i }
                    return true
                }
                stack[stack.count - 1].next = position
                path.append(j)
                stack.append((other, 0))
                descended = true
                break
            }
            if !descended {
                stack.removeLast()
                if !path.isEmpty { path.removeLast() }
            }
        }
        return false
    }

    /// Cohen's κ on the labels of matched spans (Cohen 1960), over all labels used.
    public func kappaOnMatches(_ report: SpanMatchReport) -> AgreementValue {
        let rows = report.matches.map { [spans[$0.0].label as String?, spans[$0.1].label as String?] }
        guard !rows.isEmpty, let data = try? ReliabilityData(values: rows) else { return .undefined(reason: "no matched spans") }
        return data.cohenKappa()
    }
}

/// A span's bounds, as a dictionary key.
private struct SpanBounds: Hashable {
    var start: Int
    var end: Int
}
