import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Synchronization
import Testing

@Suite("Importing documents and annotations")
struct ImportTests {
    @Test(.enabled(if: TestPaths.corpus != nil, Comment(rawValue: TestPaths.corpusMissing)))
    func importsTheSeedCorpusByteForByte() throws {
        let project = try TestProject()
        let files = try TestPaths.corpusFiles()
        #expect(files.count == 5)
        let report = try project.importDocuments(files.map(\.path))
        #expect(report.imported.count == 5)
        for file in files {
            let id = file.deletingPathExtension().lastPathComponent
            let document = try #require(try project.store.read { try $0.document(externalID: id) })
            #expect(Array(document.text.utf8) == Array(try Data(contentsOf: file)))
            // coreutils sha256sum is the independent reference for the stored digest.
            let sha256sum = try ProcessResult.run(URL(fileURLWithPath: "/usr/bin/sha256sum"), [file.path])
            #expect(sha256sum.standardOutput.hasPrefix(document.sha256 + " "))
            #expect(!document.title.isEmpty)
        }
        // The corpus carries NBSP (U+00A0) and NON-BREAKING HYPHEN (U+2011): the stored texts keep them.
        let stored = try project.store.read { reader in
            var texts: [String] = []
            try reader.forEachDocument { texts.append($0.text) }
            return texts
        }
        #expect(stored.contains { $0.unicodeScalars.contains("\u{A0}") })
        #expect(stored.contains { $0.unicodeScalars.contains("\u{2011}") })
    }

    @Test(.enabled(if: TestPaths.corpus != nil, Comment(rawValue: TestPaths.corpusMissing)))
    func skipsADocumentImportedAgainWithTheSameText() throws {
        let project = try TestProject()
        let paths = try TestPaths.corpusFiles().map(\.path)
        try project.importDocuments(paths)
        let before = try project.dump()
        let again = try project.importDocuments(paths)
        #expect(again.imported.isEmpty)
        #expect(again.skipped.count == 5)
        #expect(try project.dump() == before)
    }

    @Test(arguments: StoreKind.testable)
    func refusesTheSameIDWithADifferentTextAndChangesNothing(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try project.importDocuments([(id: "kabul-1", text: "First text.")])
        let before = try project.dump()
        let changed = try project.folder.write("kabul-1.txt", "A different text.")
        let fresh = try project.folder.write("fresh.txt", "A new document.")
        #expect { try project.importDocuments([fresh, changed]) } throws: { error in
            let error = try #require(error as? GlossError)
            return error.code == .conflict && error.message.contains("\"kabul-1\"") && error.location?.file == changed
        }
        #expect(try project.dump() == before)
    }

    @Test(arguments: StoreKind.testable)
    func dropsAByteOrderMarkAndKeepsCRLF(_ store: StoreKind) throws {
        let project = try TestProject(store)
        let path = try project.folder.write("bom.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("Title\r\n\r\nBody\r\n".utf8))
        try project.importDocuments([path])
        let document = try #require(try project.store.read { try $0.document(externalID: "bom") })
        #expect(document.text == "Title\r\n\r\nBody\r\n")
        #expect(document.title == "Title")
    }

    @Test(arguments: StoreKind.testable)
    func refusesInvalidUTF8WithLineAndColumn(_ store: StoreKind) throws {
        let project = try TestProject(store)
        // Line 2, after "ab": 0xC3 followed by "(" is an invalid sequence.
        let path = try project.folder.write("broken.txt", bytes: Array("first\nab".utf8) + [0xC3, 0x28])
        #expect { try project.importDocuments([path]) } throws: { error in
            let error = try #require(error as? GlossError)
            return error.code == .badData && error.location == SourceLocation(file: path, line: 2, column: 3)
        }
    }

    /// Documents for the annotation tests: "a😀b …" makes UTF-16 and UTF-8 offsets differ from code points.
    static let documents: [(id: String, text: String)] = [
        (id: "d1", text: "a😀b «می‌خواهیم» cafe\u{301}\r\nend"),
        (id: "d2", text: "plain text"),
    ]

    /// Bad lines, each placed after two good ones, with the message and column each must produce.
    @Test(arguments: [
        (#"{"document":"d1","coder":"c","layer":"l","start":0,"end":99}"#, "outside the text", nil as Int?),
        (#"{"document":"d1","coder":"c","layer":"l","start":0,"end":2,"unit":"utf16"}"#, "inside a surrogate pair", nil),
        (#"{"document":"d1","coder":"c","layer":"l","start":0,"end":3,"unit":"utf8"}"#, "inside a multi-byte character", nil),
        (#"{"document":"d1","coder":"c","layer":"l","start":0,"end":2,"text":"ab"}"#, "does not match", nil),
        (#"{"document":"nope","coder":"c","layer":"l","start":0,"end":2}"#, "unknown document \"nope\"", nil),
        (#"{"document":"d1","coder":"c","layer":"l","start":0,"end":2,}"#, "expected a string key", 60),
        (#"{"document":"d1","coder":"c","layer":"l","start":3,"end":2}"#, "lies before", nil),
        ("", "empty line", nil),
    ])
    func aBadLineRejectsTheWholeImport(line: String, message: String, column: Int?) throws {
        let project = try TestProject()
        try project.importDocuments(Self.documents)
        let before = try project.dump()
        let good = [
            #"{"document":"d1","coder":"alice","layer":"statement","start":0,"end":3,"text":"a😀b"}"#,
            #"{"document":"d2","coder":"bob","layer":"statement","start":0,"end":5}"#,
        ]
        let path = try project.folder.write("annotations.jsonl", (good + [line, good[1]]).joined(separator: "\n") + "\n")
        #expect { try project.importAnnotations([path]) } throws: { error in
            let error = try #require(error as? GlossError)
            return error.code == .badData && error.message.contains(message)
                && error.location == SourceLocation(file: path, line: 3, column: column)
        }
        #expect(try project.dump() == before)
    }

    @Test(arguments: StoreKind.testable)
    func skipInvalidImportsTheRestAndReportsEachBadLine(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try project.importDocuments(Self.documents)
        let lines = [
            #"{"document":"d1","coder":"alice","layer":"statement","start":0,"end":3}"#,
            #"{"document":"d1","coder":"alice","layer":"statement","start":0,"end":99}"#,
            #"not json"#,
            #"{"document":"d2","coder":"bob","layer":"statement","start":0,"end":5}"#,
        ]
        let path = try project.folder.write("annotations.jsonl", lines.joined(separator: "\n"))
        let skipped = Mutex<[Int]>([])
        let report = try project.importAnnotations([path], skipsInvalid: true) { error in skipped.withLock { $0.append(error.location?.line ?? 0) } }
        #expect(report.imported == 2)
        #expect(report.invalid == 2)
        #expect(skipped.withLock { $0 } == [2, 3])
        #expect(try project.store.read { try $0.annotations() }.count == 2)
    }

    @Test(arguments: StoreKind.testable)
    func keepsIDsThatDifferOnlyInNormalizationApart(_ store: StoreKind) throws {
        // "José" with precomposed é (U+00E9) and with e + U+0301: equal to Swift's ==, different bytes.
        let composed = "Jos\u{E9}", decomposed = "Jose\u{301}"
        let project = try TestProject(store)
        try project.importDocuments([(id: composed, text: "composed text"), (id: decomposed, text: "decomposed text")])
        let lines = [
            JSONValue.object(["document": .string(composed), "coder": .string("a"), "layer": .string("l"), "start": .integer(0), "end": .integer(8)]),
            JSONValue.object(["document": .string(decomposed), "coder": .string("a"), "layer": .string("l"), "start": .integer(0), "end": .integer(10)]),
        ].map(\.canonicalJSON)
        try project.importAnnotations([project.folder.write("a.jsonl", lines.joined(separator: "\n"))])
        let stored = try project.store.read { try $0.annotations() }
        #expect(stored.map { Array($0.documentID.utf8) } == [Array(composed.utf8), Array(decomposed.utf8)])
        #expect(stored.map { Array($0.quote.utf8) } == [Array("composed".utf8), Array("decomposed".utf8)])
        // A quote given in the other normalization form does not match.
        let wrongForm = try project.folder.write("b.jsonl", JSONValue.object([
            "document": .string("x"), "coder": .string("a"), "layer": .string("l"), "start": .integer(0), "end": .integer(4),
            "text": .string("caf\u{E9}"),
        ]).canonicalJSON)
        try project.importDocuments([(id: "x", text: "cafe\u{301}")])
        #expect { try project.importAnnotations([wrongForm]) } throws: { ($0 as? GlossError)?.message.contains("does not match") == true }
    }

    @Test(arguments: StoreKind.testable)
    func ignoresBlankLinesAtTheEndOfAFile(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try project.importDocuments(Self.documents)
        let path = try project.folder.write("a.jsonl", #"{"document":"d2","coder":"a","layer":"l","start":0,"end":5}"# + "\n\n \r\n\n")
        #expect(try project.importAnnotations([path]).imported == 1)
    }

    @Test(arguments: StoreKind.testable)
    func convertsUTF16AndUTF8OffsetsToCodePoints(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try project.importDocuments(Self.documents)
        // In "a😀b «می‌خواهیم» cafe\u{301}\r\nend" the Dari word is code points 5..<14.
        // UTF-16: 😀 adds one unit, so 6..<15. UTF-8: a(1) 😀(4) b(1) space(1) «(2) = byte 9; the word is
        // 8 Arabic letters × 2 bytes + ZWNJ 3 bytes = 19 bytes, so 9..<28. (Checked with Python's encode.)
        let lines = [
            #"{"document":"d1","coder":"alice","layer":"l","start":6,"end":15,"unit":"utf16","text":"می‌خواهیم"}"#,
            #"{"document":"d1","coder":"bob","layer":"l","start":9,"end":28,"unit":"utf8","text":"می‌خواهیم"}"#,
            #"{"document":"d1","coder":"chen","layer":"l","start":16,"end":24,"text":"cafe\u0301\r\ne"}"#,
        ]
        try project.importAnnotations([project.folder.write("a.jsonl", lines.joined(separator: "\n"))])
        let stored = try project.store.read { try $0.annotations() }
        #expect(stored.map(\.span) == [try TextSpan(start: 5, end: 14), try TextSpan(start: 5, end: 14), try TextSpan(start: 16, end: 24)])
        #expect(stored.map { Array($0.quote.utf8) } == ["می‌خواهیم", "می‌خواهیم", "cafe\u{301}\r\ne"].map { Array($0.utf8) })
        #expect(try project.store.read { try $0.coderNames() } == ["alice", "bob", "chen"])
    }
}
