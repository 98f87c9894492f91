import GlossCodebook
import GlossCore

/// Turns native annotation records into stored annotations within one write transaction.
///
/// It converts offsets to code points, checks them against the document's text, takes the quote,
/// checks it against the record's `text`, checks it against the codebook version that governs its layer,
/// and stores the annotation (which the store audits). Shared by `gloss import annotations` and
/// `gloss annotate add`, so both apply the same rules.
///
/// Once any codebook is registered, an annotation is checked against the version its record names, or
/// else the latest version of the codebook that defines its layer, and records that version. A layer
/// that no registered codebook defines is refused unless `allowsUncodedLayers`.
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
    private var boundaries: [ExactKey: TextBoundaries] = [:]
    private let codebooks: CodebookRegistry
    private let allowsUncodedLayers: Bool
    private let checksCodebooks: Bool
    private let limits: InputLimits
    private var blindCoding: BlindCoding

    /// With `checksCodebooks` false (restoring an export), annotations keep the codebook version their
    /// records name, which must be registered, and are not checked against it. Once the project has assignments,
    /// a coder may only write on documents assigned to them and not marked done, unless `allowsUnassigned`.
    public init(writer: any ProjectWriter, context: ChangeContext, allowsUncodedLayers: Bool = false, checksCodebooks: Bool = true,
                limits: InputLimits = .default, allowsUnassigned: Bool = false) throws {
        self.writer = writer
        self.limits = limits
        self.blindCoding = try BlindCoding(reader: writer, allowsUnassigned: allowsUnassigned)
        self.context = context
        self.codebooks = try writer.codebookRegistry()
        self.allowsUncodedLayers = allowsUncodedLayers
        self.checksCodebooks = checksCodebooks
    }

    /// Resolves and stores one record. Errors carry no location: the caller knows the line.
    public func add(_ record: AnnotationRecord) throws -> Outcome {
        try checkSizes(of: record.features, layer: record.layer)
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
            revision: record.revision ?? 1, needsRecoding: record.needsRecoding, provenance: record.provenance)
        if let id = record.id, let stored = try writer.annotation(id: id) {
            guard Self.isSame(stored, as: annotation, record: record) else {
                throw GlossError(.conflict, "annotation \(id) already exists with different content (\(stored.coder), \(stored.layer), \(stored.span) in \"\(stored.documentID)\"); remove the \"id\" fields to import these as new annotations")
            }
            return .alreadyPresent(id: id)
        }
        annotation.codebook = try checkAgainstCodebook(annotation, named: record.codebook, text: text)
        // Checked last, so that a record refused for its content, or already stored with its id, does not count.
        try blindCoding.permit(coder: record.coder, documentID: record.documentID, writer: writer, time: context.time)
        if annotation.provenance == nil && blindCoding.isGold(annotation.coder) {
            annotation.provenance = decidedByHand(sources: [])
        }
        let (id, isNew) = try writer.insert(annotation, context: context)
        guard isNew else { return .alreadyPresent(id: id) }
        annotation.id = id
        return .inserted(annotation)
    }

    /// What `update` changes: feature values to set, features to remove, and a new span.
    public struct Changes: Sendable {
        public var set: [String: JSONValue]
        public var unset: [String]
        /// New offsets, counted in `unit`.
        public var span: (start: Int, end: Int, unit: OffsetUnit)?

        public init(set: [String: JSONValue] = [:], unset: [String] = [], span: (start: Int, end: Int, unit: OffsetUnit)? = nil) {
            self.set = set
            self.unset = unset
            self.span = span
        }
    }

    /// Changes a stored annotation, refusing it (exit 75, naming the current revision) unless it is still at
    /// `revision`, so that two coders editing the same annotation cannot overwrite each other. The result is
    /// checked against the latest version of its layer's codebook, which it then records; a change of
    /// feature values is a recoding, so it clears a `needs_recoding` flag. The store audits before and after.
    public func update(id: Int64, changes: Changes, ifRevision revision: Int?) throws -> Annotation {
        guard var annotation = try writer.annotation(id: id) else {
            throw GlossError(.badData, "no annotation with id \(id); list ids with `gloss annotations list`")
        }
        try blindCoding.permit(coder: annotation.coder, documentID: annotation.documentID, writer: writer,
                               time: context.time)
        if let revision, annotation.revision != revision {
            throw GlossError(.conflict, "annotation \(id) is at revision \(annotation.revision), not \(revision): someone changed it since you read it; look at it again (`gloss annotations list --format jsonl`) and retry with --if-revision \(annotation.revision)")
        }
        for name in changes.unset { annotation.features[name] = nil }
        for (name, value) in changes.set { annotation.features[name] = value }
        try checkSizes(of: changes.set, layer: annotation.layer)
        let text = try documentText(annotation.documentID)
        if let span = changes.span {
            do {
                annotation.span = try text.index.span(start: span.start, end: span.end, in: span.unit)
                annotation.quote = try text.quote(annotation.span)
            } catch {
                throw GlossError(.badData, "document \"\(annotation.documentID)\": \(error)")
            }
        }
        if !changes.set.isEmpty || !changes.unset.isEmpty { annotation.needsRecoding = nil }
        annotation.codebook = try checkAgainstCodebook(annotation, named: nil, text: text) ?? annotation.codebook
        annotation.revision += 1
        annotation.updatedAt = context.time
        if blindCoding.isGold(annotation.coder) {
            // A person changed a gold annotation: the decision is now theirs, from the same sources.
            var sources: [JSONValue] = []
            if case .object(let earlier)? = annotation.provenance, case .array(let ids)? = earlier["sources"] {
                sources = ids
            }
            annotation.provenance = decidedByHand(sources: sources)
        }
        try writer.update(annotation, context: context)
        return annotation
    }

    /// The provenance of a gold annotation written or changed by a person (the actor of `context`).
    private func decidedByHand(sources: [JSONValue]) -> JSONValue {
        .object(["sources": .array(sources), "rule": .string("manual"), "decided_by": .string(context.actor),
                 "at": .string(context.time)])
    }

    /// Deletes a stored annotation, if its coder may still write on its document (the audit log keeps it).
    public func delete(id: Int64) throws -> Annotation {
        if let annotation = try writer.annotation(id: id) {
            try blindCoding.permit(coder: annotation.coder, documentID: annotation.documentID, writer: writer,
                                   time: context.time)
        }
        return try writer.deleteAnnotation(id: id, context: context)
    }

    /// Refuses a feature value longer than the limit, unless the codebook sets the feature's own `max_length`.
    private func checkSizes(of features: [String: JSONValue], layer: String) throws {
        let governing = codebooks.current(forLayer: layer).map(\.layer)
        for (name, value) in features {
            if case .text(let maximumLength?)? = governing?.feature(name)?.kind, maximumLength > 0 { continue }
            let bytes = value.canonicalJSON.utf8.count
            guard bytes > limits.maximumFeatureBytes else { continue }
            throw GlossError(.badData, "feature \(name) holds \(InputLimits.describe(bytes)), more than the limit of "
                             + "\(InputLimits.describe(limits.maximumFeatureBytes)); raise it with --max-feature-bytes")
        }
    }

    /// Checks an annotation against the codebook version that governs it and returns that version, or nil
    /// when no codebook is registered (or the layer is uncoded and that is allowed).
    private func checkAgainstCodebook(_ annotation: Annotation, named reference: CodebookReference?, text: DocumentText) throws -> CodebookReference? {
        guard !codebooks.isEmpty || reference != nil else { return nil }
        let subject = "\(annotation.coder)'s \(annotation.layer) annotation \(annotation.span) in \"\(annotation.documentID)\""
        let codebook: Codebook, layer: Layer
        if let reference {
            guard let named = codebooks.codebook(reference.id, version: reference.version) else {
                throw GlossError(.badData, "\(subject) names codebook \(reference), which is not registered in this project; register it with `gloss codebook add` first")
            }
            guard let found = named.layer(annotation.layer) else {
                throw GlossError(.badData, "\(subject): codebook \(reference) has no layer \(annotation.layer); its layers: \(named.layers.map(\.id).joined(separator: ", "))")
            }
            guard checksCodebooks else { return reference }
            (codebook, layer) = (named, found)
        } else if !checksCodebooks {
            return nil
        } else if let current = codebooks.current(forLayer: annotation.layer) {
            (codebook, layer) = current
        } else {
            guard allowsUncodedLayers else {
                throw GlossError(.badData, "\(subject): layer \(annotation.layer) is not defined by any registered codebook (layers: \(codebooks.layerIDs.joined(separator: ", "))); register a codebook that defines it, or pass --allow-uncoded-layers")
            }
            return nil
        }
        var violations = layer.violations(span: annotation.span, features: annotation.features, textLength: text.index.codePointCount,
                                          boundaries: self.boundaries(annotation.documentID, text))
        // Spans overlap when they share a code point, so an empty span overlaps nothing.
        if !layer.allowsOverlap && annotation.span.length > 0 {
            for other in try writer.overlappingAnnotationIDs(with: annotation) {
                // An identical stored annotation is not an overlap when the record has no id: the insert finds it
                // and skips the record. A record with an id of its own would be a second annotation.
                if annotation.id == 0, let stored = try writer.annotation(id: other), stored.span == annotation.span,
                   JSONValue.object(stored.features).canonicalJSON.isIdentical(to: JSONValue.object(annotation.features).canonicalJSON) {
                    continue
                }
                violations.append(Violation("it overlaps annotation \(other) by the same coder, and layer \(layer.id) forbids overlap"))
                break
            }
        }
        for reference in layer.spanReferences(in: annotation.features) {
            let target = try writer.annotation(id: reference.annotationID)
            if target == nil || target?.layer != reference.layer || target?.coder.isIdentical(to: annotation.coder) != true
                || target?.documentID.isIdentical(to: annotation.documentID) != true {
                violations.append(Violation(feature: reference.feature, "\(reference.feature) refers to annotation \(reference.annotationID), which is not an annotation of layer \(reference.layer) by \(annotation.coder) in this document"))
            }
        }
        guard violations.isEmpty else {
            throw GlossError(.badData, "\(subject) breaks codebook \(codebook.id)@\(codebook.version): \(violations.map(\.message).joined(separator: "; "))")
        }
        return CodebookReference(id: codebook.id, version: codebook.version)
    }

    private func boundaries(_ externalID: String, _ text: DocumentText) -> TextBoundaries {
        if let known = boundaries[ExactKey(externalID)] { return known }
        let computed = TextBoundaries(text.text)
        boundaries[ExactKey(externalID)] = computed
        return computed
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
