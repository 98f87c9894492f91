/// One revision of a document's text: the first import is revision 1, and each `import docs --update` with a
/// changed text adds one.
public struct DocumentRevision: Sendable, Equatable {
    public var revision: Int
    public var text: String
    public var sha256: String
    public var importedAt: String
    /// When a later revision replaced it; nil for the current revision.
    public var replacedAt: String?

    public init(revision: Int, text: String, sha256: String, importedAt: String, replacedAt: String?) {
        self.revision = revision
        self.text = text
        self.sha256 = sha256
        self.importedAt = importedAt
        self.replacedAt = replacedAt
    }
}
