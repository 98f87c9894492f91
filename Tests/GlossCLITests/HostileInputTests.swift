import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Hostile and broken input through the built `gloss`: one `error:` line with the file and line, the
/// documented exit status, and a database dump unchanged by the refused command.
@Suite("Hostile and broken input")
struct HostileInputTests {
    /// A project with one document ("Kabulov met Taliban envoys 😀 in Moscow.\r\nThey talked.": 😀 is code point
    /// 27, UTF-16 units 27–28) and the example codebook registered (layers source and claim).
    static func project() throws -> CLI {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        #expect(try cli.run("import", "docs", try cli.folder.write("docs.jsonl", CLITests.document + "\n")).status == 0)
        #expect(try cli.run("codebook", "add", TestPaths.packageRoot.appendingPathComponent("Codebooks/example-minimal.yaml").path).status == 0)
        return cli
    }

    static let good = #"{"document":"kabul-1","coder":"alice","layer":"source","start":0,"end":7,"features":{"party":"rebels","named":true}}"#

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var file: String
        var bytes: [UInt8]
        var command: [String]
        var status: Int32
        var says: String
        var line: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "invalid UTF-8", file: "a.jsonl", bytes: Array((good + "\n{\"document\":\"ab").utf8) + [0xC3, 0x28] + Array("\"}\n".utf8),
             command: ["import", "annotations"], status: 65, says: "invalid UTF-8", line: 2),
        Case(name: "NUL character in a document", file: "d.jsonl", bytes: Array(#"{"id":"nul","text":"before\u0000after"}"#.utf8) + [10],
             command: ["import", "docs"], status: 65, says: "NUL", line: 1),
        Case(name: "raw NUL byte in a line", file: "a.jsonl", bytes: Array(#"{"document":"kabul-1","coder":"a"#.utf8) + [0] + Array(#"","layer":"source"}"#.utf8) + [10],
             command: ["import", "annotations"], status: 65, says: "invalid JSON", line: 1),
        Case(name: "offset beyond the text", file: "a.jsonl", bytes: Array((good.replacingOccurrences(of: #""end":7"#, with: #""end":500"#) + "\n").utf8),
             command: ["import", "annotations"], status: 65, says: "outside the text", line: 1),
        Case(name: "offset inside a surrogate pair", file: "a.jsonl",
             bytes: Array((good + "\n" + good.replacingOccurrences(of: #""start":0,"end":7"#, with: #""start":20,"end":28,"unit":"utf16""#) + "\n").utf8),
             command: ["import", "annotations"], status: 65, says: "surrogate pair", line: 2),
        Case(name: "end before start", file: "a.jsonl", bytes: Array((good.replacingOccurrences(of: #""start":0"#, with: #""start":9"#) + "\n").utf8),
             command: ["import", "annotations"], status: 65, says: "before", line: 1),
        Case(name: "empty line between records", file: "a.jsonl", bytes: Array((good + "\n\n" + good + "\n").utf8),
             command: ["import", "annotations"], status: 65, says: "empty line", line: 2),
        Case(name: "duplicate ids with different content", file: "a.jsonl",
             bytes: Array(("{\"id\":7," + good.dropFirst() + "\n{\"id\":7," + good.dropFirst().replacingOccurrences(of: "rebels", with: "un") + "\n").utf8),
             command: ["import", "annotations"], status: 75, says: "already exists", line: 2),
        Case(name: "unknown layer", file: "a.jsonl", bytes: Array((good.replacingOccurrences(of: #""layer":"source""#, with: #""layer":"sauce""#) + "\n").utf8),
             command: ["import", "annotations"], status: 65, says: "sauce", line: 1),
        Case(name: "unknown code", file: "a.jsonl", bytes: Array((good.replacingOccurrences(of: "rebels", with: "martians") + "\n").utf8),
             command: ["import", "annotations"], status: 65, says: "martians", line: 1),
        Case(name: "unknown document", file: "a.jsonl", bytes: Array((good.replacingOccurrences(of: "kabul-1", with: "kabul-9") + "\n").utf8),
             command: ["import", "annotations"], status: 65, says: "kabul-9", line: 1),
        Case(name: "truncated JSON", file: "a.jsonl", bytes: Array((good + "\n" + good.prefix(40)).utf8),
             command: ["import", "annotations"], status: 65, says: "invalid JSON", line: 2),
        Case(name: "malformed XML", file: "t.xml", bytes: Array(#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>cut</body></text></TEI>"#.utf8),
             command: ["import", "tei"], status: 65, says: "malformed XML", line: 1),
    ]

    @Test(arguments: cases) func isRefusedWithItsLocationAndChangesNothing(_ input: Case) throws {
        let cli = try Self.project()
        let before = try cli.snapshot()
        let path = try cli.folder.write(input.file, bytes: input.bytes)
        let result = try cli.run(contentsOf: input.command + [path])
        #expect(result.status == input.status, "\(result.standardError)")
        #expect(result.hasOneErrorLine, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("error: \(path):\(input.line)"), "\(result.standardError)")
        #expect(result.standardError.contains(input.says), "\(result.standardError)")
        #expect(try cli.snapshot() == before)
    }

    /// Broken files of the other tools' formats: the same one line with file and line, exit 65, nothing written.
    struct ForeignCase: Sendable, CustomTestStringConvertible {
        var name: String
        var format: String
        /// Files to write (name and bytes); the last is the one imported.
        var files: [(String, [UInt8])]
        var says: String
        var location: String
        var testDescription: String { name }
    }

    static let foreignCases: [ForeignCase] = [
        ForeignCase(name: "doccano offset beyond the text", format: "doccano", files: [("r.jsonl", Array(#"{"id":"d1","text":"abc","label":[[0,9,"X"]]}"#.utf8) + [10])],
                    says: "offset 9 is outside the text", location: "1:1"),
        // "a😀b": UTF-16 offset 2 falls between the halves of 😀 (units 1–2).
        ForeignCase(name: "doccano offset inside a surrogate pair", format: "doccano", files: [("s.jsonl", Array(#"{"id":"d2","text":"a😀b","label":[[0,2,"X"]]}"#.utf8) + [10])],
                    says: "inside a surrogate pair", location: "1:1"),
        ForeignCase(name: "truncated Label Studio JSON", format: "label-studio", files: [("c.json", Array(#"[{"data":{"text":"abc"},"annotations":["#.utf8))],
                    says: "invalid JSON", location: "1:40"),
        ForeignCase(name: "malformed UIMA XMI", format: "uima-xmi",
                    files: [("b.xmi", Array(#"<xmi:XMI xmlns:xmi="http://www.omg.org/XMI" xmlns:cas="http:///uima/cas.ecore"><cas:Sofa"#.utf8))],
                    says: "malformed XML", location: "1:89"),
        ForeignCase(name: "brat range beyond the text", format: "brat", files: [("a.txt", Array("abc".utf8)), ("a.ann", Array("T1\tX 0 9\tabc\n".utf8))],
                    says: "is not START END within the text's 3 characters", location: "1"),
        ForeignCase(name: "brat id defined twice", format: "brat", files: [("a.txt", Array("abc".utf8)), ("a.ann", Array("T1\tX 0 1\ta\nT1\tX 1 2\tb\n".utf8))],
                    says: "T1 is defined twice", location: "2"),
        ForeignCase(name: "WebAnno TSV token not in the text", format: "webanno-tsv",
                    files: [("t.tsv", Array("#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.S|v\n\n\n#Text=ab cd\n1-1\t0-2\tab\tX\n1-2\t3-5\tcx\t_\n".utf8))],
                    says: "token 1-2 is \"cx\"", location: "7"),
    ]

    @Test(arguments: foreignCases) func aBrokenFileOfAnotherToolIsRefusedWithItsLocation(_ input: ForeignCase) throws {
        let cli = try Self.project()
        let before = try cli.snapshot()
        var path = ""
        for (name, bytes) in input.files { path = try cli.folder.write(name, bytes: bytes) }
        let result = try cli.run("import", "annotations", "--format", input.format, path)
        #expect(result.status == 65 && result.hasOneErrorLine, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("error: \(path):\(input.location):"), "\(result.standardError)")
        #expect(result.standardError.contains(input.says), "\(result.standardError)")
        #expect(try cli.snapshot() == before)
    }

    @Test func aHundredMegabyteLineIsRefusedWithItsLine() throws {
        let cli = try Self.project()
        let before = try cli.snapshot()
        // One line of 100 MB: a quote text that never ends.
        var bytes = Array(#"{"document":"kabul-1","coder":"a","layer":"source","start":0,"end":7,"text":""#.utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: 100 << 20)
        let path = try cli.folder.write("huge.jsonl", bytes: bytes + [10])
        let result = try MeasuredProcess.run(TestPaths.glossExecutable, ["import", "annotations", path], environment: ["GLOSS_DB": cli.database], in: cli.folder)
        #expect(result.status == 65)
        #expect(result.standardError.hasPrefix("error: \(path):1:") && result.standardError.split(separator: "\n").count == 1, "\(result.standardError.prefix(300))")
        #expect(result.peakMemory < 1 << 30, "peak \(result.peakMemory >> 20) MB")
        #expect(try cli.snapshot() == before)
    }

    @Test func aByteOrderMarkIsDroppedWithoutShiftingOffsets() throws {
        let cli = try Self.project()
        let path = try cli.folder.write("bom.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array((Self.good.replacingOccurrences(of: #""end":7"#, with: #""end":7,"text":"Kabulov""#) + "\n").utf8))
        #expect(try cli.run("import", "annotations", path).status == 0)
    }

    @Test func sqlMetacharactersInEveryTextFieldAreKeptAsText() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let evil = "x'); DROP TABLE annotation; --\" OR 1=1; /* */"
        let document = JSONValue.object(["id": .string("id " + evil), "title": .string(evil), "outlet": .string(evil), "url": .string(evil), "text": .string(evil)])
        #expect(try cli.run("import", "docs", try cli.folder.write("d.jsonl", document.canonicalJSON + "\n")).status == 0)
        let annotation = JSONValue.object(["document": .string("id " + evil), "coder": .string("coder " + evil), "layer": .string("l"), "start": .integer(0),
                                           "end": .integer(5), "features": .object(["f": .string(evil), "g": .array([.string(evil)])])])
        #expect(try cli.run("import", "annotations", try cli.folder.write("a.jsonl", annotation.canonicalJSON + "\n")).status == 0)
        #expect(try cli.run("annotate", "add", "--doc", "id " + evil, "--coder", evil, "--layer", "l", "--start", "1", "--end", "2", "--set", "f=\(evil)").status == 0)
        let listed = try cli.run("annotations", "list", "--coder", evil, "--format", "jsonl")
        #expect(listed.status == 0 && listed.standardOutput.contains("DROP TABLE annotation"))
        #expect(try databaseInteger(at: cli.database, "SELECT COUNT(*) FROM annotation") == 2)
        let exported = try cli.run("export", "jsonl", "--out", cli.folder.path("out"))
        #expect(exported.status == 0)
        let documents = try String(contentsOfFile: cli.folder.path("out/documents.jsonl"), encoding: .utf8)
        #expect(documents.contains(JSONValue.string(evil).canonicalJSON))
    }

    @Test func anUnknownCoderIsNamed() throws {
        let cli = try Self.project()
        let before = try cli.snapshot()
        let result = try cli.run("export", "tei", "--out", cli.folder.path("tei"), "--coder", "nobody")
        #expect(result.status == 65 && result.hasOneErrorLine && result.standardError.contains("no coder \"nobody\""))
        #expect(!FileManager.default.fileExists(atPath: cli.folder.path("tei")))
        #expect(try cli.snapshot() == before)
    }

    @Test func aReadOnlyDatabaseIsReadableAndLeftAlone() throws {
        let cli = try Self.project()
        let before = try cli.snapshot()
        // The snapshot's read-only connection leaves an empty -wal and -shm behind (every writer has closed and
        // checkpointed): remove them, so that the project is as a finished coder leaves it.
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: cli.database + suffix) }
        // Root ignores permission bits; the immutable attribute holds even for root.
        let locked = geteuid() == 0 ? (try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/chattr"), ["+i", cli.database])).status == 0
            : chmod(cli.database, 0o444) == 0
        try #require(locked, "cannot make the database read-only here")
        defer { if geteuid() == 0 { _ = try? ProcessResult.run(URL(fileURLWithPath: "/usr/bin/chattr"), ["-i", cli.database]) } else { chmod(cli.database, 0o644) } }
        let result = try cli.run("import", "annotations", try cli.folder.write("a.jsonl", Self.good + "\n"))
        #expect(result.status == 74 && result.hasOneErrorLine && result.standardError.contains("read-only"), "\(result.standardError)")
        // Reading needs no write: the project is opened read-only, as an immutable file, creating nothing beside it.
        let listed = try cli.run("docs", "list")
        #expect(listed.status == 0 && listed.standardOutput.contains("kabul-1"), "\(listed.standardError)")
        #expect(!FileManager.default.fileExists(atPath: cli.database + "-wal") && !FileManager.default.fileExists(atPath: cli.database + "-shm"))
        if geteuid() == 0 { _ = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/chattr"), ["-i", cli.database]) } else { chmod(cli.database, 0o644) }
        #expect(try cli.snapshot() == before)
    }

    @Test func aFullDiskRollsBackAndIsReported() throws {
        let cli = try Self.project()
        let before = try cli.snapshot()
        let lines = (0..<20_000).map { index in
            #"{"document":"kabul-1","coder":"alice","layer":"free","start":\#(index % 40),"end":\#(index % 40 + 1),"features":{"n":\#(index)}}"#
        }
        let path = try cli.folder.write("many.jsonl", lines.joined(separator: "\n") + "\n")
        // A 300 KB file-size limit stands in for a full disk: SQLite's writes beyond it fail.
        let result = try ProcessResult.run(URL(fileURLWithPath: "/bin/bash"), ["-c", "ulimit -f 300; exec \"$0\" import annotations --allow-uncoded-layers \"$1\"", TestPaths.glossExecutable.path, path],
                                           environment: ["GLOSS_DB": cli.database], currentDirectory: cli.folder.url)
        #expect(result.status == 74 && result.hasOneErrorLine, "\(result.status): \(result.standardError)")
        #expect(result.standardError.contains("disk may be full") || result.standardError.contains("disk is full"), "\(result.standardError)")
        #expect(try cli.snapshot() == before)
    }
}
