import CLibXML2
import GlossCodebook
import GlossCore
import GlossIO

/// Feature values in TEI feature-structure markup (Guidelines ch. 18), both ways, without loss.
///
/// Codes of category, ordinal and categories features are `symbol`s, other strings `string`s; booleans are
/// `binary`, numbers `numeric` (the JSON number's text, so that it reads back the same), lists `vColl`
/// (`org="set"` for categories features, else `org="list"`). A null or an object, which no codebook type
/// produces, is kept as its canonical JSON in `<string n="json">`.
enum TEIFeatureValue {
    static func write(_ value: JSONValue, kind: Feature.Kind?, to writer: XMLStreamWriter) throws {
        switch value {
        case .string(let text):
            switch kind {
            case .category, .ordinal, .categories: try writer.element("symbol", [("value", text)])
            default: try writer.element("string", text: text)
            }
        case .bool(let flag): try writer.element("binary", [("value", flag ? "true" : "false")])
        case .integer, .number: try writer.element("numeric", [("value", value.canonicalJSON)])
        case .array(let items):
            let isSet: Bool
            if case .categories = kind { isSet = true } else { isSet = false }
            try writer.element("vColl", [("org", isSet ? "set" : "list")]) {
                for item in items { try write(item, kind: kind, to: writer) }
            }
        case .null, .object: try writer.element("string", [("n", TEIVocabulary.jsonString)], text: value.canonicalJSON)
        }
    }

    /// The value of a feature-value element, or a message saying what is wrong with it.
    static func read(_ node: xmlNodePtr) throws(TEIReadError) -> JSONValue {
        switch node.name {
        case "symbol":
            guard let value = node.attribute("value") else { throw TEIReadError(node, "<symbol> has no value attribute") }
            return .string(value)
        case "string":
            let text = node.text
            guard node.attribute("n") == TEIVocabulary.jsonString else { return .string(text) }
            do { return try JSONParser.parse(text) } catch { throw TEIReadError(node, "<string n=\"json\"> does not hold JSON: \(error.message)") }
        case "binary":
            switch node.attribute("value") {
            case "true", "1": return .bool(true)
            case "false", "0": return .bool(false)
            default: throw TEIReadError(node, "<binary> needs value=\"true\" or \"false\"")
            }
        case "numeric":
            switch node.attribute("value").flatMap({ try? JSONParser.parse($0) }) {
            case .some(let number) where number.typeName == JSONValue.integer(0).typeName: return number
            default: throw TEIReadError(node, "<numeric> needs a number in its value attribute")
            }
        case "vColl":
            var items: [JSONValue] = []
            for child in node.elements { items.append(try read(child)) }
            return .array(items)
        default:
            throw TEIReadError(node, "<\(node.name)> is not a feature value Gloss reads (symbol, string, binary, numeric or vColl)")
        }
    }
}

/// A problem in a TEI file, at an element's line.
struct TEIReadError: Error {
    var line: Int
    var message: String

    init(_ node: xmlNodePtr, _ message: String) {
        line = node.line
        self.message = message
    }
}
