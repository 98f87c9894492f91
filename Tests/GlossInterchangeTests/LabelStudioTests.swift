import Foundation
import GlossCore
import GlossIO
import GlossInterchange
import GlossStore
import GlossTestSupport
import Testing

@Suite("Label Studio")
struct LabelStudioTests {
    static let context = ChangeContext(actor: "tester", time: "2026-11-21T12:00:00.000Z", source: "test")
    static func file(_ name: String) -> String { TestPaths.resources.appendingPathComponent("interop/label-studio/\(name)").path }

    static func importing(_ paths: [String], into store: SQLiteStore) throws -> InterchangeImporter.Report {
        let documents = try paths.flatMap { try LabelStudioFormat.read(try InputFile(path: $0)) }
        return try InterchangeImporter(store: store, format: "label-studio", coder: "label-studio", context: context).importDocuments(documents)
    }

    @Test func importsTheTextExportsAndRefusesTheRestWithTheirReasons() throws {
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        let report = try Self.importing([Self.file("named_entity.annotation.json"), Self.file("sdk-export-text-choices-history.json")], into: store)
        #expect(report.documents == 2 && report.annotations == 2)
        let annotations = try store.read { try $0.annotations() }
        // Label Studio recorded "February 22" at [343, 354); the annotator of the SDK export is named by e-mail.
        let expected = try TextSpan(start: 343, end: 354)
        #expect(annotations[0].quote == "February 22" && annotations[0].span == expected && annotations[0].coder == "annotation-1001")
        #expect(annotations[1].coder == "sergei@heartex.test" && annotations[1].features["label"] == .array([.string("positive")]))
        for (name, reason) in [("html_document-xpath.annotation.json", "XPath"), ("phrases-paragraphlabels.annotation.json", "dialogue"),
                               ("rich_text_plain.annotation.json", "does not match")] {
            #expect(throws: GlossError.self, "\(name)") {
                do { _ = try Self.importing([Self.file(name)], into: store) } catch let error as GlossError {
                    #expect(error.message.contains(reason), "\(name): \(error.message)")
                    throw error
                }
            }
        }
    }

    @Test func labelingConfigsDeclareTheLabels() throws {
        // The labels as the two config files list them.
        #expect(try LabelStudioFormat.vocabulary(config: try InputFile(path: Self.file("named_entity.config.xml"))).labels
                == ["Person", "Organization", "Fact", "Money", "Date", "Time", "Ordinal", "Percent", "Product", "Language", "Location"])
        #expect(try LabelStudioFormat.vocabulary(config: try InputFile(path: Self.file("rich_text_plain.config.xml"))).labels == ["PER", "ORG", "LOC", "MISC"])
        let work = try TemporaryDirectory()
        let config = try work.write("c.xml", """
            <View><Text name="text" value="$text"/><Labels name="l" toName="text"><Label value="A"/></Labels>
            <Choices name="tone" toName="text"><Choice value="hostile"/><Choice value="neutral"/></Choices>
            <Choices name="certainty" toName="text" perRegion="true"><Choice value="sure"/></Choices>
            <Relations><Relation value="cites"/></Relations></View>
            """)
        let vocabulary = try LabelStudioFormat.vocabulary(config: try InputFile(path: config))
        #expect(vocabulary.labels == ["A"] && vocabulary.categories == ["hostile", "neutral"] && vocabulary.relationTypes == ["cites"])
        #expect(vocabulary.attributes.map(\.name) == ["certainty"] && vocabulary.attributes.first?.values == ["sure"])
        // Given with the export, the config's labels go into the draft codebook, used or not.
        let contents = try InterchangeFormat.labelStudio.read([Self.file("named_entity.annotation.json"), Self.file("named_entity.config.xml")])
        let draft = try InterchangeImporter.draftCodebook(format: "label-studio", documents: contents.documents, vocabulary: contents.vocabulary)
        #expect(draft.contains("label: \"Organization\"") && draft.contains("label: \"Language\""))
        #expect { try LabelStudioFormat.vocabulary(config: try InputFile(path: try work.write("x.xml", "<Project/>"))) } throws: {
            ($0 as? GlossError)?.message.contains("not a Label Studio labeling config") == true
        }
    }

    @Test func exportImportExportIsExactWithOffsetHazardsAndRelations() throws {
        // Code points: "😀" [6, 7), "said cafe\u{301}" [8, 18), the Persian with ZWNJ [21, 30).
        let text = "Ahmad 😀 said cafe\u{301}: «نمی\u{200C}خواهم» end"
        let task = JSONValue.object(["id": .integer(7), "data": .object(["text": .string(text)]), "annotations": .array([
            .object(["id": .integer(1), "completed_by": .object(["id": .integer(3), "email": .string("ana@example.org")]), "result": .array([
                .object(["id": .string("a"), "type": .string("labels"), "value": .object(["start": .integer(6), "end": .integer(7), "labels": .array([.string("Emoji")]), "text": .string("😀")])]),
                .object(["id": .string("b"), "type": .string("labels"), "value": .object(["start": .integer(21), "end": .integer(30), "labels": .array([.string("Quote")])])]),
                .object(["type": .string("relation"), "from_id": .string("a"), "to_id": .string("b"), "labels": .array([.string("precedes")])]),
                .object(["type": .string("choices"), "value": .object(["choices": .array([.string("Mixed")])])]),
            ])]),
            .object(["id": .integer(2), "completed_by": .integer(9), "result": .array([
                .object(["id": .string("c"), "type": .string("labels"), "value": .object(["start": .integer(8), "end": .integer(18), "labels": .array([.string("Speech")])])]),
            ])]),
        ])])
        let work = try TemporaryDirectory()
        let first = try SQLiteStore(path: work.path("first.sqlite"), creating: true)
        _ = try Self.importing([work.write("task.json", task.canonicalJSON)], into: first)
        let quotes = try first.read { try $0.annotations(matching: AnnotationFilter(layer: "label-studio")).map { "\($0.coder): \($0.quote)" } }
        #expect(quotes == ["ana@example.org: 😀", "ana@example.org: نمی\u{200C}خواهم", "user-9: said cafe\u{301}"])
        let exported = LabelStudioFormat.export(try InterchangeExporter(store: first, format: "label-studio").documents())
        #expect(exported.contains(#""end":30,"labels":["Quote"],"start":21"#))
        let second = try SQLiteStore(path: work.path("second.sqlite"), creating: true)
        _ = try Self.importing([work.write("exported.json", exported)], into: second)
        #expect(LabelStudioFormat.export(try InterchangeExporter(store: second, format: "label-studio").documents()) == exported)
    }
}

/// A span's other features travel with its region, and the generated labeling config declares every result, as
/// Label Studio requires of an import (each result's from_name a control of the config, each choice one of its values).
@Suite("Label Studio features and config")
struct LabelStudioFeatureTests {
    @Test func featuresGoWithTheirRegionsAndComeBack() throws {
        // Code points: "😀" is [6, 7), "cafe\u{301}" [13, 18), the Persian with ZWNJ [21, 30).
        let text = "Ahmad 😀 said cafe\u{301}: «نمی\u{200C}خواهم» end"
        var document = InterchangeDocument(id: "d", text: text, location: SourceLocation(file: "test"))
        document.spans = [
            InterchangeSpan(key: "a", label: "critical", start: 13, end: 18, coder: "alice",
                            attributes: ["speaker": .string("iran"), "note": .string("sarcastic, twice")]),
            InterchangeSpan(key: "b", label: "neutral", start: 21, end: 30, coder: "alice",
                            attributes: ["speaker": .string("other")]),
        ]
        let choices = ["speaker": ["iran", "other", "media"]]
        let exported = LabelStudioFormat.export([document], choices: choices)
        let config = try LabelStudioFormat.configuration(for: [document], labels: ["critical", "neutral", "supportive"],
                                                     choices: choices)
        #expect(config.contains("<Choices name=\"speaker\" toName=\"text\" perRegion=\"true\">"))
        #expect(config.contains("<Choice value=\"media\"/>") && config.contains("<Label value=\"supportive\"/>"))
        #expect(config.contains("<TextArea name=\"note\" toName=\"text\" perRegion=\"true\"/>"))
        guard case .array(let tasks) = try JSONParser.parse(exported), case .object(let task)? = tasks.first,
              case .array(let annotations)? = task["annotations"], case .object(let annotation)? = annotations.first,
              case .array(let results)? = annotation["result"] else {
            Issue.record("no results in \(exported)")
            return
        }
        // Every result names a control the config declares.
        for case .object(let result) in results {
            guard case .string(let name)? = result["from_name"] else { continue }
            #expect(config.contains("name=\"\(name)\""), "\(name)")
        }
        // Read back: the same spans, with their features.
        let work = try TemporaryDirectory()
        let read = try LabelStudioFormat.read(try InputFile(path: try work.write("t.json", exported)))
        let spans = try #require(read.first).spans.sorted { $0.start < $1.start }
        #expect(spans.map { [$0.start, $0.end] } == [[13, 18], [21, 30]])
        #expect(spans.map { $0.attributes["speaker"] } == [JSONValue.string("iran"), JSONValue.string("other")])
        #expect(spans[0].attributes["note"] == JSONValue.string("sarcastic, twice"))
    }
}
