import Foundation
import GlossCore
import GlossTestSupport
import Testing

@Suite("The gloss agree command")
struct AgreeCLITests {
    /// Krippendorff (2011): 4 coders × 12 units, ordinal α = 0.815 (published to three decimals).
    static let csv = """
        unit,A,B,C,D
        u1,1,1,,1
        u2,2,2,3,2
        u3,3,3,3,3
        u4,3,3,3,3
        u5,2,2,2,2
        u6,1,2,3,4
        u7,4,4,4,4
        u8,1,1,2,1
        u9,2,2,2,2
        u10,,5,5,5
        u11,,,1,1
        u12,,,3,

        """

    @Test func reportsPublishedValuesAsJSON() throws {
        let cli = try CLI()
        let path = try cli.folder.write("codes.csv", Self.csv)
        let result = try cli.run("agree", "--data", path, "--coefficient", "krippendorff_alpha,cohen_kappa", "--metric", "ordinal", "--format", "json")
        #expect(result.status == 0)
        let json = try JSONParser.parse(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        guard case .object(let root) = json, case .array(let results) = root["results"], results.count == 2,
              case .object(let alpha) = results[0], case .object(let kappa) = results[1] else {
            Issue.record("unexpected output: \(result.standardOutput)")
            return
        }
        #expect(alpha["coefficient"] == .string("krippendorff_alpha") && alpha["metric"] == .string("ordinal"))
        #expect(alpha["units"] == .integer(12) && alpha["coders"] == .integer(4) && alpha["pairable_values"] == .integer(40))
        guard case .number(let value) = alpha["value"] else { Issue.record("no value"); return }
        #expect(abs(value - 0.815) < 0.0005)
        #expect(kappa["value"] == .null && kappa["reason"] == .string("needs exactly two coders; this data has 4"))
    }

    @Test func refusesMalformedDataWithItsLine() throws {
        let cli = try CLI()
        let path = try cli.folder.write("bad.csv", "unit,A,B\nu1,1,2\nu2,1\n")
        let result = try cli.run("agree", "--data", path)
        #expect(result.status == 65)
        #expect(result.hasOneErrorLine)
        #expect(result.standardError.hasPrefix("error: \(path):3: the row has 2 cells"))
        #expect(try cli.run("agree", "--data", path, "--coefficient", "kappa").status == 64)
    }
}
