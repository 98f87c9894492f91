import Foundation
import GlossCore
import GlossIO
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

/// `relative://` sources must stay in the folder of the `.qdpx`; `internal://` and bare names only match entries.
@Suite("REFI-QDA source paths")
struct REFIProjectPathTests {
    /// A project with one text source at `path`.
    static func project(_ path: String) -> String {
        """
        <Project xmlns="urn:QDA-XML:project:1.0" name="paths">
        <CodeBook><Codes><Code guid="00000000-0000-0000-0000-0000000000c1" name="A" isCodable="true"/></Codes>
        </CodeBook>
        <Sources><TextSource guid="00000000-0000-0000-0000-0000000000a1" name="x" plainTextPath="\(path)"/></Sources>
        </Project>
        """
    }

    /// A folder `work/inner` holding `p.qdpx` (naming `path`, with `sources/a.txt` inside), `beside file.txt`
    /// and `sub/deeper.txt`, and `work/outside.txt` beside that folder.
    static func layout(_ path: String) throws -> (work: TemporaryDirectory, qdpx: String) {
        let work = try TemporaryDirectory()
        try work.write("outside.txt", "secret outside")
        try work.write("inner/beside file.txt", "beside")
        try work.write("inner/sub/deeper.txt", "deeper")
        let qdpx = try work.write("inner/p.qdpx", bytes: ZipArchive.archive([
            .init(name: "project.qde", data: Array(project(path).utf8)),
            .init(name: "sources/a.txt", data: Array("inside".utf8)),
        ]))
        return (work, qdpx)
    }

    static func refusal(_ path: String, prepare: (TemporaryDirectory) throws -> Void = { _ in }) throws -> GlossError? {
        let (work, qdpx) = try layout(path)
        try prepare(work)
        do { _ = try REFIProject.read(path: qdpx) } catch let error as GlossError { return error }
        return nil
    }

    static func text(_ path: String, prepare: (TemporaryDirectory) throws -> Void = { _ in }) throws -> String? {
        let (work, qdpx) = try layout(path)
        try prepare(work)
        return try REFIProject.read(path: qdpx).sources.first?.document.text
    }

    @Test(arguments: ["relative://../outside.txt", "relative://../../../../../../../../etc/passwd",
                      "relative://sub/../../outside.txt", "relative:///etc/passwd", "relative://%2Fetc%2Fpasswd",
                      "relative://%2E%2E/outside.txt"])
    func pathsLeavingTheFolderAreRefused(path: String) throws {
        let error = try #require(try Self.refusal(path))
        #expect(error.code == .badData)
        #expect(error.message == "source \"x\" names \(path), which lies outside the folder of the archive; "
                + "put the file beside the archive or inside it")
        #expect(error.location?.file.hasSuffix("inner/p.qdpx/project.qde") == true && error.location?.line == 4)
    }

    @Test func symbolicLinksOutOfTheFolderAreRefused() throws {
        func link(_ name: String, to target: String) -> (TemporaryDirectory) throws -> Void {
            { work in try FileManager.default.createSymbolicLink(atPath: work.path(name), withDestinationPath: target) }
        }
        let file = try #require(try Self.refusal("relative://link.txt", prepare: { work in
            try link("inner/link.txt", to: work.path("outside.txt"))(work)
        }))
        #expect(file.code == .badData)
        #expect(file.message.contains("relative://link.txt, which lies outside the folder of the archive"))
        let folder = try #require(try Self.refusal("relative://up/outside.txt", prepare: link("inner/up", to: "..")))
        #expect(folder.message.contains("which lies outside the folder of the archive"))
        // A link that stays inside is followed.
        let alias = try Self.text("relative://alias.txt", prepare: link("inner/alias.txt", to: "sub/deeper.txt"))
        #expect(alias == "deeper")
    }

    @Test func filesInsideTheFolderImport() throws {
        #expect(try Self.text("relative://beside%20file.txt") == "beside")
        #expect(try Self.text("relative://sub/deeper.txt") == "deeper")
        #expect(try Self.text("relative://./sub/../sub/deeper.txt") == "deeper")
    }

    @Test func emptyMissingAndNonRegularPathsAreRefused() throws {
        #expect(try Self.refusal("relative://")?.message
                == "source \"x\" names relative://, which has no path; name a file beside the archive")
        let missing = try Self.refusal("relative://nothing.txt")
        #expect(missing?.code == .missingInput && missing?.message.contains("no such file beside the archive") == true)
        let folder = try Self.refusal("relative://sub")
        #expect(folder?.code == .badData)
        #expect(folder?.message == "source \"x\" names relative://sub, which is a folder, not a regular file")
        for path in ["relative://%ZZ", "relative://a%00b", "relative://%FF.txt"] {
            let error = try Self.refusal(path)
            #expect(error?.message.contains("not a valid percent-encoded UTF-8 path") == true, "\(path)")
        }
    }

    @Test func internalAndBareNamesOnlyMatchEntries() throws {
        #expect(try Self.text("internal://a.txt") == "inside")
        #expect(try Self.text("a.txt") == "inside")
        for path in ["internal://../outside.txt", "internal:///etc/passwd", "../outside.txt", "/etc/passwd",
                     "beside file.txt"] {
            let error = try Self.refusal(path)
            #expect(error?.message == "the source \(path) is not in the archive's sources/", "\(path)")
        }
    }
}
