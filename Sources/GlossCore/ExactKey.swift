/// A dictionary key that compares strings by their UTF-8 bytes, as SQLite does.
///
/// A `String` key would merge canonically equivalent names ("José" with é, and with e + U+0301), which
/// the database keeps apart; a cache keyed that way could hand one document's text to the other.
public struct ExactKey: Hashable, Sendable {
    private var string: String

    public init(_ string: String) {
        self.string = string
        self.string.makeContiguousUTF8()
    }

    public static func == (lhs: ExactKey, rhs: ExactKey) -> Bool { lhs.string.isIdentical(to: rhs.string) }

    public func hash(into hasher: inout Hasher) {
        var string = string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
