import Foundation
import GlossAgreement
import GlossCore

/// Times Krippendorff's α on 1,000,000 units × 3 coders, 5 categories, 10% missing values (computation
/// only: the data are in memory before the clock starts), as the issue's comparison with the `krippendorff`
/// Python package (numpy) asks; then γ for 2 and 3 coders × 500 spans with 30 random continua.
/// Usage: `gloss-agreement-bench [--units N] [--repeat R] [--gamma-data FILE.csv]`; `--gamma-data` writes the
/// 3-coder spans in the `gloss agree --spans-data` format, for comparison with pygamma-agreement.
@main
struct AgreementBenchmark {
    static func main() {
        var units = 1_000_000, repeats = 5
        var gammaData: String?
        var arguments = CommandLine.arguments.dropFirst().makeIterator()
        while let argument = arguments.next() {
            switch argument {
            case "--units": units = Int(arguments.next() ?? "") ?? units
            case "--repeat": repeats = Int(arguments.next() ?? "") ?? repeats
            case "--gamma-data": gammaData = arguments.next()
            default:
                FileHandle.standardError.write(Data("usage: gloss-agreement-bench [--units N] [--repeat R] [--gamma-data FILE.csv]\n".utf8))
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
        // γ for 2 and 3 coders × 500 spans on a 100,100-code-point continuum, 30 random continua (seeded): coders
        // mark the same 500 passages with their ends a few code points apart and 80% the same label.
        for coders in [2, 3] {
            var gammaGenerator = SplitMix64(seed: 0x6A33A)
            let continuum = gammaContinuum(coders: coders, generator: &gammaGenerator)
            if let disorder = continuum.bestAlignmentDisorder() {
                report.append("\"gamma_\(coders)x500_observed_disorder\":\(String(format: "%.6f", disorder))")
            }
            if coders == 3, let path = gammaData {
                let rows = continuum.spans.map { "coder\($0.coder + 1),\($0.start),\($0.end),\($0.label)" }
                _ = FileManager.default.createFile(atPath: path, contents: Data((["coder,start,end,label"] + rows).joined(separator: "\n").utf8 + [10]))
            }
            for (name, search) in [("exact", GammaSearch.exact), ("beam16", .beam(width: 16))] where coders == 3 || name == "exact" {
                var gamma = AgreementValue.undefined(reason: "not run")
                let gammaTime = clock.measure { gamma = continuum.gamma(GammaSettings(search: search), samples: 30, seed: 1) }
                let gammaSeconds = Double(gammaTime.components.seconds) + Double(gammaTime.components.attoseconds) / 1e18
                report.append("\"gamma_\(name)_\(coders)x500_30_samples_s\":\(String(format: "%.3f", gammaSeconds)),\"gamma_\(name)_\(coders)x500\":\(gamma.number.map { String(format: "%.4f", $0) } ?? "null")")
            }
        }
        print("{\"units\":\(units),\"coders\":3,\"categories\":5,\"repeats\":\(repeats)," + report.joined(separator: ",") + "}")
    }

    /// `coders` coders × 500 spans: each marks the same passage (start 200 i + 0…19, length 20…59) with both ends
    /// moved by −6…6 code points and the passage's label in 80% of cases, one of three at random otherwise.
    static func gammaContinuum(coders: Int, generator: inout SplitMix64) -> Continuum {
        let labels = ["a", "b", "c"]
        var passages: [(start: Int, end: Int, label: String)] = []
        for index in 0..<500 {
            let start = index * 200 + Int(generator.next() % 20)
            passages.append((start, start + 20 + Int(generator.next() % 40), labels[Int(generator.next() % 3)]))
        }
        var spans: [Continuum.Span] = []
        for coder in 0..<coders {
            for passage in passages {
                let start = passage.start + Int(generator.next() % 13) - 6
                let end = max(start + 1, passage.end + Int(generator.next() % 13) - 6)
                let label = generator.next() % 100 < 80 ? passage.label : labels[Int(generator.next() % 3)]
                spans.append(Continuum.Span(coder: coder, start: max(0, start), end: end, label: label))
            }
        }
        return Continuum(begin: 0, end: 100_100, coderCount: coders, spans: spans)
    }
}
