/// A news article as imported: its text exactly as given, and its bibliographic metadata.
public struct Document: Sendable, Equatable {
    /// The document's public, unique id (for `.txt` imports, the file name without extension).
    public var externalID: String
    public var title: String
    public var outlet: String?
    public var url: String?
    /// Publication date in ISO 8601 form (`2017`, `2017-02`, `2017-02-13` or a full date-time).
    public var published: String?
    /// The text, byte for byte as imported (minus a leading byte order mark in a file).
    public var text: String
    /// Lowercase hexadecimal SHA-256 of the UTF-8 text.
    public var sha256: String
    /// When the document was imported (RFC 3339, UTC).
    public var importedAt: String

    /// A document with the given text; `sha256` is computed from the text unless given (as when loading a stored row).
    public init(externalID: String, title: String, outlet: String? = nil, url: String? = nil, published: String? = nil,
                text: String, sha256: String? = nil, importedAt: String) {
        self.externalID = externalID
        self.title = title
        self.outlet = outlet
        self.url = url
        self.published = published
        self.text = text
        self.sha256 = sha256 ?? SHA256.hexDigest(of: text)
        self.importedAt = importedAt
    }

    /// The first non-empty line of `text`, trimmed: the default title of an imported text.
    public static func defaultTitle(of text: String) -> String {
        for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0.isNewline }) {
            let trimmed = line.trimmingWhitespace()
            if !trimmed.isEmpty { return trimmed }
        }
        return ""
    }
}

/// A document's metadata and counts, without its text: what listings show.
public struct DocumentSummary: Sendable, Equatable {
    public var externalID: String
    public var title: String
    public var outlet: String?
    public var url: String?
    public var published: String?
    public var sha256: String
    public var importedAt: String
    /// Length of the text in code points.
    public var length: Int
    public var annotationCount: Int

    public init(externalID: String, title: String, outlet: String?, url: String?, published: String?, sha256: String,
                importedAt: String, length: Int, annotationCount: Int) {
        self.externalID = externalID
        self.title = title
        self.outlet = outlet
        self.url = url
        self.published = published
        self.sha256 = sha256
        self.importedAt = importedAt
        self.length = length
        self.annotationCount = annotationCount
    }
}

extension StringProtocol {
    /// The string without leading and trailing white space (Unicode `White_Space`, including NBSP).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}

extension DocumentSummary {
    /// The summary as `gloss docs list --format json` prints it and the server returns it.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(externalID), "title": .string(title), "sha256": .string(sha256),
            "imported": .string(importedAt), "length": .integer(length), "annotations": .integer(annotationCount),
        ]
        if let outlet { object["outlet"] = .string(outlet) }
        if let url { object["url"] = .string(url) }
        if let published { object["published"] = .string(published) }
        return .object(object)
    }
}
