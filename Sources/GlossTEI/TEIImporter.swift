import CLibXML2
import Foundation
import GlossCore
import GlossIO
import GlossStore

/// Imports TEI files: Gloss's own export (restored exactly), CATMA annotation collections, and TEI documents
/// from elsewhere (their plain text, by the rules of `TEIPlainText`).
///
/// Every file is read and checked before anything is written; then everything is written in one
/// transaction, so a bad file changes nothing. Files come from outside: they are parsed without DTDs,
/// entities, XIncludes or network access (`XMLTree`), and a file that uses XInclude is refused.
public struct TEIImporter {
    public struct Options: Sendable {
        public var context: ChangeContext
        /// For CATMA collections: the project document whose text the collection annotates (by default the
        /// document named after the source file in the collection's pointers).
        public var catmaDocument: String?
        /// For CATMA collections: the coder the annotations are stored under.
        public var catmaCoder: String
        /// Write annotations even where blind coding would refuse them (see `AnnotationIngest`).
        public var allowsUnassigned: Bool

        public init(context: ChangeContext, catmaDocument: String? = nil, catmaCoder: String = "catma",
                    allowsUnassigned: Bool = false) {
            self.context = context
            self.allowsUnassigned = allowsUnassigned
            self.catmaDocument = catmaDocument
            self.catmaCoder = catmaCoder
        }
    }

    public struct Report: Sendable, Equatable {
        public var files = 0
        public var documents = 0
        public var documentsAlreadyPresent = 0
        public var annotations = 0
        public var annotationsAlreadyPresent = 0
        public var codebooks: [String] = []
    }

    public let store: any ProjectStore
    public let options: Options

    public init(store: any ProjectStore, options: Options) {
        self.store = store
        self.options = options
    }

    /// What one file contributes, read before the transaction.
    enum Contents {
        case gloss(GlossTEIExport)
        case catma(CATMACollection)
        case foreign([DocumentRecord])
    }

    public func importFiles(_ paths: [String]) throws -> Report {
        var contents: [(path: String, contents: Contents)] = []
        for path in try InputFile.expand(paths, extensions: ["xml", "tei"]) {
            contents.append((path, try Self.read(path: path)))
        }
        var report = Report()
        report.files = contents.count
        let options = options
        try store.write { writer in
            for (path, content) in contents {
                var context = options.context
                context.source += " " + path
                switch content {
                case .gloss(let export):
                    for (reference, source) in export.codebookSources {
                        let outcome = try CodebookRegistration.register(source: source, file: "\(path) (\(reference))", writer: writer, context: context)
                        if case .registered(let registered) = outcome { report.codebooks.append(registered.description) }
                    }
                    for record in export.documents { try Self.insert(record, path: path, writer: writer, context: context, report: &report) }
                    let ingest = try AnnotationIngest(writer: writer, context: context, allowsUncodedLayers: true,
                                                      checksCodebooks: false,
                                                      allowsUnassigned: options.allowsUnassigned)
                    for (record, line) in export.annotations { try Self.add(record, line: line, path: path, ingest: ingest, report: &report) }
                case .catma(let collection):
                    let documentID = options.catmaDocument ?? collection.sourceName
                    guard let document = try writer.document(externalID: documentID) else {
                        throw GlossError(.badData, "the collection annotates \"\(collection.sourceName)\", which is not in the project; import its text first (gloss import docs \(collection.sourceName).txt) or name the document with --catma-document", at: SourceLocation(file: path))
                    }
                    // The draft is version 1 of the codebook `catma`, or the latest version when it is the same,
                    // or the next one when the tags differ.
                    let latest = try writer.registeredCodebooks().filter { $0.id == "catma" }.map(\.version).max()
                    var draft = collection.codebookDraft(version: latest ?? 1)
                    if let latest, try writer.registeredCodebooks().first(where: { $0.id == "catma" && $0.version == latest })?.sha256 != SHA256.hexDigest(of: draft) {
                        draft = collection.codebookDraft(version: latest + 1)
                    }
                    let outcome = try CodebookRegistration.register(source: draft, file: "\(path) (codebook draft)", writer: writer, context: context)
                    if case .registered(let registered) = outcome { report.codebooks.append(registered.description) }
                    let ingest = try AnnotationIngest(writer: writer, context: context,
                                                      allowsUnassigned: options.allowsUnassigned)
                    for (record, line) in try collection.annotations(on: document, coder: options.catmaCoder) {
                        try Self.add(record, line: line, path: path, ingest: ingest, report: &report)
                    }
                case .foreign(let records):
                    for record in records { try Self.insert(record, path: path, writer: writer, context: context, report: &report) }
                }
            }
        }
        return report
    }

    /// What importing `bytes` (the file `file`) would bring, in one line, without writing anything. It reads
    /// exactly as an import does (the fuzz target of the TEI reader calls it).
    public static func preview(bytes: [UInt8], file: String) throws -> String {
        switch try read(bytes: bytes, path: file) {
        case .gloss(let export):
            return "Gloss export: \(export.documents.count) documents, \(export.annotations.count) annotations, \(export.codebookSources.count) codebook versions"
        case .catma(let collection):
            return "CATMA collection on \(collection.sourceName): \(collection.tags.count) tags, \(collection.segments.count) segments"
        case .foreign(let records):
            return "TEI text: " + records.map { "\($0.externalID) (\($0.text.unicodeScalars.count) code points)" }.joined(separator: ", ")
        }
    }

    /// Reads and classifies one file.
    static func read(path: String) throws -> Contents { try read(bytes: try InputFile(path: path).bytes, path: path) }

    private static func read(bytes: [UInt8], path: String) throws -> Contents {
        let tree = try XMLTree(bytes: bytes, file: path)
        // The nodes below belong to the tree: keep it alive until they are read.
        return try withExtendedLifetime(tree) { try read(tree, path: path) }
    }

    private static func read(_ tree: XMLTree, path: String) throws -> Contents {
        guard let root = tree.root else { throw GlossError(.badData, "the file has no root element", at: SourceLocation(file: path)) }
        guard root.namespace == TEIVocabulary.namespace, root.name == "TEI" || root.name == "teiCorpus" else {
            throw GlossError(.badData, "not a TEI document: the root element is <\(root.name)> in namespace \(root.namespace ?? "(none)"), not TEI's <TEI> or <teiCorpus>",
                             at: SourceLocation(file: path, line: root.line))
        }
        if let include = firstElement(in: root, where: { $0.namespace == "http://www.w3.org/2001/XInclude" }) {
            throw GlossError(.badData, "the file uses XInclude (<\(include.name)>); Gloss does not include other files into what it imports",
                             at: SourceLocation(file: path, line: include.line))
        }
        do throws(TEIReadError) {
            if GlossTEIExport.isGlossExport(root) { return .gloss(try GlossTEIExport(root: root)) }
            if CATMACollection.isCollection(root) { return .catma(try CATMACollection(root: root)) }
            return .foreign(try TEIPlainText.documents(in: root, fileName: ((path as NSString).lastPathComponent as NSString).deletingPathExtension))
        } catch {
            throw GlossError(.badData, error.message, at: SourceLocation(file: path, line: error.line))
        }
    }

    /// The first element below `node` (depth first) that satisfies `predicate`.
    static func firstElement(in node: xmlNodePtr, where predicate: (xmlNodePtr) -> Bool) -> xmlNodePtr? {
        var found: xmlNodePtr?
        TEIImporterSearch.walk(node) { element in
            if predicate(element) { found = element }
            return found == nil
        }
        return found
    }

    private static func insert(_ record: DocumentRecord, path: String, writer: any ProjectWriter, context: ChangeContext, report: inout Report) throws {
        do throws(RecordError) {
            try record.check()
        } catch {
            throw GlossError(.badData, "document \"\(record.externalID)\": \(error.message)", at: SourceLocation(file: path))
        }
        let document = record.document(importedAt: context.time)
        if let stored = try writer.document(externalID: document.externalID) {
            guard stored.sha256 == document.sha256 else {
                throw GlossError(.conflict, "document \"\(document.externalID)\" is already stored with a different text (sha256 \(stored.sha256.prefix(12))…)", at: SourceLocation(file: path))
            }
            report.documentsAlreadyPresent += 1
            return
        }
        try writer.insert(document, context: context)
        report.documents += 1
    }

    private static func add(_ record: AnnotationRecord, line: Int, path: String, ingest: AnnotationIngest, report: inout Report) throws {
        do {
            switch try ingest.add(record) {
            case .inserted: report.annotations += 1
            case .alreadyPresent: report.annotationsAlreadyPresent += 1
            }
        } catch let error as GlossError {
            throw GlossError(error.code, error.message, at: SourceLocation(file: path, line: line))
        }
    }
}
