import GlossCore

/// A document with annotations as another tool recorded them, already converted to Gloss's offsets (code
/// points, half-open): what every interchange reader produces and `InterchangeImporter` stores.
public struct InterchangeDocument: Sendable {
    public var id: String
    public var text: String
    public var spans: [InterchangeSpan]
    public var relations: [InterchangeRelation]
    /// Labels of the whole document (text classification), with who gave them when the file says.
    public var categories: [InterchangeCategory]
    /// Where the document was read, for messages.
    public var location: SourceLocation

    public init(id: String, text: String, spans: [InterchangeSpan] = [], relations: [InterchangeRelation] = [], categories: [InterchangeCategory] = [],
                location: SourceLocation) {
        self.id = id
        self.text = text
        self.spans = spans
        self.relations = relations
        self.categories = categories
        self.location = location
    }
}

/// A labelled span. `key` is the tool's own id, unique within the document, which relations refer to.
public struct InterchangeSpan: Sendable {
    public var key: String
    public var label: String
    public var start: Int
    public var end: Int
    /// Who made it, when the file says; else the importer's coder.
    public var coder: String?
    public var attributes: [String: JSONValue]
    /// The covered text as the tool recorded it, checked against the document when present.
    public var text: String?
    /// Further pieces of a discontinuous span (brat), after [start, end).
    public var fragments: [(start: Int, end: Int)]
    /// The line of the file it came from, when the format has lines.
    public var line: Int?

    public init(key: String, label: String, start: Int, end: Int, coder: String? = nil, attributes: [String: JSONValue] = [:], text: String? = nil,
                fragments: [(start: Int, end: Int)] = [], line: Int? = nil) {
        self.line = line
        self.key = key
        self.label = label
        self.start = start
        self.end = end
        self.coder = coder
        self.attributes = attributes
        self.text = text
        self.fragments = fragments
    }
}

/// A label of a whole document.
public struct InterchangeCategory: Sendable, Equatable {
    public var label: String
    public var coder: String?

    public init(label: String, coder: String? = nil) {
        self.label = label
        self.coder = coder
    }
}

/// A typed, directed relation between two spans of one document, by their keys.
public struct InterchangeRelation: Sendable {
    public var key: String
    public var type: String
    public var from: String
    public var to: String
    /// A free-text note on the relation.
    public var note: String?
    /// The line of the file it came from, when the format has lines.
    public var line: Int?

    public init(key: String, type: String, from: String, to: String, note: String? = nil, line: Int? = nil) {
        self.line = line
        self.key = key
        self.type = type
        self.from = from
        self.to = to
        self.note = note
    }
}

/// What a tool's configuration declares, whether used or not (brat's annotation.conf): it goes into the draft
/// codebook with what the files use.
public struct InterchangeVocabulary: Sendable {
    public var labels: [String] = []
    public var relationTypes: [String] = []
    /// Categories of whole documents.
    public var categories: [String] = []
    /// Attributes with their values; no values means a yes/no attribute.
    public var attributes: [(name: String, values: [String])] = []
    /// Attributes that hold free text (notes) rather than codes.
    public var textAttributes: Set<String> = []
    /// The field of a task's data that holds the text, as a Label Studio config names it (`<Text value="$article"/>`).
    public var textField: String?

    public init() {}
}
