import Foundation
import GlossAgreement
import GlossCore

/// Times Krippendorff's α on 1,000,000 units × 3 coders, 5 categories, 10% missing values (computation
/// only: the data are in memory before the clock starts), as the issue's comparison with the `krippendorff`
/// Python package (numpy) asks. Usage: `gloss-agreement-bench [--units N] [--repeat R]`.
@main
struct AgreementBenchmark {
    static func main() {
        var units = 1_000_000, repeats = 5
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--units": units = Int(arguments.next() ?? "") ?? units
            case "--repeat": repeats = Int(arguments.next() ?? "") ?? repeats
            default:
                FileHandle.standardError.write(Data("usage: gloss-agreement-bench [--units N] [--repeat R]\n".utf8))
                exit(64)
            }
        }
        // Deterministic data: coders mostly agree on a unit's "true" category, 10% of cells missing.
        var generator = SplitMix64(seed: 0x5EED_2026)
        func next() -> UInt64 { generator.next() }
        var rows: [[Int?]] = []
        rows.reserveCapacity(units)
        for _ in 0..<units {
            let truth = Int(next() % 5)
            rows.append((0..<3).map { _ in
                let roll = next() % 100
                if roll < 10 { return nil }
                return roll < 75 ? truth : Int(next() % 5)
            })
        }
        let categories = (1...5).map { ReliabilityData.Category(label: String($0), value: Double($0)) }
        guard let data = try? ReliabilityData(categories: categories, units: rows) else { exit(1) }
        let clock = ContinuousClock()
        var report: [String] = []
        for metric in [DistanceMetric.nominal, .interval] {
            var best = Duration.seconds(1000)
            var alpha = AgreementValue.undefined(reason: "not run")
            for _ in 0..<repeats {
                let elapsed = clock.measure { alpha = data.krippendorffAlpha(metric: metric) }
                best = min(best, elapsed)
            }
            let milliseconds = Double(best.components.seconds) * 1000 + Double(best.components.attoseconds) / 1e15
            report.append("\"\(metric.rawValue)_ms\":\(String(format: "%.1f", milliseconds)),\"\(metric.rawValue)_alpha\":\(alpha.number.map { String(format: "%.6f", $0) } ?? "null")")
        }
        // γ for two coders × 500 spans on a 100,000-code-point continuum, 30 random continua (seeded).
        var spans: [Continuum.Span] = []
        for coder in 0..<2 {
            for index in 0..<500 {
                let start = index * 200 + Int(generator.next() % 20), length = 20 + Int(generator.next() % 40)
                spans.append(Continuum.Span(coder: coder, start: start, end: start + length, label: ["a", "b", "c"][Int(generator.next() % 3)]))
            }
        }
        let continuum = Continuum(begin: 0, end: 100_100, coderCount: 2, spans: spans)
        var gamma = AgreementValue.undefined(reason: "not run")
        let gammaTime = clock.measure { gamma = continuum.gamma(samples: 30, seed: 1) }
        let gammaSeconds = Double(gammaTime.components.seconds) + Double(gammaTime.components.attoseconds) / 1e18
        report.append("\"gamma_2x500_30_samples_s\":\(String(format: "%.3f", gammaSeconds)),\"gamma\":\(gamma.number.map { String(format: "%.4f", $0) } ?? "null")")
        print("{\"units\":\(units),\"coders\":3,\"categories\":5,\"repeats\":\(repeats)," + report.joined(separator: ",") + "}")
    }
}
