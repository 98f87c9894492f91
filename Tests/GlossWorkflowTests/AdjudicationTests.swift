import GlossAgreement
import GlossCore
import GlossStore
import GlossTestSupport
import GlossWorkflow
import Testing

/// Adjudication of the fixtures' statements in steppe-2016-envoy-remarks. By hand, from Fixtures/annotations:
///
///     alice [302, 399) supportive russia.envoy islamic_state
///     bob   [302, 399) supportive russia.envoy taliban.leadership
///     chen  [302, 399) supportive russia.envoy islamic_state
///
///     alice [652, 736) critical afghan_government russia.government
///     chen  [613, 736) critical afghan_government russia.government
///
/// Exact matching gives three matches: [302, 399) by all three (bob differs on target), chen's [613, 736) and alice's
/// [652, 736). Unanimous merges none of them. Majority merges the first (alice and chen, 2 of 3 > 3/2, target
/// islamic_state). With overlap:0.5, alice's and chen's late spans match too (84 shared of 123 joint code points,
/// 0.68), and majority merges them into the code points both cover, [652, 736).
@Suite("Adjudication")
struct AdjudicationTests {
    static let document = "steppe-2016-envoy-remarks"

    func project() throws -> WorkflowTestProject {
        let project = try WorkflowTestProject()
        try project.importFixtures()
        return project
    }

    func statements(_ project: WorkflowTestProject, coder: String) throws -> [Annotation] {
        try project.store.read {
            try $0.annotations(matching: AnnotationFilter(documentID: Self.document, coder: coder, layer: "statement"))
        }.sorted { $0.span.start < $1.span.start }
    }

    func run(_ project: WorkflowTestProject, _ strategy: Adjudicator.Strategy,
             match: String = "exact") throws -> Adjudicator.Outcome {
        try Adjudicator.run(.init(layer: "statement", gold: "gold", strategy: strategy,
                                  match: SpanMatch(argument: match) ?? .exact,
                                  matchName: match, documents: [Self.document]),
                            store: project.store, context: WorkflowTestProject.context("adjudicate"))
    }

    @Test func unanimousMergesNothingHereAndSaysWhy() throws {
        let project = try project()
        let outcome = try run(project, .unanimous)
        #expect(outcome.merged == 0)
        #expect(outcome.conflicts.map(\.reason) == [
            "the coders differ on target: alice=islamic_state, bob=taliban.leadership, chen=islamic_state",
            "alice and bob marked no matching span",
            "bob and chen marked no matching span",
        ])
        #expect(outcome.conflicts[0].candidates.map(\.coder) == ["alice", "bob", "chen"])
        #expect(outcome.conflicts[0].candidates.allSatisfy { $0.start == 302 && $0.end == 399 })
    }

    @Test func majorityMergesWhatTwoOfThreeAgreeOnWithItsProvenance() throws {
        let project = try project()
        let outcome = try run(project, .majority)
        #expect(outcome.merged == 1 && outcome.conflicts.count == 2)
        let gold = try statements(project, coder: "gold")
        try #require(gold.count == 1)
        #expect(gold[0].span == (try TextSpan(start: 302, end: 399)))
        #expect(gold[0].features["target"] == .string("islamic_state"))
        let sources = [try statements(project, coder: "alice")[0].id, try statements(project, coder: "chen")[0].id]
        guard case .object(let provenance)? = gold[0].provenance else { Issue.record("no provenance"); return }
        #expect(provenance["sources"] == .array(sources.map { .integer(Int($0)) }))
        #expect(provenance["rule"] == .string("majority"))
        #expect(provenance["at"] == .string("2026-12-03T12:00:00.000Z"))
        #expect(gold[0].nativeJSONLine.contains("\"provenance\":{"))
        let audited = try project.store.read { try $0.auditEntries(limit: nil) }
        #expect(audited.contains {
            $0.entity == .annotation && $0.entityID == String(gold[0].id) && $0.after?.contains("\"sources\"") == true
        })
    }

    @Test func overlapMatchingMergesTheCodePointsMostCodersCover() throws {
        let project = try project()
        let outcome = try run(project, .majority, match: "overlap:0.5")
        #expect(outcome.merged == 2 && outcome.conflicts.isEmpty)
        #expect(try statements(project, coder: "gold").map(\.span)
                == [try TextSpan(start: 302, end: 399), try TextSpan(start: 652, end: 736)])
    }

    @Test func acceptCopiesOneCandidateAndRejectClosesAConflict() throws {
        let project = try project()
        let conflicts = try run(project, .unanimous).conflicts
        let bob = try statements(project, coder: "bob")[0]
        let accepted = try Adjudicator.accept(annotationID: bob.id, gold: "gold", store: project.store,
                                              context: WorkflowTestProject.context("accept"))
        #expect(accepted.state == .accepted && accepted.decidedBy == "tester" && accepted.id == conflicts[0].id)
        let gold = try statements(project, coder: "gold")
        #expect(gold.count == 1 && gold.first?.features == bob.features && gold.first?.span == bob.span)
        let rejected = try Adjudicator.reject(conflictID: conflicts[1].id, store: project.store,
                                              context: WorkflowTestProject.context("reject"))
        #expect(rejected.state == .rejected)
        #expect(throws: GlossError.self) {
            try Adjudicator.reject(conflictID: conflicts[1].id, store: project.store,
                                   context: WorkflowTestProject.context())
        }
        #expect(throws: GlossError.self) {
            try Adjudicator.accept(annotationID: bob.id, gold: "gold", store: project.store,
                                   context: WorkflowTestProject.context())
        }
        let open = try Adjudicator.conflicts(gold: "gold", layer: "statement", store: project.store)
        #expect(open.map(\.id) == [conflicts[2].id])
    }

    @Test func runningAgainKeepsEveryDecisionAndChangesNothing() throws {
        let project = try project()
        _ = try run(project, .majority)
        let before = try databaseDump(at: project.store.path)
        let again = try run(project, .majority)
        #expect(again.merged == 0 && again.conflicts.isEmpty && again.alreadyConsidered == 3)
        #expect(try databaseDump(at: project.store.path) == before)
        // A span added since is merged on its own: here a fourth annotation by bob matches nothing, so it is a
        // conflict.
        try project.store.write { writer in
            _ = try AnnotationIngest(writer: writer, context: WorkflowTestProject.context(), allowsUncodedLayers: true)
                .add(AnnotationRecord(documentID: Self.document, coder: "bob", layer: "statement", start: 0, end: 10,
                                      features: ["stance": .string("neutral")]))
        }
        let third = try run(project, .majority)
        #expect(third.merged == 0 && third.conflicts.count == 1 && third.alreadyConsidered == 3)
    }

    /// alice codes two statements; bob has coded only the first when adjudication first runs, and the second later.
    @Test func aCoderWhoFinishesLateStillAgrees() throws {
        let project = try WorkflowTestProject()
        try project.importDocuments(lengths: [40])
        func code(_ coder: String, _ start: Int, _ end: Int, _ stance: String) throws {
            try project.store.write { writer in
                _ = try AnnotationIngest(writer: writer, context: WorkflowTestProject.context(),
                                         allowsUncodedLayers: true)
                    .add(AnnotationRecord(documentID: "d01", coder: coder, layer: "statement", start: start, end: end,
                                          features: ["stance": .string(stance)]))
            }
        }
        try code("alice", 0, 5, "pro")
        try code("alice", 10, 15, "con")
        try code("bob", 0, 5, "pro")
        let first = try Adjudicator.run(.init(layer: "statement", gold: "gold"), store: project.store,
                                        context: WorkflowTestProject.context())
        #expect(first.merged == 1 && first.conflicts.map(\.reason) == ["bob marked no matching span"])
        try code("bob", 10, 15, "con")
        let second = try Adjudicator.run(.init(layer: "statement", gold: "gold"), store: project.store,
                                         context: WorkflowTestProject.context())
        #expect(second.merged == 1 && second.conflicts.isEmpty)
        #expect(second.superseded == 1 && second.alreadyConsidered == 2)
        #expect(try Adjudicator.conflicts(gold: "gold", layer: nil, store: project.store).isEmpty)
        let gold = try project.store.read { try $0.annotations(matching: AnnotationFilter(coder: "gold")) }
        #expect(gold.map(\.span) == [try TextSpan(start: 0, end: 5), try TextSpan(start: 10, end: 15)])
        // A gold annotation written by hand records the person who decided.
        try project.store.write { writer in
            _ = try AnnotationIngest(writer: writer, context: WorkflowTestProject.context("annotate add"),
                                     allowsUncodedLayers: true)
                .add(AnnotationRecord(documentID: "d01", coder: "gold", layer: "statement", start: 20, end: 30,
                                      features: ["stance": .string("pro")]))
        }
        let golds = try project.store.read { try $0.annotations(matching: AnnotationFilter(coder: "gold")) }
        let byHand = try #require(golds.last)
        #expect(byHand.provenance == .object(["sources": .array([]), "rule": .string("manual"),
                                              "decided_by": .string("tester"),
                                              "at": .string("2026-12-03T12:00:00.000Z")]))
        // Nor can a gold coder be given documents to code.
        #expect(throws: GlossError.self) {
            try AssignmentPlanner.assign(.init(coders: ["alice", "gold"], overlap: 0), store: project.store,
                                         context: WorkflowTestProject.context(), dryRun: true)
        }
    }

    @Test func theMajoritySpanIsWhatMoreThanHalfCover() throws {
        func span(_ start: Int, _ end: Int) throws -> TextSpan { try TextSpan(start: start, end: end) }
        // Three spans: code points 10–50 are covered by at least two.
        #expect(Adjudicator.majoritySpan([try span(10, 50), try span(10, 52), try span(12, 50)]) == (try span(10, 50)))
        // Two spans: only what both cover is more than half.
        #expect(Adjudicator.majoritySpan([try span(10, 50), try span(30, 60)]) == (try span(30, 50)))
        // Two stretches covered by a majority: no single span.
        #expect(Adjudicator.majoritySpan([try span(0, 10), try span(0, 30), try span(20, 30)]) == nil)
    }
}
