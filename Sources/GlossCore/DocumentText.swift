/// A document's text together with its offset index, for slicing by code-point spans.
public struct DocumentText: Sendable {
    public let text: String
    public let index: TextIndex

    public init(_ text: String) {
        var text = text
        text.makeContiguousUTF8()  // makes UTF-8 index arithmetic O(1)
        self.text = text
        self.index = TextIndex(text)
    }

    /// The text covered by `span`, which must lie within the text.
    public func quote(_ span: TextSpan) throws(OffsetError) -> String {
        let startByte = try index.offset(fromCodePoint: span.start, to: .utf8)
        let endByte = try index.offset(fromCodePoint: span.end, to: .utf8)
        let utf8 = text.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: startByte)
        let upper = utf8.index(utf8.startIndex, offsetBy: endByte)
        return String(text[lower..<upper])
    }
}
