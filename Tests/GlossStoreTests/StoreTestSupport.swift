import Foundation
import GlossCore
import GlossStore
import GlossTestSupport

/// A project in a temporary folder (SQLite) or a new database (PostgreSQL), with shortcuts for the importers.
struct TestProject {
    let folder: TemporaryDirectory
    let store: any ProjectStore

    init(_ kind: StoreKind = .sqlite) throws {
        folder = try TemporaryDirectory()
        store = try kind.makeStore(in: folder)
    }

    static func context(_ source: String = "test") -> ChangeContext {
        ChangeContext(actor: "tester", time: "2026-11-21T12:00:00.000Z", source: source)
    }

    @discardableResult
    func importDocuments(_ paths: [String], skipsInvalid: Bool = false) throws -> DocumentImporter.Report {
        try DocumentImporter(store: store, options: ImportOptions(skipsInvalid: skipsInvalid, context: Self.context("import docs")))
            .importDocuments(from: paths)
    }

    @discardableResult
    func importAnnotations(_ paths: [String], skipsInvalid: Bool = false,
                           skipped: @escaping @Sendable (GlossError) -> Void = { _ in }) throws -> AnnotationImporter.Report {
        try AnnotationImporter(store: store, options: ImportOptions(skipsInvalid: skipsInvalid, context: Self.context("import annotations"),
                                                                    reportSkipped: skipped))
            .importAnnotations(from: paths)
    }

    /// Writes documents as native JSON Lines and imports them.
    func importDocuments(_ documents: [(id: String, text: String)]) throws {
        let lines = documents.map { JSONValue.object(["id": .string($0.id), "text": .string($0.text)]).canonicalJSON }
        try importDocuments([folder.write("documents-\(UUID().uuidString).jsonl", lines.joined(separator: "\n") + "\n")])
    }

    /// Every row of every table, as text: equal dumps mean equal projects.
    func dump() throws -> String { try ProjectCopy.dump(store) }
}
