import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// The team workflow through the command line: assign, code blind, agree, adjudicate, report, export gold.
@Suite("Team workflow", .serialized)
struct TeamWorkflowTests {
    /// The fixture articles, assigned to alice, bob and chen with `overlap`, and (when `coded`) their annotations.
    func project(overlap: String, coded: Bool) throws -> CLI {
        let cli = try CLI()
        let fixtures = TestPaths.fixtures.path
        try #require(try cli.run("init").status == 0)
        try #require(try cli.run("import", "docs", fixtures + "/documents.jsonl", fixtures + "/articles").status == 0)
        try #require(try cli.run("assign", "--coders", "alice,bob,chen", "--overlap", overlap,
                                 "--seed", "1").status == 0)
        if coded { try #require(try cli.run("import", "annotations", fixtures + "/annotations").status == 0) }
        return cli
    }

    @Test func aCoderCannotWriteOnAnotherCodersDocumentAndTheDatabaseStaysAsItWas() throws {
        let cli = try project(overlap: "0", coded: false)
        let listed = try cli.run("assignments", "list", "--coder", "bob", "--format", "jsonl")
        let line = try #require(listed.standardOutput.split(separator: "\n").first)
        guard case .object(let fields) = try JSONParser.parse(String(line)),
              case .string(let bobs)? = fields["document"] else {
            Issue.record("no assignment for bob: \(listed.standardOutput)")
            return
        }
        let before = try cli.snapshot()
        let refused = try cli.run("annotate", "add", "--doc", bobs, "--coder", "alice", "--layer", "note",
                                  "--start", "0", "--end", "4", "--allow-uncoded-layers")
        #expect(refused.status == 77)
        #expect(refused.hasOneErrorLine)
        #expect(refused.standardError.contains("coder alice is not assigned document \"\(bobs)\""))
        #expect(try cli.snapshot() == before)
        let importing = try cli.run("import", "annotations", TestPaths.fixtures.path + "/annotations")
        #expect(importing.status == 77 && importing.hasOneErrorLine
                && importing.standardError.contains("alice.jsonl:1:"))
        #expect(try cli.snapshot() == before)
        let allowed = try cli.run("annotate", "add", "--doc", bobs, "--coder", "alice", "--layer", "note",
                                  "--start", "0", "--end", "4", "--allow-uncoded-layers", "--allow-unassigned")
        #expect(allowed.status == 0, "\(allowed.standardError)")
    }

    @Test func readingAsACoderShowsOnlyTheirCodes() throws {
        let cli = try project(overlap: "1", coded: true)
        let mine = try cli.run("annotations", "list", "--as", "alice", "--format", "jsonl").standardOutput
            .split(separator: "\n")
        #expect(mine.count == 37)  // Fixtures/annotations/alice.jsonl has 37 lines
        #expect(mine.allSatisfy { $0.contains("\"coder\":\"alice\"") })
        let other = try cli.run("annotations", "list", "--as", "alice", "--coder", "bob")
        #expect(other.status == 77 && other.hasOneErrorLine)
        let export = try ProcessResult.run(TestPaths.glossExecutable,
                                           ["export", "jsonl", "--out", cli.folder.path("alice")],
                                           environment: ["GLOSS_DB": cli.database, "GLOSS_CODER": "alice"],
                                           currentDirectory: cli.folder.url)
        #expect(export.status == 0)
        let exported = try String(contentsOfFile: cli.folder.path("alice/annotations.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(exported.count == 37)
    }

    @Test func assignCodeAgreeAdjudicateReportAndExportGold() throws {
        let cli = try project(overlap: "1", coded: true)
        let status = try cli.run("status", "--format", "json")
        guard case .object(let root) = try JSONParser.parse(status.standardOutput),
              case .object(let totals)? = root["totals"] else {
            Issue.record("status: \(status.standardOutput)")
            return
        }
        #expect(totals["reliability_documents"] == .integer(8) && totals["in_progress"] == .integer(24))
        #expect(try cli.run("agree", "--layer", "statement", "--feature", "stance", "--unit", "paragraph").status == 0)
        let merged = try cli.run("adjudicate", "--layer", "statement", "--gold", "gold", "--strategy", "majority",
                                 "--format", "json")
        #expect(merged.status == 0, "\(merged.standardError)")
        // By hand (see AdjudicationTests): in steppe-2016-envoy-remarks majority merges alice's and chen's [302, 399).
        let gold = try cli.run("annotations", "list", "--coder", "gold", "--doc", "steppe-2016-envoy-remarks",
                               "--format", "jsonl")
        let lines = gold.standardOutput.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("\"start\":302,\"end\":399") == true)
        #expect(lines.first?.contains("\"target\":\"islamic_state\"") == true)
        #expect(lines.first?.contains("\"provenance\":{\"at\":") == true)
        // Against gold, with each distinct statement span a unit: alice and chen agree with gold on [302, 399), bob
        // does not (taliban.leadership); gold has no value on the other units, so each pair has one pairable unit.
        let against = try cli.run("agree", "--layer", "statement", "--feature", "target", "--unit", "layer:statement",
                                  "--docs", "steppe-2016-envoy-remarks", "--against", "gold",
                                  "--coefficient", "percent_agreement", "--format", "csv")
        #expect(against.status == 0, "\(against.standardError)")
        let rows = against.standardOutput.split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map { [$0[0], $0[4]] } == [["\"alice\"", "1.0"], ["\"bob\"", "0.0"], ["\"chen\"", "1.0"]])
        // Re-running changes nothing.
        let before = try cli.snapshot()
        #expect(try cli.run("adjudicate", "--layer", "statement", "--gold", "gold",
                            "--strategy", "majority").status == 0)
        #expect(try cli.snapshot() == before)
        let report = try cli.run("report", "--out", "report.html", "--bootstrap", "200")
        #expect(report.status == 0, "\(report.standardError)")
        let html = try String(contentsOfFile: cli.folder.path("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && !html.contains("<script") && html.contains("statement.stance"))
        #expect(!html.contains("http://") && !html.contains("https://"))
        let export = try cli.run("export", "tei", "--out", "tei")
        #expect(export.status == 0, "\(export.standardError)")
        let tei = try String(contentsOfFile: cli.folder.path("tei/steppe-2016-envoy-remarks.xml"), encoding: .utf8)
        #expect(tei.contains("gold"))
        // The TEI keeps each gold annotation's provenance: imported into a new project, the gold lines are the same.
        let copy = cli.folder.path("copy.sqlite")
        #expect(try cli.run("init", "--db", copy).status == 0)
        #expect(try cli.run("import", "tei", "tei", "--db", copy).status == 0)
        let restored = try cli.run("annotations", "list", "--coder", "gold", "--doc", "steppe-2016-envoy-remarks",
                                   "--format", "jsonl", "--db", copy)
        #expect(restored.standardOutput == gold.standardOutput)
    }

    /// The report in headless Chromium: no console message, no request outside the file, every chart drawn; writes a
    /// PNG and a PDF (`make report-check` does the same on the fixture project).
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
                   && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                   "Chromium is not installed; .ci/install-browser installs Debian's chromium and chromium-driver"))
    func theReportRendersInABrowser() throws {
        let cli = try project(overlap: "1", coded: true)
        #expect(try cli.run("adjudicate", "--layer", "statement", "--gold", "gold").status == 0)
        #expect(try cli.run("report", "--out", "report.html", "--bootstrap", "200").status == 0)
        let check = try ProcessResult.run(TestPaths.packageRoot.appendingPathComponent(".ci/check-report"),
                                          [cli.folder.path("report.html"), cli.folder.path("report")], environment: [:],
                                          currentDirectory: cli.folder.url)
        #expect(check.status == 0, "\(check.standardOutput)\n\(check.standardError)")
        #expect(check.standardOutput.contains("report-check: OK"))
        #expect(FileManager.default.fileExists(atPath: cli.folder.path("report.png")))
        #expect(FileManager.default.fileExists(atPath: cli.folder.path("report.pdf")))
    }
}
