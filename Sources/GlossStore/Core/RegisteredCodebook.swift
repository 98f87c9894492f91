/// A codebook version as registered in a project: its YAML source, kept whole, and its hash.
public struct RegisteredCodebook: Sendable, Equatable {
    public var id: String
    public var version: Int
    public var title: String
    /// The YAML text exactly as registered.
    public var source: String
    public var sha256: String
    /// The file it was registered from, for messages.
    public var file: String
    public var addedAt: String

    public init(id: String, version: Int, title: String, source: String, sha256: String, file: String, addedAt: String) {
        self.id = id
        self.version = version
        self.title = title
        self.source = source
        self.sha256 = sha256
        self.file = file
        self.addedAt = addedAt
    }
}
