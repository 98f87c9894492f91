/// One line of Gloss's native document JSON Lines format.
///
/// ```json
/// {"id":"kabul-01","title":"…","outlet":"…","url":"…","published":"2017-02-13","text":"…"}
/// ```
/// Only `id` and `text` are required; a missing title becomes the first non-empty line of the text.
/// Exports add `imported` and `sha256`; an import keeps the first and checks the second against the text.
public struct DocumentRecord: Sendable, Equatable {
    public static let fieldNames: Set = ["id", "title", "outlet", "url", "published", "imported", "sha256", "text"]

    public var externalID: String
    public var title: String?
    public var outlet: String?
    public var url: String?
    public var published: String?
    public var importedAt: String?
    public var sha256: String?
    public var text: String

    public init(externalID: String, title: String? = nil, outlet: String? = nil, url: String? = nil,
                published: String? = nil, importedAt: String? = nil, sha256: String? = nil, text: String) {
        self.externalID = externalID
        self.title = title
        self.outlet = outlet
        self.url = url
        self.published = published
        self.importedAt = importedAt
        self.sha256 = sha256
        self.text = text
    }

    /// Reads a record from a parsed JSON line, checking every field.
    public init(json: JSONValue) throws(RecordError) {
        let fields = try RecordFields(json, allowedKeys: Self.fieldNames)
        self.init(
            externalID: try fields.requiredString("id"),
            title: try fields.optionalString("title"),
            outlet: try fields.optionalString("outlet"),
            url: try fields.optionalString("url"),
            published: try fields.optionalString("published"),
            importedAt: try fields.optionalString("imported"),
            sha256: try fields.optionalString("sha256"),
            text: try fields.requiredString("text"))
        if let published, !Timestamp.isValidPublicationDate(published) {
            throw RecordError("\"published\" is \"\(published)\"; use an ISO 8601 date such as 2017-02-13 (or 2017-02, 2017, or a full date-time)")
        }
        if let importedAt, !Timestamp.isValid(importedAt) {
            throw RecordError("\"imported\" is \"\(importedAt)\", not an RFC 3339 time such as 2026-01-31T12:00:00.000Z")
        }
        if let sha256, !sha256.utf8.elementsEqual(SHA256.hexDigest(of: text).utf8) {
            throw RecordError("\"sha256\" does not match the text: the text was changed after export, or the hash belongs to another document")
        }
    }

    /// Checks what every document must satisfy, whatever file it came from.
    public func check() throws(RecordError) {
        if let problem = Name.problem(with: externalID, as: .documentID) { throw RecordError(problem) }
        if let offset = text.unicodeScalars.firstIndex(of: "\0") {
            let codePoint = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: offset)
            throw RecordError("the text contains a NUL character (U+0000) at code point \(codePoint); remove it")
        }
    }

    /// The document to store, importing now unless the record carries its own import time.
    public func document(importedAt now: String) -> Document {
        // A record's sha256 has been checked against its text on reading, so it need not be computed again.
        Document(externalID: externalID, title: title ?? Document.defaultTitle(of: text), outlet: outlet, url: url,
                 published: published, text: text, sha256: sha256, importedAt: importedAt ?? now)
    }
}

extension Document {
    /// The document as one line of native JSON Lines (no trailing newline), fields in a fixed order.
    /// Without the text, the line is the document's metadata record, which the sha256 identifies.
    public func nativeJSONLine(includingText: Bool = true) -> String {
        var line = "{\"id\":"
        JSONValue.writeString(externalID, to: &line)
        line += ",\"title\":"
        JSONValue.writeString(title, to: &line)
        for (key, value) in [("outlet", outlet), ("url", url), ("published", published)] {
            guard let value else { continue }
            line += ",\"\(key)\":"
            JSONValue.writeString(value, to: &line)
        }
        line += ",\"imported\":"
        JSONValue.writeString(importedAt, to: &line)
        line += ",\"sha256\":\"\(sha256)\""
        if includingText {
            line += ",\"text\":"
            JSONValue.writeString(text, to: &line)
        }
        line += "}"
        return line
    }
}
