/// The sizes Gloss accepts from input, so that a runaway file cannot exhaust memory or fill the project.
///
/// The defaults are far above what news coding needs (a long article is under 100 KB) and can be raised per
/// command: `--max-line-bytes`, `--max-document-bytes` and `--max-feature-bytes`.
public struct InputLimits: Sendable, Equatable {
    /// The longest line of a JSON Lines file, in bytes (a line holds one record, a document's text included).
    public var maximumLineBytes: Int
    /// The longest document text, in UTF-8 bytes.
    public var maximumDocumentBytes: Int
    /// The longest feature value, in bytes of its JSON form, unless the codebook sets `max_length` for the feature.
    public var maximumFeatureBytes: Int

    public init(maximumLineBytes: Int = 32 << 20, maximumDocumentBytes: Int = 16 << 20,
                maximumFeatureBytes: Int = 1 << 20) {
        self.maximumLineBytes = maximumLineBytes
        self.maximumDocumentBytes = maximumDocumentBytes
        self.maximumFeatureBytes = maximumFeatureBytes
    }

    /// 32 MiB lines, 16 MiB documents, 1 MiB feature values.
    public static let `default` = InputLimits()

    /// A byte count for messages: "16 MiB", "1.5 KiB", "300 bytes".
    public static func describe(_ bytes: Int) -> String {
        for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= size {
            let whole = bytes / size, tenth = bytes % size * 10 / size
            return tenth == 0 ? "\(whole) \(unit)" : "\(whole).\(tenth) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
