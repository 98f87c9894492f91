import Foundation
import GlossCore
import GlossIO
import GlossStore

/// The other tools' annotation formats Gloss reads through `InterchangeImporter`.
public enum InterchangeFormat: String, CaseIterable, Sendable {
    case doccano, brat
    case labelStudio = "label-studio"
    /// Import only.
    case uimaXMI = "uima-xmi"
    /// Import only, so far.
    case webannoTSV = "webanno-tsv"

    /// What `read` found: the documents, what the tool's configuration declares, and what was not imported.
    public struct Contents: Sendable {
        public var documents: [InterchangeDocument] = []
        public var vocabulary = InterchangeVocabulary()
        public var notCarried: [String] = []
    }

    /// The documents in `paths` (files, or folders of the format's files), and what the tool's configuration
    /// declares (brat's `annotation.conf` beside the files, a Label Studio labeling config given as a `.xml`).
    /// A UIMA type system (`TypeSystem.xml`) is recognised and noted: the XMI carries its types' names.
    /// `offsets` is what doccano's offsets count; `textField` the field of a Label Studio task that holds its text
    /// (by default, the one a labeling config given with the export names).
    public func read(_ paths: [String], offsets: OffsetUnit = .utf16, textField: String? = nil) throws -> Contents {
        if let project = paths.first(where: { $0.hasSuffix(".exportedproject.json") }) {
            throw GlossError(.badData, "this is an INCEpTION project description (layers, tag sets, users, no annotations); export the project's documents as WebAnno TSV or UIMA XMI and import those, and import its texts with `gloss import docs`",
                             at: SourceLocation(file: project))
        }
        var documents: [InterchangeDocument] = []
        var vocabulary = InterchangeVocabulary()
        var notCarried: [String] = []
        switch self {
        case .webannoTSV:
            for path in try InputFile.expand(paths, extensions: ["tsv"]) { documents.append(try WebAnnoTSVFormat.read(try InputFile(path: path))) }
        case .uimaXMI:
            for path in try InputFile.expand(paths, extensions: ["xmi", "xml"]) {
                let file = try InputFile(path: path)
                if UIMAXMIFormat.isTypeSystem(file) {
                    notCarried.append("\(path): a UIMA type system, which Gloss does not need: the XMI names each annotation's type and holds its features")
                    continue
                }
                let (document, missing) = try UIMAXMIFormat.read(file)
                documents.append(document)
                notCarried += missing.map { "\(path): \($0)" }
            }
        case .doccano:
            for path in try InputFile.expand(paths, extensions: ["jsonl", "json"]) { documents += try DoccanoFormat.read(try InputFile(path: path), offsets: offsets) }
        case .labelStudio:
            // The configs first: one may name the field that holds the tasks' text.
            let files = try InputFile.expand(paths, extensions: ["json", "xml"])
            let configs = files.filter { $0.lowercased().hasSuffix(".xml") }
            for path in configs {
                let declared = try LabelStudioFormat.vocabulary(config: try InputFile(path: path))
                vocabulary.labels += declared.labels
                vocabulary.relationTypes += declared.relationTypes
                vocabulary.categories += declared.categories
                vocabulary.attributes += declared.attributes
                vocabulary.textField = vocabulary.textField ?? declared.textField
            }
            for path in files where !configs.contains(path) {
                documents += try LabelStudioFormat.read(try InputFile(path: path), textField: textField ?? vocabulary.textField)
            }
        case .brat:
            var folders: [String] = []
            for path in try InputFile.expand(paths, extensions: ["ann"]) {
                documents.append(try BratFormat.read(text: (path as NSString).deletingPathExtension + ".txt", annotations: path))
                let folder = (path as NSString).deletingLastPathComponent
                if !folders.contains(folder) { folders.append(folder) }
            }
            vocabulary.textAttributes = BratFormat.textAttributes
            for folder in folders {
                let conf = (folder as NSString).appendingPathComponent("annotation.conf")
                guard FileManager.default.fileExists(atPath: conf) else { continue }
                let declared = try BratFormat.vocabulary(conf: conf)
                vocabulary.labels += declared.labels
                vocabulary.relationTypes += declared.relationTypes
                vocabulary.attributes += declared.attributes
            }
        }
        return Contents(documents: documents, vocabulary: vocabulary, notCarried: notCarried)
    }
}

extension InterchangeImporter {
    /// The draft codebook an import of `documents` would register first (YAML), with nothing registered yet.
    public static func draftCodebook(format: String, documents: [InterchangeDocument], vocabulary: InterchangeVocabulary) throws -> String {
        try InterchangeCodebook(format: format, registered: [], documents: InterchangeCodebook.numberingCopies(documents), vocabulary: vocabulary).yaml
    }
}
