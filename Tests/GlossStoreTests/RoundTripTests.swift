import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

@Suite("Export and re-import")
struct RoundTripTests {
    /// The project fixtures: documents.jsonl, the CRLF article and three coders' annotations.
    static func importFixtures(into project: TestProject) throws {
        let fixtures = TestPaths.fixtures
        try project.importDocuments([fixtures.appendingPathComponent("documents.jsonl").path, fixtures.appendingPathComponent("articles").path])
        try project.importAnnotations([fixtures.appendingPathComponent("annotations").path])
    }

    @Test(arguments: StoreKind.testable)
    func exportImportExportIsByteIdentical(_ store: StoreKind) throws {
        let source = try TestProject(store)
        try Self.importFixtures(into: source)
        // Give the history a gap and an edit-free delete, so ids are not simply 1...n.
        let removed = try source.store.read { try $0.annotations() }[3].id
        try source.store.write { try $0.deleteAnnotation(id: removed, context: TestProject.context()) }
        let first = source.folder.path("export-1")
        let firstReport = try NativeExporter(store: source.store).export(to: first)
        // Fixtures/README.md: 8 documents; 37 + 36 + 36 = 109 annotations, one deleted above.
        #expect(firstReport.documents == 8)
        #expect(firstReport.annotations == 108)

        let target = try TestProject(store)
        try target.importDocuments([first + "/documents.jsonl"])
        try target.importAnnotations([first + "/annotations.jsonl"])
        let second = target.folder.path("export-2")
        try NativeExporter(store: target.store).export(to: second)

        for name in ["documents.jsonl", "annotations.jsonl"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: first + "/" + name))
            let b = try Data(contentsOf: URL(fileURLWithPath: second + "/" + name))
            #expect(a == b, "\(name) differs after the round trip")
        }
        #expect(try target.store.read { try $0.annotations() } == source.store.read { try $0.annotations() })
        #expect(try target.store.read { try $0.annotation(id: removed) } == nil)
    }

    @Test(arguments: StoreKind.testable)
    func fixtureQuotesMatchTheirDocuments(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try Self.importFixtures(into: project)
        try project.store.read { reader in
            var count = 0
            try reader.forEachAnnotation(matching: AnnotationFilter()) { annotation in
                let document = try #require(try reader.document(externalID: annotation.documentID))
                let scalars = Array(document.text.unicodeScalars)
                var expected = String.UnicodeScalarView()
                expected.append(contentsOf: scalars[annotation.span.start..<annotation.span.end])
                #expect(Array(annotation.quote.unicodeScalars) == Array(expected))
                count += 1
            }
            #expect(try reader.coderNames() == ["alice", "bob", "chen"])
            #expect(count == 109)
        }
    }

    @Test(arguments: StoreKind.testable)
    func fixtureHazardsSurviveImport(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try Self.importFixtures(into: project)
        let texts = try project.store.read { reader in
            var texts: [String: String] = [:]
            try reader.forEachDocument { texts[$0.externalID] = $0.text }
            return texts
        }
        #expect(texts.count == 8)
        // Offsets from Fixtures/README.md, computed there with Python (str indices are code points).
        let scalars = texts.mapValues { Array($0.unicodeScalars) }
        #expect(scalars["herald-2017-taliban-denial"]?[351] == "\u{200C}")      // ZWNJ in the Dari quotation
        #expect(scalars["dispatch-2017-moscow-conference"]?[904] == "\u{1F621}") // 😡 in a reader comment
        #expect(scalars["meridian-2018-analysts"]?[305] == "\u{0301}")          // e + COMBINING ACUTE ACCENT
        #expect(scalars["amu-2016-border-worries"]?[235] == "\u{00A0}")         // NO-BREAK SPACE
        #expect(scalars["monitor-2018-kabul-reaction"]?[53...54] == ["\r", "\n"]) // the CRLF article, kept as CRLF
        // alice's UTF-16 line [907, 961) lies after the emoji: stored as code points [906, 960).
        let alice = try project.store.read { try $0.annotations(matching: AnnotationFilter(documentID: "dispatch-2017-moscow-conference", coder: "alice")) }
        #expect(alice.contains { $0.span == (try? TextSpan(start: 906, end: 960)) && $0.quote == "Nobody in that room has to live with the consequences." })
    }

    @Test(arguments: StoreKind.testable)
    func reimportingAnExportSkipsWhatIsAlreadyThere(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try Self.importFixtures(into: project)
        let folder = project.folder.path("export")
        let exported = try NativeExporter(store: project.store).export(to: folder)
        let before = try project.dump()
        let report = try project.importAnnotations([folder + "/annotations.jsonl"])
        #expect(report.imported == 0)
        #expect(report.alreadyPresent == exported.annotations)
        #expect(try project.dump() == before)
    }

    @Test(arguments: StoreKind.testable)
    func importingTheSameFileAgainSkipsIdenticalAnnotations(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try Self.importFixtures(into: project)
        let before = try project.dump()
        let again = try project.importAnnotations([TestPaths.fixtures.appendingPathComponent("annotations").path])
        #expect(again.imported == 0)
        #expect(again.alreadyPresent == 109)
        #expect(try project.dump() == before)
        // A changed feature value is a different annotation, and is added.
        let changed = try project.folder.write("changed.jsonl", #"{"document":"amu-2016-border-worries","coder":"alice","layer":"actor","start":266,"end":287,"features":{"actor":"other"}}"#)
        #expect(try project.importAnnotations([changed]).imported == 1)
    }

    @Test(arguments: StoreKind.testable)
    func anExportedIDWithOtherContentIsAConflict(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try project.importDocuments([(id: "d", text: "Russia and the Taliban")])
        try project.importAnnotations([project.folder.write("a.jsonl", #"{"id":7,"document":"d","coder":"a","layer":"l","start":0,"end":6}"#)])
        let before = try project.dump()
        let clash = try project.folder.write("b.jsonl", #"{"id":7,"document":"d","coder":"a","layer":"l","start":11,"end":14}"#)
        #expect { try project.importAnnotations([clash]) } throws: { error in
            let error = try #require(error as? GlossError)
            return error.code == .conflict && error.message.contains("annotation 7 already exists")
        }
        #expect(try project.dump() == before)
    }
}
