import Foundation
import GlossCore
import GlossStore
import GlossTEI
import GlossTestSupport
import Testing

@Suite("TEI export and import")
struct TEIRoundTripTests {
    @Test(arguments: [false, true]) func exportValidatesAndImportsBackIdentically(single: Bool) throws {
        let project = try HazardProject()
        let out = project.folder.path(single ? "project.xml" : "tei")
        let report = try TEIExporter(store: project.store, options: TEIExporter.Options(isSingleFile: single, applicationVersion: "0.1.0"))
            .export(to: out)
        #expect(report.documents == 6 && report.annotations == 8)
        #expect(report.files.count == (single ? 1 : 6))
        for file in report.files {
            let errors = try TEISchemas.errors(in: file)
            #expect(errors.isEmpty, "\(file): \(errors.prefix(5))")
        }
        let copy = try SQLiteStore(path: project.folder.path("copy.sqlite"), creating: true)
        let imported = try TEIImporter(store: copy, options: TEIImporter.Options(context: HazardProject.context)).importFiles([out])
        #expect(imported.documents == 6 && imported.annotations == 8 && imported.codebooks == ["hazard@1"])
        let original = try HazardProject.nativeExport(of: project.store, into: project.folder.path("native-original"))
        let restored = try HazardProject.nativeExport(of: copy, into: project.folder.path("native-restored"))
        #expect(original.keys.sorted() == ["annotations.jsonl", "codebooks/hazard@1.yaml", "documents.jsonl"])
        for (name, bytes) in original { #expect(restored[name] == bytes, "\(name) differs after the round trip") }
        // Importing the same export again changes nothing.
        let again = try TEIImporter(store: copy, options: TEIImporter.Options(context: HazardProject.context)).importFiles([out])
        #expect(again.documents == 0 && again.annotations == 0 && again.documentsAlreadyPresent == 6 && again.annotationsAlreadyPresent == 8)
    }

    @Test func writesTheTextExactlyWithCarriageReturnsAsReferences() throws {
        let project = try HazardProject()
        let out = project.folder.path("tei")
        try TEIExporter(store: project.store, options: TEIExporter.Options(documents: ["crlf"], applicationVersion: "0.1.0")).export(to: out)
        let xml = try String(contentsOfFile: (out as NSString).appendingPathComponent("crlf.xml"), encoding: .utf8)
        #expect(xml.contains(#"<ab xml:id="text-1" xml:space="preserve">Line one&#13;"# + "\nLine two&#13;\n&#13;\nPara\u{A0}two has an NBSP.&#13;\n</ab>"))
        // Annotation 14 covers [8, 18): "\r\nLine two" ("Line one" is 8 code points, CR and LF one each).
        #expect(xml.contains(##"target="#string-range(text-1,8,10)""##))
        #expect(!xml.contains("\r"))
    }

    @Test func refusesCharactersXMLCannotCarryNamingDocumentAndOffset() throws {
        let project = try HazardProject()
        let line = JSONValue.object(["id": .string("control"), "text": .string("bell \u{7} here")]).canonicalJSON
        _ = try DocumentImporter(store: project.store, options: ImportOptions(context: HazardProject.context))
            .importDocuments(from: [project.folder.write("control.jsonl", line + "\n")])
        #expect { try TEIExporter(store: project.store, options: TEIExporter.Options(applicationVersion: "0.1.0")).export(to: project.folder.path("tei")) } throws: {
            let message = ($0 as? GlossError)?.message ?? ""
            return message.contains("document \"control\"") && message.contains("U+0007 at code point 5")
        }
        #expect(!FileManager.default.fileExists(atPath: project.folder.path("tei/control.xml")))
        // The same inside a feature value (JSON carries it as \u0001).
        let clean = try HazardProject()
        _ = try AnnotationImporter(store: clean.store, options: ImportOptions(allowsUncodedLayers: true, context: HazardProject.context))
            .importAnnotations(from: [clean.folder.write("bad.jsonl", #"{"document":"crlf","coder":"x","layer":"free","start":0,"end":4,"features":{"note":["ok","bell\u0001"]}}"# + "\n")])
        #expect { try TEIExporter(store: clean.store, options: TEIExporter.Options(applicationVersion: "0.1.0")).export(to: clean.folder.path("tei")) } throws: {
            (($0 as? GlossError)?.message ?? "").contains("feature note has U+0001")
        }
    }

    @Test func refusesAHugeStringRangeWithoutTrapping() throws {
        let project = try HazardProject()
        let out = project.folder.path("tei")
        try TEIExporter(store: project.store, options: TEIExporter.Options(documents: ["astral"], applicationVersion: "0.1.0")).export(to: out)
        let file = (out as NSString).appendingPathComponent("astral.xml")
        let xml = try String(contentsOfFile: file, encoding: .utf8)
        try xml.replacingOccurrences(of: "#string-range(text-1,7,1)", with: "#string-range(text-1,9223372036854775807,1)").write(toFile: file, atomically: true, encoding: .utf8)
        let copy = try SQLiteStore(path: project.folder.path("copy.sqlite"), creating: true)
        #expect { try TEIImporter(store: copy, options: TEIImporter.Options(context: HazardProject.context)).importFiles([file]) } throws: {
            (($0 as? GlossError)?.message ?? "").contains("whole numbers")
        }
    }

    @Test func theValidatorRejectsInvalidTEI() throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write("bad.xml", #"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc/></teiHeader><bogus/></TEI>"#)
        let errors = try TEISchemas.errors(in: file)
        #expect(errors.contains { $0.hasPrefix("4.12.0 1:") })
        #expect(errors.contains { $0.hasPrefix("4.3.0 1:") })
    }

    @Test func selectsDocumentsAndCoders() throws {
        let project = try HazardProject()
        let report = try TEIExporter(store: project.store, options: TEIExporter.Options(documents: ["astral", "combining"], coders: ["bob"], applicationVersion: "0.1.0"))
            .export(to: project.folder.path("tei"))
        #expect(report.documents == 2 && report.annotations == 2)
        #expect(throws: GlossError.self) {
            try TEIExporter(store: project.store, options: TEIExporter.Options(coders: ["nobody"], applicationVersion: "0.1.0")).export(to: project.folder.path("x"))
        }
    }
}
