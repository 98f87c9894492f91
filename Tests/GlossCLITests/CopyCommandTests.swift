import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// `gloss copy` and `--database-url`, as a user runs them.
@Suite("Copying a project between stores", .serialized)
struct CopyCommandTests {
    /// The fixture articles and the three coders' annotations, with one annotation deleted.
    static func fixtureProject() throws -> CLI {
        let cli = try CLI()
        let fixtures = TestPaths.fixtures.path
        try #require(try cli.run("init").status == 0)
        try #require(try cli.run("import", "docs", fixtures + "/documents.jsonl", fixtures + "/articles").status == 0)
        try #require(try cli.run("import", "annotations", fixtures + "/annotations").status == 0)
        try #require(try cli.run("annotate", "delete", "5").status == 0)
        return cli
    }

    /// The files of a native export, by path.
    static func export(_ cli: CLI, _ store: [String]) throws -> [String: Data] {
        let folder = cli.folder.path("export-\(UUID().uuidString)")
        let result = try cli.run(contentsOf: ["export", "jsonl", "--out", folder] + store)
        try #require(result.status == 0, "\(result.standardError)")
        var files: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: folder) {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder),
               !isFolder.boolValue {
                files[path] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path))
            }
        }
        return files
    }

    @Test func copiesToANewFileAndNeverOntoAProject() throws {
        let cli = try Self.fixtureProject()
        let copy = cli.folder.path("copy.sqlite")
        let copied = try cli.run("copy", "--from", cli.database, "--to", copy)
        #expect(copied.status == 0)
        // 8 documents (7 lines of documents.jsonl, 1 file in articles/), 3 coders (one file each), and the 109 lines
        // of Fixtures/annotations less the one deleted.
        #expect(copied.standardOutput.contains("8 documents, 108 annotations, 3 coders"))
        let original = try Self.export(cli, [])
        let copiedExport = try Self.export(cli, ["--db", copy])
        #expect(original.count >= 2 && original == copiedExport)

        let again = try cli.run("copy", "--from", cli.database, "--to", copy)
        #expect(again.status == 75 && again.hasOneErrorLine)
        let unchanged = try Self.export(cli, ["--db", copy])
        #expect(unchanged == original)
        let same = try cli.run("copy", "--from", cli.database, "--to", cli.database)
        #expect(same.status == 64 && same.hasOneErrorLine)
        let missing = try cli.run("copy", "--from", cli.folder.path("missing.sqlite"),
                                  "--to", cli.folder.path("new.sqlite"))
        #expect(missing.status == 66 && !FileManager.default.fileExists(atPath: cli.folder.path("new.sqlite")))
        let both = try cli.run("docs", "list", "--db", copy, "--database-url", "postgresql://localhost/x")
        #expect(both.status == 64 && both.hasOneErrorLine)
    }

    @Test(.enabled(if: TestPostgres.isAvailable, Comment(rawValue: TestPostgres.unavailableReason)))
    func movesAProjectIntoPostgreSQLAndBackByteForByte() throws {
        let cli = try Self.fixtureProject()
        let url = try TestPostgres.newDatabaseURL()
        let into = try cli.run("copy", "--from", cli.database, "--to", url)
        #expect(into.status == 0, "\(into.standardError)")
        let original = try Self.export(cli, [])
        #expect(try Self.export(cli, ["--database-url", url]) == original)
        let back = cli.folder.path("back.sqlite")
        #expect(try cli.run("copy", "--from", url, "--to", back).status == 0)
        #expect(try Self.export(cli, ["--db", back]) == original)
        // A write through the URL is audited like one into a file, and the next id is the same in both.
        let add = ["annotate", "add", "--doc", "amu-2016-border-worries", "--coder", "zed", "--layer", "actor",
                   "--start", "0", "--end", "5"]
        let intoPostgres = try cli.run(contentsOf: add + ["--database-url", url])
        let intoFile = try cli.run(contentsOf: add + ["--db", back])
        #expect(intoPostgres.status == 0 && intoPostgres.standardOutput == intoFile.standardOutput)
        let ontoProject = try cli.run("copy", "--from", back, "--to", url)
        #expect(ontoProject.status == 75 && ontoProject.hasOneErrorLine)
    }
}
