import Foundation
import GlossCore
import GlossStore
import GlossTestSupport

/// A project in a temporary folder for the workflow tests.
struct WorkflowTestProject {
    let folder: TemporaryDirectory
    let store: SQLiteStore

    init() throws {
        folder = try TemporaryDirectory()
        store = try SQLiteStore(path: folder.path("gloss.sqlite"), creating: true)
    }

    static func context(_ source: String = "test", time: String = "2026-12-03T12:00:00.000Z") -> ChangeContext {
        ChangeContext(actor: "tester", time: time, source: source)
    }

    /// Documents whose texts are `lengths` code points of "x", named d01, d02, …
    func importDocuments(lengths: [Int], startingAt first: Int = 1) throws {
        let lines = lengths.enumerated().map { index, length in
            JSONValue.object(["id": .string(String(format: "d%02d", first + index)),
                              "text": .string(String(repeating: "x", count: length))]).canonicalJSON
        }
        let file = try folder.write("documents-\(UUID().uuidString).jsonl", lines.joined(separator: "\n") + "\n")
        try DocumentImporter(store: store, options: ImportOptions(context: Self.context("import docs")))
            .importDocuments(from: [file])
    }

    /// The fixture articles and the three coders' annotations (no codebook, no assignments).
    func importFixtures() throws {
        let fixtures = TestPaths.fixtures.path
        try DocumentImporter(store: store, options: ImportOptions(context: Self.context("import docs")))
            .importDocuments(from: [fixtures + "/documents.jsonl", fixtures + "/articles"])
        try AnnotationImporter(store: store, options: ImportOptions(allowsUncodedLayers: true,
                                                                    context: Self.context("import annotations")))
            .importAnnotations(from: [fixtures + "/annotations"])
    }
}
