import CLibXML2
import Foundation
import GlossCore
import GlossIO
import GlossStore

/// Label Studio's JSON export (HumanSignal/label-studio): a task or a list of tasks, each with `data` (the
/// text) and `annotations`, one per annotator, each with a `result` list.
///
/// - `labels` regions (`value.start`, `value.end`, `value.labels`, `value.text`): spans, one per label, offsets
///   in code points (Label Studio counts Python characters), the covered text checked;
/// - `relation` results (`from_id`, `to_id`, `labels`): relations between regions, typed by their first
///   label (`related` when unlabelled);
/// - `choices`: categories of the document, or, with the id of a labels region, an attribute of that region
///   (named by the result's `from_name`).
///
/// Each annotation's coder is its annotator: `completed_by.email`, else `user-ID`, else `annotation-ID`. The text
/// is the field of `data` that `textField` names (`--text-field`, or the labeling config's `<Text value="$NAME"/>`),
/// else `data.text`, else the task's only string in `data`; the document id is `data.gloss_document` (which `gloss
/// export label-studio` writes), else the file name, with the task id when the file holds several tasks. Positions in dialogues (`paragraphlabels`) and HTML
/// (`hypertextlabels`, XPath ranges) are not positions in a plain text: such results are refused, with the reason.
public enum LabelStudioFormat {
    /// A `Paragraphs` dialogue: a list of utterances, objects with a `text`.
    static func isDialogue(_ value: JSONValue) -> Bool {
        guard case .array(let items) = value, !items.isEmpty else { return false }
        return items.allSatisfy { if case .object(let utterance) = $0, case .string? = utterance["text"] { true } else { false } }
    }

    /// What a Label Studio labeling config (`<View>…</View>`) declares: `Label`s of `Labels` (and of
    /// `HyperTextLabels`, `ParagraphLabels`) as labels, `Relation`s as relation types, and `Choice`s as
    /// document categories, or, under `Choices perRegion="true"`, values of an attribute named by the
    /// `Choices`' name, as the export's results carry them.
    public static func vocabulary(config file: InputFile) throws -> InterchangeVocabulary {
        let tree = try XMLTree(bytes: file.bytes, file: file.path)
        return try withExtendedLifetime(tree) {
            guard let root = tree.root, root.name == "View" else {
                throw GlossError(.badData, "not a Label Studio labeling config: the root element is not View", at: SourceLocation(file: file.path, line: 1))
            }
            var vocabulary = InterchangeVocabulary()
            func values(_ node: xmlNodePtr, _ name: String) -> [String] {
                node.elements.flatMap { $0.name == name ? [$0.attribute("value")].compactMap { $0 } : values($0, name) }
            }
            func walk(_ node: xmlNodePtr) {
                for element in node.elements {
                    switch element.name {
                    case "Labels", "HyperTextLabels", "ParagraphLabels": vocabulary.labels += values(element, "Label")
                    case "Relations": vocabulary.relationTypes += values(element, "Relation")
                    case "Text":
                        if let value = element.attribute("value"), value.hasPrefix("$") { vocabulary.textField = String(value.dropFirst()) }
                    case "Choices":
                        if element.attribute("perRegion") == "true" {
                            vocabulary.attributes.append((name: element.attribute("name") ?? "choice", values: values(element, "Choice")))
                        } else {
                            vocabulary.categories += values(element, "Choice")
                        }
                    default: walk(element)
                    }
                }
            }
            walk(root)
            return vocabulary
        }
    }

    /// The tasks of `file`; `textField` names the field of each task's data that holds the text.
    public static func read(_ file: InputFile, textField: String? = nil) throws -> [InterchangeDocument] {
        let root: JSONValue
        do { root = try JSONParser.parse(file.text) } catch { throw GlossError(.badData, "invalid JSON: \(error.message)", at: file.location(ofByte: error.byteOffset)) }
        let tasks: [JSONValue]
        switch root {
        case .array(let list): tasks = list
        case .object: tasks = [root]
        default: throw GlossError(.badData, "a Label Studio export is a task object or a list of tasks", at: SourceLocation(file: file.path))
        }
        let base = ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try tasks.enumerated().map { number, task in
            let location = SourceLocation(file: file.path)
            func fail(_ message: String) -> GlossError { GlossError(.badData, "task \(number + 1): \(message)", at: location) }
            guard case .object(let fields) = task, case .object(let data)? = fields["data"] else { throw fail("a task needs a \"data\" object") }
            let strings = data.compactMap { key, value -> (String, String)? in if case .string(let text) = value { (key, text) } else { nil } }
                .filter { $0.0 != "gloss_document" }.sorted { $0.0 < $1.0 }
            let text: String
            if let textField {
                guard case .string(let named)? = data[textField] else {
                    throw fail("the task's data has no text field \"\(textField)\" (its text fields: \(strings.map(\.0).joined(separator: ", ")))")
                }
                text = named
            } else if case .string(let named)? = data["text"] {
                text = named
            } else if strings.count == 1 {
                text = strings[0].1
            } else if data.values.contains(where: Self.isDialogue) {
                throw fail("the task's data holds a dialogue (a list of utterances with \"text\"), not a text; Gloss imports tasks on one plain text")
            } else {
                let found = strings.isEmpty ? "no text field" : "several text fields (\(strings.map(\.0).joined(separator: ", ")))"
                throw fail("the task's data has \(found); name the one that holds the text with --text-field NAME, or give the "
                           + "labeling config (.xml) with the export")
            }
            let id: String
            if case .string(let name)? = data["gloss_document"] {
                id = name  // written by `gloss export label-studio`
            } else {
                switch fields["id"] {
            case .integer(let value)?: id = tasks.count == 1 ? base : "\(base)-\(value)"
            case .string(let value)?: id = value
            default: id = "\(base)-\(number + 1)"
            }
            }
            var document = InterchangeDocument(id: id, text: text, location: location)
            let scalarCount = text.unicodeScalars.count
            guard case .array(let annotations)? = fields["annotations"] else { return document }
            for annotation in annotations {
                guard case .object(let entry) = annotation else { throw fail("an annotation must be an object") }
                let coder: String
                switch entry["completed_by"] {
                case .object(let person)?:
                    if case .string(let email)? = person["email"], !email.isEmpty { coder = email } else { coder = "user-\(person["id"]?.canonicalJSON ?? "?")" }
                case .integer(let user)?: coder = "user-\(user)"
                default: coder = "annotation-\(entry["id"].map { value in if case .string(let text) = value { text } else { value.canonicalJSON } } ?? "\(number + 1)")"
                }
                guard case .array(let results)? = entry["result"] else { continue }
                for result in results {
                    guard case .object(let item) = result, case .string(let type)? = item["type"] else { throw fail("a result needs a \"type\"") }
                    let key = coder + "\u{0}" + (item["id"].map { value in if case .string(let text) = value { text } else { value.canonicalJSON } } ?? "\(document.spans.count)")
                    let value: [String: JSONValue]
                    if case .object(let object)? = item["value"] { value = object } else { value = [:] }
                    /// The spans of the labels region this result's id names (one per label of the region).
                    func regionSpans() -> [Int] {
                        document.spans.indices.filter { document.spans[$0].key == key || document.spans[$0].key.hasPrefix(key + "\u{0}") }
                    }
                    switch type {
                    case "labels":
                        guard case .integer(let start)? = value["start"], case .integer(let end)? = value["end"], 0 <= start, start <= end, end <= scalarCount else {
                            throw fail("a labels region needs start and end within the text's \(scalarCount) characters")
                        }
                        guard case .array(let labels)? = value["labels"] else { throw fail("a labels region needs \"labels\"") }
                        var recorded: String?
                        if case .string(let text)? = value["text"] { recorded = text }
                        for (position, label) in labels.enumerated() {
                            guard case .string(let name) = label else { throw fail("labels are strings") }
                            document.spans.append(InterchangeSpan(key: position == 0 ? key : key + "\u{0}\(position)", label: name, start: start, end: end,
                                                                  coder: coder, text: recorded))
                        }
                    case "relation":
                        guard case .string(let from)? = item["from_id"], case .string(let to)? = item["to_id"] else { throw fail("a relation needs from_id and to_id") }
                        var relationType = "related"
                        if case .array(let labels)? = item["labels"], case .string(let first)? = labels.first { relationType = first }
                        document.relations.append(InterchangeRelation(key: key, type: relationType, from: coder + "\u{0}" + from, to: coder + "\u{0}" + to))
                    case "choices":
                        guard case .array(let choices)? = value["choices"] else { throw fail("a choices result needs \"choices\"") }
                        let names = choices.compactMap { if case .string(let choice) = $0 { choice } else { nil } }
                        // Choices with the id of a labels region describe that region (per-region choices).
                        let regions = regionSpans()
                        if !regions.isEmpty {
                            let attribute: String
                            if case .string(let name)? = item["from_name"] { attribute = name } else { attribute = "choice" }
                            for index in regions { document.spans[index].attributes[attribute] = .string(names.joined(separator: "; ")) }
                        } else {
                            for choice in names { document.categories.append(InterchangeCategory(label: choice, coder: coder)) }
                        }
                    case "textarea":
                        // A per-region text (written by `gloss export label-studio` for a feature that is not a code).
                        guard case .array(let texts)? = value["text"] else { throw fail("a textarea result needs \"text\"") }
                        let regions = regionSpans()
                        guard !regions.isEmpty, case .string(let name)? = item["from_name"] else {
                            throw fail("a textarea result is imported when it describes a labels region (its id)")
                        }
                        let joined = texts.compactMap { if case .string(let text) = $0 { text } else { nil } }.joined(separator: "\n")
                        for index in regions { document.spans[index].attributes[name] = .string(joined) }
                    case "paragraphlabels", "hypertextlabels":
                        throw fail("\(type) results place labels in dialogues or HTML (paragraph indexes, XPath ranges), not in a plain text; Gloss imports text, labels, relations and choices")
                    default:
                        throw fail("\"\(type)\" results are not imported; Gloss imports labels, relations and choices")
                    }
                }
            }
            return document
        }
    }

    /// The documents as a list of Label Studio tasks, one annotation per coder. A span's attributes go with its
    /// region: those named in `choices` (features whose values are codes) as per-region `choices`, the others as
    /// per-region `textarea` text (numbers and flags written out), as the labeling config of `configuration` declares.
    public static func export(_ documents: [InterchangeDocument], choices: [String: [String]] = [:]) -> String {
        let tasks: [JSONValue] = documents.enumerated().map { number, document in
            var coders: [String] = []
            for coder in document.spans.map({ $0.coder ?? "" }) + document.categories.map({ $0.coder ?? "" }) where !coders.contains(coder) { coders.append(coder) }
            let regionIDs = Dictionary(document.spans.enumerated().map { ($1.key, "r\($0 + 1)") }, uniquingKeysWith: { first, _ in first })
            let annotations: [JSONValue] = coders.enumerated().map { position, coder in
                var results: [JSONValue] = []
                for span in document.spans where (span.coder ?? "") == coder {
                    let region = JSONValue.string(regionIDs[span.key] ?? span.key)
                    let place: [String: JSONValue] = [
                        "start": .integer(span.start), "end": .integer(span.end),
                        "text": .string(String(String.UnicodeScalarView(document.text.unicodeScalars.dropFirst(span.start).prefix(span.end - span.start)))),
                    ]
                    results.append(.object(["id": region, "from_name": .string("label"), "to_name": .string("text"), "type": .string("labels"),
                                            "value": .object(place.merging(["labels": .array([.string(span.label)])]) { first, _ in first })]))
                    for (name, value) in span.attributes.sorted(by: { $0.key < $1.key }) {
                        if choices[name] != nil {
                            let picked: [JSONValue]
                            switch value {
                            case .array(let items): picked = items
                            case .string(let text): picked = text.components(separatedBy: "; ").map(JSONValue.string)
                            default: picked = [.string(value.canonicalJSON)]
                            }
                            results.append(.object(["id": region, "from_name": .string(name), "to_name": .string("text"), "type": .string("choices"),
                                                    "value": .object(place.merging(["choices": .array(picked)]) { first, _ in first })]))
                        } else {
                            let text: String
                            if case .string(let plain) = value { text = plain } else { text = value.canonicalJSON }
                            results.append(.object(["id": region, "from_name": .string(name), "to_name": .string("text"), "type": .string("textarea"),
                                                    // "text" is the typed text here, not the region's quote.
                                                    "value": .object(["start": .integer(span.start), "end": .integer(span.end),
                                                                      "text": .array([.string(text)])])]))
                        }
                    }
                }
                let spanCoders = Dictionary(document.spans.map { ($0.key, $0.coder ?? "") }, uniquingKeysWith: { first, _ in first })
                for relation in document.relations where spanCoders[relation.from] == coder {
                    guard let from = regionIDs[relation.from], let to = regionIDs[relation.to] else { continue }
                    results.append(.object(["type": .string("relation"), "from_id": .string(from), "to_id": .string(to), "direction": .string("right"),
                                            "labels": .array([.string(relation.type)])]))
                }
                let choices = document.categories.filter { ($0.coder ?? "") == coder }.map { JSONValue.string($0.label) }
                if !choices.isEmpty {
                    results.append(.object(["type": .string("choices"), "from_name": .string("choice"), "to_name": .string("text"), "value": .object(["choices": .array(choices)])]))
                }
                return .object(["id": .integer(position + 1), "completed_by": .object(["email": .string(coder)]), "result": .array(results)])
            }
            return .object(["id": .integer(number + 1), "data": .object(["text": .string(document.text), "gloss_document": .string(document.id)]),
                            "annotations": .array(annotations)])
        }
        return JSONValue.array(tasks).canonicalJSON
    }

    /// A labeling config for the tasks of `export`: the labels used (and `labels`, every code of the exported
    /// feature), a per-region `Choices` for each attribute in `choices` with its values, a per-region `TextArea` for
    /// every other attribute, `Relations` with the relation types, and `Choices` for document categories.
    public static func configuration(for documents: [InterchangeDocument], labels: [String] = [],
                                     choices: [String: [String]] = [:]) throws -> String {
        func ordered(_ names: [String]) -> [String] {
            var seen: Set<String> = []
            return names.filter { seen.insert($0).inserted }
        }
        /// A control whose children are elements `child` with the attribute `value`, one per value.
        func control(_ writer: XMLStreamWriter, _ name: String, _ attributes: [(String, String)], _ child: String,
                     _ values: [String]) throws {
            try writer.element(name, attributes) {
                for value in values { try writer.element(child, [("value", value)]) }
            }
        }
        let used = documents.flatMap(\.spans)
        let writer = try XMLStreamWriter(indent: true)
        try writer.element("View") {
            try control(writer, "Labels", [("name", "label"), ("toName", "text")], "Label",
                        ordered(labels + used.map(\.label).sorted()))
            let relationTypes = ordered(documents.flatMap(\.relations).map(\.type).sorted())
            if !relationTypes.isEmpty { try control(writer, "Relations", [], "Relation", relationTypes) }
            try writer.element("Text", [("name", "text"), ("value", "$text")])
            for name in ordered(used.flatMap(\.attributes.keys).sorted()) {
                guard let values = choices[name] else {
                    try writer.element("TextArea", [("name", name), ("toName", "text"), ("perRegion", "true")])
                    continue
                }
                let found = used.compactMap { span -> [String]? in
                    switch span.attributes[name] {
                    case .string(let text)?: text.components(separatedBy: "; ")
                    case .array(let items)?: items.compactMap { if case .string(let item) = $0 { item } else { nil } }
                    default: nil
                    }
                }.flatMap { $0 }
                try control(writer, "Choices", [("name", name), ("toName", "text"), ("perRegion", "true")], "Choice",
                            ordered(values + found.sorted()))
            }
            let categories = ordered(documents.flatMap(\.categories).map(\.label).sorted())
            if !categories.isEmpty {
                try control(writer, "Choices", [("name", "choice"), ("toName", "text"), ("choice", "multiple")], "Choice",
                            categories)
            }
        }
        return try writer.contents()
    }
}
