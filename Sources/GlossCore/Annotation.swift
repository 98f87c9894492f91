/// A coded span: one coder's annotation of a stretch of a document's text on one layer.
public struct Annotation: Sendable, Equatable {
    public var id: Int64
    /// The external id of the annotated document.
    public var documentID: String
    public var coder: String
    public var layer: String
    /// The covered range in code points.
    public var span: TextSpan
    /// The covered text at the time of annotation, kept so that drift can be detected.
    public var quote: String
    /// Feature values by feature id.
    public var features: [String: JSONValue]
    public var createdAt: String
    public var updatedAt: String
    /// Starts at 1 and grows with every change.
    public var revision: Int
    /// The codebook version the annotation was checked against, or nil when no codebook governs its layer.
    public var codebook: CodebookReference?
    /// Why the annotation must be recoded by a person (set by a codebook migration that splits a code), or nil.
    public var needsRecoding: String?
    /// How a gold annotation came about (a JSON object: its source annotations, the rule or person that decided,
    /// and when), or nil for a coder's own annotation.
    public var provenance: JSONValue?

    public init(id: Int64, documentID: String, coder: String, layer: String, span: TextSpan, quote: String,
                features: [String: JSONValue], createdAt: String, updatedAt: String, revision: Int,
                codebook: CodebookReference? = nil, needsRecoding: String? = nil, provenance: JSONValue? = nil) {
        self.id = id
        self.documentID = documentID
        self.coder = coder
        self.layer = layer
        self.span = span
        self.quote = quote
        self.features = features
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revision = revision
        self.codebook = codebook
        self.needsRecoding = needsRecoding
        self.provenance = provenance
    }
}

/// Which annotations to list or export; nil means any.
public struct AnnotationFilter: Sendable, Equatable {
    public var documentID: String?
    public var coder: String?
    public var layer: String?

    public init(documentID: String? = nil, coder: String? = nil, layer: String? = nil) {
        self.documentID = documentID
        self.coder = coder
        self.layer = layer
    }
}
