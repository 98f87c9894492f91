import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// How hard the integrity tests push: reduced counts in `swift test`, the issue's full counts under
/// `make stress` (GLOSS_STRESS_KILLS=60, GLOSS_STRESS_WRITERS=8, GLOSS_STRESS_OPERATIONS=500).
enum StressLevel {
    static func value(_ name: String, default fallback: Int) -> Int { Int(ProcessInfo.processInfo.environment[name] ?? "") ?? fallback }
    static var kills: Int { value("GLOSS_STRESS_KILLS", default: 12) }
    static var writers: Int { value("GLOSS_STRESS_WRITERS", default: 4) }
    static var annotations: Int { value("GLOSS_STRESS_ANNOTATIONS", default: 6) }
}

@Suite("Crash safety: imports killed with SIGKILL", .serialized)
struct CrashSafetyTests {
    static let annotationsPerFile = 20_000

    /// One import file: `annotationsPerFile` annotations by the coder `killed-N`, spread over 20 documents.
    static func importFile(_ number: Int, in cli: CLI) throws -> String {
        var lines = ""
        lines.reserveCapacity(annotationsPerFile * 110)
        for index in 0..<annotationsPerFile {
            let start = (index * 37) % 1900
            lines += #"{"document":"d\#(index % 20)","coder":"killed-\#(number)","layer":"l","start":\#(start),"end":\#(start + 1 + index % 90),"features":{"n":\#(index)}}"# + "\n"
        }
        return try cli.folder.write("import-\(number).jsonl", lines)
    }

    @Test func everyKilledImportIsWhollyPresentOrAbsentAndTheDatabaseIsIntact() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let documents = (0..<20).map { JSONValue.object(["id": .string("d\($0)"), "text": .string(String(repeating: "Words of text. ", count: 140))]).canonicalJSON }
        #expect(try cli.run("import", "docs", try cli.folder.write("docs.jsonl", documents.joined(separator: "\n") + "\n")).status == 0)
        let environment = ["GLOSS_DB": cli.database, "GLOSS_ACTOR": "tester"]
        // An import that is not killed shows how long one takes.
        let complete = try MeasuredProcess.run(TestPaths.glossExecutable, ["import", "annotations", try Self.importFile(0, in: cli)], environment: environment, in: cli.folder)
        #expect(complete.status == 0, "\(complete.standardError)")
        var generator = SplitMix64(seed: 2026)
        var present = 0, absent = 0
        for number in 1...StressLevel.kills {
            let file = try Self.importFile(number, in: cli)
            let child = try ChildProcess(TestPaths.glossExecutable, ["import", "annotations", file], environment: environment, in: cli.folder)
            // Kill moments spread over the whole import and beyond (an import may take longer than the first).
            let moment = complete.seconds * 1.6 * Double(generator.next() % 1000) / 1000
            usleep(useconds_t(moment * 1_000_000))
            child.kill(SIGKILL)
            _ = child.wait()
            #expect(try databaseString(at: cli.database, "PRAGMA integrity_check") == "ok")
            let stored = try databaseInteger(at: cli.database, "SELECT COUNT(*) FROM annotation JOIN coder ON coder.id = annotation.coder_id WHERE coder.name = 'killed-\(number)'") ?? -1
            let audited = try databaseInteger(at: cli.database, "SELECT COUNT(*) FROM audit_log WHERE source LIKE '%import-\(number).jsonl%'") ?? -1
            #expect(stored == 0 || stored == Self.annotationsPerFile, "import \(number) killed after \(moment) s left \(stored) annotations")
            #expect((stored == 0) == (audited == 0), "import \(number): \(stored) annotations but \(audited) audit entries")
            if stored == 0 { absent += 1 } else { present += 1 }
        }
        #expect(absent > 0, "no kill landed before a commit (\(present) imports completed)")
        // The database still takes writes.
        #expect(try cli.run("import", "annotations", try Self.importFile(StressLevel.kills + 1, in: cli)).status == 0)
        print("crash safety: one import takes \(complete.seconds) s; \(StressLevel.kills) imports killed, \(present) complete and \(absent) absent afterwards")
    }
}

@Suite("Document revisions")
struct DocumentRevisionTests {
    /// A document-scope layer and a span layer kept within a sentence.
    static let codebook = """
        id: revisions
        version: 1
        title: Revisions
        layers:
          - id: tone
            scope: document
            features:
              - id: stance
                type: category
                required: true
                codes:
                  - id: critical
                    label: Critical
          - id: actor
            within: sentence
            features:
              - id: named
                type: boolean
        """

    @Test func anUpdatedTextReanchorsAnnotationsAndKeepsTheOldRevision() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let first = "Kabul 😀 said on Monday that Russia armed the Taliban. Moscow denied it."
        #expect(try cli.run("import", "docs", try cli.folder.write("v1.jsonl", JSONValue.object(["id": .string("d"), "text": .string(first)]).canonicalJSON + "\n")).status == 0)
        // Hand-counted code points ("😀" is one): "Kabul" [0, 5), "Monday" [16, 22), "Russia armed the Taliban" [28, 52),
        // "Moscow denied it." [54, 71).
        for (start, end) in [(0, 5), (16, 22), (28, 52), (54, 71)] {
            #expect(try cli.run("annotate", "add", "--doc", "d", "--coder", "a", "--layer", "l", "--start", String(start), "--end", String(end)).status == 0)
        }
        let second = "Kabul 😀 said on Tuesday that officials believe Russia armed the Taliban. Moscow denied it."
        let file = try cli.folder.write("v2.jsonl", JSONValue.object(["id": .string("d"), "text": .string(second)]).canonicalJSON + "\n")
        let before = try cli.snapshot()
        let refused = try cli.run("import", "docs", file)
        #expect(refused.status == 75 && refused.hasOneErrorLine)
        #expect(try cli.snapshot() == before)
        let updated = try cli.run("import", "docs", "--update", file)
        #expect(updated.status == 0)
        #expect(updated.standardOutput.contains("annotations 1 unchanged, 2 moved (0 by approximate match), 1 flagged for review"), "\(updated.standardOutput)")
        let listed = try cli.run("annotations", "list", "--format", "jsonl").standardOutput.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        func field(_ index: Int, _ name: String) -> JSONValue? { if case .object(let object) = listed[index] { object[name] } else { nil } }
        // "Kabul" stays; the claim and the last sentence move by 19 code points: "Tuesday" is one longer than "Monday",
        // and "officials believe " adds 18.
        #expect([field(0, "start"), field(0, "end")] == [.integer(0), .integer(5)])
        #expect([field(2, "start"), field(2, "end"), field(2, "text")] == [.integer(47), .integer(71), .string("Russia armed the Taliban")])
        #expect([field(3, "start"), field(3, "end"), field(3, "text")] == [.integer(73), .integer(90), .string("Moscow denied it.")])
        // "Monday" is gone: not moved, flagged.
        #expect([field(1, "start"), field(1, "end")] == [.integer(16), .integer(22)])
        #expect(field(1, "needs_recoding").map { "\($0)".contains("Monday") } == true)
        #expect(field(2, "revision") == .integer(2) && field(0, "revision") == .integer(1))
        // Both revisions are readable; the audit log has the document update and the three annotation updates.
        #expect(try cli.run("docs", "show", "d", "--revision", "1").standardOutput == first)
        #expect(try cli.run("docs", "show", "d").standardOutput == second)
        #expect(try databaseInteger(at: cli.database, "SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND entity = 'document'") == 1)
        #expect(try databaseInteger(at: cli.database, "SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND entity = 'annotation'") == 3)
    }

    @Test func movedAnnotationsAreCheckedAgainstTheirCodebook() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let codebook = try cli.folder.write("revisions.yaml", Self.codebook)
        #expect(try cli.run("codebook", "add", codebook).status == 0)
        // Hand-counted: "Moscow armed the Taliban" [0, 24), "Kabul" [33, 38), the whole text [0, 49).
        let first = "Moscow armed the Taliban in May. Kabul denied it."
        #expect(try cli.run("import", "docs", try cli.folder.write("v1.jsonl", JSONValue.object(["id": .string("d"), "text": .string(first)]).canonicalJSON + "\n")).status == 0)
        #expect(try cli.run("annotate", "add", "--doc", "d", "--coder", "a", "--layer", "tone", "--start", "0", "--end", "49", "--set", "stance=critical").status == 0)
        for (start, end) in [(0, 24), (33, 38)] {
            #expect(try cli.run("annotate", "add", "--doc", "d", "--coder", "a", "--layer", "actor", "--start", String(start), "--end", String(end)).status == 0)
        }
        // The editor split the first sentence: "Moscow armed. The Taliban" (2 edits in 25 code points) is found
        // approximately but now crosses a sentence boundary; "Kabul" moves by one to [34, 39); the text is 50 long.
        let second = "Moscow armed. The Taliban in May. Kabul denied it."
        let updated = try cli.run("import", "docs", "--update", try cli.folder.write("v2.jsonl", JSONValue.object(["id": .string("d"), "text": .string(second)]).canonicalJSON + "\n"))
        #expect(updated.status == 0, "\(updated.standardError)")
        #expect(updated.standardOutput.contains("annotations 0 unchanged, 3 moved (1 by approximate match), 0 flagged for review; 1 of the moved break their codebook at the new place and are flagged too"), "\(updated.standardOutput)")
        let listed = try cli.run("annotations", "list", "--format", "jsonl").standardOutput.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        func field(_ index: Int, _ name: String) -> JSONValue? { if case .object(let object) = listed[index] { object[name] } else { nil } }
        #expect([field(0, "start"), field(0, "end"), field(0, "needs_recoding")] == [.integer(0), .integer(50), nil])
        #expect([field(1, "start"), field(1, "end"), field(1, "text")] == [.integer(0), .integer(25), .string("Moscow armed. The Taliban")])
        #expect(field(1, "needs_recoding").map { "\($0)".contains("sentence") } == true, "\(listed[1])")
        #expect([field(2, "start"), field(2, "end"), field(2, "needs_recoding")] == [.integer(34), .integer(39), nil])
    }

    /// A text changed without changing its length: the document-scope annotation keeps its span but covers the
    /// new text, so its quote is renewed (else the project's own export would not import again).
    @Test func aDocumentScopeAnnotationTakesTheNewTextOfTheSameLength() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let codebook = try cli.folder.write("revisions.yaml", Self.codebook)
        #expect(try cli.run("codebook", "add", codebook).status == 0)
        #expect(try cli.run("import", "docs", try cli.folder.write("v1.jsonl", #"{"id":"d","text":"abc def"}"# + "\n")).status == 0)
        #expect(try cli.run("annotate", "add", "--doc", "d", "--coder", "a", "--layer", "tone", "--start", "0", "--end", "7", "--set", "stance=critical").status == 0)
        let updated = try cli.run("import", "docs", "--update", try cli.folder.write("v2.jsonl", #"{"id":"d","text":"abc xyz"}"# + "\n"))
        #expect(updated.standardOutput.contains("annotations 0 unchanged, 1 moved"), "\(updated.standardOutput)")
        #expect(try cli.run("annotations", "list", "--format", "jsonl").standardOutput.contains(#""start":0,"end":7,"unit":"codepoint","text":"abc xyz""#))
        #expect(try cli.run("export", "jsonl", "--out", cli.folder.path("out")).status == 0)
        let other = cli.folder.path("other.sqlite")
        #expect(try cli.run("init", "--db", other).status == 0)
        #expect(try cli.run("codebook", "add", codebook, "--db", other).status == 0)
        #expect(try cli.run("import", "docs", cli.folder.path("out/documents.jsonl"), "--db", other).status == 0)
        let restored = try cli.run("import", "annotations", "--restore", cli.folder.path("out/annotations.jsonl"), "--db", other)
        #expect(restored.status == 0, "\(restored.standardError)")
    }
}

@Suite("Backups while coders write")
struct BackupWhileWritingTests {
    /// Two `gloss` processes add annotations while three `gloss backup` runs copy the database: each copy is a
    /// consistent database (integrity_check ok) in which every annotation has its audit entry, and the copies
    /// never miss what was there when the backup began nor overwrite a file.
    @Test func copiesAreConsistentWhileOthersWrite() async throws {
        let cli = try CLI()
        _ = try cli.run("init")
        _ = try cli.run("import", "docs", try cli.folder.write("d.jsonl", #"{"id":"d","text":"\#(String(repeating: "word ", count: 200))"}"# + "\n"))
        let writes = Task.detached { () -> Int in
            await withTaskGroup(of: Int.self) { group in
                for writer in 0..<2 {
                    group.addTask {
                        var added = 0
                        for index in 0..<25 {
                            let start = (writer * 25 + index) * 5
                            if (try? cli.run("annotate", "add", "--doc", "d", "--coder", "w\(writer)", "--layer", "l", "--start", String(start), "--end", String(start + 4)))?.status == 0 {
                                added += 1
                            }
                        }
                        return added
                    }
                }
                return await group.reduce(0, +)
            }
        }
        var copies: [(path: String, atLeast: Int)] = []
        for number in 0..<3 {
            try await Task.sleep(for: .milliseconds(300))
            let before = try databaseInteger(at: cli.database, "SELECT COUNT(*) FROM annotation") ?? 0
            let path = cli.folder.path("backup-\(number).sqlite")
            let result = try cli.run("backup", path)
            #expect(result.status == 0, "\(result.standardError)")
            copies.append((path, before))
        }
        let added = await writes.value
        #expect(added == 50)
        for copy in copies {
            #expect(try databaseString(at: copy.path, "PRAGMA integrity_check") == "ok")
            let annotations = try databaseInteger(at: copy.path, "SELECT COUNT(*) FROM annotation") ?? -1
            #expect(annotations >= copy.atLeast)
            #expect(try databaseInteger(at: copy.path, "SELECT COUNT(*) FROM audit_log WHERE entity = 'annotation' AND action = 'create'") == annotations)
        }
        #expect(try databaseInteger(at: copies[2].path, "SELECT COUNT(*) FROM annotation") ?? 0 <= added)
        #expect(try cli.run("backup", copies[0].path).status == 75)
    }
}
