import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Every example in every `--help` runs: each line of a command's discussion that starts with `gloss ` is run by
/// the shell, in a folder of its own holding a copy of the fixture project and the files the examples name. The
/// examples of the team commands run on `team.sqlite`, the same project with assignments (alice, bob and chen on
/// every document) and the statements adjudicated into `gold`; the others on `gloss.sqlite`, which has no assignments.
@Suite("The --help examples", .serialized)
struct HelpExamplesTests {
    /// The examples of every command, from `gloss --experimental-dump-help` (continuation lines joined).
    static func examples() throws -> [String] {
        let dump = try ProcessResult.run(TestPaths.glossExecutable, ["--experimental-dump-help"])
        var discussions: [String] = []
        func collect(_ command: JSONValue) {
            guard case .object(let fields) = command else { return }
            if case .string(let discussion)? = fields["discussion"] { discussions.append(discussion) }
            if case .array(let subcommands)? = fields["subcommands"] { subcommands.forEach(collect) }
        }
        guard case .object(let root) = try JSONParser.parse(dump.standardOutput), let command = root["command"] else { return [] }
        collect(command)
        var examples: [String] = []
        for discussion in discussions {
            var pending: String?
            for line in discussion.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if let started = pending {
                    pending = started + " " + line
                } else if line.hasPrefix("gloss ") {
                    pending = line
                }
                if let example = pending, !example.hasSuffix("\\") {
                    examples.append(example)
                    pending = nil
                } else if let example = pending {
                    pending = String(example.dropLast())
                }
            }
        }
        return examples
    }

    /// The fixture project (documents, three coders' annotations, the codebook, CATMA's source text, and
    /// annotations imported from brat, doccano, Label Studio, WebAnno TSV, UIMA XMI and REFI-QDA, which their exports write
    /// back) and the files the examples name, made once.
    static func template() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        let resources = TestPaths.resources.path, fixtures = TestPaths.fixtures.path
        let copies = [
            ("articles", fixtures + "/articles"),
            ("Codebooks", TestPaths.packageRoot.appendingPathComponent("Codebooks").path),
            ("brat-project", resources + "/interop/brat"), ("interviews.qdpx", resources + "/interop/refi-qda/qc-demo.qdpx"),
            ("ParlaMint-ES-GA_2016-10-21.xml", resources + "/tei/sources/parlamint-es-ga_2016-10-21.xml"),
            ("rose_for_emily_collection.xml", resources + "/interop/catma-tei/rose_for_emily_user_simpleV3.xml"),
            ("tei_all.rng", TestPaths.packageRoot.appendingPathComponent(".build-schemas/tei-4.3.0/tei_all.rng").path),
        ]
        for (name, source) in copies { try FileManager.default.copyItem(atPath: source, toPath: folder.path(name)) }
        // Reliability data coded elsewhere: three coders' ordinal codes of five units, and three coders' spans.
        try folder.write("codes.csv", "unit,alice,bob,chen\n1,low,low,mid\n2,mid,mid,mid\n3,high,high,high\n4,low,,low\n5,mid,high,high\n")
        try folder.write("s.csv", "coder,start,end,label\nalice,0,100,x\nbob,0,90,x\nalice,200,300,y\nbob,210,300,y\n")
        let environment = ["GLOSS_DB": folder.path("gloss.sqlite"), "GLOSS_ACTOR": "tester"]
        func gloss(_ arguments: String...) throws {
            let result = try ProcessResult.run(TestPaths.glossExecutable, arguments, environment: environment, currentDirectory: folder.url)
            try #require(result.status == 0, "\(arguments): \(result.standardError)")
        }
        try gloss("init")
        try gloss("import", "docs", fixtures + "/documents.jsonl", fixtures + "/articles", resources + "/interop/catma-tei/rose_for_emily.txt")
        try gloss("import", "annotations", fixtures + "/annotations")
        try gloss("codebook", "add", folder.path("Codebooks/russia-taliban-coverage.yaml"))
        let interop = resources + "/interop"
        for (format, path) in [("brat", folder.path("brat-project")), ("refi-qda", folder.path("interviews.qdpx")),
                               ("doccano", interop + "/doccano/import-sequence_labeling.jsonl"),
                               ("label-studio", interop + "/label-studio/named_entity.annotation.json"),
                               ("webanno-tsv", interop + "/webanno-tsv3/example2.tsv"),
                               ("uima-xmi", interop + "/uima-xmi/inception-emoji-testSentenceWithEmoji.xmi")] {
            try gloss("import", "annotations", "--format", format, path)
        }
        try gloss("export", "tei", "--out", folder.path("export"))
        // alice's annotations as `gloss annotations list --format jsonl` prints them (importing them again is a no-op).
        let alice = try ProcessResult.run(TestPaths.glossExecutable, ["annotations", "list", "--coder", "alice", "--format", "jsonl"],
                                          environment: environment, currentDirectory: folder.url)
        try folder.write("alice.jsonl", alice.standardOutput)
        try gloss("backup", folder.path("team.sqlite"))
        try gloss("assign", "--coders", "alice,bob,chen", "--overlap", "1", "--db", folder.path("team.sqlite"))
        try gloss("adjudicate", "--layer", "statement", "--gold", "gold", "--db", folder.path("team.sqlite"))
        try gloss("tokens", "create", "--coder", "pi", "--role", "admin", "--db", folder.path("team.sqlite"))
        return folder
    }

    @Test func everyExampleRuns() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 40, "found \(examples.count) examples")
        let template = try Self.template()
        let names = try FileManager.default.contentsOfDirectory(atPath: template.url.path)
        let binFolder = TestPaths.glossExecutable.deletingLastPathComponent().path
        let teamCommands: Set = ["assign", "assignments", "status", "done", "reopen", "adjudicate", "report", "tokens",
                                 "serve"]
        for example in examples {
            let command = example.split(separator: " ").dropFirst().first.map(String.init) ?? ""
            let database = teamCommands.contains(command) || example.contains("--against")
                ? "team.sqlite" : "gloss.sqlite"
            let folder = try TemporaryDirectory()
            for name in names { try FileManager.default.copyItem(atPath: template.path(name), toPath: folder.path(name)) }
            if command == "serve" {
                // A server runs until stopped: it must start, answer, and stop cleanly on SIGTERM.
                let process = try ChildProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", "exec " + example],
                                               environment: ["GLOSS_DB": folder.path(database),
                                                             "PATH": binFolder + ":/usr/bin:/bin"], in: folder)
                let server = LocalServer(process: process)
                #expect(try server?.get("/health").status == 200, "\(example)\n\(process.standardErrorSoFar)")
                process.kill(SIGTERM)
                #expect(process.wait().status == 0, "\(example)\n\(process.standardErrorSoFar)")
                continue
            }
            let result = try ProcessResult.run(URL(fileURLWithPath: "/bin/sh"), ["-c", example],
                                               environment: ["GLOSS_DB": folder.path(database), "GLOSS_ACTOR": "tester",
                                                             "PATH": binFolder + ":/usr/bin:/bin"],
                                               currentDirectory: folder.url)
            #expect(result.status == 0, "\(example)\n\(result.standardError)")
        }
    }
}
