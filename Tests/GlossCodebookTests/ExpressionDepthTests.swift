import GlossCodebook
import GlossCore
import Testing

/// Rules and code trees built to exhaust the call stack: each is refused with a located problem, or accepted and
/// evaluated, but never crashes the process.
@Suite("Expression and code tree limits")
struct ExpressionDepthTests {
    /// The column (1-based) where the rule's expression starts in `codebook(rule:)`: after "      - when: ".
    static let expressionColumn = 15
    /// The line of the rule's `when:` in `codebook(rule:)`.
    static let ruleLine = 11

    /// A codebook whose one layer has integer features `n` and `m`, a boolean `flag`, and one rule that forbids
    /// `flag` when `condition` holds.
    static func codebook(rule condition: String) -> String {
        """
        id: limits
        version: 1
        title: Limits
        layers:
          - id: l
            features:
              - {id: n, type: integer}
              - {id: m, type: integer}
              - {id: flag, type: boolean}
            rules:
              - when: \(condition)
                id: r
                forbid: [flag]
        """
    }

    /// The problems of `yaml`, or nil when it parses.
    static func problems(_ yaml: String) -> [CodebookProblem]? {
        do {
            _ = try Codebook.parse(yaml, file: "limits.yaml")
            return nil
        } catch {
            return error.problems
        }
    }

    /// Whether the rule forbids `flag` on an annotation with these features.
    static func ruleFires(_ codebook: Codebook, _ values: [String: JSONValue]) throws -> Bool {
        let layer = try #require(codebook.layer("l"))
        let span = try TextSpan(start: 0, end: 1)
        var features = values
        features["flag"] = .bool(true)
        return !layer.violations(span: span, features: features, textLength: 10, boundaries: nil).isEmpty
    }

    @Test func theRuleSitsWhereTheLocationsAssume() throws {
        let yaml = Self.codebook(rule: "n == 1 and")
        let problem = try #require(Self.problems(yaml)?.first)
        // "n == 1 and" ends 10 code points after the start of the expression.
        #expect(problem.location.line == Self.ruleLine && problem.location.column == Self.expressionColumn + 10)
    }

    @Test func thirtyThousandOrTermsAreRefusedNamingTheLimit() throws {
        let terms = (1...30_000).map { "n == \($0)" }
        let problems = try #require(Self.problems(Self.codebook(rule: terms.joined(separator: " or "))))
        #expect(problems.count == 1)
        let problem = try #require(problems.first)
        #expect(problem.message.contains("more than 10000 terms"), "\(problem.message)")
        // The 10,001st term starts after 10,000 terms and their " or ".
        let offset = terms.prefix(10_000).map { $0.count + 4 }.reduce(0, +)
        #expect(problem.location.line == Self.ruleLine && problem.location.column == Self.expressionColumn + offset)
    }

    @Test func aListCountsItsValuesAsTerms() throws {
        let values = (1...10_001).map(String.init).joined(separator: ", ")
        let problem = try #require(Self.problems(Self.codebook(rule: "n in [\(values)]"))?.first)
        #expect(problem.message.contains("more than 10000 terms"))
    }

    @Test func fiveThousandOrTermsAreAcceptedAndEvaluated() throws {
        let condition = (1...5_000).map { "n == \($0)" }.joined(separator: " or ")
        let codebook = try Codebook.parse(Self.codebook(rule: condition), file: "limits.yaml")
        #expect(try Self.ruleFires(codebook, ["n": .integer(4_999)]))
        #expect(try Self.ruleFires(codebook, ["n": .integer(1)]))
        #expect(try !Self.ruleFires(codebook, ["n": .integer(5_001)]))
        #expect(try !Self.ruleFires(codebook, [:]))  // a test on a feature that is not set is false
    }

    @Test func fiveThousandAndTermsAreAcceptedAndEvaluated() throws {
        let condition = (1...5_000).map { "n >= \($0)" }.joined(separator: " and ")
        let codebook = try Codebook.parse(Self.codebook(rule: condition), file: "limits.yaml")
        #expect(try Self.ruleFires(codebook, ["n": .integer(5_000)]))
        #expect(try !Self.ruleFires(codebook, ["n": .integer(4_999)]))
        #expect(try !Self.ruleFires(codebook, [:]))
    }

    @Test(arguments: [
        // The condition, the values of n and m (nil: not set), and whether the rule fires.
        ("n == 1 or m == 2", 1, nil, true), ("n == 1 or m == 2", nil, 2, true),
        ("n == 1 or m == 2", 3, nil, false), ("n == 1 or m == 2", nil, nil, false),
        ("n == 1 and m == 2", 1, 2, true), ("n == 1 and m == 2", 1, nil, false),
        ("n == 1 and m == 2 or n == 5", 5, nil, true), ("n == 1 and (m == 2 or n == 5)", 5, nil, false),
        ("not (n == 1 or m == 2) and m is not set", 3, nil, true),
        ("n is set and not m is set or m == 2", nil, 2, true),
    ] as [(String, Int?, Int?, Bool)])
    func andBindsTighterThanOrAndMissingFeaturesAreFalse(condition: String, n: Int?, m: Int?, fires: Bool) throws {
        let codebook = try Codebook.parse(Self.codebook(rule: condition), file: "limits.yaml")
        var values: [String: JSONValue] = [:]
        if let n { values["n"] = .integer(n) }
        if let m { values["m"] = .integer(m) }
        #expect(try Self.ruleFires(codebook, values) == fires)
    }

    @Test func thirtyThousandNotsAreRefusedWithALocation() throws {
        let condition = String(repeating: "not ", count: 30_000) + "n == 1"
        let problems = try #require(Self.problems(Self.codebook(rule: condition)))
        #expect(problems.count == 1)
        let problem = try #require(problems.first)
        #expect(problem.message.contains("nests more than 100 levels of 'not' and parentheses"), "\(problem.message)")
        // The 101st 'not' starts 400 code points into the expression.
        #expect(problem.location.line == Self.ruleLine && problem.location.column == Self.expressionColumn + 400)
    }

    @Test func aHundredThousandParenthesesAreRefused() throws {
        let condition = String(repeating: "(", count: 100_000) + "n == 1" + String(repeating: ")", count: 100_000)
        let problem = try #require(Self.problems(Self.codebook(rule: condition))?.first)
        #expect(problem.message.contains("nests more than 100 levels"))
        #expect(problem.location.line == Self.ruleLine && problem.location.column == Self.expressionColumn + 100)
    }

    @Test(arguments: ["not", "parentheses", "both"])
    func nestingOfAHundredLevelsIsAcceptedAndOfAHundredAndOneRefused(kind: String) throws {
        func condition(levels: Int) -> String {
            switch kind {
            case "not":
                return String(repeating: "not ", count: levels) + "n == 1"
            case "parentheses":
                return String(repeating: "(", count: levels) + "n == 1" + String(repeating: ")", count: levels)
            default:  // "not (" pairs, and one more 'not' for an odd number of levels
                let pairs = levels / 2
                return (levels % 2 == 1 ? "not " : "") + String(repeating: "not (", count: pairs) + "n == 1"
                    + String(repeating: ")", count: pairs)
            }
        }
        // 100 levels: an even number of 'not's, so the rule fires exactly when n == 1.
        let codebook = try Codebook.parse(Self.codebook(rule: condition(levels: 100)), file: "limits.yaml")
        #expect(try Self.ruleFires(codebook, ["n": .integer(1)]))
        #expect(try !Self.ruleFires(codebook, ["n": .integer(2)]))
        let problem = try #require(Self.problems(Self.codebook(rule: condition(levels: 101)))?.first)
        #expect(problem.message.contains("nests more than 100 levels"), "\(problem.message)")
        #expect(problem.location.line == Self.ruleLine && problem.location.column != nil)
    }

    /// A codebook whose feature `c` has one chain of `depth` nested codes, `c1` outermost, and the line of `c<n>`.
    static func codeChain(depth: Int) -> (yaml: String, lineOfCode: (Int) -> Int) {
        var lines = ["id: deep", "version: 1", "title: Deep", "layers:", "  - id: l", "    features:",
                     "      - id: c", "        type: category", "        codes:"]
        let first = lines.count + 1
        for level in 1...depth {
            let indent = String(repeating: " ", count: 8 + 4 * (level - 1))
            lines += ["\(indent)  - id: c\(level)", "\(indent)    label: Code \(level)"]
            if level < depth { lines.append("\(indent)    codes:") }
        }
        return (lines.joined(separator: "\n") + "\n", { first + 3 * ($0 - 1) })
    }

    @Test func aCodeTreeOf64LevelsIsAcceptedAndOf65Refused() throws {
        let accepted = try Codebook.parse(Self.codeChain(depth: 64).yaml, file: "deep.yaml")
        let tree = try #require(accepted.layer("l")?.feature("c")?.codes)
        #expect(tree.flattened.count == 64 && tree.code("c64", isUnder: "c1"))
        #expect(CodeTree.maximumCodeDepth == 64)

        let (yaml, lineOfCode) = Self.codeChain(depth: 65)
        let problems = try #require(Self.problems(yaml))
        #expect(problems.count == 1)
        let problem = try #require(problems.first)
        #expect(problem.message.contains("nested 65 levels deep; a code tree may have at most 64 levels"),
                "\(problem.message)")
        // At the code's mapping: its first key, `id`, after 8 + 4 · 64 + 2 spaces and "- ".
        #expect(problem.location.line == lineOfCode(65) && problem.location.column == 8 + 4 * 64 + 5, "\(problem)")
    }

    @Test func aDeepCodeTreeIsReportedOnceNotPerCode() throws {
        // 300 codes nest 600 YAML collections; the YAML reader itself stops at 1000.
        let problems = try #require(Self.problems(Self.codeChain(depth: 300).yaml))
        #expect(problems.count == 1 && problems.first?.message.contains("nested 65 levels deep") == true, "\(problems)")
    }
}
