import Foundation
import GlossCore
import GlossTestSupport
import Testing

@Suite("gloss import annotations --format and the other tools' exports")
struct InterchangeCLITests {
    @Test func bratFolderInAndOutAndItsDraft() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let folder = TestPaths.resources.appendingPathComponent("interop/brat").path
        let draft = try cli.run("codebook", "draft", "--format", "brat", folder, "--out", cli.folder.path("brat.yaml"))
        #expect(draft.status == 0)
        #expect(try cli.run("codebook", "check", cli.folder.path("brat.yaml")).standardOutput.contains("brat@1 is valid"))
        let imported = try cli.run("import", "annotations", "--format", "brat", "--coder", "ann", folder)
        #expect(imported.status == 0 && imported.standardOutput.contains("imported 4 documents and 54 annotations, 17 relations"), "\(imported.standardOutput)")
        // The draft printed beforehand is what the import registered.
        #expect(try cli.run("codebook", "show", "brat@1").standardOutput == String(contentsOfFile: cli.folder.path("brat.yaml"), encoding: .utf8))
        #expect(try cli.run("export", "brat", "--out", cli.folder.path("out")).status == 0)
        #expect(try String(contentsOfFile: cli.folder.path("out/conll2002-es-doc-29.txt"), encoding: .utf8)
                == String(contentsOf: TestPaths.resources.appendingPathComponent("interop/brat/conll2002-es-doc-29.txt"), encoding: .utf8))
        let before = try cli.snapshot()
        let refused = try cli.run("import", "annotations", "--format", "label-studio", TestPaths.resources.appendingPathComponent("interop/label-studio/html_document-xpath.annotation.json").path)
        #expect(refused.status == 65 && refused.hasOneErrorLine && refused.standardError.contains("XPath"))
        #expect(try cli.snapshot() == before)
        #expect(try cli.run("import", "annotations", "--coder", "x", folder).status == 64)
    }

    /// Layers coded in Gloss go out to brat, doccano and WebAnno TSV with `--layer`, offsets exact.
    @Test func layersCodedInGlossGoOutWithLayer() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let codebook = try cli.folder.write("exchange.yaml", """
            id: exchange
            version: 1
            title: Exchange
            layers:
              - id: actor
                features:
                  - id: party
                    type: category
                    codes:
                      - id: rebels
                        label: Rebels
              - id: claim
                features:
                  - id: kind
                    type: category
                    codes:
                      - id: shelling
                        label: Shelling
                  - id: source
                    type: span_ref
                    layer: actor
                  - id: certain
                    type: boolean
                  - id: note
                    type: text
            """)
        #expect(try cli.run("codebook", "add", codebook).status == 0)
        // Code points: "Rebels" [0, 6), "😀" [7, 8), "shelled café" [9, 22) (é is e + U+0301), the Persian with ZWNJ
        // [24, 33); in UTF-16 units the last three are [10, 23), [25, 34) and "shelled" [10, 17).
        let text = "Rebels 😀 shelled cafe\u{301} «نمی\u{200C}خواهم». Kabul said so."
        #expect(try cli.run("import", "docs", try cli.folder.write("d.jsonl", JSONValue.object(["id": .string("d"), "text": .string(text)]).canonicalJSON + "\n")).status == 0)
        for arguments in [["alice", "actor", "0", "6", "party=rebels"], ["alice", "claim", "9", "22", "kind=shelling", "source=1", "certain=true", "note=very strong claim"],
                          ["alice", "claim", "24", "33", "kind=shelling"], ["bob", "claim", "9", "16", "kind=shelling"]] {
            let settings = arguments.dropFirst(4).flatMap { ["--set", $0] }
            #expect(try cli.run(contentsOf: ["annotate", "add", "--doc", "d", "--coder", arguments[0], "--layer", arguments[1], "--start", arguments[2], "--end", arguments[3]] + settings).status == 0)
        }
        // Without --layer there is nothing an import of brat stored: refused, naming the layers there are.
        let refused = try cli.run("export", "brat", "--out", cli.folder.path("none"))
        #expect(refused.status == 64 && refused.hasOneErrorLine && refused.standardError.contains("actor, claim"), "\(refused.standardError)")
        // An unknown coder or feature is named, not exported as nothing.
        #expect(try cli.run("export", "brat", "--out", cli.folder.path("x"), "--layer", "claim", "--coder", "nobody").status == 65)
        let typo = try cli.run("export", "doccano", "--out", cli.folder.path("x.jsonl"), "--layer", "claim", "--feature", "kindd")
        #expect(typo.status == 64 && typo.standardError.contains("layer claim has no feature kindd"), "\(typo.standardError)")
        // brat: a text value with spaces (one word in brat) goes into the notes.
        let brat = try cli.run("export", "brat", "--out", cli.folder.path("brat"), "--layer", "actor,claim", "--coder", "alice")
        #expect(brat.status == 0 && brat.standardError.contains("1 attribute values with white space"), "\(brat.standardError)")
        #expect(try String(contentsOfFile: cli.folder.path("brat/d.ann"), encoding: .utf8) == """
            T1\tactor 0 6\tRebels
            T2\tclaim 9 22\tshelled cafe\u{301}
            T3\tclaim 24 33\tنمی\u{200C}خواهم
            A1\tparty T1 rebels
            #1\tAnnotatorNotes T2\tnote: very strong claim
            A2\tcertain T2
            A3\tkind T2 shelling
            A4\tkind T3 shelling
            R1\tsource Arg1:T2 Arg2:T1\t

            """)
        // The types and attribute values those files use, declared for brat.
        #expect(try String(contentsOfFile: cli.folder.path("brat/annotation.conf"), encoding: .utf8) == """
            # The types these brat files use, written by Gloss.
            [entities]
            actor
            claim

            [relations]
            source\tArg1:claim, Arg2:actor

            [events]

            [attributes]
            certain\tArg:claim
            kind\tArg:claim, Value:shelling
            party\tArg:actor, Value:rebels

            """)
        #expect(try cli.run("export", "doccano", "--out", cli.folder.path("doccano.jsonl"), "--layer", "claim", "--feature", "kind",
                            "--project", "relation-extraction").status == 0)
        let record = try JSONParser.parse(try String(contentsOfFile: cli.folder.path("doccano.jsonl"), encoding: .utf8).trimmingCharacters(in: .newlines))
        guard case .object(let fields) = record, case .array(let entities)? = fields["entities"] else { Issue.record("no entities"); return }
        let ranges = entities.compactMap { entity -> [JSONValue]? in
            if case .object(let entity) = entity { [entity["start_offset"] ?? .null, entity["end_offset"] ?? .null, entity["label"] ?? .null] } else { nil }
        }
        let expected: [[JSONValue]] = [[.integer(10), .integer(23), .string("shelling")], [.integer(25), .integer(34), .string("shelling")],
                                       [.integer(10), .integer(17), .string("shelling")]]
        #expect(ranges == expected)
        // By default, for a Sequence Labeling project: the same spans as [start, end, label] in "label", which that
        // project type reads (the relation's source, an actor, is not exported here).
        let sequence = try cli.run("export", "doccano", "--out", cli.folder.path("sequence.jsonl"), "--layer", "claim",
                                   "--feature", "kind")
        #expect(sequence.status == 0 && sequence.standardError.isEmpty, "\(sequence.standardError)")
        // With both layers the relation goes out in a relation-extraction file only: the default says so.
        let both = try cli.run("export", "doccano", "--out", cli.folder.path("both.jsonl"), "--layer", "actor,claim")
        #expect(both.status == 0 && both.standardError.contains("1 relations and 0 document categories"), "\(both.standardError)")
        let labelled = try JSONParser.parse(try String(contentsOfFile: cli.folder.path("sequence.jsonl"), encoding: .utf8)
            .trimmingCharacters(in: .newlines))
        guard case .object(let line) = labelled else { Issue.record("not an object"); return }
        #expect(line["label"] == .array(expected.map(JSONValue.array)) && line["entities"] == nil)
        // WebAnno TSV: each layer a span layer, the span_ref a slot; imported into a new project, the spans are where they were.
        #expect(try cli.run("export", "webanno-tsv", "--out", cli.folder.path("tsv"), "--layer", "actor,claim", "--coder", "alice").status == 0)
        let other = cli.folder.path("other.sqlite")
        #expect(try cli.run("init", "--db", other).status == 0)
        #expect(try cli.run("import", "annotations", "--format", "webanno-tsv", cli.folder.path("tsv"), "--db", other).standardOutput.contains("3 annotations, 1 relations"))
        let listed = try cli.run("annotations", "list", "--format", "jsonl", "--layer", "webanno-tsv", "--db", other).standardOutput
        let spans = try listed.split(separator: "\n").map { line -> [JSONValue] in
            guard case .object(let annotation) = try JSONParser.parse(String(line)) else { return [] }
            return [annotation["start"] ?? .null, annotation["end"] ?? .null, annotation["text"] ?? .null]
        }
        #expect(spans == [[.integer(0), .integer(6), .string("Rebels")], [.integer(9), .integer(22), .string("shelled cafe\u{301}")],
                          [.integer(24), .integer(33), .string("نمی\u{200C}خواهم")]])
    }

    @Test func refiQDAProjectInAndOut() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let demo = TestPaths.resources.appendingPathComponent("interop/refi-qda/qc-demo.qdpx").path
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
        let folder = TestPaths.resources.appendingPathComponent("interop/inception-project")
        #expect(try cli.run("import", "docs", folder.appendingPathComponent("Obama.txt").path).status == 0)
        let before = try cli.snapshot()
        let refused = try cli.run("import", "annotations", "--format", "uima-xmi", folder.appendingPathComponent("test-project-with-recommenders.exportedproject.json").path)
        #expect(refused.status == 65 && refused.hasOneErrorLine && refused.standardError.contains("INCEpTION project description"))
        #expect(try cli.snapshot() == before)
    }
}

@Suite("Label Studio tasks whose text is in another field")
struct LabelStudioTextFieldTests {
    /// A task with its text in `article` and a title beside it; "Kabulov" is [0, 7) and "Taliban" [12, 19).
    static let task = #"[{"id":7,"data":{"article":"Kabulov met Taliban envoys.","title":"Envoys"},"annotations":[{"id":1,"#
        + #""result":[{"id":"r1","from_name":"l","to_name":"text","type":"labels","value":{"start":12,"end":19,"#
        + #""text":"Taliban","labels":["ORG"]}}]}]}]"#
    static let config = #"<View><Text name="text" value="$article"/><Labels name="l" toName="text"><Label value="ORG"/></Labels></View>"#

    @Test func theFieldTheConfigNamesHoldsTheText() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let folder = cli.folder.path("ls")
        try cli.folder.write("ls/tasks.json", Self.task)
        try cli.folder.write("ls/config.xml", Self.config)
        let imported = try cli.run("import", "annotations", "--format", "label-studio", folder)
        #expect(imported.status == 0, "\(imported.standardError)")
        let listed = try cli.run("annotations", "list", "--format", "jsonl")
        #expect(listed.standardOutput.contains(#""start":12,"end":19,"unit":"codepoint","text":"Taliban""#), "\(listed.standardOutput)")
        #expect(try cli.run("docs", "show", "tasks").standardOutput == "Kabulov met Taliban envoys.")
    }

    /// The real named_entity sample and its config, with the task's text moved to `article` beside a `title`, as
    /// a project whose config reads `$article`: the span "February 22" at [343, 354) comes in as from the original.
    @Test func theRealSampleWithItsTextInAnotherField() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let samples = TestPaths.resources.appendingPathComponent("interop/label-studio")
        let task = try JSONParser.parse(String(contentsOf: samples.appendingPathComponent("named_entity.annotation.json"), encoding: .utf8))
        guard case .object(var fields) = task, case .object(var data)? = fields["data"], let text = data["text"] else {
            Issue.record("the sample changed")
            return
        }
        data["text"] = nil
        data["article"] = text
        data["title"] = .string("A headline")
        fields["data"] = .object(data)
        try cli.folder.write("ls/task.json", JSONValue.object(fields).canonicalJSON)
        let config = try String(contentsOf: samples.appendingPathComponent("named_entity.config.xml"), encoding: .utf8)
        try #require(config.contains("$text"))
        try cli.folder.write("ls/config.xml", config.replacingOccurrences(of: "$text", with: "$article"))
        let imported = try cli.run("import", "annotations", "--format", "label-studio", cli.folder.path("ls"))
        #expect(imported.status == 0, "\(imported.standardError)")
        let listed = try cli.run("annotations", "list", "--format", "jsonl").standardOutput
        #expect(listed.contains(#""start":343,"end":354,"unit":"codepoint","text":"February 22""#), "\(listed)")
    }

    @Test func withoutAConfigSeveralTextFieldsAreNamedAndTextFieldChooses() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let before = try cli.snapshot()
        let path = try cli.folder.write("tasks.json", Self.task)
        let refused = try cli.run("import", "annotations", "--format", "label-studio", path)
        #expect(refused.status == 65 && refused.hasOneErrorLine, "\(refused.standardError)")
        #expect(refused.standardError.contains("several text fields (article, title)") && refused.standardError.contains("--text-field")
                && !refused.standardError.contains("dialogue"), "\(refused.standardError)")
        #expect(try cli.snapshot() == before)
        let chosen = try cli.run("import", "annotations", "--format", "label-studio", "--text-field", "article", path)
        #expect(chosen.status == 0, "\(chosen.standardError)")
        let wrong = try cli.run("import", "annotations", "--format", "label-studio", "--text-field", "body", path)
        #expect(wrong.status == 65 && wrong.standardError.contains("no text field \"body\""), "\(wrong.standardError)")
    }
}

@Suite("REFI-QDA projects as NVivo writes them")
struct REFINVivoTests {
    /// The real qc-demo project with its first selection written as NVivo writes selections: the creating user
    /// (a second user) and the creation time on the PlainTextSelection, not on its Coding.
    @Test func usersAndTimesOnTheSelectionAreKept() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let target = cli.folder.path("nvivo.qdpx")
        let script = """
            import sys, zipfile
            first = b'<PlainTextSelection guid="37323865-3734-6533-3337-623138653238"'
            with zipfile.ZipFile(sys.argv[1]) as demo, zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as out:
                for info in demo.infolist():
                    data = demo.read(info.filename)
                    if info.filename == "project.qde":
                        data = data.replace(b'<User name="cp"', b'<User name="nvivo-coder" guid="AAAA0000-0000-0000-0000-000000000001" />'
                                            + b'<User name="cp"')
                        start = data.index(first)
                        end = data.index(b'</PlainTextSelection>', start)
                        selection = data[start:end].replace(b' creatingUser="39633935-3331-3962-6632-373436373264"', b'')
                        selection = selection.replace(first, first + b' creatingUser="{AAAA0000-0000-0000-0000-000000000001}"'
                                                      + b' creationDateTime="2019-05-02T10:11:12Z"')
                        data = data[:start] + selection + data[end:]
                    out.writestr(info.filename, data)
            """
        let demo = TestPaths.resources.appendingPathComponent("interop/refi-qda/qc-demo.qdpx").path
        let made = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, demo, target])
        try #require(made.status == 0, "\(made.standardError)")
        let imported = try cli.run("import", "annotations", "--format", "refi-qda", target)
        #expect(imported.status == 0 && imported.standardOutput.contains("205 codings"), "\(imported.standardError)")
        #expect(imported.standardError.contains("not imported: the GUIDs of text sources"), "\(imported.standardError)")
        let listed = try cli.run("annotations", "list", "--coder", "nvivo-coder", "--format", "jsonl").standardOutput
        #expect(listed.contains(#""start":320,"end":400"#) && listed.contains(#""created":"2019-05-02T10:11:12Z""#), "\(listed)")
    }
}

@Suite("UIMA CAS XMI export")
struct UIMAXMIExportTests {
    /// What `annotations list --format jsonl` prints without ids, times and relation ends (ids differ by project).
    static func comparable(_ cli: CLI, db: String) throws -> [String] {
        let listed = try cli.run("annotations", "list", "--format", "jsonl", "--db", db).standardOutput
        return listed.split(separator: "\n").map {
            $0.replacingOccurrences(of: #""id":[0-9]+,"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #""(created|updated)":"[^"]*","#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #""(source|target)":[0-9]+,"#, with: "", options: .regularExpression)
        }.sorted()
    }

    /// INCEpTION's and dkpro-cassis's samples (an emoji, CRLF, stacked spans with relations) go out and come back
    /// the same; the emoji sample's NamedEntity covers 😊, UTF-16 units [10, 12) of "I like it 😊 .".
    @Test func exportImportIsExactOnTheRealSamples() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        let samples = TestPaths.resources.appendingPathComponent("interop/uima-xmi")
        let names = ["inception-emoji-testSentenceWithEmoji.xmi", "cassis-inception-export-cas_with_smileys.xmi", "inception-curation-stackedrel1.xmi"]
        #expect(try cli.run(contentsOf: ["import", "annotations", "--format", "uima-xmi"] + names.map { samples.appendingPathComponent($0).path }).status == 0)
        let out = cli.folder.path("xmi")
        let exported = try cli.run("export", "uima-xmi", "--out", out)
        #expect(exported.status == 0, "\(exported.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == ["TypeSystem.xml", "anno1.xmi", "doc.xmi", "huggingface.txt.xmi"])
        let emoji = try String(contentsOfFile: out + "/doc.xmi", encoding: .utf8)
        #expect(emoji.contains(#"<type2:NamedEntity xmi:id="3" sofa="1" begin="10" end="12"/>"#) && emoji.contains(#"sofaString="I like it 😊 .""#), "\(emoji)")
        let other = cli.folder.path("other.sqlite")
        #expect(try cli.run("init", "--db", other).status == 0)
        let again = try cli.run("import", "annotations", "--format", "uima-xmi", out, "--db", other)
        #expect(again.status == 0 && again.standardOutput.contains("3 documents and 10 annotations, 2 relations"), "\(again.standardError)")
        #expect(try Self.comparable(cli, db: cli.database) == Self.comparable(cli, db: other))
        #expect(try cli.run("export", "uima-xmi", "--out", out).status == 73)
    }

    /// A layer coded in Gloss goes out as webanno.custom.Layer (capitalised, as INCEpTION names custom layers) with its features; offsets over an astral emoji,
    /// a combining mark and ZWNJ are UTF-16 units.
    @Test func aGlossLayerGoesOutAsACustomType() throws {
        let cli = try CLI()
        #expect(try cli.run("init").status == 0)
        // Code points: "😀 " 0–1, "cafe\u{301}" 2–6, " " 7, "نمی\u{200C}خواهم" 8–16; UTF-16: 😀 is two units.
        let text = "😀 cafe\u{301} نمی\u{200C}خواهم"
        #expect(try cli.run("import", "docs", try cli.folder.write("d.jsonl", JSONValue.object(["id": .string("d"), "text": .string(text)]).canonicalJSON + "\n")).status == 0)
        #expect(try cli.run("annotate", "add", "--doc", "d", "--coder", "alice", "--layer", "claim", "--start", "2", "--end", "7",
                            "--set", "kind=shelling", "--allow-uncoded-layers").status == 0)
        #expect(try cli.run("annotate", "add", "--doc", "d", "--coder", "alice", "--layer", "claim", "--start", "8", "--end", "17",
                            "--set", "kind=other", "--allow-uncoded-layers").status == 0)
        let out = cli.folder.path("xmi")
        #expect(try cli.run("export", "uima-xmi", "--out", out, "--layer", "claim").status == 0)
        let xmi = try String(contentsOfFile: out + "/d.xmi", encoding: .utf8)
        // By hand in UTF-16 units: cafe + U+0301 is [3, 8); the Persian word with ZWNJ is [9, 18).
        #expect(xmi.contains(#"<custom:Claim xmi:id="3" sofa="1" begin="3" end="8" kind="shelling"/>"#), "\(xmi)")
        #expect(xmi.contains(#"<custom:Claim xmi:id="4" sofa="1" begin="9" end="18" kind="other"/>"#), "\(xmi)")
        let typeSystem = try String(contentsOfFile: out + "/TypeSystem.xml", encoding: .utf8)
        #expect(typeSystem.contains("<name>webanno.custom.Claim</name>") && typeSystem.contains("<name>kind</name>"))
    }
}

/// The fixture project's brat export, read by brat's own reader (`.ci/interop-check brat`, with brat's vendored
/// annotation.py): no line fails, and every span's text is the document's text at its fragments. The fixture has a
/// CRLF article and statements that run over a paragraph break.
@Suite("brat's own reader")
struct BratReaderTests {
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3"), "/usr/bin/python3 is not installed"))
    func bratReadsTheExportWithoutAFailedLine() throws {
        let cli = try CLI()
        let fixtures = TestPaths.fixtures.path
        try #require(try cli.run("init").status == 0)
        try #require(try cli.run("import", "docs", fixtures + "/documents.jsonl", fixtures + "/articles").status == 0)
        try #require(try cli.run("import", "annotations", fixtures + "/annotations").status == 0)
        #expect(try cli.run("export", "brat", "--out", cli.folder.path("brat"), "--layer", "statement,actor,allegation").status == 0)
        let check = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/python3"),
                                          [TestPaths.packageRoot.appendingPathComponent(".ci/interop-check").path, "brat",
                                           cli.folder.path("brat")])
        #expect(check.status == 0, "\(check.standardOutput)\(check.standardError)")
        // Fixtures/annotations holds 109 annotations of these three layers.
        #expect(check.standardOutput.contains("OK: 109 text-bound annotations"), "\(check.standardOutput)")
    }
}
