import Foundation
import GlossCore
import GlossInterchange
import GlossStore
import GlossTestSupport
import Testing

@Suite("UIMA CAS XMI")
struct UIMAXMITests {
    static let context = ChangeContext(actor: "tester", time: "2026-11-21T12:00:00.000Z", source: "test")

    static func importing(_ paths: [String], into store: SQLiteStore) throws -> InterchangeImporter.Report {
        let contents = try InterchangeFormat.uimaXMI.read(paths)
        return try InterchangeImporter(store: store, format: "uima-xmi", coder: "inception", context: context).importDocuments(contents.documents, vocabulary: contents.vocabulary)
    }

    @Test func importsEveryInteropFile() throws {
        let work = try TemporaryDirectory()
        var annotations: [Annotation] = []
        var spans = 0, relations = 0
        // Two of the files name their document "doc" with different texts: each goes into a project of its own.
        for name in ["cassis-inception-export-cas_with_smileys", "inception-curation-stackedrel1", "inception-emoji-testSentenceWithEmoji",
                     "inception-export-relation_test", "inception-slot-testSimpleSlotFeature"] {
            let store = try SQLiteStore(path: work.path("\(name).sqlite"), creating: true)
            let report = try Self.importing([TestPaths.resources.appendingPathComponent("interop/uima-xmi/\(name).xmi").path], into: store)
            #expect(report.documents == 1)
            spans += report.annotations
            relations += report.relations
            annotations += try store.read { try $0.annotations() }
        }
        // Named entities 5 + 4 stacked spans + 1 + 4 relation ends + 3 slot spans; 2 stacked relations, 1 relation, 2 slot links.
        #expect(spans == 17 && relations == 5)
        // INCEpTION counts UTF-16 units: "😊" is [10, 12) there and [10, 11) in code points.
        #expect(annotations.contains { $0.documentID == "doc" && $0.quote == "😊" && $0.span == (try? TextSpan(start: 10, end: 11)) })
        let relation = try #require(annotations.first { $0.layer == "uima-xmi_relation" && $0.quote == "Darmstadt" })
        #expect(relation.features["note"] == .string(#"value="located in""#))
        #expect(annotations.filter { $0.layer == "uima-xmi_relation" && $0.quote == "This" }.count == 2)
    }

    @Test func theTypeSystemBesideTheXMIIsRecognisedAndNoted() throws {
        let folder = TestPaths.resources.appendingPathComponent("interop/uima-xmi")
        let contents = try InterchangeFormat.uimaXMI.read([folder.appendingPathComponent("inception-export-relation_test.xmi").path,
                                                          folder.appendingPathComponent("inception-export-relation_test.TypeSystem.xml").path])
        #expect(contents.documents.map(\.id) == ["relation_test.txt"])
        #expect(contents.notCarried.contains { $0.contains("TypeSystem.xml: a UIMA type system") })
    }

    @Test func offsetsSurviveAstralCombiningAndArabicText() throws {
        // UTF-16: "😀" is [6, 8); "said cafe\u{301}" [9, 19); the Persian with ZWNJ [22, 31).
        let text = "Ahmad 😀 said cafe\u{301}: «نمی\u{200C}خواهم» end"
        let xmi = """
            <?xml version="1.0" encoding="UTF-8"?><xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore" xmlns:custom="http:///webanno/custom.ecore" xmi:version="2.0">
            <cas:NULL xmi:id="0"/>
            <custom:Span xmi:id="3" sofa="1" begin="6" end="8" value="emoji"/>
            <custom:Span xmi:id="4" sofa="1" begin="9" end="19" value="speech"/>
            <custom:Span xmi:id="5" sofa="1" begin="22" end="31" value="quote"/>
            <cas:Sofa xmi:id="1" sofaNum="1" sofaID="_InitialView" mimeType="text" sofaString="\(text)"/>
            </xmi:XMI>
            """
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        _ = try Self.importing([work.write("h.xmi", xmi)], into: store)
        #expect(try store.read { try $0.annotations().map(\.quote) } == ["😀", "said cafe\u{301}", "نمی\u{200C}خواهم"])
    }
}
