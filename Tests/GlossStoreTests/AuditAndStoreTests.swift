import Foundation
import GRDB
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

@Suite("Audit log and database handling")
struct AuditAndStoreTests {
    @Test func recordsAddAndDeleteWithBeforeAndAfter() throws {
        let project = try TestProject()
        try project.importDocuments([(id: "d", text: "Moscow hosted Taliban envoys")])
        let record = AnnotationRecord(documentID: "d", coder: "alice", layer: "statement", start: 14, end: 28,
                                      features: ["stance": .string("critical")])
        let added = ChangeContext(actor: "alice", time: "2026-11-21T10:00:00.000Z", source: "annotate add")
        let outcome = try project.store.write { try AnnotationIngest(writer: $0, context: added).add(record) }
        guard case .inserted(let annotation) = outcome else { Issue.record("not inserted"); return }
        #expect(annotation.quote == "Taliban envoys")
        let deleted = ChangeContext(actor: "bob", time: "2026-11-21T11:00:00.000Z", source: "annotate delete")
        try project.store.write { try $0.deleteAnnotation(id: annotation.id, context: deleted) }

        let entries = try project.store.read { try $0.auditEntries(limit: 2) }
        #expect(entries.count == 2)
        #expect(entries[0].action == .create && entries[0].entity == .annotation && entries[0].entityID == String(annotation.id))
        #expect(entries[0].actor == "alice" && entries[0].before == nil && entries[0].after == annotation.nativeJSONLine)
        #expect(entries[1].action == .delete && entries[1].actor == "bob" && entries[1].at == "2026-11-21T11:00:00.000Z")
        #expect(entries[1].before == annotation.nativeJSONLine && entries[1].after == nil)
        #expect(try project.store.read { try $0.annotation(id: annotation.id) } == nil)
        // The document import was audited too.
        #expect(try project.store.read { try $0.auditEntries(limit: nil) }.first?.entity == .document)
    }

    @Test func theAuditLogCannotBeRewritten() throws {
        let project = try TestProject()
        try project.importDocuments([(id: "d", text: "text")])
        let queue = try DatabaseQueue(path: project.store.path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE audit_log SET actor = 'mallory'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM audit_log") } }
    }

    @Test func deletingAnUnknownAnnotationIsBadData() throws {
        let project = try TestProject()
        #expect { try project.store.write { try $0.deleteAnnotation(id: 42, context: TestProject.context()) } } throws: {
            ($0 as? GlossError)?.code == .badData
        }
    }

    @Test func opensOnlyGlossDatabases() throws {
        let folder = try TemporaryDirectory()
        #expect { try SQLiteStore(path: folder.path("missing.sqlite")) } throws: { ($0 as? GlossError)?.code == .missingInput }
        let text = try folder.write("notes.sqlite", "these are notes, not a database\n")
        #expect { try SQLiteStore(path: text) } throws: { ($0 as? GlossError)?.code == .badData }
        let foreign = folder.path("foreign.sqlite")
        try DatabaseQueue(path: foreign).write { try $0.execute(sql: "CREATE TABLE invoices (id INTEGER)") }
        #expect { try SQLiteStore(path: foreign) } throws: { ($0 as? GlossError)?.message.contains("not a Gloss project") == true }
    }

    @Test func initIsIdempotent() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("nested/project.sqlite")
        #expect(try SQLiteStore(path: path, creating: true).schemaState == .created)
        #expect(try SQLiteStore(path: path, creating: true).schemaState == .current)
        let journalMode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(journalMode == "wal")
    }
}
