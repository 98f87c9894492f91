import Foundation
import GlossCore
import GlossInterchange
import GlossStore
import GlossTestSupport
import Testing

@Suite("WebAnno TSV")
struct WebAnnoTSVTests {
    static let context = ChangeContext(actor: "tester", time: "2026-11-21T12:00:00.000Z", source: "test")
    static func file(_ name: String) -> String { TestPaths.resources.appendingPathComponent("interop/webanno-tsv3/\(name).tsv").path }

    static func importing(_ paths: [String], into store: SQLiteStore) throws -> InterchangeImporter.Report {
        let contents = try InterchangeFormat.webannoTSV.read(paths)
        return try InterchangeImporter(store: store, format: "webanno-tsv", coder: "inception", context: context).importDocuments(contents.documents)
    }

    @Test func importsTheInteropFiles() throws {
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        let names = ["de-relationLabelTest-user1", "emoji-testSentenceWithEmoji", "escaping-testTokenBoundedSpanWithSpecialSymbolsValue", "example2",
                     "relation-disambig-testSingleStackedNonTokenRelationWithoutFeatureValue", "simpleSpanDiffWithLabelTest-user1",
                     "simpleSpanDiffWithLabelTest-user2", "slot-testSimpleSlotFeature", "stacked-testMultiTokenStackedSpanWithFeatureValue"]
        let report = try Self.importing(names.map(Self.file), into: store)
        #expect(report.documents == 9 && report.relations == 26 + 86 + 1 + 2)
        let documents = try InterchangeExporter(store: store, format: "webanno-tsv").documents()
        func document(_ name: String) throws -> InterchangeDocument { try #require(documents.first { $0.id == name }) }
        // INCEpTION counts UTF-16 units: "😊" is [10, 12) in the file and [10, 11) in code points.
        let emoji = try document("emoji-testSentenceWithEmoji")
        #expect(emoji.spans.map { [$0.start, $0.end] } == [[10, 11]] && emoji.spans[0].text == "😊")
        // Every escape of the file's value comes back.
        let escaped = try document("escaping-testTokenBoundedSpanWithSpecialSymbolsValue")
        #expect(escaped.spans.first?.attributes["value"] == .string("#*'\"`´\t:;{}|[ ]()\\§$%?=&_\n"))
        // Two stacked multi-token annotations over the whole sentence.
        let stacked = try document("stacked-testMultiTokenStackedSpanWithFeatureValue")
        #expect(stacked.spans.map { $0.attributes["value"] } == [.string("PERSON"), .string("LOCATION")] && stacked.spans.allSatisfy { $0.start == 0 && $0.end == 16 })
        // Sentences are placed at their first token: sentence 2 of example2 starts at 25, after a line break at 24.
        let example = try document("example2")
        #expect(Array(example.text.unicodeScalars)[24] == "\n" && example.text.hasPrefix("Ms. Haag plays Elianti .\nRolls-Royce"))
        // "Haag" (1-2) depends on "plays" (1-3) as SBJ.
        let sbj = try #require(example.relations.first { $0.note == "DependencyType=SBJ" })
        let from = try #require(example.spans.first { $0.key == sbj.from }), to = try #require(example.spans.first { $0.key == sbj.to })
        #expect(from.text == "plays" && to.text == "Haag")
    }

    /// Two identical stacked spans on "This" and two on ".", and a relation from the third to the first: all four
    /// are kept (the later copy of each pair numbered in `_copy`), the relation keeps its ends, a second import
    /// changes nothing, and the export writes them back stacked as INCEpTION wrote them.
    @Test func identicalStackedSpansStayApart() throws {
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        let name = "relation-disambig-testSingleStackedNonTokenRelationWithoutFeatureValue"
        let first = try Self.importing([Self.file(name)], into: store)
        #expect(first.annotations == 4 && first.relations == 1)
        let again = try Self.importing([Self.file(name)], into: store)
        #expect(again.annotations == 0 && again.relations == 0)
        let document = try #require(try InterchangeExporter(store: store, format: "webanno-tsv").documents().first)
        #expect(document.spans.allSatisfy { $0.attributes.isEmpty })
        let exported = try WebAnnoTSVFormat.export(document)
        #expect(exported.contains("1-1\t0-4\tThis\t*[1]|*[2]\t") && exported.contains("1-5\t15-16\t.\t*[3]|*[4]\t1-1[1_3]\t"), "\(exported)")
    }

    @Test func chainsComeBackAsINCEpTIONWroteThem() throws {
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        let report = try Self.importing([Self.file("chain-testSimpleChain")], into: store)
        // Chain 1 links "This", "is" and "a" (links 1-1, 1-2, 1-3): three spans, two "next" relations.
        #expect(report.annotations == 3 && report.relations == 2)
        let document = try #require(try InterchangeExporter(store: store, format: "webanno-tsv").documents().first)
        let original = try String(contentsOfFile: Self.file("chain-testSimpleChain"), encoding: .utf8)
        #expect(try WebAnnoTSVFormat.export(document) == original)
    }

    @Test func exportImportExportIsExact() throws {
        let work = try TemporaryDirectory()
        let first = try SQLiteStore(path: work.path("first.sqlite"), creating: true)
        let names = ["chain-testSimpleChain", "de-relationLabelTest-user1", "emoji-testSentenceWithEmoji", "escaping-testTokenBoundedSpanWithSpecialSymbolsValue",
                     "example2", "relation-disambig-testSingleStackedNonTokenRelationWithoutFeatureValue", "slot-testSimpleSlotFeature",
                     "stacked-testMultiTokenStackedSpanWithFeatureValue"]
        _ = try Self.importing(names.map(Self.file), into: first)
        let exported = try InterchangeExporter(store: first, format: "webanno-tsv").documents().map { ($0.id, try WebAnnoTSVFormat.export($0)) }
        // The stacked multi-token annotations come out as INCEpTION wrote them.
        let stacked = try #require(exported.first { $0.0 == "stacked-testMultiTokenStackedSpanWithFeatureValue" }?.1)
        #expect(stacked.contains("1-1\t0-4\tThis\tPERSON[1]|LOCATION[2]\t\n") && stacked.contains("1-5\t15-16\t.\tPERSON[1]|LOCATION[2]\t\n"))
        let second = try SQLiteStore(path: work.path("second.sqlite"), creating: true)
        _ = try Self.importing(try exported.map { try work.write($0.0 + ".tsv", $0.1) }, into: second)
        let again = try InterchangeExporter(store: second, format: "webanno-tsv").documents().map { ($0.id, try WebAnnoTSVFormat.export($0)) }
        #expect(again.map(\.0) == exported.map(\.0))
        #expect(again.map(\.1) == exported.map(\.1))
    }

    @Test func escapesComeBackExactly() throws {
        // "\\*" is the value "*" (not "no value"); the #Text line escapes its backslash; a combining mark after "|"
        // does not hide the separator.
        let tsv = """
            #FORMAT=WebAnno TSV 3.3
            #T_SP=webanno.custom.Span|value


            #Text=a\\\\b c
            1-1\t0-3\ta\\b\t\\*\t
            1-2\t4-5\tc\tx|\u{301}y\t

            """
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        _ = try Self.importing([work.write("e.tsv", tsv)], into: store)
        let document = try #require(try InterchangeExporter(store: store, format: "webanno-tsv").documents().first)
        #expect(document.text == "a\\b c")
        #expect(document.spans.map { $0.attributes["value"] } == [.string("*"), .string("x"), .string("\u{301}y")])
        let exported = try WebAnnoTSVFormat.export(document)
        #expect(exported.contains("#Text=a\\\\b c\n") && exported.contains("\ta\\b\t\\*\t\n"))
    }

    @Test func offsetsSurviveAstralCombiningAndArabicText() throws {
        // UTF-16: "😀" [6, 8), "cafe\u{301}" [14, 19), ":" [20, 21), "«" [22, 23), the Persian with ZWNJ [23, 32).
        let text = "Ahmad 😀 said cafe\u{301} : «نمی\u{200C}خواهم»"
        let tsv = """
            #FORMAT=WebAnno TSV 3.3
            #T_SP=webanno.custom.Span|value


            #Text=\(text)
            1-1\t0-5\tAhmad\t_\t
            1-2\t6-8\t😀\tEMOJI\t
            1-3\t9-13\tsaid\t_\t
            1-4\t14-19\tcafe\u{301}\tWORD\t
            1-5\t20-21\t:\t_\t
            1-6\t22-23\t«\t_\t
            1-7\t23-32\tنمی\u{200C}خواهم\tQUOTE\t
            1-8\t32-33\t»\t_\t

            """
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        _ = try Self.importing([work.write("h.tsv", tsv)], into: store)
        #expect(try store.read { try $0.annotations().map(\.quote) } == ["😀", "cafe\u{301}", "نمی\u{200C}خواهم"])
        // A token the offsets do not cover is refused with its line.
        let shifted = try work.write("shifted.tsv", tsv.replacingOccurrences(of: "1-3\t9-13\tsaid", with: "1-3\t8-12\tsaid"))
        #expect { try Self.importing([shifted], into: store) } throws: { error in
            (error as? GlossError)?.location == SourceLocation(file: shifted, line: 8) && ((error as? GlossError)?.message ?? "").contains("token 1-3")
        }
        let exported = try WebAnnoTSVFormat.export(try #require(try InterchangeExporter(store: store, format: "webanno-tsv").documents().first))
        #expect(exported.contains("1-2\t6-8\t😀\tEMOJI\t\n") && exported.contains("\t23-32\tنمی\u{200C}خواهم\tQUOTE\t\n"))
    }
}

/// The layout INCEpTION's own files have, which its reader (`Tsv3XDeserializer`) expects: Gloss's export of each
/// file from INCEpTION's test resources is that file, byte for byte, for the files whose annotations Gloss writes
/// back as they were (one sentence each; the multi-sentence example2 is checked for layout). The emoji file is not
/// among them: its feature `value` has no value anywhere, and the export does not declare a feature it never saw.
@Suite("WebAnno TSV layout")
struct WebAnnoTSVLayoutTests {
    @Test(arguments: ["escaping-testTokenBoundedSpanWithSpecialSymbolsValue",
                      "stacked-testMultiTokenStackedSpanWithFeatureValue", "chain-testSimpleChain"])
    func theExportIsINCEpTIONsFile(name: String) throws {
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        _ = try WebAnnoTSVTests.importing([WebAnnoTSVTests.file(name)], into: store)
        let document = try #require(try InterchangeExporter(store: store, format: "webanno-tsv").documents().first)
        let original = try String(contentsOfFile: WebAnnoTSVTests.file(name), encoding: .utf8)
        #expect(try WebAnnoTSVFormat.export(document) == original)
    }

    @Test func sentencesAreSeparatedAsINCEpTIONSeparatesThem() throws {
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        _ = try WebAnnoTSVTests.importing([WebAnnoTSVTests.file("example2")], into: store)
        let document = try #require(try InterchangeExporter(store: store, format: "webanno-tsv").documents().first)
        let lines = try WebAnnoTSVFormat.export(document).split(separator: "\n", omittingEmptySubsequences: false)
        let original = try String(contentsOfFile: WebAnnoTSVTests.file("example2"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        // Empty lines at the same places as in INCEpTION's file (after the header and before every later sentence),
        // and the file ends with one line feed: the last element after splitting is the empty rest.
        func blanks(_ lines: [Substring]) -> [Int] { lines.indices.filter { lines[$0].isEmpty } }
        #expect(blanks(lines) == blanks(original))
        #expect(lines.last == "" && lines.dropLast().last?.isEmpty == false)
    }
}
