import GlossCore

/// Turns native annotation records into stored annotations within one write transaction.
///
/// It converts offsets to code points, checks them against the document's text, takes the quote,
/// checks it against the record's `text`, and stores the annotation (which the store audits). Shared by
/// `gloss import annotations` and `gloss annotate add`, so both apply the same rules.
public final class AnnotationIngest {
    public enum Outcome: Sendable, Equatable {
        /// Stored, with its id.
        case inserted(Annotation)
        /// An identical annotation is already stored (the record's id, or, without an id, one with the same
        /// document, coder, layer, offsets and features): nothing to do.
        case alreadyPresent(id: Int64)
    }

    private let writer: any ProjectWriter
    /// Stamped on the audit entries; an import sets its source to the file being read.
    public var context: ChangeContext
    private var texts: [ExactKey: DocumentText] = [:]

    public init(writer: any ProjectWriter, context: ChangeContext) {
        self.writer = writer
        self.context = context
    }

    /// Resolves and stores one record. Errors carry no location: the caller knows the line.
    public func add(_ record: AnnotationRecord) throws -> Outcome {
        let text = try documentText(record.documentID)
        let span: TextSpan
        let quote: String
        do {
            span = try text.index.span(start: record.start, end: record.end, in: record.unit)
            quote = try text.quote(span)
        } catch {
            throw GlossError(.badData, "document \"\(record.documentID)\": \(error)")
        }
        if let expected = record.text, !expected.isIdentical(to: quote) {
            throw GlossError(.badData, "\"text\" does not match the document: the record says \(Self.excerpt(expected)) but \(span) in \"\(record.documentID)\" (counted in \(record.unit.pluralName)) covers \(Self.excerpt(quote)); check the offsets and their unit")
        }
        let createdAt = record.createdAt ?? context.time
        var annotation = Annotation(
            id: record.id ?? 0, documentID: record.documentID, coder: record.coder, layer: record.layer, span: span,
            quote: quote, features: record.features, createdAt: createdAt, updatedAt: record.updatedAt ?? createdAt,
            revision: record.revision ?? 1)
        if let id = record.id, let stored = try writer.annotation(id: id) {
            guard Self.isSame(stored, as: annotation, record: record) else {
                throw GlossError(.conflict, "annotation \(id) already exists with different content (\(stored.coder), \(stored.layer), \(stored.span) in \"\(stored.documentID)\"); remove the \"id\" fields to import these as new annotations")
            }
            return .alreadyPresent(id: id)
        }
        let (id, isNew) = try writer.insert(annotation, context: context)
        guard isNew else { return .alreadyPresent(id: id) }
        annotation.id = id
        return .inserted(annotation)
    }

    private func documentText(_ externalID: String) throws -> DocumentText {
        if let text = texts[ExactKey(externalID)] { return text }
        guard let document = try writer.document(externalID: externalID) else {
            throw GlossError(.badData, "unknown document \"\(externalID)\"; import it first with `gloss import docs`")
        }
        let text = DocumentText(document.text)
        texts[ExactKey(externalID)] = text
        return text
    }

    /// Whether a stored annotation is the one a record describes (times and revision only when the record gives them).
    private static func isSame(_ stored: Annotation, as candidate: Annotation, record: AnnotationRecord) -> Bool {
        stored.documentID.isIdentical(to: candidate.documentID) && stored.coder.isIdentical(to: candidate.coder)
            && stored.layer.isIdentical(to: candidate.layer) && stored.span == candidate.span
            && JSONValue.object(stored.features).canonicalJSON.isIdentical(to: JSONValue.object(candidate.features).canonicalJSON)
            && (record.createdAt == nil || stored.createdAt.isIdentical(to: candidate.createdAt))
            && (record.updatedAt == nil || stored.updatedAt.isIdentical(to: candidate.updatedAt))
            && (record.revision == nil || stored.revision == candidate.revision)
    }

    /// A quoted, shortened rendering of a text for messages.
    static func excerpt(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            if count == 60 { scalars.append(contentsOf: "…".unicodeScalars); break }
            scalars.append(scalar)
            count += 1
        }
        return "\"" + String(scalars).debugDescription.dropFirst().dropLast() + "\""
    }
}
