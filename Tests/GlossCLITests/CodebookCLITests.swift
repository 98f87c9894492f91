import Foundation
import GlossCore
import GlossTestSupport
import Testing

@Suite("The gloss codebook and validate commands", .serialized)
struct CodebookCLITests {
    static let codebook = TestPaths.packageRoot.appendingPathComponent("Codebooks/russia-taliban-coverage.yaml").path
    static let broken = TestPaths.packageRoot.appendingPathComponent("Tests/GlossCodebookTests/Broken/structure.yaml").path

    @Test func checkReportsEveryProblemAsItsOwnErrorLine() throws {
        let cli = try CLI()
        let good = try cli.run("codebook", "check", Self.codebook)
        #expect(good.status == 0)
        #expect(good.standardOutput.contains("russia-taliban-coverage@1 is valid: 4 layers"))
        let bad = try cli.run("codebook", "check", Self.broken)
        #expect(bad.status == 65)
        let lines = bad.standardError.split(separator: "\n")
        #expect(lines.count == 9)
        #expect(lines.allSatisfy { $0.hasPrefix("error: \(Self.broken):") })
        #expect(lines.first == "error: \(Self.broken):2:10: version must be a whole number")
        #expect(try cli.run("codebook", "check", "missing.yaml").status == 66)
    }

    @Test func validatesTheFixturesAndRefusesBadWrites() throws {
        let cli = try CLI()
        _ = try cli.run("init")
        let fixtures = TestPaths.fixtures
        #expect(try cli.run("import", "docs", fixtures.appendingPathComponent("documents.jsonl").path, fixtures.appendingPathComponent("articles").path).status == 0)
        #expect(try cli.run("import", "annotations", fixtures.appendingPathComponent("annotations").path).status == 0)
        #expect(try cli.run("validate").status == 0)  // no codebook yet: nothing to check against
        let added = try cli.run("codebook", "add", Self.codebook)
        #expect(added.standardOutput == "registered russia-taliban-coverage@1\n")
        #expect(try cli.run("codebook", "add", Self.codebook).standardOutput.contains("already registered"))
        #expect(try cli.run("codebook", "show", "russia-taliban-coverage@1").standardOutput == String(contentsOfFile: Self.codebook, encoding: .utf8))

        // Two fixture statements run on into the next paragraph of the CRLF article (Fixtures/README.md).
        let report = try cli.run("validate", "--format", "json")
        #expect(report.status == 1)
        let json = try JSONParser.parse(report.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
        guard case .object(let object) = json, case .array(let violations) = object["violations"] else { Issue.record("not a report"); return }
        #expect(violations.count == 2)
        #expect(violations.allSatisfy { $0.canonicalJSON.contains(#""document":"monitor-2018-kabul-reaction""#) && $0.canonicalJSON.contains("paragraph boundary") })

        let before = try cli.snapshot()
        let refused = try cli.run("annotate", "add", "--doc", "amu-2016-border-worries", "--coder", "alice", "--layer", "statement",
                                  "--start", "0", "--end", "20", "--set", "stance=hostile", "--set", "speaker=russia.envoy")
        #expect(refused.status == 65)
        #expect(refused.hasOneErrorLine)
        #expect(refused.standardError.contains("stance is 'hostile', which is not one of its codes; allowed: supportive, critical, neutral, ambiguous"))
        #expect(try cli.snapshot() == before)
    }
}
