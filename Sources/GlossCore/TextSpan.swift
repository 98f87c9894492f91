/// A half-open range `[start, end)` of code-point offsets in a document's text.
public struct TextSpan: Sendable, Hashable, CustomStringConvertible {
    public let start: Int
    public let end: Int

    /// Creates a span, refusing a negative start or an end before the start.
    public init(start: Int, end: Int) throws(OffsetError) {
        guard start >= 0 else { throw .negative(offset: start) }
        guard start <= end else { throw .endBeforeStart(start: start, end: end) }
        self.start = start
        self.end = end
    }

    init(uncheckedStart start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// The number of code points covered.
    public var length: Int { end - start }

    public var description: String { "[\(start), \(end))" }
}
