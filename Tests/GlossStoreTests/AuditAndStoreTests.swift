import Foundation
import GRDB
import GlossCore
@testable import GlossStore
import GlossTestSupport
import Testing

@Suite("Audit log and database handling")
struct AuditAndStoreTests {
    @Test(arguments: StoreKind.testable)
    func recordsAddAndDeleteWithBeforeAndAfter(_ store: StoreKind) throws {
        let project = try TestProject(store)
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

    @Test(arguments: StoreKind.testable)
    func recordsAnImportFileAsOneEntryNamingEveryCreatedID(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try project.importDocuments([(id: "d", text: "Moscow hosted Taliban envoys")])
        // Ids 1 and 2 are taken, 3 is free, 10 is kept from the file; the rest are assigned after 10.
        let lines = [
            #"{"id":1,"document":"d","coder":"a","layer":"l","start":0,"end":6}"#,
            #"{"id":2,"document":"d","coder":"a","layer":"l","start":7,"end":13}"#,
        ]
        try project.importAnnotations([project.folder.write("first.jsonl", lines.joined(separator: "\n"))])
        let second = [
            #"{"id":10,"document":"d","coder":"b","layer":"l","start":0,"end":6}"#,
            #"{"document":"d","coder":"b","layer":"l","start":7,"end":13}"#,
            #"{"document":"d","coder":"b","layer":"l","start":14,"end":21}"#,
            #"{"id":3,"document":"d","coder":"b","layer":"l","start":22,"end":28}"#,
        ]
        let path = try project.folder.write("second.jsonl", second.joined(separator: "\n"))
        try project.importAnnotations([path])
        let entry = try #require(try project.store.read { try $0.auditEntries(limit: 1) }.first)
        #expect(entry.action == .create && entry.entity == .annotation)
        #expect(entry.entityID == "10-12,3")
        #expect(entry.after == #"{"count":4,"ids":"10-12,3"}"#)
        #expect(entry.source == "import annotations " + path)
        #expect(try project.store.read { try $0.annotations() }.map(\.id) == [1, 2, 3, 10, 11, 12])
    }

    @Test(arguments: StoreKind.testable)
    func recordsTheCreationOfACoder(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try project.importDocuments([(id: "d", text: "Moscow hosted Taliban envoys")])
        let context = ChangeContext(actor: "lead", time: "2026-11-21T09:00:00.000Z", source: "annotate add")
        try project.store.write {
            try AnnotationIngest(writer: $0, context: context).add(AnnotationRecord(documentID: "d", coder: "dana", layer: "l", start: 0, end: 6))
        }
        let entries = try project.store.read { try $0.auditEntries(limit: 2) }
        #expect(entries.map(\.entity) == [.coder, .annotation])
        #expect(entries[0].entityID == "dana" && entries[0].actor == "lead")
        #expect(entries[0].after == #"{"name":"dana","created":"2026-11-21T09:00:00.000Z"}"#)
    }

    @Test(arguments: [
        ([] as [Int64], ""), ([5], "5"), ([1, 2, 3, 7, 9, 10], "1-3,7,9-10"), ([10, 11, 12, 3], "10-12,3"),
        ([Int64.max, 5], "9223372036854775807,5"), ([Int64.max - 1, Int64.max], "9223372036854775806-9223372036854775807"),
    ])
    func writesIDRanges(ids: [Int64], ranges: String) {
        #expect(StoredRecords.ranges(of: ids) == ranges)
    }

    @Test func theAuditLogCannotBeRewritten() throws {
        let project = try TestProject()
        try project.importDocuments([(id: "d", text: "text")])
        let queue = try DatabaseQueue(path: try #require(project.store as? SQLiteStore).path)
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "UPDATE audit_log SET actor = 'mallory'") } }
        #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: "DELETE FROM audit_log") } }
    }

    @Test func aVersionThreeProjectUpgradesKeepingItsAuditLogAppendOnly() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("v3.sqlite")
        let queue = try DatabaseQueue(path: path)
        try DatabaseMigrator.gloss.migrate(queue, upTo: "v3: document revisions")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO audit_log (id, at, actor, action, entity, entity_id, source, before, after)
                VALUES (7, '2026-01-01T00:00:00.000Z', 'pi', 'create', 'coder', 'alice', 'old', NULL, '{}')
                """)
        }
        try queue.close()
        let store = try SQLiteStore(path: path)
        #expect(store.schemaState == .upgraded(
            applied: ["v4: assignments, adjudication, provenance of gold annotations, access tokens"]))
        let entries = try store.read { try $0.auditEntries(limit: nil) }
        #expect(entries.map(\.id) == [7] && entries.first?.actor == "pi")
        let reopened = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) { try reopened.write { try $0.execute(sql: "DELETE FROM audit_log") } }
        try reopened.write { db in
            try db.execute(sql: """
                INSERT INTO audit_log (at, actor, action, entity, entity_id, source) \
                VALUES ('t', 'pi', 'create', 'assignment', '1', 's')
                """)
        }
    }

    @Test(arguments: StoreKind.testable)
    func deletingAnUnknownAnnotationIsBadData(_ store: StoreKind) throws {
        let project = try TestProject(store)
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
        let bytes = try Data(contentsOf: URL(fileURLWithPath: foreign))
        #expect { try SQLiteStore(path: foreign) } throws: { ($0 as? GlossError)?.message.contains("not a Gloss project") == true }
        // Refused without being touched: same bytes, no WAL files left beside it.
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == bytes)
        #expect(!FileManager.default.fileExists(atPath: foreign + "-wal"))
        let empty = try folder.write("empty.sqlite", "")
        #expect { try SQLiteStore(path: empty) } throws: { ($0 as? GlossError)?.code == .missingInput }
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
