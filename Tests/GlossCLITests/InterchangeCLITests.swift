import Foundation
import GlossTestSupport
import Testing

@Suite("gloss import annotations --format and the other tools' exports")
struct InterchangeCLITests {
    @Test func bratFolderInAndOutAndItsDraft() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let folder = TestPaths.shared.appendingPathComponent("interop/brat").path
        let draft = try cli.run("codebook", "draft", "--format", "brat", folder, "--out", cli.folder.path("brat.yaml"))
        #expect(draft.status == 0)
        #expect(try cli.run("codebook", "check", cli.folder.path("brat.yaml")).standardOutput.contains("brat@1 is valid"))
        let imported = try cli.run("import", "annotations", "--format", "brat", "--coder", "ann", folder)
        #expect(imported.status == 0 && imported.standardOutput.contains("imported 4 documents and 54 annotations, 17 relations"), "\(imported.standardOutput)")
        // The draft printed beforehand is what the import registered.
        #expect(try cli.run("codebook", "show", "brat@1").standardOutput == String(contentsOfFile: cli.folder.path("brat.yaml"), encoding: .utf8))
        #expect(try cli.run("export", "brat", "--out", cli.folder.path("out")).status == 0)
        #expect(try String(contentsOfFile: cli.folder.path("out/conll2002-es-doc-29.txt"), encoding: .utf8)
                == String(contentsOf: TestPaths.shared.appendingPathComponent("interop/brat/conll2002-es-doc-29.txt"), encoding: .utf8))
        let before = try cli.snapshot()
        let refused = try cli.run("import", "annotations", "--format", "label-studio", TestPaths.shared.appendingPathComponent("interop/label-studio/html_document-xpath.annotation.json").path)
        #expect(refused.status == 65 && refused.hasOneErrorLine && refused.standardError.contains("XPath"))
        #expect(try cli.snapshot() == before)
        #expect(try cli.run("import", "annotations", "--coder", "x", folder).status == 64)
    }

    @Test func refiQDAProjectInAndOut() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let demo = TestPaths.shared.appendingPathComponent("interop/refi-qda/qc-demo.qdpx").path
        let imported = try cli.run("import", "annotations", "--format", "refi-qda", demo)
        #expect(imported.status == 0 && imported.standardOutput.contains("imported 2 documents and 205 codings"), "\(imported.standardOutput)")
        let exported = try cli.run("export", "refi-qda", "--out", cli.folder.path("out.qdpx"))
        #expect(exported.status == 0 && FileManager.default.fileExists(atPath: cli.folder.path("out.qdpx")))
        let missing = try cli.run("export", "refi-qda", "--out", cli.folder.path("x.qdpx"), "--layer", "nothing")
        #expect(missing.status == 65 && missing.standardError.contains("--layer"))
    }
}

@Suite("INCEpTION's project folder")
struct InceptionProjectCLITests {
    @Test func theTextImportsAndTheProjectDescriptionIsRefusedWithTheReason() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let folder = TestPaths.shared.appendingPathComponent("interop/inception-project")
        #expect(try cli.run("import", "docs", folder.appendingPathComponent("Obama.txt").path).status == 0)
        let before = try cli.snapshot()
        let refused = try cli.run("import", "annotations", "--format", "uima-xmi", folder.appendingPathComponent("test-project-with-recommenders.exportedproject.json").path)
        #expect(refused.status == 65 && refused.hasOneErrorLine && refused.standardError.contains("INCEpTION project description"))
        #expect(try cli.snapshot() == before)
    }
}
