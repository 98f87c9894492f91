import Foundation
import GlossCore
@testable import GlossStore
import GlossTestSupport
import Synchronization
import Testing

/// What only the PostgreSQL store has to show: opening, refusing, its locks and moving a project in and out of it.
/// The other store tests run on it too, through `StoreKind.testable`.
@Suite("PostgreSQL store")
struct PostgresStoreTests {
    static let reason = Comment(rawValue: TestPostgres.unavailableReason)

    @Test(.enabled(if: TestPostgres.isAvailable, reason))
    func theServerIsThereAndAProjectIsCreatedOnce() throws {
        let url = try TestPostgres.newDatabaseURL()
        #expect { try PostgresStore(url: try PostgresURL(url)) } throws: { ($0 as? GlossError)?.code == .missingInput }
        #expect(try PostgresStore(url: try PostgresURL(url), creating: true).schemaState == .created)
        #expect(try PostgresStore(url: try PostgresURL(url), creating: true).schemaState == .current)
    }

    @Test(.enabled(if: TestPostgres.isAvailable, reason))
    func refusesADatabaseOfSomethingElseAndAMissingOne() throws {
        let url = try TestPostgres.newDatabaseURL()
        try TestPostgres.execute("CREATE TABLE invoices (id INTEGER)", in: url)
        #expect { try PostgresStore(url: try PostgresURL(url), creating: true) } throws: {
            ($0 as? GlossError)?.code == .badData && ($0 as? GlossError)?.message.contains("invoices") == true
        }
        var missing = try PostgresURL(url)
        missing.database = "no_such_database"
        #expect { try PostgresStore(url: missing) } throws: {
            ($0 as? GlossError)?.code == .missingInput && ($0 as? GlossError)?.message.contains("3D000") == true
        }
    }

    @Test(.enabled(if: TestPostgres.isAvailable, reason))
    func theAuditLogCannotBeRewritten() throws {
        let url = try TestPostgres.newDatabaseURL()
        let store = try PostgresStore(url: try PostgresURL(url), creating: true)
        try store.write { try $0.insert(Document(externalID: "d", title: "d", text: "text", importedAt: "t"),
                                         context: TestProject.context()) }
        for statement in ["UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log", "TRUNCATE audit_log"] {
            #expect(throws: (any Error).self, "\(statement)") { try TestPostgres.execute(statement, in: url) }
        }
        #expect(try store.read { try $0.auditEntries(limit: nil) }.map(\.actor) == ["tester"])
    }

    /// SQLite → PostgreSQL → SQLite: every row, the ids a store gives next (after the newest annotation was deleted)
    /// and the native export stay the same; a new annotation then gets the same id in all three.
    @Test(.enabled(if: TestPostgres.isAvailable, reason))
    func aProjectMovesBetweenTheStoresWhole() throws {
        let source = try CodebookMigrationTests.project()
        let newest = try #require(try source.store.read { try $0.annotations() }.last)
        try source.store.write { try $0.deleteAnnotation(id: newest.id, context: TestProject.context()) }
        let postgres = try TestPostgres.newStore()
        let report = try ProjectCopy.copy(from: source.store, to: postgres)
        // The audit log: the document, codebook v1, coder alice, her two claims, coder bob, his claim, codebook v2,
        // and the deletion: 9 entries.
        #expect(report.rows["annotation"] == 2 && report.rows["audit_log"] == 9)
        let back = try SQLiteStore(path: source.folder.path("back.sqlite"), creating: true)
        _ = try ProjectCopy.copy(from: postgres, to: back)
        let dump = try source.dump()
        #expect(dump.contains("annotation \(newest.id + 1)"))
        #expect(try ProjectCopy.dump(postgres) == dump)
        #expect(try ProjectCopy.dump(back) == dump)
        let exports = try [source.store, postgres, back].enumerated().map { index, store in
            let folder = source.folder.path("export-\(index)")
            _ = try NativeExporter(store: store).export(to: folder)
            let files = try FileManager.default.subpathsOfDirectory(atPath: folder).sorted().filter { path in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder)
                    && !isFolder.boolValue
            }
            return try files.map { ($0, try Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0))) }
        }
        #expect(exports[0].count >= 2)
        #expect(exports[1].map(\.0) == exports[0].map(\.0) && exports[1].map(\.1) == exports[0].map(\.1))
        #expect(exports[2].map(\.0) == exports[0].map(\.0) && exports[2].map(\.1) == exports[0].map(\.1))
        let record = AnnotationRecord(documentID: "d", coder: "bob", layer: "claim", start: 9, end: 12,
                                      features: ["certainty": .string("confirmed"), "kind": .string("compliance"),
                                                 "topics": .array([.string("displacement")])])
        let ids = try [source.store, postgres, back].map { store in
            try store.write { writer -> Int64? in
                guard case .inserted(let annotation) = try AnnotationIngest(writer: writer,
                                                                            context: TestProject.context()).add(record)
                else { return nil }
                return annotation.id
            }
        }
        #expect(ids == Array(repeating: newest.id + 1, count: 3))
        #expect { try ProjectCopy.copy(from: source.store, to: postgres) } throws: {
            ($0 as? GlossError)?.code == .conflict
        }
    }

    /// Eight threads add 25 annotations each at once: writers take turns, so every write lands with its audit entry.
    @Test(.enabled(if: TestPostgres.isAvailable, reason))
    func concurrentWritersLoseNothing() throws {
        let store = try TestPostgres.newStore()
        try store.write { try $0.insert(Document(externalID: "d", title: "d", text: "Moscow hosted Taliban envoys",
                                                 importedAt: "t"), context: TestProject.context()) }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for index in 0..<25 {
                let record = AnnotationRecord(documentID: "d", coder: "coder\(thread)", layer: "l", start: index % 20,
                                              end: 20, features: ["n": .integer(index)])
                do {
                    try store.write { _ = try AnnotationIngest(writer: $0, context: TestProject.context()).add(record) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
        #expect(try store.read { try $0.annotations() }.count == 200)
        let audit = try store.read { try $0.auditEntries(limit: nil) }
        #expect(audit.filter { $0.entity == .annotation }.count == 200)
        #expect(audit.filter { $0.entity == .coder }.count == 8)
    }

    @Test(arguments: [
        ("postgresql://alice:s%40cret@db.example.org:6543/coverage?sslmode=require",
         "postgresql://alice:***@db.example.org:6543/coverage?sslmode=require", "coverage", true),
        ("postgres://gloss@/project?host=/var/run/postgresql", "postgresql://gloss@/project?host=/var/run/postgresql",
         "project", false),
        ("postgresql://bob@[::1]/team", "postgresql://bob@[::1]:5432/team", "team", false),
        // A password holding "%41" and "@" (encoded %2541 and %40) is decoded once: "p%41@".
        ("postgresql://carol:p%2541%40@localhost/coverage", "postgresql://carol:***@localhost:5432/coverage",
         "coverage", false),
    ])
    func readsConnectionURLs(text: String, shown: String, database: String, tls: Bool) throws {
        let url = try PostgresURL(text)
        #expect(url.description == shown && url.database == database && url.requiresTLS == tls)
        if url.username == "carol" { #expect(url.password == "p%41@") }
        #expect(try PostgresURL(url.connectionString) == url)
    }

    @Test(arguments: ["mysql://localhost/x", "postgresql://localhost:99999/x", "postgresql://localhost/x?sslmode=allow",
                      "postgresql://localhost/x?application_name=y"])
    func refusesWhatIsNotAPostgresURL(text: String) {
        #expect { try PostgresURL(text) } throws: { ($0 as? GlossError)?.code == .usage }
    }
}
