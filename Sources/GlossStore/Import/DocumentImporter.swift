import Foundation
import GlossCodebook
import GlossCore
import GlossIO

/// Imports documents from `.txt` files, `.jsonl` files of native document records, and folders of both.
///
/// A `.txt` file becomes one document: its external id is the file name without extension, its title the
/// first non-empty line. A document whose id is already stored with the same text is skipped; with a
/// different text it is a conflict (exit 75), unless `updatesDocuments` is set: then the new text becomes a
/// new revision, the old one stays readable, and the document's annotations are re-anchored (`Reanchoring`).
/// Everything is written in one transaction.
public struct DocumentImporter {
    public struct Report: Sendable, Equatable {
        /// External ids of the documents stored, in input order.
        public var imported: [String] = []
        /// External ids already stored with the same text.
        public var skipped: [String] = []
        /// Records refused and skipped under `skipsInvalid`.
        public var invalid = 0
        /// External ids whose text was replaced by a new revision (`updatesDocuments`).
        public var updated: [String] = []
        /// What re-anchoring did to the annotations of the updated documents.
        public var annotationsUnchanged = 0
        public var annotationsMoved = 0
        /// Of the moved ones, those found by approximate matching (their covered text changed a little).
        public var annotationsMovedApproximately = 0
        /// Of the moved ones, those that break their codebook at the new place: flagged for review.
        public var annotationsMovedAndFlagged = 0
        /// Annotations whose text could not be found again: kept in place (within the new text) and flagged.
        public var annotationsFlagged = 0

        public init() {}
    }

    public let store: any ProjectStore
    public let options: ImportOptions

    public init(store: any ProjectStore, options: ImportOptions) {
        self.store = store
        self.options = options
    }

    public func importDocuments(from paths: [String]) throws -> Report {
        var report = Report()
        var records: [(DocumentRecord, SourceLocation)] = []
        for path in try InputFile.expand(paths, extensions: ["txt", "jsonl"]) {
            switch (path as NSString).pathExtension.lowercased() {
            case "txt":
                let location = SourceLocation(file: path)
                do {
                    let file = try InputFile(path: path)
                    let externalID = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                    records.append((DocumentRecord(externalID: externalID, text: file.text), location))
                } catch let error as GlossError where error.code == .badData {
                    try options.handle(error)
                    report.invalid += 1
                }
            case "jsonl":
                let file = try InputFile(path: path)
                try JSONLines(file: file, maximumLineBytes: options.limits.maximumLineBytes)
                    .forEachRecord(decode: DocumentRecord.init(json:)) { line, parsed in
                    switch parsed {
                    case .success(let record):
                        records.append((record, SourceLocation(file: path, line: line)))
                    case .failure(let error):
                        try options.handle(error)
                        report.invalid += 1
                    }
                }
            default:
                throw GlossError(.usage, "unsupported file type; `gloss import docs` reads .txt files, .jsonl files and folders of them",
                                 at: SourceLocation(file: path))
            }
        }
        return try importRecords(records, into: report)
    }

    /// Stores records already read (a file's lines, or a document the server received), each with the place it
    /// came from, in one transaction; `report` carries what reading them counted.
    public func importRecords(_ records: [(DocumentRecord, SourceLocation)],
                              into report: Report = Report()) throws -> Report {
        var report = report
        let context = options.context
        try store.write { writer in
            var seen: [ExactKey: (sha256: String, location: SourceLocation)] = [:]
            var registry: CodebookRegistry?  // read once, for the first updated document
            for (index, (record, location)) in records.enumerated() {
                if index % 1000 == 0 { options.reportProgress(index) }
                do throws(RecordError) {
                    try record.check()
                } catch {
                    try options.handle(GlossError(.badData, error.message, at: location))
                    report.invalid += 1
                    continue
                }
                let textBytes = record.text.utf8.count
                guard textBytes <= options.limits.maximumDocumentBytes else {
                    try options.handle(GlossError(.badData, "the text holds \(InputLimits.describe(textBytes)), more than the limit of "
                        + "\(InputLimits.describe(options.limits.maximumDocumentBytes)); raise it with --max-document-bytes", at: location))
                    report.invalid += 1
                    continue
                }
                let document = record.document(importedAt: context.time)
                let key = ExactKey(document.externalID)
                if let earlier = seen[key] {
                    guard earlier.sha256 == document.sha256 else {
                        try options.handle(GlossError(.badData, "document \"\(document.externalID)\" appears again with a different text (first at \(earlier.location)); give each document its own id", at: location))
                        report.invalid += 1
                        continue
                    }
                    report.skipped.append(document.externalID)
                    continue
                }
                if let stored = try writer.document(externalID: document.externalID) {
                    if stored.sha256 != document.sha256, options.updatesDocuments {
                        var fileContext = context
                        fileContext.source += " " + location.description
                        let codebooks = try registry ?? writer.codebookRegistry()
                        registry = codebooks
                        try Self.update(stored, to: document, writer: writer, registry: codebooks, context: fileContext, report: &report)
                        seen[key] = (document.sha256, location)
                        continue
                    }
                    guard stored.sha256 == document.sha256 else {
                        try options.handle(GlossError(.conflict, "document \"\(document.externalID)\" is already stored with a different text (sha256 \(stored.sha256.prefix(12))…); give the new text another id", at: location))
                        report.invalid += 1
                        continue
                    }
                    seen[key] = (document.sha256, location)
                    report.skipped.append(document.externalID)
                    continue
                }
                var fileContext = context
                fileContext.source += " " + location.description
                try writer.insert(document, context: fileContext)
                seen[key] = (document.sha256, location)
                report.imported.append(document.externalID)
            }
        }
        return report
    }

    /// Stores `document` as the next revision of `stored` and re-anchors the annotations on it.
    ///
    /// An annotation of a document-scope layer covers the new text whole. A moved annotation is checked
    /// against its layer in the codebook version it was coded with (else the latest): when its new place breaks
    /// the layer's scope, length bounds or boundary and its old place did not, it is flagged.
    private static func update(_ stored: Document, to document: Document, writer: any ProjectWriter, registry: CodebookRegistry,
                               context: ChangeContext, report: inout Report) throws {
        let revision = try writer.replace(document, context: context)
        report.updated.append(document.externalID)
        let anchoring = Reanchoring(old: stored.text, new: document.text)
        let text = DocumentText(document.text)
        let length = text.index.codePointCount
        let oldLength = stored.text.unicodeScalars.count
        var boundaries: (old: TextBoundaries, new: TextBoundaries)?
        func textBoundaries() -> (old: TextBoundaries, new: TextBoundaries) {
            if let boundaries { return boundaries }
            let computed = (TextBoundaries(stored.text), TextBoundaries(document.text))
            boundaries = computed
            return computed
        }
        for var annotation in try writer.annotations(matching: AnnotationFilter(documentID: document.externalID)) {
            let coded = annotation.codebook.flatMap { registry.codebook($0.id, version: $0.version) }
            let governing = coded.flatMap { codebook in codebook.layer(annotation.layer).map { (codebook, $0) } } ?? registry.current(forLayer: annotation.layer)
            let whole = try TextSpan(start: 0, end: length)
            let outcome: Reanchoring.Outcome = governing?.1.scope == .document
                ? (annotation.span == whole && annotation.quote.isIdentical(to: document.text) ? .unchanged : .moved(whole))
                : anchoring.reanchor(annotation.span)
            let span: TextSpan
            switch outcome {
            case .unchanged:
                report.annotationsUnchanged += 1
                continue
            case .moved(let moved):
                span = moved
                report.annotationsMoved += 1
            case .approximate(let moved, _):
                span = moved
                report.annotationsMoved += 1
                report.annotationsMovedApproximately += 1
            case .lost:
                // Never moved silently: kept where it was (cut to the new length) and flagged for review.
                span = try TextSpan(start: min(annotation.span.start, length), end: min(annotation.span.end, length))
                annotation.needsRecoding = "revision \(revision) of the document changed the text under this annotation, which covered "
                    + "\"\(annotation.quote.prefix(60))\"; it was not found again: check its span and clear this with gloss annotate update"
                report.annotationsFlagged += 1
            }
            if outcome != .lost, let (codebook, layer) = governing,
               layer.spanViolations(annotation.span, textLength: oldLength, boundaries: textBoundaries().old).isEmpty {
                let violations = layer.spanViolations(span, textLength: length, boundaries: textBoundaries().new)
                if !violations.isEmpty {
                    annotation.needsRecoding = "revision \(revision) of the document moved this annotation to \(span), where it breaks codebook "
                        + "\(codebook.id)@\(codebook.version): \(violations.map(\.message).joined(separator: "; ")); fix it with gloss annotate update"
                    report.annotationsMovedAndFlagged += 1
                }
            }
            annotation.span = span
            annotation.quote = try text.quote(span)
            annotation.updatedAt = context.time
            annotation.revision += 1
            try writer.update(annotation, context: context)
        }
    }
}
