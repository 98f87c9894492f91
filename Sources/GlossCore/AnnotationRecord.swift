/// One line of Gloss's native annotation JSON Lines format.
///
/// ```json
/// {"document":"kabul-01","coder":"alice","layer":"statement","start":12,"end":40,"unit":"codepoint",
///  "text":"covered text","features":{"stance":"critical"}}
/// ```
/// `document`, `coder`, `layer`, `start` and `end` are required; `unit` is `codepoint` (default), `utf16`
/// or `utf8`; `text`, when given, must equal the covered text. Exports add `id`, `created`, `updated`,
/// `revision`, and, when set, `codebook` (`id@version`), `needs_recoding` and a gold annotation's `provenance`,
/// which an import keeps, so that export → import → export is byte-identical.
public struct AnnotationRecord: Sendable, Equatable {
    /// The largest annotation id: 2^53 − 1, the largest integer JavaScript and JSON tools keep exactly.
    public static let maximumID: Int64 = (1 << 53) - 1

    public static let fieldNames: Set = ["id", "document", "coder", "layer", "start", "end", "unit", "text", "features",
                                         "created", "updated", "revision", "codebook", "needs_recoding", "provenance"]

    public var id: Int64?
    public var documentID: String
    public var coder: String
    public var layer: String
    public var start: Int
    public var end: Int
    public var unit: OffsetUnit
    public var text: String?
    public var features: [String: JSONValue]
    public var createdAt: String?
    public var updatedAt: String?
    public var revision: Int?
    /// The codebook version the annotation was made under, when the record says so.
    public var codebook: CodebookReference?
    public var needsRecoding: String?
    /// A gold annotation's provenance (an object), kept as it is.
    public var provenance: JSONValue?

    public init(id: Int64? = nil, documentID: String, coder: String, layer: String, start: Int, end: Int,
                unit: OffsetUnit = .codepoint, text: String? = nil, features: [String: JSONValue] = [:],
                createdAt: String? = nil, updatedAt: String? = nil, revision: Int? = nil) {
        self.id = id
        self.documentID = documentID
        self.coder = coder
        self.layer = layer
        self.start = start
        self.end = end
        self.unit = unit
        self.text = text
        self.features = features
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revision = revision
    }

    /// Reads a record from a parsed JSON line, checking every field.
    public init(json: JSONValue) throws(RecordError) {
        let fields = try RecordFields(json, allowedKeys: Self.fieldNames)
        let unitName = try fields.optionalString("unit") ?? OffsetUnit.codepoint.rawValue
        guard let unit = OffsetUnit(rawValue: unitName) else {
            throw RecordError("\"unit\" is \"\(unitName)\"; use codepoint, utf16 or utf8")
        }
        self.init(
            id: try fields.optionalInteger("id").map(Int64.init),
            documentID: try fields.requiredString("document"),
            coder: try fields.requiredString("coder"),
            layer: try fields.requiredString("layer"),
            start: try fields.requiredInteger("start"),
            end: try fields.requiredInteger("end"),
            unit: unit,
            text: try fields.optionalString("text"),
            features: try fields.optionalObject("features") ?? [:],
            createdAt: try fields.optionalString("created"),
            updatedAt: try fields.optionalString("updated"),
            revision: try fields.optionalInteger("revision"))
        if let reference = try fields.optionalString("codebook") {
            guard let at = reference.lastIndex(of: "@"), let version = Int(reference[reference.index(after: at)...]), version >= 1,
                  at != reference.startIndex else {
                throw RecordError("\"codebook\" is \"\(reference)\"; write the codebook id and version as id@version, e.g. coverage@2")
            }
            codebook = CodebookReference(id: String(reference[..<at]), version: version)
        }
        needsRecoding = try fields.optionalString("needs_recoding")
        provenance = try fields.optionalObject("provenance").map(JSONValue.object)
        try check()
    }

    /// Checks names, offsets, times and feature values; `init(json:)` calls it, other sources should too.
    public func check() throws(RecordError) {
        if let id, !(1...Self.maximumID).contains(id) {
            throw RecordError("\"id\" must be an integer from 1 to \(Self.maximumID)")
        }
        for (name, kind) in [(documentID, Name.Kind.documentID), (coder, .coder), (layer, .layer)] {
            if let problem = Name.problem(with: name, as: kind) { throw RecordError(problem) }
        }
        for key in features.keys.sorted() {
            if let problem = Name.problem(with: key, as: .feature) { throw RecordError(problem) }
            if features[key] == .null { throw RecordError("feature \"\(key)\" is null; leave the feature out instead") }
        }
        if start < 0 { throw RecordError("\"start\" is negative (\(start))") }
        if end < start { throw RecordError("\"end\" (\(end)) lies before \"start\" (\(start))") }
        for (key, value) in [("created", createdAt), ("updated", updatedAt)] {
            if let value, !Timestamp.isValid(value) {
                throw RecordError("\"\(key)\" is \"\(value)\", not an RFC 3339 time such as 2026-01-31T12:00:00.000Z")
            }
        }
        if let revision, revision < 1 { throw RecordError("\"revision\" must be 1 or more") }
    }
}

extension Annotation {
    /// The annotation as one line of native JSON Lines (no trailing newline), fields in a fixed order.
    public var nativeJSONLine: String {
        var line = "{\"id\":"
        line.reserveCapacity(documentID.utf8.count + coder.utf8.count + layer.utf8.count + quote.utf8.count + 64 * features.count + 200)
        line += String(id)
        line += ",\"document\":"
        JSONValue.writeString(documentID, to: &line)
        line += ",\"coder\":"
        JSONValue.writeString(coder, to: &line)
        line += ",\"layer\":"
        JSONValue.writeString(layer, to: &line)
        line += ",\"start\":"
        line += String(span.start)
        line += ",\"end\":"
        line += String(span.end)
        line += ",\"unit\":\"codepoint\",\"text\":"
        JSONValue.writeString(quote, to: &line)
        line += ",\"features\":"
        JSONValue.object(features).write(to: &line)
        line += ",\"created\":"
        JSONValue.writeString(createdAt, to: &line)
        line += ",\"updated\":"
        JSONValue.writeString(updatedAt, to: &line)
        line += ",\"revision\":"
        line += String(revision)
        if let codebook {
            line += ",\"codebook\":"
            JSONValue.writeString(codebook.description, to: &line)
        }
        if let needsRecoding {
            line += ",\"needs_recoding\":"
            JSONValue.writeString(needsRecoding, to: &line)
        }
        if let provenance {
            line += ",\"provenance\":"
            provenance.write(to: &line)
        }
        line += "}"
        return line
    }
}
