import GlossCore

/// A project's persistent storage: documents, coders, annotations and the audit log.
///
/// All access goes through `read` and `write`; a `write` body runs in one transaction that commits
/// when the body returns and rolls back when it throws, so every command succeeds whole or changes
/// nothing. `SQLiteStore` is the embedded implementation; `PostgresStore` implements the same protocol on a
/// PostgreSQL server. Implementations report failures as `GlossError`.
public protocol ProjectStore: Sendable {
    /// Runs `body` with a consistent read-only view of the project.
    func read<T>(_ body: (any ProjectReader) throws -> T) throws -> T
    /// Runs `body` in one write transaction.
    @discardableResult
    func write<T>(_ body: (any ProjectWriter) throws -> T) throws -> T
}

/// What opening a store found and did to its schema.
public enum SchemaState: Sendable, Equatable {
    case created
    case upgraded(applied: [String])
    case current
}

/// Read access within one transaction.
public protocol ProjectReader {
    /// All documents' metadata, ordered by external id.
    func documentSummaries() throws -> [DocumentSummary]
    /// The document with this external id, or nil.
    func document(externalID: String) throws -> Document?
    /// Calls `body` with each document in external-id order, one at a time.
    func forEachDocument(_ body: (Document) throws -> Void) throws
    /// The annotation with this id, or nil.
    func annotation(id: Int64) throws -> Annotation?
    /// Calls `body` with each matching annotation in id order, one at a time.
    func forEachAnnotation(matching filter: AnnotationFilter, _ body: (Annotation) throws -> Void) throws
    /// Names of all coders, in order of creation.
    func coderNames() throws -> [String]
    /// The layers that annotations are stored on, sorted.
    func annotatedLayerNames() throws -> [String]
    /// The audit log, oldest first; `limit` keeps only the newest entries.
    func auditEntries(limit: Int?) throws -> [AuditEntry]
    /// Every registered codebook version, by id and version.
    func registeredCodebooks() throws -> [RegisteredCodebook]
    /// Every revision of a document's text, oldest first, the current one last; empty for an unknown id.
    func documentRevisions(externalID: String) throws -> [DocumentRevision]
    /// Ids of the annotations by the same coder, in the same document and layer, whose spans overlap
    /// `annotation`'s (sharing at least one code point), other than `annotation` itself.
    func overlappingAnnotationIDs(with annotation: Annotation) throws -> [Int64]
    /// The assignments (of one coder, or all), ordered by document id and coder.
    func assignments(coder: String?) throws -> [Assignment]
    /// Whether the project has any assignment (from then on, blind coding applies).
    func hasAssignments() throws -> Bool
    /// The adjudication records of a gold coder and layer (either nil for all), in id order.
    func adjudications(gold: String?, layer: String?) throws -> [Adjudication]
    /// The adjudication record with this id, or nil.
    func adjudication(id: Int64) throws -> Adjudication?
    /// The names used as gold coders (by `gloss adjudicate --gold`), sorted.
    func goldCoderNames() throws -> [String]
    /// Every access token (valid and revoked), in id order.
    func accessTokens() throws -> [AccessToken]
    /// The token whose secret has this SHA-256, or nil.
    func accessToken(sha256: String) throws -> AccessToken?
}

/// Write access within one transaction. Every change appends its own entry to the audit log.
public protocol ProjectWriter: ProjectReader {
    /// Stores a new document (its external id must not exist yet) and audits it.
    func insert(_ document: Document, context: ChangeContext) throws
    /// Replaces a stored document's text and metadata with `document`'s, keeping the text it replaces as a
    /// revision of its own, and audits it; returns the new revision number.
    func replace(_ document: Document, context: ChangeContext) throws -> Int
    /// Changes a stored document's title, outlet, URL and publication date (never its text) and audits the change.
    func updateMetadata(_ document: Document, context: ChangeContext) throws
    /// Stores a new annotation, audits it, and returns its id. The coder is created (and audited) on first use.
    ///
    /// An `id` of 0 asks the store to assign one, unless an identical annotation (same document, coder,
    /// layer, offsets and features, compared byte for byte) is already stored: then nothing is written and
    /// that annotation's id is returned with `isNew` false. Any other id is kept (it must not exist yet).
    func insert(_ annotation: Annotation, context: ChangeContext) throws -> (id: Int64, isNew: Bool)
    /// Replaces a stored annotation's layer, span, quote, features, times, revision, codebook version and
    /// recoding flag with `annotation`'s, auditing before and after.
    func update(_ annotation: Annotation, context: ChangeContext) throws
    /// Registers a codebook version (audited); the id and version must be new.
    func register(_ codebook: RegisteredCodebook, context: ChangeContext) throws
    /// Removes an annotation, keeping it whole in the audit log; refuses an unknown id (exit 65).
    @discardableResult
    func deleteAnnotation(id: Int64, context: ChangeContext) throws -> Annotation
    /// Stores new assignments (each document and coder pair must be new; coders are created on first use) and
    /// audits them as one entry.
    func insert(_ assignments: [Assignment], context: ChangeContext) throws
    /// Changes a stored assignment's start and done times, auditing before and after.
    func update(_ assignment: Assignment, context: ChangeContext) throws
    /// Records when a coder first annotated an assigned document, if not recorded yet (derived state: not audited
    /// apart from the annotation itself).
    func markStarted(documentID: String, coder: String, at time: String) throws
    /// Stores an adjudication record, audits it, and returns its id.
    func insert(_ adjudication: Adjudication, context: ChangeContext) throws -> Int64
    /// Changes a stored adjudication record's state, decision and gold annotation, auditing before and after.
    func update(_ adjudication: Adjudication, context: ChangeContext) throws
    /// Removes an adjudication record (an open conflict a later run replaced), keeping it in the audit log.
    func deleteAdjudication(id: Int64, context: ChangeContext) throws
    /// Stores a new access token (its hash must be new), audits it without its hash, and returns its id.
    func insert(_ token: AccessToken, context: ChangeContext) throws -> Int64
    /// Marks a token revoked at the context's time (audited); refuses an unknown or already revoked id.
    func revokeAccessToken(id: Int64, context: ChangeContext) throws -> AccessToken
}

extension ProjectReader {
    /// The matching annotations, in id order.
    public func annotations(matching filter: AnnotationFilter = AnnotationFilter()) throws -> [Annotation] {
        var result: [Annotation] = []
        try forEachAnnotation(matching: filter) { result.append($0) }
        return result
    }
}
