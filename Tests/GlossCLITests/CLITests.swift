import Foundation
import GlossCore
import GlossTestSupport
import Testing

/// Runs the built `gloss` binary as a user would, in a temporary folder.
struct CLI {
    let folder: TemporaryDirectory
    var database: String { folder.path("gloss.sqlite") }

    init() throws { folder = try TemporaryDirectory() }

    @discardableResult
    func run(_ arguments: String...) throws -> ProcessResult { try run(contentsOf: arguments) }

    func run(contentsOf arguments: [String]) throws -> ProcessResult {
        try ProcessResult.run(TestPaths.glossExecutable, arguments, environment: ["GLOSS_DB": database, "GLOSS_ACTOR": "tester"],
                              currentDirectory: folder.url)
    }

    /// Every row of every table (audit log and coders included), to compare before and after a refused command.
    func snapshot() throws -> String { try databaseDump(at: database) }
}

extension ProcessResult {
    /// Standard error is exactly one line that starts with "error:".
    var hasOneErrorLine: Bool {
        let lines = standardError.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count == 2 && lines[0].hasPrefix("error: ") && lines[1].isEmpty
    }
}

@Suite("The gloss command", .serialized)
struct CLITests {
    static let document = #"{"id":"kabul-1","title":"Envoy meets Taliban","outlet":"Example Times","published":"2017-02-13","text":"Kabulov met Taliban envoys 😀 in Moscow.\r\nThey talked."}"#

    func preparedProject() throws -> CLI {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let docs = try cli.folder.write("docs.jsonl", Self.document + "\n")
        #expect(try cli.run("import", "docs", docs).status == 0)
        return cli
    }

    @Test func runsTheMainWorkflow() throws {
        let cli = try preparedProject()
        // "Taliban" is code points 12..<19; after 😀 (code point 27) UTF-16 offsets are one more than code points:
        // "in" is code points 29..<31, UTF-16 30..<32.
        let add = try cli.run("annotate", "add", "--doc", "kabul-1", "--coder", "alice", "--layer", "actor", "--start", "12", "--end", "19",
                              "--set", "actor=taliban.leadership")
        #expect(add.status == 0)
        #expect(add.standardOutput == "1\n")
        let utf16 = try cli.run("annotate", "add", "--doc", "kabul-1", "--coder", "bob", "--layer", "actor", "--start", "30", "--end", "32",
                                "--unit", "utf16", "--set", "rank=2")
        #expect(utf16.standardOutput == "2\n")
        let listed = try cli.run("annotations", "list", "--format", "jsonl", "--coder", "bob")
        #expect(listed.standardOutput.contains(#""start":29,"end":31,"unit":"codepoint","text":"in","features":{"rank":2}"#))
        let table = try cli.run("docs", "list")
        #expect(table.standardOutput.contains("kabul-1"))
        #expect(table.standardOutput.contains("Example Times"))
        let deleted = try cli.run("annotate", "delete", "1")
        #expect(deleted.status == 0)
        let remaining = try cli.run("annotations", "list", "--format", "json").standardOutput
        #expect(remaining.contains(#""id":2"#))
        #expect(!remaining.contains(#""id":1"#))
        #expect(try cli.run("annotate", "delete", "1").status == 65)
    }

    @Test func exportsAndReimportsThroughTheCommandLine() throws {
        let cli = try preparedProject()
        let annotations = try cli.folder.write("a.jsonl", #"{"document":"kabul-1","coder":"alice","layer":"actor","start":0,"end":7,"text":"Kabulov"}"# + "\n")
        #expect(try cli.run("import", "annotations", annotations).status == 0)
        #expect(try cli.run("export", "jsonl", "--out", "out1").status == 0)
        let other = try CLI()
        _ = try other.run("init")
        #expect(try other.run("import", "docs", cli.folder.path("out1/documents.jsonl")).status == 0)
        #expect(try other.run("import", "annotations", cli.folder.path("out1/annotations.jsonl")).status == 0)
        #expect(try other.run("export", "jsonl", "--out", cli.folder.path("out2")).status == 0)
        for name in ["documents.jsonl", "annotations.jsonl"] {
            #expect(try Data(contentsOf: cli.folder.url.appendingPathComponent("out1/" + name))
                == Data(contentsOf: cli.folder.url.appendingPathComponent("out2/" + name)))
        }
    }

    @Test func exit64ForBadUsage() throws {
        let cli = try preparedProject()
        for arguments in [["annotate", "add", "--doc", "kabul-1"], ["frobnicate"], ["annotate", "add", "--doc", "kabul-1", "--coder", "a",
                          "--layer", "l", "--start", "5", "--end", "2"], ["docs", "list", "--format", "xml"]] {
            let result = try cli.run(contentsOf: arguments)
            #expect(result.status == 64, "\(arguments)")
            #expect(result.hasOneErrorLine, "\(arguments): \(result.standardError)")
        }
    }

    @Test func exit65ForBadDataWithFileLineAndColumn() throws {
        let cli = try preparedProject()
        let before = try cli.snapshot()
        let lines = [
            #"{"document":"kabul-1","coder":"alice","layer":"actor","start":0,"end":7}"#,
            #"{"document":"kabul-1","coder":"alice","layer":"actor","start":0 "end":7}"#,
        ]
        let path = try cli.folder.write("bad.jsonl", lines.joined(separator: "\n") + "\n")
        let result = try cli.run("import", "annotations", path)
        #expect(result.status == 65)
        #expect(result.hasOneErrorLine)
        // The missing comma: column 65 is where "end" begins (byte 64, all ASCII).
        #expect(result.standardError.hasPrefix("error: \(path):2:65: invalid JSON: expected ',' or '}'"))
        #expect(try cli.snapshot() == before)
    }

    @Test func exit65WhenTheQuoteDoesNotMatch() throws {
        let cli = try preparedProject()
        let before = try cli.snapshot()
        let path = try cli.folder.write("bad.jsonl", #"{"document":"kabul-1","coder":"alice","layer":"actor","start":1,"end":7,"text":"Kabulov"}"# + "\n")
        let result = try cli.run("import", "annotations", path)
        #expect(result.status == 65)
        #expect(result.hasOneErrorLine)
        #expect(result.standardError.contains("\(path):1: \"text\" does not match"))
        #expect(try cli.snapshot() == before)
    }

    @Test func exit66ForAMissingFileOrDatabase() throws {
        let cli = try preparedProject()
        let missingFile = try cli.run("import", "annotations", "nowhere.jsonl")
        #expect(missingFile.status == 66)
        #expect(missingFile.hasOneErrorLine)
        #expect(missingFile.standardError.contains("nowhere.jsonl"))
        let missingDatabase = try cli.run("docs", "list", "--db", cli.folder.path("other.sqlite"))
        #expect(missingDatabase.status == 66)
        #expect(missingDatabase.standardError.contains("gloss init"))
    }

    @Test func exit74WhenTheOutputCannotBeWritten() throws {
        let cli = try preparedProject()
        let blocker = try cli.folder.write("blocker", "a file where the export folder should go\n")
        let result = try cli.run("export", "jsonl", "--out", blocker + "/export")
        #expect(result.status == 74)
        #expect(result.hasOneErrorLine)
    }

    @Test func exit75ForAConflictingDocument() throws {
        let cli = try preparedProject()
        let before = try cli.snapshot()
        let path = try cli.folder.write("kabul-1.txt", "Another text under the same id.\n")
        let result = try cli.run("import", "docs", path)
        #expect(result.status == 75)
        #expect(result.hasOneErrorLine)
        #expect(result.standardError.contains("kabul-1"))
        #expect(try cli.snapshot() == before)
    }

    @Test func exit65ForAFileThatIsNotADatabase() throws {
        let cli = try CLI()
        try cli.folder.write("gloss.sqlite", "not a database at all, just some words to fill the header page\n")
        let result = try cli.run("docs", "list")
        #expect(result.status == 65)
        #expect(result.hasOneErrorLine)
    }

    @Test func everyCommandHasHelp() throws {
        let cli = try CLI()
        for command in [[], ["init"], ["import", "docs"], ["import", "annotations"], ["annotate", "add"], ["annotate", "delete"],
                        ["docs", "list"], ["annotations", "list"], ["export", "jsonl"]] {
            let result = try cli.run(contentsOf: command + ["--help"])
            #expect(result.status == 0, "\(command)")
            #expect(result.standardOutput.contains("USAGE:"), "\(command)")
        }
    }
}

@Suite("Several coders writing at once")
struct ConcurrentWritersTests {
    /// What one writer did, as acknowledged by exit status 0.
    struct Tally: Sendable {
        var adds = 0, updates = 0, deletes = 0, failures: [String] = []
    }

    /// Writers `gloss` processes on one database at the same time (4 here, 8 under `make stress`), each adding,
    /// editing and deleting its annotations (6 each here, 500 under `make stress`): each annotation is added,
    /// updated with --if-revision 1, and every other one deleted. No "database is locked" or other failure may
    /// reach a coder, and the table and the audit log must account for every acknowledged operation. (Before the
    /// read-only opening check got a busy timeout, 45 of 320 plain adds by 8 processes failed.)
    @Test func everyConcurrentOperationLandsAndIsAudited() async throws {
        let cli = try CLI()
        _ = try cli.run("init")
        let writers = StressLevel.writers, annotations = StressLevel.annotations
        let text = String(repeating: "word ", count: max(200, writers * annotations * 2))
        _ = try cli.run("import", "docs", try cli.folder.write("d.jsonl", JSONValue.object(["id": .string("d"), "text": .string(text)]).canonicalJSON + "\n"))
        let tallies = await withTaskGroup(of: Tally.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var tally = Tally()
                    func run(_ arguments: String...) -> String? {
                        guard let result = try? cli.run(contentsOf: arguments) else {
                            tally.failures.append("could not start gloss")
                            return nil
                        }
                        guard result.status == 0 else {
                            tally.failures.append(result.standardError)
                            return nil
                        }
                        return result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
                    }
                    for index in 0..<annotations {
                        let start = (writer * annotations + index) * 5
                        guard let id = run("annotate", "add", "--doc", "d", "--coder", "c\(writer)", "--layer", "l", "--start", String(start), "--end", String(start + 4)) else { continue }
                        tally.adds += 1
                        if run("annotate", "update", id, "--set", "n=\(index)", "--if-revision", "1") != nil { tally.updates += 1 }
                        if index % 2 == 0, run("annotate", "delete", id) != nil { tally.deletes += 1 }
                    }
                    return tally
                }
            }
            var all: [Tally] = []
            for await tally in group { all.append(tally) }
            return all
        }
        let failures = tallies.flatMap(\.failures)
        #expect(failures.isEmpty, "\(failures.count) operations failed, e.g. \(failures.prefix(3))")
        let adds = tallies.map(\.adds).reduce(0, +), updates = tallies.map(\.updates).reduce(0, +), deletes = tallies.map(\.deletes).reduce(0, +)
        // Per writer: every annotation added and updated, every other one deleted.
        #expect(adds == writers * annotations && updates == adds && deletes == writers * ((annotations + 1) / 2))
        #expect(try databaseInteger(at: cli.database, "SELECT COUNT(*) FROM annotation") == adds - deletes)
        #expect(try databaseInteger(at: cli.database, "SELECT COUNT(*) FROM annotation WHERE revision = 2") == updates - deletes)
        for (action, count) in [("create", adds), ("update", updates), ("delete", deletes)] {
            #expect(try databaseInteger(at: cli.database, "SELECT COUNT(*) FROM audit_log WHERE entity = 'annotation' AND action = '\(action)'") == count, "\(action)")
        }
        print("concurrent writers: \(writers) × \(annotations) annotations, \(adds) adds, \(updates) updates, \(deletes) deletes, \(failures.count) failures")
    }
}

extension CLI: @unchecked Sendable {}

@Suite("What a new user reaches for")
struct NewUserTests {
    /// The fixture project with its codebook.
    static func fixtureProject() throws -> CLI {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let fixtures = TestPaths.fixtures.path
        #expect(try cli.run("import", "docs", fixtures + "/documents.jsonl", fixtures + "/articles").status == 0)
        #expect(try cli.run("import", "annotations", fixtures + "/annotations").status == 0)
        return cli
    }

    @Test func docsEditIsAuditedAndLeavesTheText() throws {
        let cli = try Self.fixtureProject()
        let text = try cli.run("docs", "show", "monitor-2018-kabul-reaction").standardOutput
        let edited = try cli.run("docs", "edit", "monitor-2018-kabul-reaction", "--title", "Kabul reacts", "--outlet", "")
        #expect(edited.status == 0, "\(edited.standardError)")
        let listed = try cli.run("docs", "list", "--format", "jsonl").standardOutput
        let line = try #require(listed.split(separator: "\n").first { $0.contains("monitor-2018-kabul-reaction") })
        #expect(line.contains(#""title":"Kabul reacts""#) && !line.contains(#""outlet""#), "\(line)")
        #expect(try cli.run("docs", "show", "monitor-2018-kabul-reaction").standardOutput == text)
        #expect(try databaseInteger(at: cli.database, "SELECT COUNT(*) FROM audit_log WHERE source = 'docs edit' AND action = 'update'") == 1)
        let bad = try cli.run("docs", "edit", "monitor-2018-kabul-reaction", "--published", "last week")
        #expect(bad.status == 64 && bad.hasOneErrorLine)
    }

    @Test func updateWithoutARevisionAndTheRevisionColumn() throws {
        let cli = try Self.fixtureProject()
        let updated = try cli.run("annotate", "update", "29", "--set", "stance=neutral")
        #expect(updated.status == 0 && updated.standardOutput.contains("to revision 2"), "\(updated.standardError)")
        let stale = try cli.run("annotate", "update", "29", "--set", "stance=critical", "--if-revision", "1")
        #expect(stale.status == 75 && stale.hasOneErrorLine)
        let table = try cli.run("annotations", "list", "--coder", "alice", "--layer", "statement").standardOutput
        let row = try #require(table.split(separator: "\n").first { $0.hasPrefix("29 ") })
        #expect(table.hasPrefix("ID  REV  DOCUMENT") && row.split(separator: " ", omittingEmptySubsequences: true)[1] == "2", "\(row)")
        // Piped, a long quote is printed whole (the fixture's statement 28 is 279 code points).
        #expect(table.contains("“Kabul values its relations with Moscow, but the peace process must remain in Afghan hands,” the statement continued."))
    }

    @Test func unknownNamesAndEmptyListingsAreExplained() throws {
        let cli = try Self.fixtureProject()
        let agree = try cli.run("agree", "--layer", "statment", "--feature", "stance")
        #expect(agree.status == 65 && agree.hasOneErrorLine && agree.standardError.contains("did you mean statement?"), "\(agree.standardError)")
        let listed = try cli.run("annotations", "list", "--layer", "statment")
        #expect(listed.status == 0 && listed.standardError.contains("there is no annotated layer statment; did you mean statement?"))
        let none = try cli.run("codebook", "list")
        #expect(none.standardError.contains("no codebook is registered"))
    }

    @Test func codebookAddTakesSeveralFilesAllOrNone() throws {
        let cli = try Self.fixtureProject()
        let folder = cli.folder
        let minimal = try String(contentsOfFile: TestPaths.packageRoot.appendingPathComponent("Codebooks/example-minimal.yaml").path, encoding: .utf8)
        let broken = try folder.write("broken.yaml", "id: [unclosed\n")
        let before = try cli.snapshot()
        let refused = try cli.run("codebook", "add", try folder.write("minimal.yaml", minimal), broken)
        #expect(refused.status == 65 && refused.standardError.hasPrefix("error: \(broken)"), "\(refused.standardError)")
        #expect(try cli.snapshot() == before)
        let added = try cli.run("codebook", "add", TestPaths.packageRoot.appendingPathComponent("Codebooks/russia-taliban-coverage.yaml").path,
                                folder.path("minimal.yaml"))
        #expect(added.status == 0 && added.standardOutput.split(separator: "\n").count == 2, "\(added.standardError)")
    }
}
