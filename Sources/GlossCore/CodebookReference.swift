/// The codebook version an annotation was made under (or migrated to).
public struct CodebookReference: Sendable, Hashable, CustomStringConvertible {
    public var id: String
    public var version: Int

    public init(id: String, version: Int) {
        self.id = id
        self.version = version
    }

    /// `id@version`, as `gloss codebook show` takes it.
    public var description: String { "\(id)@\(version)" }
}
