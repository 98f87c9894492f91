import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Inputs that try to read outside the folder a user named, files that are not files, exports that would
/// overwrite, and sizes beyond the limits: each refused through `gloss` with one `error:` line, its exit status,
/// and the database unchanged.
@Suite("Paths, special files, overwrites and sizes")
struct HardeningTests {
    /// The refusal every case expects: status, one error line naming `path`, the reason, an unchanged dump.
    static func expectRefused(_ result: ProcessResult, status: Int32, path: String, says reason: String, cli: CLI,
                              before: String) throws {
        #expect(result.status == status, "\(result.standardError)")
        #expect(result.hasOneErrorLine, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("error: \(path)"), "\(result.standardError)")
        #expect(result.standardError.contains(reason), "\(result.standardError)")
        #expect(try cli.snapshot() == before)
    }

    @Test func aFIFOIsNotARegularFile() throws {
        let cli = try HostileInputTests.project()
        let before = try cli.snapshot()
        let path = cli.folder.path("pipe.jsonl")
        try #require(mkfifo(path, 0o600) == 0)
        // Opening a FIFO for reading with nobody writing would block; gloss must not wait for a writer.
        let result = try cli.run("import", "annotations", path)
        try Self.expectRefused(result, status: 66, path: path, says: "not a regular file but a FIFO", cli: cli, before: before)
        let device = try cli.run("import", "annotations", "--format", "doccano", "/dev/zero")
        try Self.expectRefused(device, status: 66, path: "/dev/zero", says: "not a regular file but a device", cli: cli,
                               before: before)
    }

    @Test func aFileNameThatIsNotUTF8IsNamedByItsBytes() throws {
        let cli = try HostileInputTests.project()
        let before = try cli.snapshot()
        let folder = cli.folder.path("docs")
        try cli.folder.write("docs/ok.txt", "A text.")
        // "café.txt" in Latin-1: é is the single byte E9, which is not UTF-8.
        let name = folder + "/caf"
        let bad = Array(name.utf8) + [0xE9] + Array(".txt".utf8) + [0]
        let descriptor = bad.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { characters in
                characters.baseAddress.map { open($0, O_CREAT | O_WRONLY, 0o600) } ?? -1
            }
        }
        try #require(descriptor >= 0)
        close(descriptor)
        let result = try cli.run("import", "docs", folder)
        try Self.expectRefused(result, status: 65, path: folder, says: "(bytes 63 61 66 E9 2E 74 78 74)", cli: cli,
                               before: before)
    }

    /// A symbolic link inside the named folder that leads out of it, to a file holding a canary text.
    @Test(arguments: ["docs", "brat"])
    func aSymbolicLinkOutOfTheFolderIsRefused(kind: String) throws {
        let cli = try HostileInputTests.project()
        let before = try cli.snapshot()
        let outside = try TemporaryDirectory()
        let secret = try outside.write("secret.txt", "SECRET-CANARY-42")
        let folder = cli.folder.path("in")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let link = folder + (kind == "docs" ? "/leak.txt" : "/doc.txt")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: secret)
        let command: [String]
        if kind == "docs" {
            command = ["import", "docs", folder]
        } else {
            try cli.folder.write("in/doc.ann", "T1\tPerson 0 6\tSECRET\n")
            command = ["import", "annotations", "--format", "brat", folder]
        }
        let result = try cli.run(contentsOf: command)
        try Self.expectRefused(result, status: 65, path: link, says: "outside the folder", cli: cli, before: before)
        #expect(!result.standardOutput.contains("SECRET-CANARY") && !result.standardError.contains("SECRET-CANARY"))
    }

    @Test func anExportRefusesFilesAlreadyThereUnlessForced() throws {
        let cli = try HostileInputTests.project()
        #expect(try cli.run("import", "annotations", try cli.folder.write("a.jsonl", HostileInputTests.good + "\n")).status == 0)
        let before = try cli.snapshot()
        let out = cli.folder.path("out")
        #expect(try cli.run("export", "jsonl", "--out", out).status == 0)
        let documents = out + "/documents.jsonl"
        let written = try String(contentsOfFile: documents, encoding: .utf8)
        try "edited by hand\n".write(toFile: documents, atomically: false, encoding: .utf8)
        // A partial file of an export that was killed: its process (a finished child) no longer runs.
        let child = try ProcessResult.run(URL(fileURLWithPath: "/bin/sh"), ["-c", "echo $$"])
        let deadPID = child.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let stale = try cli.folder.write("out/annotations.jsonl.partial-\(deadPID)", "half")
        let refused = try cli.run("export", "jsonl", "--out", out)
        try Self.expectRefused(refused, status: 73, path: documents, says: "--force", cli: cli, before: before)
        #expect(try String(contentsOfFile: documents, encoding: .utf8) == "edited by hand\n")
        #expect(!FileManager.default.fileExists(atPath: stale), "the stale partial file is removed")
        let forced = try cli.run("export", "jsonl", "--out", out, "--force")
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(try String(contentsOfFile: documents, encoding: .utf8) == written)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["annotations.jsonl", "codebooks", "documents.jsonl"])
    }

    /// The brat folder that was just imported: exporting into it would overwrite the user's files.
    @Test func aBratExportIntoTheImportedFolderIsRefused() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let folder = cli.folder.path("brat")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["news-000-introduction.txt", "news-000-introduction.ann"] {
            try FileManager.default.copyItem(atPath: TestPaths.resources.appendingPathComponent("interop/brat/\(name)").path,
                                             toPath: folder + "/" + name)
        }
        #expect(try cli.run("import", "annotations", "--format", "brat", folder).status == 0)
        let before = try cli.snapshot()
        let original = try Data(contentsOf: URL(fileURLWithPath: folder + "/news-000-introduction.ann"))
        let refused = try cli.run("export", "brat", "--out", folder)
        try Self.expectRefused(refused, status: 73, path: folder + "/news-000-introduction.", says: "already exists", cli: cli,
                               before: before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/news-000-introduction.ann")) == original)
        #expect(try cli.run("export", "brat", "--out", folder, "--force").status == 0)
    }

    @Test func aFeatureValueOverTheLimitIsRefusedAndTheLimitCanBeRaised() throws {
        let cli = try HostileInputTests.project()
        let before = try cli.snapshot()
        let value = String(repeating: "x", count: 2 << 20)
        let line = #"{"document":"kabul-1","coder":"alice","layer":"free","start":0,"end":7,"features":{"note":"\#(value)"}}"#
        let path = try cli.folder.write("big.jsonl", line + "\n")
        let refused = try cli.run("import", "annotations", "--allow-uncoded-layers", path)
        try Self.expectRefused(refused, status: 65, path: path + ":1:", says: "more than the limit of 1 MiB; raise it with --max-feature-bytes",
                               cli: cli, before: before)
        #expect(try cli.run("import", "annotations", "--allow-uncoded-layers", "--max-feature-bytes", "3M", path).status == 0)
    }

    @Test func aDocumentOverTheLimitIsRefused() throws {
        let cli = try HostileInputTests.project()
        let before = try cli.snapshot()
        let path = try cli.folder.write("long.txt", String(repeating: "word ", count: 1000))
        let refused = try cli.run("import", "docs", "--max-document-bytes", "4K", path)
        try Self.expectRefused(refused, status: 65, path: path, says: "the text holds 4.8 KiB, more than the limit of 4 KiB",
                               cli: cli, before: before)
        let bad = try cli.run("import", "docs", "--max-document-bytes", "lots", path)
        #expect(bad.status == 64 && bad.hasOneErrorLine && bad.standardError.contains("not a size"))
    }
}

/// ZIP bombs through `gloss import annotations --format refi-qda`: the real qc-demo project with six unused
/// entries that each expand to 1 GiB of zeros (6 MB on disk), and the same with one source pointing at a bomb.
@Suite("Archive bombs")
struct ArchiveBombTests {
    /// Writes the archive with Python's zlib: each bomb is one raw DEFLATE stream of 1,024 identical full-flushed
    /// blocks of 1 MiB of zeros (1,061,890 bytes, 1,011 : 1), with its true CRC-32 and sizes.
    static func bomb(in folder: TemporaryDirectory, pointingAtBomb: Bool) throws -> String {
        let script = """
            import struct, sys, zipfile, zlib
            source, target, pointing = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
            chunk = bytes(1 << 20)
            block = zlib.compressobj(9, zlib.DEFLATED, -15)
            bomb = (block.compress(chunk) + block.flush(zlib.Z_FULL_FLUSH)) * 1024 + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
            crc = 0
            for _ in range(1024): crc = zlib.crc32(chunk, crc)
            entries = []
            with zipfile.ZipFile(source) as demo:
                for info in demo.infolist():
                    data = demo.read(info.filename)
                    if pointing and info.filename == "project.qde":
                        data = data.replace(b'plainTextPath="board_2017.txt"', b'plainTextPath="bomb-1.bin"')
                    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
                    entries.append((info.filename, packer.compress(data) + packer.flush(), zlib.crc32(data), len(data)))
            entries += [("bomb-%d.bin" % n, bomb, crc, 1 << 30) for n in range(1, 7)]
            out, directory = bytearray(), bytearray()
            for name, data, crc32, size in entries:
                offset, encoded = len(out), name.encode()
                out += struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0, crc32, len(data), size, len(encoded), 0)
                out += encoded + data
                directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0, crc32, len(data), size,
                                         len(encoded), 0, 0, 0, 0, 0, offset) + encoded
            start = len(out)
            out += directory + struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, len(entries), len(entries), len(directory), start, 0)
            open(target, "wb").write(out)
            """
        let target = folder.path(pointingAtBomb ? "pointing.qdpx" : "bomb.qdpx")
        let demo = TestPaths.resources.appendingPathComponent("interop/refi-qda/qc-demo.qdpx").path
        let made = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, demo, target, pointingAtBomb ? "1" : "0"])
        try #require(made.status == 0, "\(made.standardError)")
        return target
    }

    @Test func unusedBombEntriesAreNeverExpanded() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let path = try Self.bomb(in: cli.folder, pointingAtBomb: false)
        let result = try MeasuredProcess.run(TestPaths.glossExecutable, ["import", "annotations", "--format", "refi-qda", path],
                                             environment: ["GLOSS_DB": cli.database], in: cli.folder)
        #expect(result.status == 0 && result.standardOutput.contains("imported 2 documents and 205 codings"), "\(result.standardError)")
        #expect(result.seconds < 2 && result.peakMemory < 200 << 20, "\(result.seconds) s, \(result.peakMemory >> 20) MB")
    }

    @Test func aBombTheProjectUsesIsRefused() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let before = try cli.snapshot()
        let path = try Self.bomb(in: cli.folder, pointingAtBomb: true)
        let result = try MeasuredProcess.run(TestPaths.glossExecutable, ["import", "annotations", "--format", "refi-qda", path],
                                             environment: ["GLOSS_DB": cli.database], in: cli.folder)
        #expect(result.status == 65, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("error: \(path)") && result.standardError.contains("ZIP bomb"), "\(result.standardError)")
        #expect(result.standardError.split(separator: "\n").count == 1)
        #expect(result.seconds < 2 && result.peakMemory < 200 << 20, "\(result.seconds) s, \(result.peakMemory >> 20) MB")
        #expect(try cli.snapshot() == before)
    }
}

/// Codebook rules nested far beyond any real one, in a codebook file and inside a Gloss TEI file: refused with
/// located errors, never a crash from a too-deep recursion.
@Suite("Deeply nested input")
struct DeepNestingTests {
    static let minimal = TestPaths.packageRoot.appendingPathComponent("Codebooks/example-minimal.yaml").path
    static let rule = "when: named == false"

    static let deepRules: [(name: String, expression: String)] = [
        ("30,000 not", String(repeating: "not ", count: 30_000) + "named == false"),
        ("30,000 or", Array(repeating: "named == false", count: 30_000).joined(separator: " or ")),
        ("100,000 parentheses", String(repeating: "(", count: 100_000) + "named == false" + String(repeating: ")", count: 100_000)),
    ]

    @Test(arguments: deepRules.indices)
    func aDeepRuleIsRefusedByCodebookCheck(_ index: Int) throws {
        let folder = try TemporaryDirectory()
        let source = try String(contentsOfFile: Self.minimal, encoding: .utf8)
        try #require(source.contains(Self.rule))
        let path = try folder.write("deep.yaml", source.replacingOccurrences(of: Self.rule, with: "when: " + Self.deepRules[index].expression))
        let result = try MeasuredProcess.run(TestPaths.glossExecutable, ["codebook", "check", path], in: folder)
        #expect(result.status == 65, "\(Self.deepRules[index].name): status \(result.status)")
        let lines = result.standardError.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: \(path):"), "\(result.standardError.prefix(300))")
        #expect(result.seconds < 5 && result.peakMemory < 200 << 20, "\(result.seconds) s, \(result.peakMemory >> 20) MB")
    }

    /// 100,000 open brackets as a JSON Lines record and as a codebook's YAML: the JSON parser stops at 256 levels,
    /// libyaml at 1,000.
    @Test(arguments: ["jsonl", "yaml"])
    func aDeepDocumentIsRefusedByItsParser(_ kind: String) throws {
        let cli = try HostileInputTests.project()
        let before = try cli.snapshot()
        let path = try cli.folder.write("deep.\(kind)", String(repeating: "[", count: 100_000) + "\n")
        let arguments = kind == "jsonl" ? ["import", "annotations", path] : ["codebook", "add", path]
        let result = try MeasuredProcess.run(TestPaths.glossExecutable, arguments, environment: ["GLOSS_DB": cli.database],
                                             in: cli.folder)
        #expect(result.status == 65, "status \(result.status): \(result.standardError.prefix(300))")
        #expect(result.standardError.split(separator: "\n").count == 1 && result.standardError.hasPrefix("error: \(path):1:"),
                "\(result.standardError.prefix(300))")
        #expect(try cli.snapshot() == before)
    }

    @Test func aDeepRuleInsideATEIFileIsRefusedByTheImport() throws {
        let cli = try HostileInputTests.project()
        let tei = cli.folder.path("project.xml")
        #expect(try cli.run("export", "tei", "--single", "--out", tei).status == 0)
        let exported = try String(contentsOfFile: tei, encoding: .utf8)
        try #require(exported.contains(Self.rule))
        try exported.replacingOccurrences(of: Self.rule, with: "when: " + Self.deepRules[0].expression)
            .write(toFile: tei, atomically: false, encoding: .utf8)
        let other = cli.folder.path("other.sqlite")
        #expect(try cli.run("init", "--db", other).status == 0)
        let before = try databaseDump(at: other)
        let result = try MeasuredProcess.run(TestPaths.glossExecutable, ["import", "tei", tei, "--db", other], in: cli.folder)
        #expect(result.status == 65, "status \(result.status): \(result.standardError.prefix(300))")
        #expect(result.standardError.split(separator: "\n").count == 1 && result.standardError.hasPrefix("error: \(tei)"),
                "\(result.standardError.prefix(300))")
        #expect(try databaseDump(at: other) == before)
    }
}

/// A REFI-QDA project whose source names a file outside the archive's folder, through `gloss`.
@Suite("Paths inside a REFI-QDA project")
struct REFIPathTests {
    @Test(arguments: ["relative://../../../../../../etc/passwd", "relative:///etc/passwd", "relative://link.txt"])
    func aSourceOutsideTheFolderIsRefused(_ reference: String) throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let before = try cli.snapshot()
        let folder = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: folder.path("link.txt"), withDestinationPath: "/etc/passwd")
        let target = folder.path("escape.qdpx")
        let script = """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as demo, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as out:
                for info in demo.infolist():
                    data = demo.read(info.filename)
                    if info.filename == "project.qde":
                        data = data.replace(b'plainTextPath="board_2017.txt"', b'plainTextPath="' + sys.argv[3].encode() + b'"')
                    out.writestr(info.filename, data)
            """
        let demo = TestPaths.resources.appendingPathComponent("interop/refi-qda/qc-demo.qdpx").path
        let made = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, demo, target, reference])
        try #require(made.status == 0, "\(made.standardError)")
        let result = try cli.run("import", "annotations", "--format", "refi-qda", target)
        #expect(result.status == 65 && result.hasOneErrorLine, "\(result.standardError)")
        #expect(result.standardError.hasPrefix("error: \(target)") && result.standardError.contains("outside the folder"),
                "\(result.standardError)")
        #expect(!result.standardError.contains("root:"))
        #expect(try cli.snapshot() == before)
    }
}
