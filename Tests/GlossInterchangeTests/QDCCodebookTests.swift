import Foundation
import GlossCodebook
import GlossCore
import GlossInterchange
import GlossTestSupport
import Testing

@Suite("REFI-QDA codebook exchange (.qdc)")
struct QDCCodebookTests {
    static let refi = TestPaths.resources.appendingPathComponent("interop/refi-qda")
    static let schema = refi.appendingPathComponent("Codebook.xsd")
    static let example = refi.appendingPathComponent("spec-annexA1-codebook.qdc")

    static func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

    static func codebook(_ name: String) throws -> Codebook {
        let path = TestPaths.packageRoot.appendingPathComponent("Codebooks").appendingPathComponent(name).path
        return try Codebook.parse(String(contentsOfFile: path, encoding: .utf8), file: path)
    }

    static func schemaErrors(_ xml: String) throws -> [String] {
        try QDCCodebook.schemaErrors(in: Array(xml.utf8), file: "export.qdc", schema: bytes(schema), schemaFile: schema.path)
    }

    @Test(arguments: ["russia-taliban-coverage.yaml", "example-minimal.yaml"])
    func exportValidatesAgainstCodebookXSD(_ name: String) throws {
        let export = QDCCodebook.export(try Self.codebook(name))
        #expect(try Self.schemaErrors(export.xml) == [])
        #expect(export.notCarried.contains { $0.contains("rules") })
    }

    @Test func theSchemaCatchesAnInvalidExport() throws {
        let xml = QDCCodebook.export(try Self.codebook("example-minimal.yaml")).xml.replacingOccurrences(of: "isCodable=\"false\"", with: "isCodable=\"no\"")
        let errors = try Self.schemaErrors(xml)
        #expect(!errors.isEmpty)
        #expect(errors.first?.contains("isCodable") == true)
    }

    @Test func importsTheREFIQDAExample() throws {
        let draft = try QDCCodebook.draft(fromQDC: Self.bytes(Self.example), file: Self.example.path, id: "spec")
        let codebook = try Codebook.parse(draft.yaml, file: "draft.yaml")
        let tree = try #require(codebook.layer("coding")?.feature("code")?.codes)
        // Values as written in spec-annexA1-codebook.qdc.
        #expect(tree.flattened.map(\.code.label) == ["Topics", "Economy", "Health care", "Values", "Conservatives", "Liberals"])
        #expect(tree.flattened.map(\.code.isCodable) == [false, true, true, false, true, true])
        #expect(tree.code("economy")?.color == "#ffff00")
        #expect(tree.code("economy")?.definition == "Anything about jobs or taxes or business")
        #expect(tree.code("values")?.guid == "9fa9bcb7-5b59-47a9-8c3e-f65cffdc7520")
        #expect(tree.code("liberals")?.guid == "{12365523-1035-4afa-9e7b-281fe0bc51c5}")
        #expect(draft.codeCount == 6)
    }

    @Test func aQDCCodebookComesBackTheSame() throws {
        let first = try QDCCodebook.draft(fromQDC: Self.bytes(Self.example), file: "a.qdc", id: "spec")
        let exported = QDCCodebook.export(try Codebook.parse(first.yaml, file: "draft.yaml")).xml
        #expect(try Self.schemaErrors(exported) == [])
        let second = try QDCCodebook.draft(fromQDC: Array(exported.utf8), file: "a.qdc", id: "spec")
        // Everything from the code tree on is the same: names, hierarchy, descriptions, colours, GUIDs.
        func codes(_ yaml: String) -> Substring { yaml[yaml.range(of: "        codes:\n")!.lowerBound...] }
        #expect(codes(second.yaml) == codes(first.yaml))
    }

    @Test func hierarchyAndColoursSurviveAGlossCodebook() throws {
        let draft = try QDCCodebook.draft(fromQDC: Array(QDCCodebook.export(try Self.codebook("russia-taliban-coverage.yaml")).xml.utf8),
                                          file: "rt.qdc", id: "rt")
        let tree = try #require(try Codebook.parse(draft.yaml, file: "rt.yaml").layer("coding")?.feature("code")?.codes)
        // Layer "Actor mention" > feature "Actor" > Russia (grouping) > Russia: government …
        let russia = try #require(tree.flattened.first { $0.code.label.hasPrefix("Russia") && !$0.code.isCodable && !$0.code.children.isEmpty })
        #expect(russia.code.children.count == 3)
        #expect(tree.flattened.count > 100)
    }

    @Test func refusesADoctypeAndReportsMalformedXML() throws {
        let doctype = #"<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY x "y">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>"#
        #expect { try QDCCodebook.draft(fromQDC: Array(doctype.utf8), file: "d.qdc", id: "d") } throws: {
            ($0 as? GlossError)?.message.contains("DOCTYPE") == true
        }
        let broken = "<CodeBook>\n<Codes>\n<Code name=\"a\"></Codes>\n"
        #expect { try QDCCodebook.draft(fromQDC: Array(broken.utf8), file: "b.qdc", id: "b") } throws: { error in
            guard let error = error as? GlossError else { return false }
            return error.code == .badData && error.message.hasPrefix("malformed XML") && error.location?.line == 3
        }
    }

    @Test func draftsKeepEveryCharacterOrSayWhatIsWrong() throws {
        // U+2028 LINE SEPARATOR comes back exactly; U+0092 (a C1 control, typical cp1252 mojibake) is reported.
        let qdc = #"<?xml version="1.0" encoding="UTF-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="5215cc69-b628-4e02-afb9-9beeaee55808" name="a\#u{2028}b" isCodable="true"/></Codes></CodeBook>"#
        let draft = try QDCCodebook.draft(fromQDC: Array(qdc.utf8), file: "q.qdc", id: "q")
        let label = try #require(try Codebook.parse(draft.yaml, file: "q.yaml").layer("coding")?.feature("code")?.codes?.roots.first?.label)
        #expect(Array(label.unicodeScalars) == ["a", "\u{2028}", "b"])
        let mojibake = qdc.replacingOccurrences(of: "\u{2028}", with: "\u{92}")
        let bad = try QDCCodebook.draft(fromQDC: Array(mojibake.utf8), file: "q.qdc", id: "q")
        #expect { try Codebook.parse(bad.yaml, file: "q.yaml") } throws: {
            ($0 as? CodebookError)?.problems.first?.message.contains("control character U+92") == true
        }
    }
}
