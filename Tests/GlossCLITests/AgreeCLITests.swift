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

@Suite("The gloss agree command on spans")
struct AgreeSpansCLITests {
    @Test func unitizingAlphaOfPublishedSpans() throws {
        // Krippendorff (2004), figure 2, moved from [150, 450) to [0, 300): α_u does not change under translation.
        // Published: c 0.7286, k 1.0, overall 0.8591 (also DKPro and text-alpha).
        let spans = [(0, 225, 295, "c"), (0, 370, 400, "c"), (1, 220, 300, "c"), (1, 355, 375, "c"), (1, 400, 420, "c"),
                     (0, 180, 240, "k"), (0, 300, 350, "k"), (1, 180, 240, "k"), (1, 300, 350, "k")]
        let csv = "coder,start,end,label\n" + spans.map { "coder\($0.0),\($0.1 - 150),\($0.2 - 150),\($0.3)" }.joined(separator: "\n") + "\n"
        let cli = try CLI()
        let path = try cli.folder.write("spans.csv", csv)
        let result = try cli.run("agree", "--spans-data", path, "--length", "300", "--coefficient", "alpha_u", "--format", "json")
        #expect(result.status == 0)
        guard case .object(let root) = try JSONParser.parse(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)),
              case .array(let results) = root["results"] else { Issue.record("no results"); return }
        // Canonical JSON writes every value as a number ("1.0" included); the overall result has no category.
        let values = results.compactMap { item -> (String, Double)? in
            guard case .object(let object) = item, case .number(let value) = object["value"] ?? .null else { return nil }
            if case .string(let category) = object["category"] { return (category, value) }
            return ("overall", value)
        }
        let byCategory = Dictionary(values, uniquingKeysWith: { a, _ in a })
        #expect(abs((byCategory["c"] ?? 0) - 0.7286) < 0.0001)
        #expect(abs((byCategory["k"] ?? 0) - 1.0) < 0.0001)
        #expect(abs((byCategory["overall"] ?? 0) - 0.8591) < 0.0005)
    }

    @Test func matchingCountsTheUnmatchedAndGivesTheReasonOfAnUndefinedKappa() throws {
        let cli = try CLI()
        // a marks [0, 5) x and [10, 15) y; b marks [0, 5) x only. Exact matching: 1 match, a has 1 unmatched, b none;
        // precision (of b against a) 1/1, recall 1/2. κ on one matched pair with one category is undefined.
        let path = try cli.folder.write("spans.csv", "coder,start,end,label\na,0,5,x\na,10,15,y\nb,0,5,x\n")
        let result = try cli.run("agree", "--spans-data", path, "--length", "20", "--match", "exact", "--format", "json")
        #expect(result.status == 0, "\(result.standardError)")
        guard case .object(let root) = try JSONParser.parse(result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)),
              case .array(let items)? = root["matching"], case .object(let pair)? = items.first else { Issue.record("\(result.standardOutput)"); return }
        #expect(pair["matched"] == .integer(1) && pair["unmatched"] == .array([.integer(1), .integer(0)]))
        #expect(pair["precision"] == .number(1) && pair["recall"] == .number(0.5))
        #expect(pair["kappa_on_matches"] == .null)
        if case .string(let reason)? = pair["kappa_on_matches_reason"] { #expect(!reason.isEmpty) } else { Issue.record("no reason: \(pair)") }
    }
}

@Suite("The gloss agree command refuses what it would ignore")
struct AgreeRefusalTests {
    @Test func refusesMisleadingOptionCombinations() throws {
        let cli = try CLI()
        let data = try cli.folder.write("codes.csv", "unit,a,b\nu1,1,1\nu2,2,1\n")
        for arguments in [
            ["agree", "--data", data, "--coders", "a"], ["agree", "--data", data, "--coefficient", ""],
            ["agree", "--data", data, "--alpha-min", "nan"], ["agree", "--data", data, "--diagnostics", "--format", "csv"],
            ["agree", "--data", data, "--alpha-min", "0.8"], ["agree", "--data", data, "--coefficient", "fleiss_kappa", "--bootstrap", "1000"],
            ["agree", "--layer", "l", "--feature", "f", "--order", "a,b"], ["agree", "--layer", "l", "--feature", "f", "--coders", "a,a"],
            ["agree", "--layer", "l", "--match", "overlap=0.5"], ["agree", "--data", data, "--coefficient", "alpha_u"],
        ] {
            let result = try cli.run(contentsOf: arguments)
            #expect(result.status == 64, "\(arguments): \(result.standardError)")
            #expect(result.hasOneErrorLine, "\(arguments)")
        }
    }

    @Test func refusesAnUnknownCoderOrFeature() throws {
        let cli = try CLI()
        _ = try cli.run("init")
        try cli.folder.write("d.jsonl", #"{"id":"d","text":"one two three four"}"# + "\n")
        _ = try cli.run("import", "docs", cli.folder.path("d.jsonl"))
        let lines = [#"{"document":"d","coder":"a","layer":"l","start":0,"end":3,"features":{"f":"x"}}"#,
                     #"{"document":"d","coder":"b","layer":"l","start":0,"end":3,"features":{"f":"x"}}"#]
        _ = try cli.run("import", "annotations", try cli.folder.write("a.jsonl", lines.joined(separator: "\n")))
        let coder = try cli.run("agree", "--layer", "l", "--feature", "f", "--coders", "a, c")
        #expect(coder.status == 65 && coder.standardError.contains("coder \"c\" has no annotation of layer l"))
        let feature = try cli.run("agree", "--layer", "l", "--feature", "g")
        #expect(feature.status == 65 && feature.standardError.contains("has the feature g"))
        #expect(try cli.run("agree", "--layer", "l", "--feature", "f", "--coders", "a, b").status == 0)
    }
}

@Suite("The gloss agree command for gamma")
struct AgreeGammaCLITests {
    @Test func gammaOfThePygammaFixture() throws {
        // The pygamma/DKPro fixture moved from [1, 16) to [0, 15); its published γ is 0.8836 ± 0.1 (sampled).
        let cli = try CLI()
        let path = try cli.folder.write("g.csv", "coder,start,end,label\nAnn1,0,4,a\nAnn1,5,9,b\nAnn1,10,14,a\nAnn2,1,5,a\nAnn2,6,10,b\nAnn2,11,15,a\n")
        let result = try cli.run("agree", "--spans-data", path, "--length", "15", "--coefficient", "gamma", "--samples", "30", "--seed", "1", "--format", "csv")
        #expect(result.status == 0)
        let row = try #require(result.standardOutput.split(separator: "\n").last?.split(separator: ",", omittingEmptySubsequences: false))
        #expect(row.first == "gamma")
        let value = try #require(Double(String(row[3])))
        #expect(abs(value - 0.8836) <= 0.1)
    }
    @Test func gammaOfThreeCodersAndTheAlignmentOption() throws {
        let cli = try CLI()
        // The units of GammaManyCodersTests (pygamma-agreement's best-alignment disorder 1.1438059 there).
        let path = try cli.folder.write("g3.csv", """
            coder,start,end,label
            a,2,9,x\na,12,20,y\na,30,34,x\na,40,41,y
            b,3,9,x\nb,13,19,x\nb,31,36,x
            c,1,8,x\nc,12,21,y\nc,28,33,y\nc,45,50,x\nc,46,52,y

            """)
        let exact = try cli.run("agree", "--spans-data", path, "--length", "60", "--coefficient", "gamma", "--format", "csv")
        #expect(exact.status == 0)
        let row = try #require(exact.standardOutput.split(separator: "\n").last?.split(separator: ",", omittingEmptySubsequences: false))
        #expect(row.first == "gamma" && row[5] == "3")
        let value = try #require(Double(String(row[3])))
        #expect(value > 0 && value < 1)
        let refused = try cli.run("agree", "--spans-data", path, "--length", "60", "--coefficient", "gamma", "--alignment", "beam:0")
        #expect(refused.status == 64)
        #expect(refused.standardError.contains("--alignment is exact or beam:WIDTH"))
    }
}
