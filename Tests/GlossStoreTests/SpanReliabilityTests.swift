import GlossAgreement
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

@Suite("Reliability data from coded spans")
struct SpanReliabilityTests {
    /// "Para one is here." is [0, 17); the blank line ends at 19, where "Para two is here." starts.
    static func project(_ store: StoreKind = .sqlite) throws -> TestProject {
        let project = try TestProject(store)
        try project.importDocuments([(id: "d", text: "Para one is here.\n\nPara two is here.")])
        let lines = [
            #"{"document":"d","coder":"a","layer":"l","start":0,"end":4,"features":{"f":"x"}}"#,
            #"{"document":"d","coder":"a","layer":"l","start":5,"end":17,"features":{"f":"y"}}"#,
            #"{"document":"d","coder":"a","layer":"l","start":19,"end":23,"features":{"f":"x"}}"#,
            #"{"document":"d","coder":"b","layer":"l","start":0,"end":17,"features":{"f":"y"}}"#,
        ]
        try project.importAnnotations([project.folder.write("a.jsonl", lines.joined(separator: "\n"))])
        return project
    }

    @Test(arguments: StoreKind.testable)
    func takesTheCodeCoveringMostOfEachUnit(_ store: StoreKind) throws {
        let project = try Self.project(store)
        // Paragraph 1: a's "x" covers 4 code points, "y" 12, so a = y; b = y. Paragraph 2: a = x, b has no span.
        let paragraphs = try SpanReliability.build(store: project.store, layer: "l", feature: "f", unit: .paragraph,
                                                   coders: nil, documents: nil, presence: false)
        #expect(paragraphs.units.map(\.span) == [try TextSpan(start: 0, end: 19), try TextSpan(start: 19, end: 36)])
        #expect(paragraphs.coders == ["a", "b"])
        let labels = paragraphs.data.categories.map(\.label)
        #expect((0..<2).map { unit in (0..<2).map { paragraphs.data.value(unit: unit, coder: $0).map { labels[$0] } } } == [["y", "y"], ["x", nil]])
        // The spans behind each value: a's y span [5, 17) (not its x [0, 4)), b's [0, 17); a's x [19, 23), none for b.
        #expect(paragraphs.valueSpans == [[[try TextSpan(start: 5, end: 17)], [try TextSpan(start: 0, end: 17)]], [[try TextSpan(start: 19, end: 23)], []]])
        // Only paragraph 1 is pairable and both say y: no variation.
        #expect(paragraphs.data.krippendorffAlpha(metric: .nominal).number == nil)

        // With presence, paragraph 2 is x against (none). By hand: o_yy = 2, o_x(none) = o_(none)x = 1, n = 4,
        // n_y = 2, n_x = n_(none) = 1; α = 1 − (n − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k = 1 − 3·2 / 2(2 + 2 + 1) = 0.4.
        let presence = try SpanReliability.build(store: project.store, layer: "l", feature: "f", unit: .paragraph,
                                                 coders: nil, documents: nil, presence: true)
        #expect(abs((presence.data.krippendorffAlpha(metric: .nominal).number ?? -1) - 0.4) < 1e-12)

        // The whole document: a's x covers 8 code points and y 12, so a = y, as b.
        let document = try SpanReliability.build(store: project.store, layer: "l", feature: "f", unit: .document,
                                                 coders: nil, documents: nil, presence: false)
        #expect(document.data.categories.map(\.label)[document.data.value(unit: 0, coder: 0) ?? -1] == "y")
        #expect(document.data.percentAgreement() == .value(1))
    }

    @Test(arguments: StoreKind.testable)
    func takesTheSpansOfAUnitLayerAsUnits(_ store: StoreKind) throws {
        let project = try Self.project(store)
        // Units marked on layer "seg" by two coders; b's [0, 10) repeats a's and is one unit.
        let units = [
            #"{"document":"d","coder":"a","layer":"seg","start":0,"end":10,"features":{}}"#,
            #"{"document":"d","coder":"a","layer":"seg","start":10,"end":17,"features":{}}"#,
            #"{"document":"d","coder":"b","layer":"seg","start":0,"end":10,"features":{}}"#,
            #"{"document":"d","coder":"b","layer":"seg","start":19,"end":36,"features":{}}"#,
        ]
        try project.importAnnotations([project.folder.write("units.jsonl", units.joined(separator: "\n"))])
        let data = try SpanReliability.build(store: project.store, layer: "l", feature: "f", unit: .layer("seg"),
                                             coders: nil, documents: nil, presence: false)
        #expect(data.units.map(\.span) == [try TextSpan(start: 0, end: 10), try TextSpan(start: 10, end: 17), try TextSpan(start: 19, end: 36)])
        // [0, 10): a's x covers 4 code points and y 5, so a = y; b's y covers all 10. [10, 17): both y.
        // [19, 36): a's x; b has no span there.
        let labels = data.data.categories.map(\.label)
        #expect((0..<3).map { unit in (0..<2).map { data.data.value(unit: unit, coder: $0).map { labels[$0] } } } == [["y", "y"], ["y", "y"], ["x", nil]])
        #expect(throws: GlossError.self) {
            try SpanReliability.build(store: project.store, layer: "l", feature: "f", unit: .layer("none"), coders: nil, documents: nil, presence: false)
        }
    }

    @Test(arguments: StoreKind.testable)
    func refusesFewerThanTwoCoders(_ store: StoreKind) throws {
        let project = try Self.project(store)
        #expect { try SpanReliability.build(store: project.store, layer: "l", feature: "f", unit: .document, coders: ["a"], documents: nil, presence: false) } throws: {
            ($0 as? GlossError)?.message.contains("at least two coders") == true
        }
    }
}
