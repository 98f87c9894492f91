import Foundation
import GlossCodebook
import GlossCore
import GlossStore
import GlossTestSupport
import Testing

@Suite("Annotations checked against the codebook")
struct CodebookValidationTests {
    /// Offsets checked with Python: "UN monitors" [0, 11), "the army shelled Kherson" [17, 41), "Mr. Ahmadi" [43, 53),
    /// "monitors said" [3, 16), "reports 120 casualties" [99, 121); the blank line is at 78, "A second" starts at 80.
    static let text = "UN monitors said the army shelled Kherson. Mr. Ahmadi of the police denied it.\n\nA second paragraph reports 120 casualties."

    /// A project with `Codebooks/example-minimal.yaml` (ceasefire-claims@2), a source (id 1) and a claim (id 2) by alice.
    static func project(_ store: StoreKind = .sqlite) throws -> TestProject {
        let project = try TestProject(store)
        try project.importDocuments([(id: "d", text: text)])
        let codebook = TestPaths.packageRoot.appendingPathComponent("Codebooks/example-minimal.yaml").path
        _ = try CodebookRegistration(store: project.store).register(file: codebook, context: TestProject.context())
        try add(project, layer: "source", 0, 11, ["party": .string("un"), "named": .bool(false)])
        try add(project, layer: "claim", 17, 41, ["claim_type": .string("violation.shelling"), "certainty": .string("likely"),
                                                   "accused": .string("state.army"), "source": .integer(1), "topics": .array([.string("civilian_harm")])])
        return project
    }

    @discardableResult
    static func add(_ project: TestProject, layer: String, _ start: Int, _ end: Int, _ features: [String: JSONValue],
                    allowsUncodedLayers: Bool = false) throws -> AnnotationIngest.Outcome {
        let record = AnnotationRecord(documentID: "d", coder: "alice", layer: layer, start: start, end: end, features: features)
        return try project.store.write { try AnnotationIngest(writer: $0, context: TestProject.context(), allowsUncodedLayers: allowsUncodedLayers).add(record) }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var layer: String
        var start: Int
        var end: Int
        var features: [String: JSONValue]
        var message: String
        var testDescription: String { name }
    }

    static let casualtyReport: [String: JSONValue] = ["claim_type": .string("casualty_report"), "certainty": .string("confirmed")]

    static let cases: [Case] = [
        Case(name: "unknown feature", layer: "source", start: 43, end: 53, features: ["party": .string("un"), "named": .bool(true), "colour": .string("red")], message: "layer source has no feature colour"),
        Case(name: "required feature missing", layer: "source", start: 43, end: 53, features: ["party": .string("un")], message: "named is required but not set"),
        Case(name: "grouping code", layer: "source", start: 43, end: 53, features: ["party": .string("state"), "named": .bool(true)], message: "a grouping code that cannot be assigned; choose one of its codes: state.army, state.police"),
        Case(name: "unknown code", layer: "source", start: 43, end: 53, features: ["party": .string("navy"), "named": .bool(true)], message: "party is 'navy', which is not one of its codes; allowed: state.army, state.police, rebels, un, unknown"),
        Case(name: "boolean of another type", layer: "source", start: 43, end: 53, features: ["party": .string("un"), "named": .string("yes")], message: "named must be true or false"),
        Case(name: "text too long", layer: "source", start: 43, end: 53, features: ["party": .string("un"), "named": .bool(true), "name": .string(String(repeating: "x", count: 101))], message: "at most 100 are allowed"),
        Case(name: "forbid rule", layer: "source", start: 43, end: 53, features: ["party": .string("state.police"), "named": .bool(false), "name": .string("Ahmadi")], message: "rule no-name-for-unnamed: Leave the name empty"),
        Case(name: "too many categories", layer: "claim", start: 99, end: 121, features: casualtyReport.merging(["topics": .array(["civilian_harm", "displacement", "humanitarian_access", "prisoners"].map(JSONValue.string))]) { $1 }, message: "topics has 4 codes; choose at most 3"),
        Case(name: "too few categories", layer: "claim", start: 99, end: 121, features: casualtyReport.merging(["topics": .array([])]) { $1 }, message: "choose at least 1"),
        Case(name: "repeated category", layer: "claim", start: 99, end: 121, features: casualtyReport.merging(["topics": .array([.string("displacement"), .string("displacement")])]) { $1 }, message: "topics lists displacement twice"),
        Case(name: "unknown ordinal code", layer: "claim", start: 99, end: 121, features: ["claim_type": .string("casualty_report"), "certainty": .string("certain")], message: "certainty is 'certain', which is not one of its codes"),
        Case(name: "integer below minimum", layer: "claim", start: 99, end: 121, features: casualtyReport.merging(["casualties": .integer(-1)]) { $1 }, message: "casualties is -1; the minimum is 0"),
        Case(name: "fraction for an integer", layer: "claim", start: 99, end: 121, features: casualtyReport.merging(["casualties": .number(2.5)]) { $1 }, message: "casualties must be a whole number"),
        Case(name: "text for a number", layer: "claim", start: 99, end: 121, features: casualtyReport.merging(["distance_km": .string("far")]) { $1 }, message: "distance_km must be a number"),
        Case(name: "require rule", layer: "claim", start: 17, end: 41, features: ["claim_type": .string("violation.ground_attack"), "certainty": .string("likely")], message: "rule violation-needs-accused: A violation needs the accused party and the source. (accused is required here but not set)"),
        Case(name: "check rule", layer: "claim", start: 99, end: 121, features: ["claim_type": .string("casualty_report"), "certainty": .string("rumour"), "casualties": .integer(150)], message: "rule large-tolls-not-rumours: A toll above 100 must be at least \"likely\""),
        Case(name: "forbid rule on another layer", layer: "claim", start: 99, end: 121, features: ["claim_type": .string("compliance"), "certainty": .string("likely"), "casualties": .integer(3)], message: "casualties must not be set here"),
        Case(name: "span too short", layer: "claim", start: 3, end: 6, features: casualtyReport, message: "the span is 3 code points long; layer claim needs at least 5"),
        Case(name: "span too long", layer: "source", start: 0, end: 99, features: ["party": .string("un"), "named": .bool(true)], message: "layer source allows at most 80"),
        Case(name: "span across a sentence", layer: "source", start: 12, end: 53, features: ["party": .string("un"), "named": .bool(true)], message: "crosses a sentence boundary at 43"),
        Case(name: "span across a paragraph", layer: "claim", start: 34, end: 88, features: casualtyReport, message: "crosses a paragraph boundary at 80"),
        Case(name: "overlap on a layer that forbids it", layer: "source", start: 3, end: 16, features: ["party": .string("un"), "named": .bool(false)], message: "it overlaps annotation 1 by the same coder, and layer source forbids overlap"),
        Case(name: "span reference to nothing", layer: "claim", start: 99, end: 121, features: ["claim_type": .string("violation.shelling"), "certainty": .string("likely"), "accused": .string("rebels"), "source": .integer(99)], message: "source refers to annotation 99, which is not an annotation of layer source"),
        Case(name: "span reference to another layer", layer: "claim", start: 99, end: 121, features: ["claim_type": .string("violation.shelling"), "certainty": .string("likely"), "accused": .string("rebels"), "source": .integer(2)], message: "source refers to annotation 2"),
        Case(name: "layer no codebook defines", layer: "frames", start: 0, end: 11, features: [:], message: "layer frames is not defined by any registered codebook"),
    ]

    @Test(arguments: cases, StoreKind.testable)
    func refusesAViolatingWriteAndChangesNothing(_ violation: Case, _ store: StoreKind) throws {
        let project = try Self.project(store)
        let before = try project.dump()
        #expect {
            try Self.add(project, layer: violation.layer, violation.start, violation.end, violation.features)
        } throws: { error in
            let error = try #require(error as? GlossError)
            return error.code == .badData && error.message.contains(violation.message) && error.message.contains("alice")
        }
        #expect(try project.dump() == before)
    }

    @Test(arguments: StoreKind.testable)
    func anIDOfItsOwnDoesNotGetPastForbiddenOverlap(_ store: StoreKind) throws {
        let project = try Self.project(store)
        let before = try project.dump()
        // The same span and features as source 1, but a new id: a second, overlapping annotation.
        let record = AnnotationRecord(id: 50, documentID: "d", coder: "alice", layer: "source", start: 0, end: 11,
                                      features: ["party": .string("un"), "named": .bool(false)])
        #expect { try project.store.write { try AnnotationIngest(writer: $0, context: TestProject.context()).add(record) } } throws: {
            ($0 as? GlossError)?.message.contains("overlaps annotation 1") == true
        }
        #expect(try project.dump() == before)
    }

    @Test(arguments: StoreKind.testable)
    func anEmptySpanOverlapsNothing(_ store: StoreKind) throws {
        let project = try Self.project(store)
        // [5, 5) lies inside source 1's [0, 11) but shares no code point with it.
        #expect(throws: Never.self) { try Self.add(project, layer: "source", 5, 5, ["party": .string("rebels"), "named": .bool(false)]) }
    }

    @Test(arguments: StoreKind.testable)
    func aCanonicallyEquivalentCodeIsNotTheCode(_ store: StoreKind) throws {
        let project = try Self.project(store)
        // U+212A KELVIN SIGN is canonically equivalent to "K": Swift's == says equal, the bytes differ.
        let kelvin = "\u{212A}"
        #expect(kelvin == "K")
        #expect { try Self.add(project, layer: "source", 43, 53, ["party": .string("un" + kelvin), "named": .bool(true)]) } throws: {
            ($0 as? GlossError)?.message.contains("which is not one of its codes") == true
        }
    }

    @Test(arguments: StoreKind.testable)
    func recordsTheCodebookVersionOfEachWrite(_ store: StoreKind) throws {
        let project = try Self.project(store)
        let annotations = try project.store.read { try $0.annotations() }
        #expect(annotations.map(\.codebook) == [CodebookReference(id: "ceasefire-claims", version: 2), CodebookReference(id: "ceasefire-claims", version: 2)])
        // An uncoded layer is accepted when asked for, and records no version.
        guard case .inserted(let uncoded) = try Self.add(project, layer: "frames", 0, 11, [:], allowsUncodedLayers: true) else {
            Issue.record("not inserted")
            return
        }
        #expect(uncoded.codebook == nil)
        #expect(try ProjectValidator(store: project.store).findings().map(\.message) == ["layer frames is not defined by any registered codebook"])
    }

    @Test(arguments: StoreKind.testable)
    func aDocumentLayerCoversTheWholeText(_ store: StoreKind) throws {
        let project = try TestProject(store)
        try project.importDocuments([(id: "d", text: Self.text)])
        let codebook = TestPaths.packageRoot.appendingPathComponent("Codebooks/russia-taliban-coverage.yaml").path
        _ = try CodebookRegistration(store: project.store).register(file: codebook, context: TestProject.context())
        let features: [String: JSONValue] = ["outlet_type": .string("other"), "primary_frame": .string("other")]
        #expect { try Self.add(project, layer: "document", 0, 10, features) } throws: {
            ($0 as? GlossError)?.message.contains("must cover the whole text, start 0 and end 122") == true
        }
        #expect(throws: Never.self) { try Self.add(project, layer: "document", 0, 122, features) }
    }
}
