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

    @Test func exportImportExportIsByteIdentical() throws {
        let source = try TestProject()
        try Self.importFixtures(into: source)
        // Give the history a gap and an edit-free delete, so ids are not simply 1...n.
        let removed = try source.store.read { try $0.annotations() }[3].id
        try source.store.write { try $0.deleteAnnotation(id: removed, context: TestProject.context()) }
        let first = source.folder.path("export-1")
        let firstReport = try NativeExporter(store: source.store).export(to: first)
        #expect(firstReport.documents >= 6)
        #expect(firstReport.annotations >= 75)

        let target = try TestProject()
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

    @Test func fixtureQuotesMatchTheirDocuments() throws {
        let project = try TestProject()
        try Self.importFixtures(into: project)
        try project.store.read { reader in
            var count = 0
            try reader.forEachAnnotation(matching: AnnotationFilter()) { annotation in
                let document = try #require(try reader.document(externalID: annotation.documentID))
                let scalars = Array(document.text.unicodeScalars)
                var expected = String.UnicodeScalarView()
                expected.append(contentsOf: scalars[annotation.span.start..<annotation.span.end])
                #expect(annotation.quote == String(expected))
                count += 1
            }
            #expect(try reader.coderNames() == ["alice", "bob", "chen"])
            #expect(count >= 75)
        }
    }

    @Test func reimportingAnExportSkipsWhatIsAlreadyThere() throws {
        let project = try TestProject()
        try Self.importFixtures(into: project)
        let folder = project.folder.path("export")
        let exported = try NativeExporter(store: project.store).export(to: folder)
        let before = try project.dump()
        let report = try project.importAnnotations([folder + "/annotations.jsonl"])
        #expect(report.imported == 0)
        #expect(report.alreadyPresent == exported.annotations)
        #expect(try project.dump() == before)
    }

    @Test func anExportedIDWithOtherContentIsAConflict() throws {
        let project = try TestProject()
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
