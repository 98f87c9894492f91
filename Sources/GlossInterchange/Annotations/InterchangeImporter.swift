import Foundation
import GlossCodebook
import GlossCore
import GlossStore

/// Stores documents and annotations read from another tool, with nothing dropped.
///
/// Without a mapping, everything goes into a draft codebook named after the format (`doccano`, `brat`, …),
/// registered with the import. Its layer FORMAT holds the spans, their labels in the required category
/// feature `label` and their attributes as features of their own (boolean when every value is, else a
/// category of the values seen); the layer FORMAT_relation holds each relation as an annotation on its
/// source span whose `type` is the relation type and whose `source` and `target` (`span_ref`) are the two
/// spans; the
/// document layer FORMAT_category holds a document's categories. A later import with new labels registers
/// the next version, which keeps every earlier label. Documents are created, or reused when stored with the
/// same text. With an `InterchangeMapping`, everything goes where the mapping says instead, in a registered
/// codebook. Everything is written in one transaction.
public struct InterchangeImporter {
    public struct Report: Sendable, Equatable {
        public var documents = 0
        public var documentsAlreadyPresent = 0
        public var annotations = 0
        public var relations = 0
        public var annotationsAlreadyPresent = 0
        public var codebook: String?
    }

    public let store: any ProjectStore
    public let format: String
    public let coder: String
    public let context: ChangeContext

    /// Write the annotations even where blind coding would refuse them (see `AnnotationIngest`).
    public var allowsUnassigned = false

    public init(store: any ProjectStore, format: String, coder: String, context: ChangeContext) {
        self.store = store
        self.format = format
        self.coder = coder
        self.context = context
    }

    public func importDocuments(_ documents: [InterchangeDocument], vocabulary: InterchangeVocabulary = InterchangeVocabulary(),
                                mapping: InterchangeMapping? = nil) throws -> Report {
        let documents = mapping == nil ? InterchangeCodebook.numberingCopies(documents) : documents
        if let mapping {
            let collisions = mapping.collisions()
            if !collisions.isEmpty { throw GlossError(.badData, "the mapping puts \(collisions.joined(separator: ", ")); give each its own feature") }
            let missing = mapping.unmapped(in: documents)
            if !missing.isEmpty {
                throw GlossError(.badData, "the mapping does not say where these go: \(missing.joined(separator: ", ")); add them, or import without --map to get a draft codebook",
                                 at: documents.first?.location)
            }
        }
        var report = Report()
        try store.write { writer in
            for document in documents {
                let record = DocumentRecord(externalID: document.id, text: document.text)
                do throws(RecordError) { try record.check() } catch { throw GlossError(.badData, "document \"\(document.id)\": \(error.message)", at: document.location) }
                if let stored = try writer.document(externalID: document.id) {
                    guard stored.sha256 == SHA256.hexDigest(of: document.text) else {
                        throw GlossError(.conflict, "document \"\(document.id)\" is already stored with a different text (the file names its document by that id); import this file into another project, or rename the document in the tool that wrote it", at: document.location)
                    }
                    report.documentsAlreadyPresent += 1
                } else {
                    try writer.insert(record.document(importedAt: context.time), context: context)
                    report.documents += 1
                }
            }
            let draft = try InterchangeCodebook(format: format, registered: writer.registeredCodebooks(), documents: documents, vocabulary: vocabulary)
            if mapping == nil, let source = draft.newVersion,
               case .registered(let reference) = try CodebookRegistration.register(source: source, file: "\(format) import (codebook draft)", writer: writer, context: context) {
                report.codebook = reference.description
            }
            let ingest = try AnnotationIngest(writer: writer, context: context, allowsUnassigned: allowsUnassigned)
            for document in documents {
                func located(_ line: Int?, _ body: () throws -> AnnotationIngest.Outcome) throws -> AnnotationIngest.Outcome {
                    do { return try body() } catch let error as GlossError {
                        throw GlossError(error.code, error.message, at: SourceLocation(file: document.location.file, line: line ?? document.location.line))
                    }
                }
                var seenKeys: Set<String> = []
                if let twice = document.spans.first(where: { !seenKeys.insert($0.key).inserted }) {
                    throw GlossError(.badData, "two spans have the id \(twice.key.replacingOccurrences(of: "\u{0}", with: " ")); relations could not tell them apart",
                                     at: SourceLocation(file: document.location.file, line: twice.line ?? document.location.line))
                }
                var ids: [String: Int64] = [:]
                var spans: [String: InterchangeSpan] = [:]
                var relations = document.relations
                for span in document.spans {
                    var features = draft.features(of: span)
                    var layer = format
                    if let mapping, let target = mapping.labels[span.label] {
                        layer = target.layer
                        features = [target.feature: target.value]
                        for (name, value) in span.attributes {
                            guard let rule = mapping.attributes[name] else { continue }
                            if case .string(let text) = value, let mapped = rule.values[text] { features[rule.feature] = mapped } else { features[rule.feature] = value }
                        }
                    }
                    // A discontinuous span: one annotation per piece, the later pieces tied to the first by a
                    // relation of type `_fragment`; the covered text recorded for the whole is checked piece by piece.
                    let pieces = [(span.start, span.end)] + span.fragments
                    let recorded = span.fragments.isEmpty ? span.text : nil
                    if let whole = span.text, !span.fragments.isEmpty {
                        let text = DocumentText(document.text)
                        let quotes = try pieces.map { try text.quote(TextSpan(start: $0.0, end: $0.1)) }
                        if quotes.joined(separator: " ") != whole && quotes.joined(separator: " ").replacingOccurrences(of: "\n", with: " ") != whole {
                            throw GlossError(.badData, "span \(span.key): the recorded text \"\(whole)\" is not what its pieces cover (\(quotes))", at: document.location)
                        }
                    }
                    for (number, piece) in pieces.enumerated() {
                        let key = number == 0 ? span.key : "\(span.key)\u{0}\(number)"
                        let record = AnnotationRecord(documentID: document.id, coder: span.coder ?? coder, layer: layer, start: piece.0, end: piece.1,
                                                      text: number == 0 ? recorded : nil, features: features)
                        switch try located(span.line, { try ingest.add(record) }) {
                        case .inserted(let annotation): ids[key] = annotation.id; report.annotations += 1
                        case .alreadyPresent(let id): ids[key] = id; report.annotationsAlreadyPresent += 1
                        }
                        var stored = span
                        (stored.start, stored.end) = piece
                        spans[key] = stored
                        if number > 0 { relations.append(InterchangeRelation(key: key, type: InterchangeCodebook.fragment, from: span.key, to: key)) }
                    }
                }
                for relation in relations {
                    guard let from = spans[relation.from], let source = ids[relation.from], let target = ids[relation.to] else {
                        throw GlossError(.badData, "relation \(relation.key) (\(relation.type)) points to a span the document does not have",
                                         at: SourceLocation(file: document.location.file, line: relation.line ?? document.location.line))
                    }
                    var features: [String: JSONValue] = ["type": .string(draft.relationCodes[relation.type] ?? relation.type),
                                                         "source": .integer(Int(source)), "target": .integer(Int(target))]
                    if let note = relation.note { features["note"] = .string(note) }
                    var layer = "\(format)_relation"
                    if let rule = mapping?.relations[relation.type] {
                        layer = rule.layer
                        features = [rule.target: .integer(Int(target))]
                        if let name = rule.source { features[name] = .integer(Int(source)) }
                        if let name = rule.feature, let value = rule.value { features[name] = value }
                        if let name = rule.note, let note = relation.note { features[name] = .string(note) }
                    }
                    let record = AnnotationRecord(documentID: document.id, coder: from.coder ?? coder, layer: layer, start: from.start, end: from.end,
                                                  features: features)
                    switch try located(relation.line, { try ingest.add(record) }) {
                    case .inserted: report.relations += 1
                    case .alreadyPresent: report.annotationsAlreadyPresent += 1
                    }
                }
                // One category annotation per coder, holding that coder's labels in order.
                var byCoder: [(coder: String, labels: [JSONValue])] = []
                for category in document.categories {
                    let name = category.coder ?? coder
                    let code = JSONValue.string(draft.categoryCodes[category.label] ?? category.label)
                    if let index = byCoder.firstIndex(where: { $0.coder == name }) { byCoder[index].labels.append(code) } else { byCoder.append((name, [code])) }
                }
                if let mapping {
                    for category in document.categories {
                        guard let rule = mapping.categories[category.label] else { continue }
                        let record = AnnotationRecord(documentID: document.id, coder: category.coder ?? coder, layer: rule.layer, start: 0,
                                                      end: document.text.unicodeScalars.count, features: [rule.feature: rule.value])
                        switch try located(nil, { try ingest.add(record) }) {
                        case .inserted: report.annotations += 1
                        case .alreadyPresent: report.annotationsAlreadyPresent += 1
                        }
                    }
                    byCoder = []
                }
                for (name, labels) in byCoder {
                    let record = AnnotationRecord(documentID: document.id, coder: name, layer: "\(format)_category", start: 0, end: document.text.unicodeScalars.count,
                                                  features: ["label": .array(labels)])
                    switch try located(nil, { try ingest.add(record) }) {
                    case .inserted: report.annotations += 1
                    case .alreadyPresent: report.annotationsAlreadyPresent += 1
                    }
                }
            }
        }
        return report
    }
}

/// The draft codebook of an interchange format: the labels, relation types and categories seen (earlier
/// versions' first, so that code ids stay the same from version to version), and the attribute features.
struct InterchangeCodebook {
    /// The relation type that ties the later pieces of a discontinuous span to its first.
    static let fragment = "_fragment"
    /// The attribute that tells identical spans of one coder in one document apart: 2, 3, … on the later copies.
    static let copy = "_copy"

    /// The documents with each later copy of an identical span (same coder, label, range, pieces and
    /// attributes: stacked in WebAnno TSV, repeated in brat) numbered in the attribute `_copy`. Without it they
    /// would become one annotation, as an import skips what is already stored; with it every copy is kept,
    /// with the relations that tell them apart, and a second import of the file still changes nothing.
    static func numberingCopies(_ documents: [InterchangeDocument]) -> [InterchangeDocument] {
        documents.map { document in
            var document = document
            var seen: [[UInt8]: Int] = [:]
            for index in document.spans.indices {
                let span = document.spans[index]
                let key = Array([span.coder ?? "", span.label, "\(span.start) \(span.end)", span.fragments.map { "\($0.start) \($0.end)" }.joined(separator: ";"),
                                 JSONValue.object(span.attributes).canonicalJSON].joined(separator: "\u{0}").utf8)
                let count = (seen[key] ?? 0) + 1
                seen[key] = count
                if count > 1 { document.spans[index].attributes[copy] = .string(String(count)) }
            }
            return document
        }
    }
    let format: String
    var version: Int
    private var reusesLatest = false
    var labels: [String] = []
    var relationTypes: [String] = []
    var categories: [String] = []
    /// Attribute names with their values (all booleans, or the strings seen).
    var attributes: [(name: String, values: [String], isBoolean: Bool)] = []
    /// Attributes of free text (no codes).
    var textAttributes: Set<String> = []
    /// Whether relations carry notes.
    var hasRelationNotes = false
    private(set) var labelCodes: [String: String] = [:]
    private(set) var relationCodes: [String: String] = [:]
    private(set) var categoryCodes: [String: String] = [:]
    /// Attribute names as feature ids, and their text values as code ids.
    private(set) var attributeFeatureIDs: [String: String] = [:]
    private(set) var attributeValueCodes: [String: [String: String]] = [:]

    /// A span's features: its label's code, and each attribute as its feature (booleans as they are, text as codes).
    func features(of span: InterchangeSpan) -> [String: JSONValue] {
        var features: [String: JSONValue] = ["label": .string(labelCodes[span.label] ?? span.label)]
        for (name, value) in span.attributes {
            let id = attributeFeatureIDs[name] ?? name
            if case .string(let text) = value, !textAttributes.contains(name) { features[id] = .string(attributeValueCodes[name]?[text] ?? text) } else { features[id] = value }
        }
        return features
    }

    init(format: String, registered: [RegisteredCodebook], documents: [InterchangeDocument], vocabulary: InterchangeVocabulary) throws {
        self.format = format
        let stored = registered.filter { $0.id == format }.max { $0.version < $1.version }
        let latest = stored.flatMap { try? Codebook.parse($0.source, file: "\($0.id)@\($0.version)") }
        func codes(_ layer: String, _ feature: String) -> [String] {
            latest?.layer(layer)?.feature(feature)?.codes?.flattened.map(\.code.label) ?? []
        }
        labels = codes(format, "label")
        relationTypes = codes("\(format)_relation", "type")
        categories = codes("\(format)_category", "label")
        var attributeValues: [String: (values: [String], isBoolean: Bool)] = [:]
        var attributeOrder: [String] = []
        for feature in latest?.layer(format)?.features ?? [] where feature.id != "label" {
            let name = feature.label ?? feature.id  // the attribute's name in the tool
            attributeOrder.append(name)
            switch feature.kind {
            case .boolean: attributeValues[name] = ([], true)
            case .text: attributeValues[name] = ([], false); textAttributes.insert(name)
            default: attributeValues[name] = (feature.codes?.flattened.map(\.code.label) ?? [], false)
            }
        }
        hasRelationNotes = latest?.layer("\(format)_relation")?.feature("note") != nil
        textAttributes.formUnion(vocabulary.textAttributes)
        func add(_ value: String, to list: inout [String]) { if !list.contains(value) { list.append(value) } }
        for label in vocabulary.labels { add(label, to: &labels) }
        for type in vocabulary.relationTypes { add(type, to: &relationTypes) }
        for category in vocabulary.categories { add(category, to: &categories) }
        for (name, values) in vocabulary.attributes {
            if attributeValues[name] == nil { attributeOrder.append(name); attributeValues[name] = ([], values.isEmpty) }
            for value in values { attributeValues[name]?.isBoolean = false; add(value, to: &attributeValues[name, default: ([], false)].values) }
        }
        for document in documents {
            for span in document.spans {
                add(span.label, to: &labels)
                for (name, value) in span.attributes.sorted(by: { $0.key < $1.key }) {
                    if attributeValues[name] == nil { attributeOrder.append(name); attributeValues[name] = ([], true) }
                    switch value {
                    case .bool: break
                    case .string(let text):
                        attributeValues[name]?.isBoolean = false
                        if !textAttributes.contains(name) { add(text, to: &attributeValues[name, default: ([], false)].values) }
                    default: throw GlossError(.badData, "attribute \(name) of a \(span.label) span has a value that is neither text nor true/false", at: document.location)
                    }
                }
            }
            for relation in document.relations {
                add(relation.type, to: &relationTypes)
                if relation.note != nil { hasRelationNotes = true }
            }
            if document.spans.contains(where: { !$0.fragments.isEmpty }) { add(Self.fragment, to: &relationTypes) }
            for category in document.categories { add(category.label, to: &categories) }
        }
        attributes = attributeOrder.map { ($0, attributeValues[$0]?.values ?? [], attributeValues[$0]?.isBoolean ?? true) }
        var featureIDs: Set<String> = ["label"]
        for attribute in attributes {
            let id = Name.problem(with: attribute.name, as: .feature) == nil && !featureIDs.contains(attribute.name)
                ? attribute.name : CodebookDraft.uniqueID(for: attribute.name, used: &featureIDs)
            featureIDs.insert(id)
            attributeFeatureIDs[attribute.name] = id
            var valueIDs: Set<String> = []
            attributeValueCodes[attribute.name] = Dictionary(attribute.values.map { ($0, CodebookDraft.uniqueID(for: $0, used: &valueIDs)) }, uniquingKeysWith: { first, _ in first })
        }
        var used: Set<String> = []
        labelCodes = Dictionary(labels.map { ($0, CodebookDraft.uniqueID(for: $0, used: &used)) }, uniquingKeysWith: { first, _ in first })
        used = []
        relationCodes = Dictionary(relationTypes.map { ($0, CodebookDraft.uniqueID(for: $0, used: &used)) }, uniquingKeysWith: { first, _ in first })
        used = []
        categoryCodes = Dictionary(categories.map { ($0, CodebookDraft.uniqueID(for: $0, used: &used)) }, uniquingKeysWith: { first, _ in first })
        // The latest version when it already has every label, relation type, category and attribute needed (a
        // version the user revised is kept, and its code ids used); else the next, which adds what is new.
        version = (stored?.version ?? 0) + 1
        if let stored, let latest, Self.covers(latest, format: format, labels: labels, relationTypes: relationTypes, categories: categories,
                                               attributes: attributes, hasRelationNotes: hasRelationNotes) {
            version = stored.version
            reusesLatest = true
            func ids(_ layer: String, _ feature: String) -> [String: String] {
                Dictionary((latest.layer(layer)?.feature(feature)?.codes?.flattened ?? []).map { ($0.code.label, $0.code.id) }, uniquingKeysWith: { first, _ in first })
            }
            labelCodes = ids(format, "label")
            relationCodes = ids("\(format)_relation", "type")
            categoryCodes = ids("\(format)_category", "label")
            for feature in latest.layer(format)?.features ?? [] where feature.id != "label" {
                let name = feature.label ?? feature.id
                attributeFeatureIDs[name] = feature.id
                attributeValueCodes[name] = Dictionary((feature.codes?.flattened ?? []).map { ($0.code.label, $0.code.id) }, uniquingKeysWith: { first, _ in first })
            }
        }
    }

    /// Whether `latest` (the format's latest draft, maybe revised) has every label, relation type, category,
    /// attribute and attribute value, by the tool's names (the codes' and features' labels).
    private static func covers(_ latest: Codebook, format: String, labels: [String], relationTypes: [String], categories: [String],
                               attributes: [(name: String, values: [String], isBoolean: Bool)], hasRelationNotes: Bool) -> Bool {
        func has(_ codes: CodeTree?, _ wanted: [String]) -> Bool {
            guard !wanted.isEmpty else { return true }
            let known = Set(codes?.flattened.map(\.code.label) ?? [])
            return wanted.allSatisfy(known.contains)
        }
        let features = latest.layer(format)?.features ?? []
        let attributesCovered = attributes.allSatisfy { attribute in
            guard let feature = features.first(where: { ($0.label ?? $0.id) == attribute.name }) else { return false }
            return feature.codes == nil || has(feature.codes, attribute.values)
        }
        return has(latest.layer(format)?.feature("label")?.codes, labels) && has(latest.layer("\(format)_relation")?.feature("type")?.codes, relationTypes)
            && has(latest.layer("\(format)_category")?.feature("label")?.codes, categories) && attributesCovered
            && (!hasRelationNotes || latest.layer("\(format)_relation")?.feature("note") != nil)
    }

    /// The YAML to register, or nil when the latest version serves or there is nothing to declare.
    var newVersion: String? { reusesLatest || (labels.isEmpty && relationTypes.isEmpty && categories.isEmpty) ? nil : yaml }

    var yaml: String {
        Self.yaml(format: format, version: version, labels: labels, relationTypes: relationTypes, categories: categories,
                  attributes: attributes.map { ($0.name, attributeFeatureIDs[$0.name] ?? $0.name, $0.values, attributeValueCodes[$0.name] ?? [:],
                                                $0.isBoolean ? "boolean" : textAttributes.contains($0.name) ? "text" : "category") },
                  hasRelationNotes: hasRelationNotes, labelCodes: labelCodes, relationCodes: relationCodes, categoryCodes: categoryCodes)
    }

    private static func yaml(format: String, version: Int, labels: [String], relationTypes: [String], categories: [String],
                             attributes: [(name: String, id: String, values: [String], valueCodes: [String: String], type: String)], hasRelationNotes: Bool,
                             labelCodes: [String: String], relationCodes: [String: String], categoryCodes: [String: String]) -> String {
        func codes(_ list: [String], _ ids: [String: String], indent: String) -> [String] {
            list.flatMap { ["\(indent)- id: \(ids[$0] ?? $0)", "\(indent)  label: \(CodebookDraft.quoted($0))"] }
        }
        var lines = ["# Draft codebook made by `gloss import annotations --format \(format)`: every label, attribute, relation type and",
                     "# category the imported files hold. Revise it as a new version (`gloss codebook add`, `gloss codebook migrate`).",
                     "id: \(format)", "version: \(version)", "title: \(CodebookDraft.quoted("Labels imported from \(format)"))", "layers:"]
        if !labels.isEmpty {
            lines += ["  - id: \(format)", "    label: \(CodebookDraft.quoted("\(format) spans"))", "    features:",
                      "      - id: label", "        type: category", "        required: true", "        codes:"]
            lines += codes(labels, labelCodes, indent: "          ")
            for attribute in attributes {
                if attribute.type != "category" || attribute.values.isEmpty {
                    lines += ["      - id: \(attribute.id)", "        label: \(CodebookDraft.quoted(attribute.name))", "        type: \(attribute.type == "text" ? "text" : "boolean")"]
                } else {
                    lines += ["      - id: \(attribute.id)", "        label: \(CodebookDraft.quoted(attribute.name))", "        type: category", "        codes:"]
                        + codes(attribute.values, attribute.valueCodes, indent: "          ")
                }
            }
        }
        if !relationTypes.isEmpty {
            lines += ["  - id: \(format)_relation", "    label: \(CodebookDraft.quoted("\(format) relations"))", "    features:",
                      "      - id: type", "        type: category", "        required: true", "        codes:"]
            lines += codes(relationTypes, relationCodes, indent: "          ")
            lines += ["      - id: source", "        type: span_ref", "        layer: \(format)", "        required: true",
                      "      - id: target", "        type: span_ref", "        layer: \(format)", "        required: true"]
            if hasRelationNotes { lines += ["      - id: note", "        type: text"] }
        }
        if !categories.isEmpty {
            lines += ["  - id: \(format)_category", "    label: \(CodebookDraft.quoted("\(format) document categories"))", "    scope: document", "    features:",
                      "      - id: label", "        type: categories", "        codes:"]
            lines += codes(categories, categoryCodes, indent: "          ")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
