import Foundation
import GlossAgreement
import GlossCore
import GlossService
import GlossStore
import GlossTestSupport
import Testing

/// `gloss agree --format json` prints the JSON of the same `AgreementReport` the server will return.
@Suite("The agreement service")
struct AgreementServiceTests {
    @Test func theCommandPrintsTheServicesReport() throws {
        let cli = try CLI()
        let fixtures = TestPaths.fixtures.path
        try #require(try cli.run("init").status == 0)
        try #require(try cli.run("import", "docs", fixtures + "/documents.jsonl", fixtures + "/articles").status == 0)
        try #require(try cli.run("import", "annotations", fixtures + "/annotations").status == 0)
        let printed = try cli.run("agree", "--layer", "statement", "--feature", "stance", "--unit", "paragraph",
                                  "--coefficient", "krippendorff_alpha,fleiss_kappa", "--diagnostics",
                                  "--bootstrap", "200", "--format", "json")
        #expect(printed.status == 0, "\(printed.standardError)")
        let request = AgreementRequest(
            source: .project(layer: "statement", feature: "stance", unit: .paragraph, coders: nil, documents: nil,
                             presence: false),
            coefficients: [.krippendorffAlpha, .fleissKappa], bootstrap: 200, diagnostics: true)
        let report = try AgreementService.run(request, store: { try SQLiteStore(path: cli.database) })
        #expect(printed.standardOutput == report.json.canonicalJSON + "\n")
        guard case .coefficients(let results, let diagnostics?) = report else {
            Issue.record("no coefficients or diagnostics")
            return
        }
        #expect(results.map(\.coefficient) == [.krippendorffAlpha, .fleissKappa])
        #expect(diagnostics.coders == ["alice", "bob", "chen"])
        #expect(diagnostics.disagreements.allSatisfy { $0.values.count == 3 && $0.documentID != nil })
    }
}
