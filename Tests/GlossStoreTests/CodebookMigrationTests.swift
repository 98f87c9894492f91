import Foundation
import GlossCodebook
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

@Suite("Codebook versions and migrations")
struct CodebookMigrationTests {
    static let version1 = """
        id: mig
        version: 1
        title: Migration test
        layers:
          - id: claim
            features:
              - id: certainty
                type: ordinal
                codes:
                  - {id: unverified, label: Unverified}
                  - {id: confirmed, label: Confirmed}
              - id: topics
                type: categories
                codes:
                  - {id: civilian_deaths, label: Deaths}
                  - {id: civilian_injuries, label: Injuries}
                  - {id: displacement, label: Displacement}
              - id: kind
                type: category
                codes:
                  - {id: violation, label: Violation}
                  - {id: compliance, label: Compliance}

        """

    /// Renames `unverified` to `rumour`, merges deaths and injuries into `civilian_harm`, splits `violation`,
    /// and makes `kind` required.
    static let version2 = """
        id: mig
        version: 2
        title: Migration test
        layers:
          - id: claim
            features:
              - id: certainty
                type: ordinal
                codes:
                  - {id: rumour, label: Rumour}
                  - {id: confirmed, label: Confirmed}
              - id: topics
                type: categories
                codes:
                  - {id: civilian_harm, label: Civilian harm}
                  - {id: displacement, label: Displacement}
              - id: kind
                type: category
                required: true
                codes:
                  - id: violation
                    label: Violation
                    codable: false
                    codes:
                      - {id: violation.shelling, label: Shelling}
                      - {id: violation.ground_attack, label: Ground attack}
                  - {id: compliance, label: Compliance}
        migrations:
          - layer: claim
            feature: certainty
            rename: {unverified: rumour}
          - layer: claim
            feature: topics
            merge: {civilian_harm: [civilian_deaths, civilian_injuries]}
          - layer: claim
            feature: kind
            split: {violation: [violation.shelling, violation.ground_attack]}

        """

    static func project(_ store: StoreKind = .sqlite) throws -> TestProject {
        let project = try TestProject(store)
        try project.importDocuments([(id: "d", text: "Shelling was reported near the river; the ceasefire held elsewhere.")])
        _ = try CodebookRegistration(store: project.store).register(file: project.folder.write("v1.yaml", version1), context: TestProject.context())
        let records = [
            AnnotationRecord(documentID: "d", coder: "alice", layer: "claim", start: 0, end: 8,
                             features: ["certainty": .string("unverified"), "topics": .array([.string("civilian_deaths"), .string("civilian_injuries")]), "kind": .string("compliance")]),
            AnnotationRecord(documentID: "d", coder: "alice", layer: "claim", start: 38, end: 51,
                             features: ["certainty": .string("confirmed"), "topics": .array([.string("displacement")]), "kind": .string("violation")]),
            AnnotationRecord(documentID: "d", coder: "bob", layer: "claim", start: 0, end: 8, features: ["certainty": .string("confirmed")]),
        ]
        for record in records {
            try project.store.write { try AnnotationIngest(writer: $0, context: TestProject.context()).add(record) }
        }
        _ = try CodebookRegistration(store: project.store).register(file: project.folder.write("v2.yaml", version2), context: TestProject.context())
        return project
    }

    @Test(arguments: StoreKind.testable)
    func validateFindsViolationsOfAStricterVersion(_ store: StoreKind) throws {
        let project = try Self.project(store)
        let findings = try ProjectValidator(store: project.store).findings()
        // Checked against mig@2: codes that v2 renamed, merged or made a grouping node, and the newly required kind.
        #expect(findings.map { "\($0.annotation.id): \($0.message)" } == [
            "1: certainty is 'unverified', which is not one of its codes; allowed: rumour, confirmed",
            "1: topics is 'civilian_deaths', which is not one of its codes; allowed: civilian_harm, displacement",
            "2: kind is 'violation', a grouping code that cannot be assigned; choose one of its codes: violation.shelling, violation.ground_attack",
            "3: kind is required but not set",
        ])
        #expect(findings.allSatisfy { $0.checkedAgainst == CodebookReference(id: "mig", version: 2) })
    }

    @Test(arguments: StoreKind.testable)
    func migrationRenamesMergesAndFlagsSplits(_ store: StoreKind) throws {
        let project = try Self.project(store)
        let context = ChangeContext(actor: "lead", time: "2026-11-22T08:00:00.000Z", source: "codebook migrate --to 2")
        let before = try project.dump()
        let dryRun = try CodebookMigrator(store: project.store).migrate(codebook: nil, to: 2, dryRun: true, context: context)
        #expect(dryRun.migrated.count == 3 && dryRun.recoded == 1 && dryRun.flagged.map(\.id) == [2])
        #expect(try project.dump() == before)

        let report = try CodebookMigrator(store: project.store).migrate(codebook: "mig", to: 2, dryRun: false, context: context)
        #expect(report.migrated.count == 3 && report.recoded == 1 && report.flagged.map(\.id) == [2])
        let annotations = try project.store.read { try $0.annotations() }
        #expect(annotations[0].features == ["certainty": .string("rumour"), "topics": .array([.string("civilian_harm")]), "kind": .string("compliance")])
        #expect(annotations[1].features["kind"] == .string("violation"))
        #expect(annotations[1].needsRecoding == "version 2 splits kind 'violation' into violation.shelling, violation.ground_attack: choose one")
        #expect(annotations.allSatisfy { $0.codebook == CodebookReference(id: "mig", version: 2) && $0.revision == 2 && $0.updatedAt == context.time })

        let audit = try project.store.read { try $0.auditEntries(limit: 3) }
        #expect(audit.map(\.action) == [.update, .update, .update])
        #expect(audit.map(\.entityID) == ["1", "2", "3"])
        #expect(audit[0].before?.contains(#""certainty":"unverified""#) == true)
        #expect(audit[0].after?.contains(#""certainty":"rumour""#) == true)
        #expect(audit[0].after?.contains(#""codebook":"mig@2""#) == true)

        // What remains for a person: the flagged split, and bob's missing kind.
        #expect(try ProjectValidator(store: project.store).findings().map(\.annotation.id) == [2, 2, 3])
    }

    @Test(arguments: StoreKind.testable)
    func anExportWithCodebooksComesBackByteForByte(_ store: StoreKind) throws {
        let source = try Self.project(store)
        _ = try CodebookMigrator(store: source.store).migrate(codebook: "mig", to: 2, dryRun: false, context: TestProject.context())
        let first = source.folder.path("export-1")
        #expect(try NativeExporter(store: source.store).export(to: first).codebooks == 2)

        let target = try TestProject(store)
        for version in ["mig@1.yaml", "mig@2.yaml"] {
            _ = try CodebookRegistration(store: target.store).register(file: first + "/codebooks/" + version, context: TestProject.context())
        }
        try target.importDocuments([first + "/documents.jsonl"])
        // Annotation 2 and 3 break mig@2 (a split code, a missing kind): checked against the version
        // they name, they are refused, which is what a researcher must see before the import.
        #expect { try target.importAnnotations([first + "/annotations.jsonl"]) } throws: {
            ($0 as? GlossError)?.message.contains("breaks codebook mig@2") == true
        }
        // Restoring keeps them as they were, and `validate` finds the same problems as in the source.
        let restored = try AnnotationImporter(store: target.store, options: ImportOptions(restoresExport: true, context: TestProject.context()))
            .importAnnotations(from: [first + "/annotations.jsonl"])
        #expect(restored.imported == 3)
        let second = target.folder.path("export-2")
        try NativeExporter(store: target.store).export(to: second)
        for name in ["documents.jsonl", "annotations.jsonl", "codebooks/mig@1.yaml", "codebooks/mig@2.yaml"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: first + "/" + name)) == Data(contentsOf: URL(fileURLWithPath: second + "/" + name)), "\(name)")
        }
        #expect(try ProjectValidator(store: target.store).findings().map(\.message) == ProjectValidator(store: source.store).findings().map(\.message))
    }

    @Test(arguments: StoreKind.testable)
    func refusesVersionsOutOfOrderAndChangedContent(_ store: StoreKind) throws {
        let project = try Self.project(store)
        let changed = try project.folder.write("v2-changed.yaml", Self.version2.replacingOccurrences(of: "title: Migration test", with: "title: Changed"))
        #expect { try CodebookRegistration(store: project.store).register(file: changed, context: TestProject.context()) } throws: {
            ($0 as? GlossError)?.code == .conflict && ($0 as? GlossError)?.message.contains("already registered with different content") == true
        }
        let skipped = try project.folder.write("v4.yaml", Self.version2.replacingOccurrences(of: "version: 2", with: "version: 4"))
        #expect { try CodebookRegistration(store: project.store).register(file: skipped, context: TestProject.context()) } throws: {
            ($0 as? GlossError)?.message.contains("the next version to register is 3, not 4") == true
        }
        let again = try CodebookRegistration(store: project.store).register(file: project.folder.write("v2-again.yaml", Self.version2), context: TestProject.context())
        #expect(again == .alreadyRegistered(CodebookReference(id: "mig", version: 2)))
    }
}
