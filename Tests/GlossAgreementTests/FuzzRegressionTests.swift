import Foundation
import GlossAgreement
import GlossCore
import GlossTestSupport
import Testing

/// Inputs the fuzz targets found, kept so that what they showed stays fixed.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static func inputs(_ target: String) throws -> [URL] {
        let folder = TestPaths.packageRoot.appendingPathComponent("Fuzz/Regressions/\(target)")
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil).sorted { $0.path < $1.path }
    }

    /// fuzz-csv found spans of a dozen coders all overlapping in [0, 9): listing their unitary alignments took
    /// longer than the fuzzer's 10 s. The search now gives up after a bounded number of steps, with its reason.
    @Test func denseSpansOfManyCodersEndWithAReason() throws {
        for input in try Self.inputs("fuzz-csv") {
            let text = String(decoding: try Data(contentsOf: input), as: UTF8.self)
            guard let spans = try? Continuum.csv(text, file: input.path, length: 1000) else { continue }
            #expect(spans.continuum.coderCount >= 10)
            #expect(spans.continuum.bestAlignmentDisorder(GammaSettings(search: .beam(width: 4))) == nil)
            let gamma = spans.continuum.gamma(samples: 2, seed: 1)
            #expect(gamma.number == nil && "\(gamma)".contains("overlap densely"), "\(gamma)")
        }
    }
}
