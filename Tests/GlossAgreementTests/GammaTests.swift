import Foundation
import GlossAgreement
import GlossCore
import GlossTestSupport
import Testing

@Suite("γ (Mathet, Widlöcher & Métivier 2015), two coders")
struct GammaTests {
    /// The two γ vectors of reference-values.json: the pygamma fixture shared by DKPro (two annotators, three units each).
    static func fixture() throws -> (continuum: Continuum, disorder: Double, gamma: Double, tolerance: Double) {
        let url = TestPaths.resources.appendingPathComponent("agreement/reference-values.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let vectors = try #require(root["vectors"] as? [[String: Any]]).filter { $0["kind"] as? String == "gamma" }
        let disorder = try #require(vectors.first { $0["coefficient"] as? String == "best_alignment_disorder" })
        let gamma = try #require(vectors.first { $0["coefficient"] as? String == "gamma" })
        let body = try #require(disorder["data"] as? [String: Any])
        let bounds = try #require(body["continuum"] as? [Int])
        let coders = try #require(body["coders"] as? [String])
        let spans = try #require(body["spans"] as? [[Any]]).compactMap { span -> Continuum.Span? in
            guard let coder = span[0] as? Int, let start = span[1] as? Int, let end = span[2] as? Int, let label = span[3] as? String else { return nil }
            return Continuum.Span(coder: coder, start: start, end: end, label: label)
        }
        return (Continuum(begin: bounds[0], end: bounds[1], coderCount: coders.count, spans: spans),
                try #require(disorder["expected"] as? Double), try #require(gamma["expected"] as? Double), try #require(gamma["tolerance"] as? Double))
    }

    @Test func bestAlignmentDisorderMatchesPygamma() throws {
        // By hand: each of the three pairs ([1,5) with [2,6), …) is off by 1 at both ends: ((1 + 1) / (4 + 4))² = 0.0625,
        // same category; the sum 0.1875 over 3 units per coder is 0.0625, as pygamma-agreement 0.5.9 and DKPro compute.
        let fixture = try Self.fixture()
        let disorder = try #require(fixture.continuum.bestAlignmentDisorder())
        #expect(abs(disorder - fixture.disorder) < 1e-9)
    }

    @Test func gammaIsWithinPygammasSamplingSpread() throws {
        // pygamma-agreement: 0.8836 in the DKPro fixture (30 samples), 0.8494 run with seed 1; the file's tolerance is 0.1.
        let fixture = try Self.fixture()
        let gamma = try #require(fixture.continuum.gamma(samples: 30, seed: 1).number)
        #expect(abs(gamma - fixture.gamma) <= fixture.tolerance, "γ = \(gamma)")
        #expect(fixture.continuum.gamma(samples: 30, seed: 1) == fixture.continuum.gamma(samples: 30, seed: 1))
    }

    @Test func identicalCodingHasNoDisorderAndUnmatchedUnitsCostTheEmptyDissimilarity() throws {
        let same = Continuum(begin: 0, end: 100, coderCount: 2, spans: [
            .init(coder: 0, start: 10, end: 20, label: "a"), .init(coder: 1, start: 10, end: 20, label: "a"),
        ])
        #expect(same.bestAlignmentDisorder() == 0)
        #expect(same.gamma(samples: 10, seed: 3) == .value(1))
        // Far apart, different labels: aligning costs 1 + ((80 + 80) / 20)² > 2 Δ∅, so both stay alone:
        // disorder (1 + 1) / 1 unit per coder = 2.
        let apart = Continuum(begin: 0, end: 100, coderCount: 2, spans: [
            .init(coder: 0, start: 0, end: 10, label: "a"), .init(coder: 1, start: 80, end: 90, label: "b"),
        ])
        #expect(apart.bestAlignmentDisorder() == 2)
    }
}

@Suite("γ's best alignment against brute force")
struct GammaBruteForceTests {
    /// The cheapest partial matching by trying them all: each first-coder unit takes a free second-coder unit
    /// or nothing (Δ∅ each for unmatched units); disorder = cost / mean units per coder.
    static func bruteForce(_ first: [Continuum.Span], _ second: [Continuum.Span]) -> Double {
        func d(_ u: Continuum.Span, _ v: Continuum.Span) -> Double {
            let positional = Double(abs(u.start - v.start) + abs(u.end - v.end)) / Double((u.end - u.start) + (v.end - v.start))
            return positional * positional + (u.label == v.label ? 0 : 1)
        }
        func best(_ index: Int, _ used: Set<Int>) -> Double {
            guard index < first.count else { return Double(second.count - used.count) }
            var result = 1 + best(index + 1, used)
            for j in second.indices where !used.contains(j) {
                result = min(result, d(first[index], second[j]) + best(index + 1, used.union([j])))
            }
            return result
        }
        return best(0, []) / (Double(first.count + second.count) / 2)
    }

    @Test func agreesWithBruteForceOnRandomContinua() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<200 {
            var spans: [Continuum.Span] = []
            for coder in 0..<2 {
                for _ in 0..<Int(generator.next() % 5) {
                    let start = Int(generator.next() % 40), length = 1 + Int(generator.next() % 10)
                    spans.append(.init(coder: coder, start: start, end: start + length, label: ["a", "b"][Int(generator.next() % 2)]))
                }
            }
            let continuum = Continuum(begin: 0, end: 60, coderCount: 2, spans: spans)
            let (first, second) = (spans.filter { $0.coder == 0 }, spans.filter { $0.coder == 1 })
            guard let disorder = continuum.bestAlignmentDisorder() else {
                #expect(first.isEmpty && second.isEmpty)
                continue
            }
            #expect(abs(disorder - Self.bruteForce(first, second)) < 1e-9, "\(spans)")
        }
    }
}

@Suite("γ for three or more coders")
struct GammaManyCodersTests {
    /// The combined dissimilarity with α = β = Δ∅ = 1.
    static func combined(_ u: Continuum.Span, _ v: Continuum.Span) -> Double {
        let positional = Double(abs(u.start - v.start) + abs(u.end - v.end)) / Double((u.end - u.start) + (v.end - v.start))
        return positional * positional + (u.label == v.label ? 0 : 1)
    }

    /// The cheapest partition into unitary alignments by trying them all: the first uncovered unit joins every
    /// subset of the uncovered units of other coders (one per coder). A unitary alignment costs the mean over the
    /// C(n, 2) coder pairs of d, a pair with a missing unit costing Δ∅ = 1 (pygamma-agreement's convention).
    static func bruteForce(_ spans: [Continuum.Span], coders: Int,
                           dissimilarity d: (Continuum.Span, Continuum.Span) -> Double = GammaManyCodersTests.combined) -> Double {
        let pairs = Double(coders * (coders - 1) / 2)
        func best(_ uncovered: [Int]) -> Double {
            guard let first = uncovered.first else { return 0 }
            var result = Double.infinity
            func choose(_ members: [Int], _ from: Int) {
                var sum = 0.0
                for a in members.indices { for b in 0..<a { sum += d(spans[members[a]], spans[members[b]]) } }
                let cost = (sum + (pairs - Double(members.count * (members.count - 1) / 2))) / pairs
                result = min(result, cost + best(uncovered.filter { !members.contains($0) }))
                for index in from..<uncovered.count where !members.contains(where: { spans[$0].coder == spans[uncovered[index]].coder }) {
                    choose(members + [uncovered[index]], index + 1)
                }
            }
            choose([first], 1)
            return result
        }
        return best(Array(spans.indices)) / (Double(spans.count) / Double(coders))
    }

    @Test func bestAlignmentMatchesPygammasIntegerProgram() throws {
        // pygamma-agreement 0.5.9 (get_best_alignment, CombinedCategoricalDissimilarity(), GLPK_MI) on these 12 units:
        // 1.1438059 (float32). By hand, its first unitary alignment ([2,9) x, [3,9) x, [1,8) x):
        // ((1/13)² + (2/14)² + (3/13)²) / 3 = 0.0265266.
        let spans: [Continuum.Span] = [
            .init(coder: 0, start: 2, end: 9, label: "x"), .init(coder: 0, start: 12, end: 20, label: "y"),
            .init(coder: 0, start: 30, end: 34, label: "x"), .init(coder: 0, start: 40, end: 41, label: "y"),
            .init(coder: 1, start: 3, end: 9, label: "x"), .init(coder: 1, start: 13, end: 19, label: "x"),
            .init(coder: 1, start: 31, end: 36, label: "x"),
            .init(coder: 2, start: 1, end: 8, label: "x"), .init(coder: 2, start: 12, end: 21, label: "y"),
            .init(coder: 2, start: 28, end: 33, label: "y"), .init(coder: 2, start: 45, end: 50, label: "x"),
            .init(coder: 2, start: 46, end: 52, label: "y"),
        ]
        let disorder = try #require(Continuum(begin: 0, end: 60, coderCount: 3, spans: spans).bestAlignmentDisorder())
        #expect(abs(disorder - 1.1438059) < 1e-6)
        #expect(abs(disorder - Self.bruteForce(spans, coders: 3)) < 1e-9)
    }

    @Test(arguments: [3, 4]) func agreesWithBruteForceOnRandomContinua(coders: Int) throws {
        var generator = SplitMix64(seed: UInt64(coders))
        for _ in 0..<150 {
            var spans: [Continuum.Span] = []
            for coder in 0..<coders {
                for _ in 0..<Int(generator.next() % (coders == 3 ? 4 : 3)) {
                    let start = Int(generator.next() % 30), length = 1 + Int(generator.next() % 10)
                    spans.append(.init(coder: coder, start: start, end: start + length, label: ["a", "b"][Int(generator.next() % 2)]))
                }
            }
            let continuum = Continuum(begin: 0, end: 40, coderCount: coders, spans: spans)
            guard let disorder = continuum.bestAlignmentDisorder() else {
                #expect(spans.isEmpty)
                continue
            }
            #expect(abs(disorder - Self.bruteForce(spans, coders: coders)) < 1e-9, "\(spans)")
        }
    }

    @Test func theBeamNeverBeatsTheExactSearchAndMatchesItWhenWide() throws {
        var generator = SplitMix64(seed: 9)
        for _ in 0..<100 {
            let spans = (0..<3).flatMap { coder in
                (0..<6).map { _ in
                    let start = Int(generator.next() % 40)
                    return Continuum.Span(coder: coder, start: start, end: start + 1 + Int(generator.next() % 12), label: ["a", "b"][Int(generator.next() % 2)])
                }
            }
            let continuum = Continuum(begin: 0, end: 60, coderCount: 3, spans: spans)
            let exact = try #require(continuum.bestAlignmentDisorder())
            let narrow = try #require(continuum.bestAlignmentDisorder(GammaSettings(search: .beam(width: 1))))
            let wide = try #require(continuum.bestAlignmentDisorder(GammaSettings(search: .beam(width: 100_000))))
            #expect(narrow >= exact - 1e-12)
            #expect(abs(wide - exact) < 1e-12)
        }
    }

    @Test func theExactSearchGivesUpWithAReasonBeyondItsLimit() throws {
        // Nine mutually overlapping units: more than one partial alignment is needed somewhere.
        let spans = (0..<3).flatMap { coder in (0..<3).map { Continuum.Span(coder: coder, start: $0, end: 10 + $0, label: "a") } }
        let continuum = Continuum(begin: 0, end: 20, coderCount: 3, spans: spans)
        let limited = continuum.gamma(GammaSettings(search: .exact(maximumStates: 1)), samples: 2, seed: 1)
        #expect(limited.number == nil)
        #expect(continuum.bestAlignmentDisorder(GammaSettings(search: .exact(maximumStates: 1))) == nil)
        #expect(continuum.gamma(samples: 2, seed: 1).number != nil)
    }

    @Test func emptyUnitsAlignOnlyWhereTheyCoincide() throws {
        // Three coders mark an empty unit at 5; a fourth empty unit of coder 0 at 9 aligns with nothing.
        // By hand: the triple costs 0; the lone unit's unitary alignment costs Δ∅ (all three pairs miss a unit,
        // Δ∅ each, over C(3, 2) = 3); 4 units over 3 coders: disorder 1 / (4/3) = 0.75.
        let spans: [Continuum.Span] = [.init(coder: 0, start: 5, end: 5, label: "a"), .init(coder: 1, start: 5, end: 5, label: "a"),
                                       .init(coder: 2, start: 5, end: 5, label: "a"), .init(coder: 0, start: 9, end: 9, label: "a")]
        let continuum = Continuum(begin: 0, end: 20, coderCount: 3, spans: spans)
        #expect(continuum.bestAlignmentDisorder() == 0.75)
        // Brute force with that dissimilarity for empty units: 0 where two coincide, never aligned elsewhere.
        #expect(Self.bruteForce(spans, coders: 3) { $0.start == $1.start && $0.end == $1.end ? 0 : .infinity } == 0.75)
    }

    @Test func gammaIsReproducibleAndOneForIdenticalCoders() throws {
        let spans = (0..<3).flatMap { coder in
            [Continuum.Span(coder: coder, start: 0, end: 5, label: "a"), .init(coder: coder, start: 10, end: 18, label: "b")]
        }
        let continuum = Continuum(begin: 0, end: 20, coderCount: 3, spans: spans)
        #expect(continuum.bestAlignmentDisorder() == 0)
        #expect(continuum.gamma(samples: 10, seed: 5) == .value(1))
    }
}
