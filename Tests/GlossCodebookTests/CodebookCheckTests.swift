import Foundation
import GlossCodebook
import GlossCore
import GlossTestSupport
import Testing

@Suite("Checking codebooks")
struct CodebookCheckTests {
    static let broken = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Broken")

    static func problems(in name: String) throws -> [(Int, Int, String)] {
        let path = broken.appendingPathComponent(name).path
        let source = try String(contentsOfFile: path, encoding: .utf8)
        do {
            _ = try Codebook.parse(source, file: path)
            return []
        } catch {
            #expect(error.problems.allSatisfy { $0.location.file == path })
            return error.problems.map { ($0.location.line ?? 0, $0.location.column ?? 0, $0.message) }
        }
    }

    /// Expected problems, located by hand: line and column (1-based, code points) of the offending
    /// key or value, or of the start of the layer or feature item (the column of its first key).
    @Test func reportsEveryStructuralProblemWithItsLocation() throws {
        let expected: [(Int, Int, String)] = [
            (2, 10, "version must be a whole number"),
            (4, 1, "unknown key 'colour' in the codebook"),
            (6, 5, "refers to layer 'quote', which this codebook does not define"),
            (7, 12, "scope is 'paragraph'; use span or document"),
            (9, 17, "min_length (10) is greater than max_length (5)"),
            (13, 16, "the codes of feature stance has no codes"),
            (16, 9, "feature 'speaker' is defined twice in layer 'statement'"),
            (18, 9, "'min' does not apply to feature 'speaker', which is boolean"),
            (22, 5, "layer 'statement' is defined twice"),
        ]
        try Self.expect(Self.problems(in: "structure.yaml"), expected)
    }

    @Test func reportsEveryBrokenReferenceWithItsLocation() throws {
        let expected: [(Int, Int, String)] = [
            (8, 11, "code 'russia' appears twice in this code tree"),
            (23, 16, "uses code list 'actor_list', which code_lists does not define; code lists: actors"),
            (27, 11, "ordinal feature 'level' needs a flat list of codes"),
            (33, 15, "money is not a code of kind; codes: arms"),
            (34, 25, "require names 'beneficiary', which is not a feature of layer 'allegation'"),
            (35, 16, "kind is a category feature: its codes have no order"),
            (36, 9, "a rule needs exactly one of require, forbid or check"),
            // "level >= 'high' and" is 19 code points from column 15: the expression ends at column 34.
            (37, 34, "in the expression: expected a feature or a value, found end of expression"),
            (39, 1, "version 1 has no previous version to migrate from"),
            (42, 14, "'arms' is still a code of kind in this version"),
            (42, 20, "'weapons' is not a code of kind in this version"),
        ]
        try Self.expect(Self.problems(in: "references.yaml"), expected)
    }

    static func expect(_ found: [(Int, Int, String)], _ expected: [(Int, Int, String)]) {
        #expect(found.count == expected.count, "found: \(found)")
        for (problem, wanted) in zip(found, expected) {
            #expect(problem.0 == wanted.0 && problem.1 == wanted.1, "\(problem) should be at \(wanted.0):\(wanted.1)")
            #expect(problem.2.contains(wanted.2), "\(problem.2) should say \(wanted.2)")
        }
    }

    @Test func acceptsTheShippedCodebooks() throws {
        for name in ["russia-taliban-coverage.yaml", "example-minimal.yaml"] {
            let path = TestPaths.packageRoot.appendingPathComponent("Codebooks").appendingPathComponent(name).path
            let codebook = try Codebook.parse(String(contentsOfFile: path, encoding: .utf8), file: path)
            #expect(!codebook.layers.isEmpty)
        }
        let path = TestPaths.packageRoot.appendingPathComponent("Codebooks/russia-taliban-coverage.yaml").path
        let codebook = try Codebook.parse(String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(codebook.layers.map(\.id) == ["statement", "allegation", "actor", "document"])
        let actors = try #require(codebook.layer("actor")?.feature("actor")?.codes)
        #expect(actors.code("russia")?.isCodable == false)
        #expect(actors.code("russia.envoy", isUnder: "russia"))
    }

    @Test func resolvesAliasesButRefusesExponentialExpansion() throws {
        let aliased = try Codebook.parse("id: a\nversion: 1\ntitle: &t Shared\nlayers:\n  - id: l\n    label: *t\n", file: "f.yaml")
        #expect(aliased.layers.first?.label == "Shared")
        // Nine levels of ten aliases each would expand to 10^9 values.
        var laughs = "id: a\nversion: 1\ntitle: t\nlayers: []\nx0: &l0 [lol]\n"
        for level in 1...9 { laughs += "x\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ",") + "]\n" }
        #expect { try Codebook.parse(laughs, file: "laughs.yaml") } throws: { error in
            (error as? CodebookError)?.problems.first?.message.contains("expands to more than") == true
        }
    }

    @Test func reportsYAMLSyntaxErrorsWithTheirLocation() {
        #expect { try Codebook.parse("id: a\nversion: [1\n", file: "f.yaml") } throws: { error in
            (error as? CodebookError)?.problems.first.map { $0.message.contains("invalid YAML") && $0.location.line != nil } == true
        }
    }

    @Test func findsSentenceBoundariesButNotAfterInitialsOrAbbreviations() throws {
        // Sentence starts (code points): "The U.S. Army denied it." 0, "Gen. Hadley spoke." 25, "Kabul said no." 44,
        // "Moscow said yes." 59; the initialism "U.S." and "Gen." end no sentence. (Counted with Python.)
        let text = "The U.S. Army denied it. Gen. Hadley spoke. Kabul said no. Moscow said yes."
        #expect(TextBoundaries(text).sentences == [25, 44, 59])
        // Paragraphs: the blank line (CR LF, spaces, CR LF) is a boundary; a single line break is not.
        let paragraphs = "First line\r\nsame paragraph.\r\n  \r\nSecond paragraph."
        #expect(TextBoundaries(paragraphs).paragraphs == [33])
    }

    @Test(arguments: [
        ("id: a\nversion: 2000000\ntitle: t\nlayers:\n  - id: l\n", 2, "version must be 1000000 or less"),
        ("id: a\nversion: !!str 1\ntitle: t\nlayers:\n  - id: l\n", 2, "version must be a whole number"),
        ("id: a\nversion: 1\ntitle: \"\"\nlayers:\n  - id: l\n", 3, "title is empty"),
        ("id: a\nversion: 1\ntitle: \"bell\\a\"\nlayers:\n  - id: l\n", 3, "control character U+7"),
        ("id: a\nversion: 1\ntitle: t\nlayers:\n  - id: l\n    features:\n      - {id: f, type: boolean}\n    rules:\n      - require: []\n", 9, "require names no feature"),
        ("id: a\nversion: 1\ntitle: t\u{1}x\nlayers: []\n", 3, "invalid YAML"),
    ])
    func refusesWhatTheReviewFound(yaml: String, line: Int, message: String) {
        #expect { try Codebook.parse(yaml, file: "f.yaml") } throws: { error in
            guard let problems = (error as? CodebookError)?.problems else { return false }
            return problems.contains { $0.location.line == line && $0.message.contains(message) }
        }
    }
}
