import Foundation
import GlossCore
import GlossInterchange
import GlossStore
import GlossTestSupport
import Testing

@Suite("REFI-QDA projects")
struct REFIProjectTests {
    static let context = ChangeContext(actor: "tester", time: "2026-11-21T12:00:00.000Z", source: "test")
    static let demo = TestPaths.resources.appendingPathComponent("interop/refi-qda/qc-demo.qdpx").path

    static func importing(_ path: String, into store: SQLiteStore) throws -> REFIProject.Report {
        try REFIProject.read(path: path).store(in: store, context: context, file: path)
    }

    @Test func importsTheQualCoderDemo() throws {
        let work = try TemporaryDirectory()
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        let report = try Self.importing(Self.demo, into: store)
        // Two text sources (one without selections); 158 selections carry 205 codings, all by user "cp".
        #expect(report.documents == 2 && report.annotations == 205 && report.codebook == "refi-qda@1")
        let first = try #require(try store.read { try $0.annotations() }.first)
        let span = try TextSpan(start: 320, end: 400)
        #expect(first.documentID == "board_2017" && first.coder == "cp" && first.span == span)
        #expect(first.quote.hasPrefix("This district goal is engage every student") && first.features["code"] == .string("fun"))
    }

    @Test func exportValidatesAgainstProjectXSDAndImportsBackIdentically() throws {
        let work = try TemporaryDirectory()
        let first = try SQLiteStore(path: work.path("first.sqlite"), creating: true)
        _ = try Self.importing(Self.demo, into: first)
        var skipped = 0
        let bytes = try REFIProject.export(store: first, applicationVersion: "0.1.0", skipped: &skipped)
        #expect(skipped == 0)
        let qde = try #require(try ZipArchive.entries(of: bytes, file: "export.qdpx").first { $0.name == "project.qde" })
        let schema = try InputFile(path: TestPaths.resources.appendingPathComponent("interop/refi-qda/Project.xsd").path)
        let errors = try XMLSchemaValidator(schema: schema.bytes, file: schema.path).errors(in: try XMLTree(bytes: qde.data, file: "project.qde"))
        #expect(errors.isEmpty, "\(errors.prefix(3))")
        let path = try work.write("export.qdpx", bytes: bytes)
        let second = try SQLiteStore(path: work.path("second.sqlite"), creating: true)
        _ = try Self.importing(path, into: second)
        let original = try NativeExporter(store: first).export(to: work.path("one"))
        _ = try NativeExporter(store: second).export(to: work.path("two"))
        #expect(original.annotations == 205)
        for name in ["documents.jsonl", "annotations.jsonl", "codebooks/refi-qda@1.yaml"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: work.path("one/" + name))) == Data(contentsOf: URL(fileURLWithPath: work.path("two/" + name))), "\(name)")
        }
        #expect(try REFIProject.export(store: second, applicationVersion: "0.1.0", skipped: &skipped) == bytes)
        // Importing the same project again reuses the registered code book.
        let again = try Self.importing(Self.demo, into: first)
        #expect(again.codebook == nil && again.annotations == 0 && again.annotationsAlreadyPresent == 205)
    }

    @Test func positionsSurviveHazardsBOMsAndTheCRLFAsOneConvention() throws {
        // Code points: "😀" [6, 7), "cafe\u{301}" [13, 18), the Persian with ZWNJ [21, 30), then CRLF and "end".
        let text = "Ahmad 😀 said cafe\u{301}: «نمی\u{200C}خواهم»\r\nend"
        let qde = """
            <Project xmlns="urn:QDA-XML:project:1.0" name="hazards"><Users><User guid="00000000-0000-0000-0000-000000000001" name="ana"/></Users>
            <CodeBook><Codes><Code guid="00000000-0000-0000-0000-0000000000c1" name="Emoji" isCodable="true"/>
            <Code guid="00000000-0000-0000-0000-0000000000c2" name="Quote" isCodable="true"/></Codes></CodeBook>
            <Sources>
            <TextSource guid="00000000-0000-0000-0000-0000000000a1" name="internal" plainTextPath="internal://a.txt">
              <PlainTextSelection guid="00000000-0000-0000-0000-0000000000b1" startPosition="6" endPosition="7" creatingUser="00000000-0000-0000-0000-000000000001">
                <Coding guid="00000000-0000-0000-0000-0000000000d1" creatingUser="00000000-0000-0000-0000-000000000001"><CodeRef targetGUID="00000000-0000-0000-0000-0000000000C1"/></Coding></PlainTextSelection>
              <PlainTextSelection guid="00000000-0000-0000-0000-0000000000b2" startPosition="21" endPosition="30">
                <Coding guid="00000000-0000-0000-0000-0000000000d2" creatingUser="00000000-0000-0000-0000-000000000001"><CodeRef targetGUID="{00000000-0000-0000-0000-0000000000c2}"/></Coding></PlainTextSelection>
              <Coding guid="00000000-0000-0000-0000-0000000000d3" creatingUser="00000000-0000-0000-0000-000000000001"><CodeRef targetGUID="00000000-0000-0000-0000-0000000000c2"/></Coding>
            </TextSource>
            <TextSource guid="00000000-0000-0000-0000-0000000000a2" name="crlf" plainTextPath="relative://beside.txt">
              <PlainTextSelection guid="00000000-0000-0000-0000-0000000000b3" name="end" startPosition="32" endPosition="35">
                <Coding guid="00000000-0000-0000-0000-0000000000d4" creatingUser="00000000-0000-0000-0000-000000000001"><CodeRef targetGUID="00000000-0000-0000-0000-0000000000c1"/></Coding></PlainTextSelection>
            </TextSource>
            </Sources></Project>
            """
        let work = try TemporaryDirectory()
        // The second source lies beside the project, with a BOM; its selection, named after its text, counts the
        // CRLF as one character: "end" is [32, 35) that way, [33, 36) in code points.
        _ = try work.write("beside.txt", bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let path = try work.write("h.qdpx", bytes: ZipArchive.archive([.init(name: "project.qde", data: Array(qde.utf8)), .init(name: "sources/a.txt", data: Array(text.utf8))]))
        let store = try SQLiteStore(path: work.path("gloss.sqlite"), creating: true)
        let project = try REFIProject.read(path: path)
        #expect(project.notCarried.contains { $0.contains("CRLF") })
        _ = try project.store(in: store, context: Self.context, file: path)
        let annotations = try store.read { try $0.annotations() }
        #expect(annotations.map(\.quote) == ["😀", "نمی\u{200C}خواهم", text, "end"])
        let end = try TextSpan(start: 33, end: 36)
        #expect(annotations[2].layer == REFIProject.documentLayer && annotations[3].span == end)
    }
}
