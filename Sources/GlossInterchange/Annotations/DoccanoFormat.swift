import Foundation
import GlossCore
import GlossIO
import GlossStore

/// doccano's JSON Lines, as its import and export write them (doccano/doccano, backend/data_import and
/// data_export examples).
///
/// - Sequence labelling: `{"text": …, "label": [[start, end, "LABEL"], …]}`;
/// - relation extraction: `{"text": …, "entities": [{"id", "start_offset", "end_offset", "label"}],
///   "relations": [{"id", "from_id", "to_id", "type"}]}`;
/// - text classification: `{"text": …, "label": ["positive", …]}`.
///
/// The text and label keys may also be `column_data` and `column_label` (doccano's defaults for uploaded
/// columns). Records may be pretty-printed over several lines. Offsets count UTF-16 code units by default
/// (doccano's web front end counts JavaScript string positions); `offsets: .codepoint` reads them as code
/// points. A record's `id`, when present, names the document; otherwise the file name and record number do.
public enum DoccanoFormat {
    public static func read(_ file: InputFile, offsets unit: OffsetUnit) throws -> [InterchangeDocument] {
        let values: [(value: JSONValue, byteOffset: Int)]
        do {
            values = try file.bytes.withUnsafeBufferPointer { try JSONParser.parseSequence($0) }
        } catch let failure as JSONParser.Failure {
            throw GlossError(.badData, "invalid JSON: \(failure.message)", at: file.location(ofByte: failure.byteOffset))
        }
        let base = ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try values.enumerated().map { number, entry in
            let location = file.location(ofByte: entry.byteOffset)
            func fail(_ message: String) -> GlossError { GlossError(.badData, message, at: location) }
            guard case .object(let record) = entry.value else { throw fail("a doccano record must be a JSON object") }
            guard case .string(let text)? = record["text"] ?? record["column_data"] else { throw fail("the record has no \"text\" (or \"column_data\") string") }
            let index = TextIndex(text)
            func span(_ start: JSONValue?, _ end: JSONValue?) throws -> (Int, Int) {
                guard case .integer(let start)? = start, case .integer(let end)? = end else { throw fail("a span needs whole-number start and end offsets") }
                do {
                    let converted = try index.span(start: start, end: end, in: unit)
                    return (converted.start, converted.end)
                } catch {
                    throw fail("span [\(start), \(end)) (\(unit.pluralName)): \(error)")
                }
            }
            let id: String
            switch record["id"] {
            case .string(let text)?: id = text
            case .integer(let number)?: id = "\(base)-\(number)"
            default: id = "\(base)-\(number + 1)"
            }
            var document = InterchangeDocument(id: id, text: text, location: location)
            if case .array(let entities)? = record["entities"] {
                for entity in entities {
                    guard case .object(let fields) = entity, case .string(let label)? = fields["label"] else { throw fail("an entity needs a \"label\"") }
                    let (start, end) = try span(fields["start_offset"], fields["end_offset"])
                    document.spans.append(InterchangeSpan(key: fields["id"]?.canonicalJSON ?? "\(document.spans.count)", label: label, start: start, end: end))
                }
                if case .array(let relations)? = record["relations"] {
                    for (position, relation) in relations.enumerated() {
                        guard case .object(let fields) = relation, case .string(let type)? = fields["type"], let from = fields["from_id"], let to = fields["to_id"] else {
                            throw fail("a relation needs \"from_id\", \"to_id\" and \"type\"")
                        }
                        document.relations.append(InterchangeRelation(key: fields["id"]?.canonicalJSON ?? "r\(position)", type: type,
                                                                      from: from.canonicalJSON, to: to.canonicalJSON))
                    }
                }
            }
            if case .array(let labels)? = record["label"] ?? record["column_label"] {
                for label in labels {
                    switch label {
                    case .string(let category): document.categories.append(InterchangeCategory(label: category))
                    case .array(let triple) where triple.count == 3:
                        guard case .string(let name) = triple[2] else { throw fail("a span label is [start, end, \"LABEL\"]") }
                        let (start, end) = try span(triple[0], triple[1])
                        document.spans.append(InterchangeSpan(key: "\(document.spans.count)", label: name, start: start, end: end))
                    default: throw fail("a label is a string (a category) or [start, end, \"LABEL\"] (a span)")
                    }
                }
            }
            return document
        }
    }

    /// The doccano project type a file is written for: what its import reads.
    public enum ProjectType: String, Sendable, CaseIterable {
        /// A Sequence Labeling project reads spans from `label`: `[[start, end, "LABEL"], …]`.
        case sequenceLabeling = "sequence-labeling"
        /// A Relation Extraction project reads `entities` and `relations`; `label` holds the document's categories.
        case relationExtraction = "relation-extraction"
    }

    /// One doccano record per document, for a project of type `project`, offsets in `unit`. A sequence-labelling
    /// record has no place for relations and categories: they are left out (the caller says so).
    public static func record(_ document: InterchangeDocument, offsets unit: OffsetUnit,
                              project: ProjectType = .relationExtraction) throws -> String {
        let index = TextIndex(document.text)
        if project == .sequenceLabeling {
            let labels = try document.spans.map { span -> JSONValue in
                .array([.integer(try index.offset(fromCodePoint: span.start, to: unit)),
                        .integer(try index.offset(fromCodePoint: span.end, to: unit)), .string(span.label)])
            }
            return JSONValue.object(["id": .string(document.id), "text": .string(document.text), "label": .array(labels)])
                .canonicalJSON
        }
        var numbers: [String: Int] = [:]
        var entities: [JSONValue] = []
        for span in document.spans {
            numbers[span.key] = entities.count
            entities.append(.object([
                "id": .integer(entities.count), "label": .string(span.label),
                "start_offset": .integer(try index.offset(fromCodePoint: span.start, to: unit)),
                "end_offset": .integer(try index.offset(fromCodePoint: span.end, to: unit)),
            ]))
        }
        let relations: [JSONValue] = document.relations.enumerated().compactMap { position, relation in
            guard let from = numbers[relation.from], let to = numbers[relation.to] else { return nil }
            return .object(["id": .integer(position), "from_id": .integer(from), "to_id": .integer(to), "type": .string(relation.type)])
        }
        return JSONValue.object(["id": .string(document.id), "text": .string(document.text), "entities": .array(entities),
                                 "relations": .array(relations), "label": .array(document.categories.map { .string($0.label) })]).canonicalJSON
    }
}
