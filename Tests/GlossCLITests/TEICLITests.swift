import Foundation
import GlossTestSupport
import Testing

@Suite("gloss import tei on hostile files", .serialized)
struct TEIMaliciousTests {
    static let canary = "/tmp/tei-canary.txt"
    static let malicious = TestPaths.resources.appendingPathComponent("tei/malicious")

    /// Each sample of Tests/Resources/tei/malicious with what the error must say (its README lists what each attacks).
    static let samples: [(file: String, says: String)] = [
        ("xxe-file-read.xml", "DOCTYPE"),
        ("xxe-etc-passwd.xml", "DOCTYPE"),
        ("external-dtd-file.xml", "DOCTYPE"),
        ("external-dtd-http.xml", "DOCTYPE"),
        ("parameter-entity-oob.xml", "DOCTYPE"),
        ("billion-laughs.xml", "malformed XML"),
        ("quadratic-blowup.xml", "DOCTYPE"),
        ("deep-nesting.xml", "depth"),
        ("xinclude-file.xml", "XInclude"),
    ]

    @Test func everySampleIsRefusedQuicklyWithoutReadingFilesOrCallingOut() throws {
        try "SECRET-CANARY-42\n".write(toFile: Self.canary, atomically: true, encoding: .utf8)
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let before = try cli.snapshot()
        // The network samples point at 127.0.0.1:9; listen there when the port can be bound, and check that the
        // listener counts by connecting once ourselves.
        let listener = ConnectionCounter(port: 9)
        let probed = listener != nil && ConnectionCounter.probe(port: 9)
        for (file, says) in Self.samples {
            let path = Self.malicious.appendingPathComponent(file).path
            let run = try MeasuredProcess.run(TestPaths.glossExecutable, ["import", "tei", path], environment: ["GLOSS_DB": cli.database], in: cli.folder)
            #expect(run.status == 65, "\(file): \(run.standardError)")
            let lines = run.standardError.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: \(path)") && lines[0].contains(says), "\(file): \(run.standardError)")
            #expect(!(run.standardOutput + run.standardError).contains("SECRET-CANARY-42"), "\(file)")
            #expect(run.seconds < 2, "\(file) took \(run.seconds) s")
            #expect(run.peakMemory < 200 << 20, "\(file) peaked at \(run.peakMemory >> 20) MB")
            print("malicious sample \(file): exit \(run.status) in \(String(format: "%.2f", run.seconds)) s, peak \(run.peakMemory >> 20) MB")
        }
        if let listener { #expect(listener.stop() == (probed ? 1 : 0), "a sample made a network connection") }
        #expect(try cli.snapshot() == before)
    }
}

@Suite("gloss export tei")
struct TEIExportCLITests {
    @Test func validatesAndReportsTheFirstErrorWithItsLine() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let docs = try cli.folder.write("docs.jsonl", #"{"id":"d1","text":"Short text 😀."}"# + "\n")
        #expect(try cli.run("import", "docs", docs).status == 0)
        // A schema that wants <root> everywhere: the export cannot satisfy it.
        let schema = try cli.folder.write("root.rng", #"<element name="root" xmlns="http://relaxng.org/ns/structure/1.0"><empty/></element>"#)
        let result = try cli.run("export", "tei", "--out", cli.folder.path("tei"), "--validate", "--schema", schema)
        #expect(result.status == 65)
        #expect(result.standardError.contains("error: \(cli.folder.path("tei/d1.xml")):2:"), "\(result.standardError)")
        let refused = try cli.run("export", "tei", "--out", cli.folder.path("x"), "--schema", schema)
        #expect(refused.status == 64)
    }

    @Test func exportsAndImportsThroughTheCommandLine() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let docs = try cli.folder.write("docs.jsonl", #"{"id":"d1","title":"One","text":"Café 😀 déjà\r\nvu."}"# + "\n")
        #expect(try cli.run("import", "docs", docs).status == 0)
        let annotations = try cli.folder.write("a.jsonl", #"{"document":"d1","coder":"ana","layer":"topic","start":5,"end":6,"features":{"kind":"emoji"}}"# + "\n")
        #expect(try cli.run("import", "annotations", "--allow-uncoded-layers", annotations).status == 0)
        let export = try cli.run("export", "tei", "--single", "--out", cli.folder.path("all.xml"))
        #expect(export.status == 0 && export.standardOutput.contains("exported 1 documents and 1 annotations"))
        let copy = cli.folder.path("copy.sqlite")
        #expect(try cli.run("init", "--db", copy).status == 0)
        let imported = try cli.run("import", "tei", cli.folder.path("all.xml"), "--db", copy)
        #expect(imported.status == 0 && imported.standardOutput.contains("imported 1 document, 1 annotation"), "\(imported.standardOutput)")
        let listed = try cli.run("annotations", "list", "--db", copy)
        #expect(listed.standardOutput.contains("😀"))
    }
}
