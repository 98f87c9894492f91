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
    static var operations: Int { value("GLOSS_STRESS_OPERATIONS", default: 15) }
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
