import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import GRDB
import Testing

@Suite("Updating annotations and backing up")
struct UpdateAndBackupTests {
    static func update(_ project: TestProject, _ id: Int64, _ changes: AnnotationIngest.Changes, ifRevision: Int) throws -> Annotation {
        try project.store.write { try AnnotationIngest(writer: $0, context: TestProject.context("annotate update")).update(id: id, changes: changes, ifRevision: ifRevision) }
    }

    @Test(arguments: StoreKind.testable)
    func refusesAStaleRevisionAndChangesNothing(_ store: StoreKind) throws {
        let project = try CodebookMigrationTests.project(store)
        // Checked against the latest version, mig@2: the update recodes the v1 codes as well.
        let recode: [String: JSONValue] = ["kind": .string("compliance"), "certainty": .string("rumour"), "topics": .array([.string("civilian_harm")])]
        let first = try Self.update(project, 1, .init(set: recode, span: (start: 0, end: 12, unit: .codepoint)), ifRevision: 1)
        #expect(first.revision == 2 && first.quote == "Shelling was" && first.codebook?.version == 2)
        let before = try project.dump()
        #expect { try Self.update(project, 1, .init(set: ["kind": .string("compliance")]), ifRevision: 1) } throws: { error in
            let error = try #require(error as? GlossError)
            return error.code == .conflict && error.message.contains("annotation 1 is at revision 2, not 1")
        }
        #expect(try project.dump() == before)
        let audit = try #require(try project.store.read { try $0.auditEntries(limit: 1) }.first)
        #expect(audit.action == .update && audit.entityID == "1" && audit.before?.contains(#""revision":1"#) == true)
    }

    @Test(arguments: StoreKind.testable)
    func recodingClearsTheSplitFlagAndIsChecked(_ store: StoreKind) throws {
        let project = try CodebookMigrationTests.project(store)
        _ = try CodebookMigrator(store: project.store).migrate(codebook: "mig", to: 2, dryRun: false, context: TestProject.context())
        // Annotation 2 kept the split code "violation" and is flagged; a grouping code is refused, a leaf accepted.
        let before = try project.dump()
        #expect { try Self.update(project, 2, .init(set: ["kind": .string("violation")]), ifRevision: 2) } throws: {
            ($0 as? GlossError)?.message.contains("a grouping code that cannot be assigned") == true
        }
        #expect(try project.dump() == before)
        let recoded = try Self.update(project, 2, .init(set: ["kind": .string("violation.shelling")]), ifRevision: 2)
        #expect(recoded.needsRecoding == nil && recoded.features["kind"] == .string("violation.shelling"))
        #expect(!(try ProjectValidator(store: project.store).findings().contains { $0.annotation.id == 2 }))
    }

    /// Another connection holds the write lock for 11 s, longer than the 10 s busy timeout: the write still
    /// lands, on the first retry after the pause.
    @Test func aWriteOutlastsALockHeldPastTheBusyTimeout() throws {
        let project = try TestProject()
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // the transaction stays open across accesses
        let holder = try DatabaseQueue(path: try #require(project.store as? SQLiteStore).path,
                                       configuration: configuration)
        try holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        // A thread of its own releases the lock: the cooperative threads may all be busy with other tests.
        let released = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 11)
            try? holder.writeWithoutTransaction { try $0.execute(sql: "COMMIT") }
            released.signal()
        }
        let clock = ContinuousClock()
        let elapsed = try clock.measure { try project.importDocuments([(id: "d", text: "text")]) }
        released.wait()
        #expect(elapsed > .seconds(10))
        #expect(try project.store.read { try $0.documentSummaries() }.map(\.externalID) == ["d"])
    }

    @Test func backsUpAConsistentCopyAndNeverOverwrites() throws {
        let project = try CodebookMigrationTests.project()
        let store = try #require(project.store as? SQLiteStore)
        let copy = project.folder.path("backup.sqlite")
        try store.backup(to: copy)
        #expect(try ProjectCopy.dump(try SQLiteStore(path: copy)) == project.dump())
        #expect { try store.backup(to: copy) } throws: { ($0 as? GlossError)?.code == .conflict }
    }
}
