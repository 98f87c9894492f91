import Foundation
import GlossCore
import GlossIO
import GlossInterchange
import GlossStore
import GlossTestSupport
import Testing

@Suite("doccano")
struct DoccanoTests {
    static let context = ChangeContext(actor: "tester", time: "2026-11-21T12:00:00.000Z", source: "test")

    static func importing(_ paths: [String], offsets: OffsetUnit = .utf16, into store: SQLiteStore) throws -> InterchangeImporter.Report {
        let documents = try paths.flatMap { try DoccanoFormat.read(try InputFile(path: $0), offsets: offsets) }
        return try InterchangeImporter(store: store, format: "doccano", coder: "doccano", context: context).importDocuments(documents)
    }

    static func export(_ store: SQLiteStore, offsets: OffsetUnit = .utf16) throws -> String {
        try InterchangeExporter(store: store, format: "doccano").documents().map { try DoccanoFormat.record($0, offsets: offsets) }.joined(separator: "\n")
    }

    @Test func importsEveryInteropFileWithItsSpans() throws {
        let folder = try TemporaryDirectory()
        let store = try SQLiteStore(path: folder.path("gloss.sqlite"), creating: true)
        let files = ["export-relation_extraction", "export-sequence_labeling", "import-relation_extraction", "import-sequence_labeling", "import-text_classification"]
        let report = try Self.importing(files.map { TestPaths.resources.appendingPathComponent("interop/doccano/\($0).jsonl").path }, into: store)
        // 1 + 3 + 1 + 3 + 3 records; 4 + 4 + 4 + 3 spans and 3 category sets; 3 + 3 relations.
        #expect(report.documents == 11 && report.annotations == 18 && report.relations == 6)
        let annotations = try store.read { try $0.annotations(matching: AnnotationFilter(layer: "doccano")) }
        // By hand from the files: [0, 6) "Google", [22, 39) "September 4, 1998", [0, 2) "EU", [11, 17) "German", [10, 15) "Obama".
        #expect(annotations.prefix(4).map(\.quote) == ["Google", "September 4, 1998", "Larry Page", "Sergey Brin"])
        #expect(annotations.contains { $0.quote == "German" && $0.span == (try? TextSpan(start: 11, end: 17)) })
        #expect(annotations.contains { $0.quote == "Obama" && $0.documentID == "import-sequence_labeling-3" })
        let categories = try store.read { try $0.annotations(matching: AnnotationFilter(layer: "doccano_category")) }
        #expect(categories.map { $0.features["label"] } == [.array([.string("negative")]), .array([.string("positive")]), .array([.string("positive")])])
    }

    @Test func exportImportExportIsExact() throws {
        let folder = try TemporaryDirectory()
        let first = try SQLiteStore(path: folder.path("first.sqlite"), creating: true)
        _ = try Self.importing([TestPaths.resources.appendingPathComponent("interop/doccano/export-relation_extraction.jsonl").path,
                                TestPaths.resources.appendingPathComponent("interop/doccano/import-text_classification.jsonl").path], into: first)
        let exported = try Self.export(first)
        let second = try SQLiteStore(path: folder.path("second.sqlite"), creating: true)
        _ = try Self.importing([folder.write("exported.jsonl", exported + "\n")], into: second)
        #expect(try Self.export(second) == exported)
        #expect(exported.contains(#"{"from_id":0,"id":0,"to_id":1,"type":"foundedAt"}"#))
    }

    @Test(arguments: [OffsetUnit.utf16, .codepoint]) func offsetsSurviveAstralCombiningAndArabicText(unit: OffsetUnit) throws {
        // "Ahmad 😀 said café" then Persian with ZWNJ: 😀 is 2 UTF-16 units, the decomposed é two code points.
        let text = "Ahmad 😀 said cafe\u{301}: «نمی\u{200C}خواهم» end"
        let index = TextIndex(text)
        let scalars = Array(text.unicodeScalars)
        func span(_ needle: String) throws -> (Int, Int) {
            let target = Array(needle.unicodeScalars)
            let start = try #require((0...(scalars.count - target.count)).first { scalars[$0..<($0 + target.count)].elementsEqual(target) })
            return (try index.offset(fromCodePoint: start, to: unit), try index.offset(fromCodePoint: start + target.count, to: unit))
        }
        let (s1, e1) = try span("said cafe\u{301}"), (s2, e2) = try span("نمی\u{200C}خواهم")
        let line = JSONValue.object(["id": .string("hazard"), "text": .string(text), "label": .array([
            .array([.integer(s1), .integer(e1), .string("SPEECH")]), .array([.integer(s2), .integer(e2), .string("QUOTE")]),
        ])]).canonicalJSON
        let folder = try TemporaryDirectory()
        let store = try SQLiteStore(path: folder.path("gloss.sqlite"), creating: true)
        _ = try Self.importing([folder.write("h.jsonl", line + "\n")], offsets: unit, into: store)
        let quotes = try store.read { try $0.annotations().map(\.quote) }
        #expect(quotes == ["said cafe\u{301}", "نمی\u{200C}خواهم"])
        let exported = try Self.export(store, offsets: unit)
        #expect(exported.contains(#""end_offset":\#(e1)"#) && exported.contains(#""start_offset":\#(s2)"#))
        if unit == .utf16 { #expect(s1 == 9) }  // "Ahmad " 6 + 😀 2 + " " 1
    }

    @Test func refusesOffsetsInsideASurrogatePairWithTheRecordsLine() throws {
        let folder = try TemporaryDirectory()
        let store = try SQLiteStore(path: folder.path("gloss.sqlite"), creating: true)
        let path = try folder.write("bad.jsonl", #"{"text":"ok"}"# + "\n" + #"{"text":"a😀b","label":[[0,2,"X"]]}"# + "\n")
        #expect { try Self.importing([path], into: store) } throws: { error in
            let error = try #require(error as? GlossError)
            return error.location == SourceLocation(file: path, line: 2, column: 1) && error.message.contains("surrogate")
        }
        #expect(try store.read { try $0.documentSummaries() }.isEmpty)
    }
}

@Suite("Mapping files")
struct InterchangeMappingTests {
    static let codebook = """
        id: entities
        version: 1
        title: Entities
        layers:
          - id: entity
            features:
              - id: type
                type: category
                required: true
                codes:
                  - {id: organisation, label: Organisation}
                  - {id: person, label: Person}
                  - {id: date, label: Date}
          - id: link
            features:
              - id: kind
                type: category
                codes:
                  - {id: founded_by, label: Founded by}
                  - {id: founded_at, label: Founded at}
              - id: from
                type: span_ref
                layer: entity
              - id: to
                type: span_ref
                layer: entity
                required: true

        """

    static let mapping = """
        labels:
          ORG: {layer: entity, feature: type, value: organisation}
          PERSON: {layer: entity, feature: type, value: person}
          DATE: {layer: entity, feature: type, value: date}
        relations:
          foundedBy: {layer: link, target: to, source: from, feature: kind, value: founded_by}
          foundedAt: {layer: link, target: to, source: from, feature: kind, value: founded_at}

        """

    @Test func mapsLabelsAndRelationsOntoARegisteredCodebook() throws {
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        _ = try CodebookRegistration(store: store).register(file: work.write("entities.yaml", Self.codebook), context: DoccanoTests.context)
        let documents = try DoccanoFormat.read(try InputFile(path: TestPaths.resources.appendingPathComponent("interop/doccano/export-relation_extraction.jsonl").path), offsets: .utf16)
        let mapping = try InterchangeMapping.read(path: work.write("map.yaml", Self.mapping))
        let report = try InterchangeImporter(store: store, format: "doccano", coder: "ana", context: DoccanoTests.context).importDocuments(documents, mapping: mapping)
        #expect(report.annotations == 4 && report.relations == 3 && report.codebook == nil)
        let entities = try store.read { try $0.annotations(matching: AnnotationFilter(layer: "entity")) }
        #expect(entities.map { $0.features["type"] } == [.string("organisation"), .string("date"), .string("person"), .string("person")])
        #expect(entities.allSatisfy { $0.codebook == CodebookReference(id: "entities", version: 1) })
        let links = try store.read { try $0.annotations(matching: AnnotationFilter(layer: "link")) }
        // "Google" (annotation 1) founded at "September 4, 1998" (2), by "Larry Page" (3) and "Sergey Brin" (4).
        #expect(links.map { [$0.features["from"], $0.features["to"], $0.features["kind"]] } == [
            [.integer(1), .integer(2), .string("founded_at")], [.integer(1), .integer(3), .string("founded_by")], [.integer(1), .integer(4), .string("founded_by")],
        ])
    }

    @Test func refusesWhatTheMappingDoesNotSayAndChangesNothing() throws {
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        let documents = try DoccanoFormat.read(try InputFile(path: TestPaths.resources.appendingPathComponent("interop/doccano/export-relation_extraction.jsonl").path), offsets: .utf16)
        let mapping = try InterchangeMapping.read(path: work.write("map.yaml", Self.mapping.replacingOccurrences(of: "  DATE: {layer: entity, feature: type, value: date}\n", with: "")))
        #expect { try InterchangeImporter(store: store, format: "doccano", coder: "ana", context: DoccanoTests.context).importDocuments(documents, mapping: mapping) } throws: {
            (($0 as? GlossError)?.message ?? "").contains("label \"DATE\"")
        }
        #expect(try store.read { try $0.documentSummaries() }.isEmpty)
        #expect(throws: GlossError.self) { try InterchangeMapping.read(path: work.write("bad.yaml", "labels:\n  X: {layer: a}\n")) }
    }
}
