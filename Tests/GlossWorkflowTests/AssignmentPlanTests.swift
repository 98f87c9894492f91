import GlossCore
import GlossStore
import GlossTestSupport
import GlossWorkflow
import Testing

@Suite("Assignments")
struct AssignmentPlanTests {
    @Test func theSameSeedGivesTheSamePlanAndAnotherSeedAnotherSample() throws {
        func plan(seed: UInt64) throws -> AssignmentPlanner.Plan {
            let project = try WorkflowTestProject()
            try project.importDocuments(lengths: Array(repeating: 100, count: 30))
            return try AssignmentPlanner.assign(.init(coders: ["alice", "bob", "chen"], overlap: 0.2, seed: seed),
                                                store: project.store, context: WorkflowTestProject.context(),
                                                dryRun: false)
        }
        let first = try plan(seed: 7), again = try plan(seed: 7)
        #expect(first == again)
        func sample(_ plan: AssignmentPlanner.Plan) -> Set<String> {
            Set(plan.assignments.filter { $0.role == .reliability }.map(\.documentID))
        }
        // 30 documents × 0.2 = 6 in the reliability sample; which six depends on the seed.
        #expect(sample(first).count == 6)
        let others = try (1...5).map { try sample(plan(seed: $0)) }
        #expect(others.contains { $0 != sample(first) })
    }

    @Test func theReliabilitySampleGoesToTheRequestedNumberOfCodersAndTheRestToOne() throws {
        let project = try WorkflowTestProject()
        try project.importDocuments(lengths: Array(repeating: 50, count: 20))
        let plan = try AssignmentPlanner.assign(.init(coders: ["a", "b", "c", "d"], overlap: 0.25,
                                                      reliabilityCoders: 2),
                                                store: project.store, context: WorkflowTestProject.context(),
                                                dryRun: false)
        var coders: [String: Int] = [:]
        for assignment in plan.assignments { coders[assignment.documentID, default: 0] += 1 }
        // 20 × 0.25 = 5 documents with two coders each, 15 with one: 25 assignments.
        #expect(coders.values.filter { $0 == 2 }.count == 5)
        #expect(coders.values.filter { $0 == 1 }.count == 15)
        #expect(plan.assignments.count == 25)
        #expect(plan.reliabilityDocuments == 5)
        let stored = try project.store.read { try $0.assignments(coder: nil) }
        #expect(stored.count == 25)
        #expect(stored.allSatisfy { ($0.role == .reliability) == (coders[$0.documentID] == 2) })
    }

    @Test func documentsGoLongestFirstToTheCoderWithLeastText() throws {
        let project = try WorkflowTestProject()
        try project.importDocuments(lengths: [10, 9, 8, 7, 6, 5])
        let plan = try AssignmentPlanner.assign(.init(coders: ["a", "b"], overlap: 0), store: project.store,
                                                context: WorkflowTestProject.context(), dryRun: false)
        // By hand: 10→a, 9→b, 8→b (9 < 10), 7→a (10 < 17), 6→a (17 = 17, a listed first), 5→b (22 < 23).
        let byCoder = Dictionary(grouping: plan.assignments, by: \.coder).mapValues { Set($0.map(\.documentID)) }
        #expect(byCoder["a"] == ["d01", "d04", "d05"])
        #expect(byCoder["b"] == ["d02", "d03", "d06"])
        #expect(plan.coders.map(\.codePoints) == [23, 22])
    }

    @Test func aDocumentNamedTwiceIsAssignedOnce() throws {
        let project = try WorkflowTestProject()
        try project.importDocuments(lengths: [10, 20])
        let request = AssignmentPlanner.Request(coders: ["a", "b"], overlap: 0, documents: ["d02", "d02", "d01"])
        let plan = try AssignmentPlanner.assign(request, store: project.store, context: WorkflowTestProject.context(),
                                                dryRun: false)
        #expect(plan.assignments.map(\.documentID).sorted() == ["d01", "d02"])
    }

    @Test func aDryRunStoresNothing() throws {
        let project = try WorkflowTestProject()
        try project.importDocuments(lengths: [10, 20, 30])
        let before = try databaseDump(at: project.store.path)
        let plan = try AssignmentPlanner.assign(.init(coders: ["a", "b"], overlap: 0.5), store: project.store,
                                                context: WorkflowTestProject.context(), dryRun: true)
        #expect(!plan.stored && !plan.assignments.isEmpty)
        #expect(try databaseDump(at: project.store.path) == before)
    }

    @Test func runningAgainAssignsOnlyNewDocumentsAndKeepsTheShare() throws {
        let project = try WorkflowTestProject()
        try project.importDocuments(lengths: Array(repeating: 40, count: 10))
        let request = AssignmentPlanner.Request(coders: ["a", "b", "c"], overlap: 0.5, reliabilityCoders: 2, seed: 3)
        let first = try AssignmentPlanner.assign(request, store: project.store, context: WorkflowTestProject.context(),
                                                 dryRun: false)
        #expect(first.reliabilityDocuments == 5)
        let unchanged = try AssignmentPlanner.assign(request, store: project.store,
                                                     context: WorkflowTestProject.context(), dryRun: false)
        #expect(unchanged.assignments.isEmpty && unchanged.alreadyAssigned == 10)
        try project.importDocuments(lengths: Array(repeating: 40, count: 10), startingAt: 11)
        let second = try AssignmentPlanner.assign(request, store: project.store, context: WorkflowTestProject.context(),
                                                  dryRun: false)
        // 20 documents × 0.5 = 10 in the sample, 5 of them already: 5 of the 10 new ones join it.
        #expect(Set(second.assignments.map(\.documentID)) == Set((11...20).map { "d\($0)" }))
        #expect(Set(second.assignments.filter { $0.role == .reliability }.map(\.documentID)).count == 5)
        #expect(second.reliabilityDocuments == 10)
        let stored = try project.store.read { try $0.assignments(coder: nil) }
        #expect(stored.filter { first.assignments.contains($0) }.count == first.assignments.count)
    }

    @Test func doneRefusesFurtherWritesUntilReopened() throws {
        let project = try WorkflowTestProject()
        try project.importDocuments(lengths: [20, 20])
        _ = try AssignmentPlanner.assign(.init(coders: ["a", "b"], overlap: 0), store: project.store,
                                         context: WorkflowTestProject.context(), dryRun: false)
        let mine = try project.store.read { try $0.assignments(coder: "a") }
        let document = try #require(mine.first).documentID
        func write(_ coder: String, _ document: String) throws {
            try project.store.write { writer in
                _ = try AnnotationIngest(writer: writer, context: WorkflowTestProject.context(),
                                         allowsUncodedLayers: true)
                    .add(AnnotationRecord(documentID: document, coder: coder, layer: "note", start: 0, end: 2))
            }
        }
        try write("a", document)
        #expect(try project.store.read { try $0.assignments(coder: "a") }.first?.state == .inProgress)
        _ = try ProjectStatus.mark(documentID: document, coder: "a", done: true, store: project.store,
                                   context: WorkflowTestProject.context())
        let before = try databaseDump(at: project.store.path)
        #expect(throws: GlossError.self) { try write("a", document) }
        #expect(try databaseDump(at: project.store.path) == before)
        let other = try #require(try project.store.read { try $0.assignments(coder: "b") }.first).documentID
        do {
            try write("a", other)
            Issue.record("a wrote on b's document")
        } catch let error as GlossError {
            #expect(error.code == .notPermitted)
            #expect(error.message.contains("not assigned document \"\(other)\""))
        }
        _ = try ProjectStatus.mark(documentID: document, coder: "a", done: false, store: project.store,
                                   context: WorkflowTestProject.context())
        try write("a", document)
    }
}
