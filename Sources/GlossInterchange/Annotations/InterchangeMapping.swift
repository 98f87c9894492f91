import Foundation
import GlossCore
import GlossIO
import GlossStore
import Yams

/// How another tool's labels, attributes, relations and categories map onto the layers and features of a
/// registered codebook (`gloss import annotations --format F --map FILE`), instead of a draft codebook:
///
/// ```yaml
/// labels:       # a span label → its layer and a feature value
///   ORG: {layer: actor, feature: actor, value: organisation}
/// attributes:   # an attribute → a feature of the span's layer, values translated or kept
///   Negated: {feature: negated}
///   Confidence: {feature: certainty, values: {High: high, Low: low}}
/// relations:    # a relation type → an annotation of a layer on the source span, its span_ref features
///   Family: {layer: kinship, target: relative, source: person, feature: kind, value: family, note: remark}
/// categories:   # a document category → a document layer and a feature value
///   positive: {layer: tone, feature: tone, value: positive}
/// ```
///
/// Everything in the files must be mapped: an unmapped label, attribute, relation type or category stops
/// the import and is named (import without `--map` to get a draft codebook that takes everything).
public struct InterchangeMapping: Sendable {
    public struct Target: Sendable {
        public var layer: String
        public var feature: String
        public var value: JSONValue
    }

    public struct Attribute: Sendable {
        public var feature: String
        public var values: [String: JSONValue]
    }

    public struct Relation: Sendable {
        public var layer: String
        public var target: String
        public var source: String?
        public var feature: String?
        public var value: JSONValue?
        /// The text feature for the relation's note (brat notes, relation features of TSV and XMI).
        public var note: String?
    }

    public var labels: [String: Target] = [:]
    public var attributes: [String: Attribute] = [:]
    public var relations: [String: Relation] = [:]
    public var categories: [String: Target] = [:]

    public static func read(path: String) throws -> InterchangeMapping {
        let text = try InputFile(path: path).text
        func fail(_ message: String) -> GlossError { GlossError(.badData, "mapping: \(message)", at: SourceLocation(file: path)) }
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw fail("not valid YAML: \(error)") }
        guard let sections = root as? [String: Any] else { throw fail("a mapping file is a YAML mapping with labels, attributes, relations and categories") }
        if let unknown = sections.keys.first(where: { !["labels", "attributes", "relations", "categories"].contains($0) }) {
            throw fail("\"\(unknown)\" is not a section; use labels, attributes, relations and categories")
        }
        let allowed = ["labels": ["layer", "feature", "value"], "categories": ["layer", "feature", "value"], "attributes": ["feature", "values"],
                       "relations": ["layer", "target", "source", "feature", "value", "note"]]
        func entries(_ section: String) throws -> [String: [String: Any]] {
            guard let value = sections[section] else { return [:] }
            guard let map = value as? [String: Any] else { throw fail("\(section) must map names to settings") }
            return try map.mapValues { entry in
                guard let settings = entry as? [String: Any] else { throw fail("each entry of \(section) is a mapping such as {layer: …, feature: …, value: …}") }
                if let unknown = settings.keys.first(where: { !(allowed[section] ?? []).contains($0) }) {
                    throw fail("\(section) entries take \((allowed[section] ?? []).joined(separator: ", ")), not \(unknown)")
                }
                return settings
            }
        }
        func string(_ settings: [String: Any], _ key: String, _ context: String) throws -> String {
            guard let value = settings[key] as? String, !value.isEmpty else { throw fail("\(context) needs \(key)") }
            return value
        }
        func json(_ value: Any?, _ context: String) throws -> JSONValue {
            switch value {
            case let text as String: return .string(text)
            case let flag as Bool: return .bool(flag)
            case let number as Int: return .integer(number)
            case let number as Double: return .number(number)
            default: throw fail("\(context): a value is text, a number or true/false")
            }
        }
        var mapping = InterchangeMapping()
        for (name, settings) in try entries("labels") {
            mapping.labels[name] = Target(layer: try string(settings, "layer", "labels.\(name)"), feature: try string(settings, "feature", "labels.\(name)"),
                                          value: try json(settings["value"], "labels.\(name)"))
        }
        for (name, settings) in try entries("categories") {
            mapping.categories[name] = Target(layer: try string(settings, "layer", "categories.\(name)"), feature: try string(settings, "feature", "categories.\(name)"),
                                              value: try json(settings["value"], "categories.\(name)"))
        }
        for (name, settings) in try entries("attributes") {
            var values: [String: JSONValue] = [:]
            if let map = settings["values"] as? [String: Any] { for (key, value) in map { values[key] = try json(value, "attributes.\(name).values.\(key)") } }
            mapping.attributes[name] = Attribute(feature: try string(settings, "feature", "attributes.\(name)"), values: values)
        }
        for (name, settings) in try entries("relations") {
            if (settings["feature"] == nil) != (settings["value"] == nil) { throw fail("relations.\(name) needs feature and value together") }
            mapping.relations[name] = Relation(layer: try string(settings, "layer", "relations.\(name)"), target: try string(settings, "target", "relations.\(name)"),
                                               source: try settings["source"].map { _ in try string(settings, "source", "relations.\(name)") },
                                               feature: try settings["feature"].map { _ in try string(settings, "feature", "relations.\(name)") },
                                               value: try settings["value"].map { try json($0, "relations.\(name)") },
                                               note: try settings["note"].map { _ in try string(settings, "note", "relations.\(name)") })
        }
        return mapping
    }

    /// Two attributes or a label and an attribute put into one feature would overwrite each other.
    func collisions() -> [String] {
        var result: [String] = []
        let attributeFeatures = attributes.values.map(\.feature)
        for feature in Set(attributeFeatures) where attributeFeatures.filter({ $0 == feature }).count > 1 { result.append("several attributes into feature \(feature)") }
        for feature in Set(attributeFeatures) where labels.values.contains(where: { $0.feature == feature }) { result.append("an attribute into the label feature \(feature)") }
        return result.sorted()
    }

    /// Everything in `documents` the mapping does not say, as messages.
    func unmapped(in documents: [InterchangeDocument]) -> [String] {
        var missing: [String] = []
        func note(_ text: String) { if !missing.contains(text) { missing.append(text) } }
        for document in documents {
            for span in document.spans {
                if labels[span.label] == nil { note("label \"\(span.label)\"") }
                if !span.fragments.isEmpty { note("discontinuous spans (\(span.label)), which need the draft codebook") }
                for name in span.attributes.keys where attributes[name] == nil { note("attribute \"\(name)\"") }
            }
            for relation in document.relations {
                guard let rule = relations[relation.type] else { note("relation type \"\(relation.type)\""); continue }
                if relation.note != nil, rule.note == nil { note("the notes of \(relation.type) relations (give relations.\(relation.type) a note feature)") }
            }
            for category in document.categories where categories[category.label] == nil { note("category \"\(category.label)\"") }
        }
        return missing
    }
}
