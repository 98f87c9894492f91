import GlossCodebook
import GlossCore
import GlossStore

/// Reads back what `InterchangeImporter` stored for a format: each document with the spans of layer FORMAT,
/// the relations of FORMAT_relation and the categories of FORMAT_category, codes turned back into the
/// labels, attribute names and values of the tool (from the latest version of the draft codebook FORMAT).
/// Or, with a `LayerSelection`, the annotations of any layer, such as those coded in Gloss.
public struct InterchangeExporter {
    /// Layers of the project to export as the tool's spans, instead of what an import of the format stored.
    ///
    /// Each annotation becomes a span labelled by the code of `labelFeature` (a list of codes joined by `|`), by
    /// its layer as a type name when `labelsByType` (WebAnno TSV, whose layers are types), or else by its layer.
    /// Every other feature becomes an attribute: `true` as a flag, any other value as its text (a string as it
    /// is, else its JSON). A `span_ref` feature of the layer's codebook becomes a relation of that name to the
    /// span it names when that span is exported too (with `labelsByType`, a slot of the host type with the
    /// feature's name as its role, for the first such feature of a layer), else an attribute holding the
    /// annotation id.
    public struct LayerSelection: Sendable {
        public var layers: [String]
        public var labelFeature: String?
        public var labelsByType: Bool

        public init(layers: [String], labelFeature: String? = nil, labelsByType: Bool = false) {
            self.layers = layers
            self.labelFeature = labelFeature
            self.labelsByType = labelsByType
        }

        /// A layer as a type name INCEpTION accepts (`webanno.custom.` and a Java identifier).
        public static func typeName(_ name: String) -> String {
            let identifier = String(String.UnicodeScalarView(name.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) ? $0 : "_" }))
            return "webanno.custom." + (identifier.first?.isLetter == true ? identifier.prefix(1).uppercased() + identifier.dropFirst() : "L" + identifier)
        }
    }

    public let store: any ProjectStore
    public let format: String

    public init(store: any ProjectStore, format: String) {
        self.store = store
        self.format = format
    }

    /// Every document (or those named), with its annotations of the format's layers (only `coder`'s when given).
    public func documents(named wanted: [String]? = nil, coder: String? = nil) throws -> [InterchangeDocument] {
        try store.read { reader in
            let codebook = try reader.codebookRegistry().versions[format]?.last
            func labels(_ layer: String, _ feature: String) -> [String: String] {
                Dictionary((codebook?.layer(layer)?.feature(feature)?.codes?.flattened ?? []).map { ($0.code.id, $0.code.label) }, uniquingKeysWith: { first, _ in first })
            }
            let spanLabels = labels(format, "label"), relationTypes = labels("\(format)_relation", "type"), categories = labels("\(format)_category", "label")
            let attributes = codebook?.layer(format)?.features.filter { $0.id != "label" && (($0.label ?? $0.id) != InterchangeCodebook.copy) } ?? []
            var result: [InterchangeDocument] = []
            let selected = wanted.map { Set($0.map(ExactKey.init)) }
            for summary in try reader.documentSummaries() where selected?.contains(ExactKey(summary.externalID)) ?? true {
                guard let stored = try reader.document(externalID: summary.externalID) else { continue }
                var document = InterchangeDocument(id: stored.externalID, text: stored.text, location: SourceLocation(file: stored.externalID))
                try reader.forEachAnnotation(matching: AnnotationFilter(documentID: stored.externalID, coder: coder)) { annotation in
                    switch annotation.layer {
                    case format:
                        guard case .string(let code)? = annotation.features["label"] else { return }
                        var values: [String: JSONValue] = [:]
                        for feature in attributes {
                            switch annotation.features[feature.id] {
                            case .string(let code)?: values[feature.label ?? feature.id] = .string(feature.codes?.code(code)?.label ?? code)
                            case let value?: values[feature.label ?? feature.id] = value
                            case nil: break
                            }
                        }
                        document.spans.append(InterchangeSpan(key: String(annotation.id), label: spanLabels[code] ?? code, start: annotation.span.start,
                                                              end: annotation.span.end, coder: annotation.coder, attributes: values, text: annotation.quote))
                    case "\(format)_relation":
                        guard case .string(let type)? = annotation.features["type"], case .integer(let source)? = annotation.features["source"],
                              case .integer(let target)? = annotation.features["target"] else { return }
                        var note: String?
                        if case .string(let text)? = annotation.features["note"] { note = text }
                        document.relations.append(InterchangeRelation(key: String(annotation.id), type: relationTypes[type] ?? type,
                                                                      from: String(source), to: String(target), note: note))
                    case "\(format)_category":
                        guard case .array(let codes)? = annotation.features["label"] else { return }
                        document.categories += codes.compactMap { value in
                            if case .string(let code) = value { InterchangeCategory(label: categories[code] ?? code, coder: annotation.coder) } else { nil }
                        }
                    default:
                        return
                    }
                }
                // The later pieces of a discontinuous span go back into it.
                for relation in document.relations where relation.type == InterchangeCodebook.fragment {
                    guard let whole = document.spans.firstIndex(where: { $0.key == relation.from }),
                          let piece = document.spans.firstIndex(where: { $0.key == relation.to }) else { continue }
                    document.spans[whole].fragments.append((document.spans[piece].start, document.spans[piece].end))
                    document.spans[whole].text = nil
                    document.spans[piece].key = ""
                }
                document.spans.removeAll { $0.key.isEmpty }
                document.relations.removeAll { $0.type == InterchangeCodebook.fragment }
                result.append(document)
            }
            return result
        }
    }

    /// Every document (or those named), with the annotations of `selection` (only `coder`'s when given).
    /// `unlabelled` counts the annotations without the label feature, which are left out.
    public func documents(named wanted: [String]? = nil, of selection: LayerSelection, coder: String? = nil) throws -> (documents: [InterchangeDocument], unlabelled: Int) {
        try store.read { reader in
            let registry = try reader.codebookRegistry()
            func precedes(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }
            var result: [InterchangeDocument] = [], unlabelled = 0
            let selected = wanted.map { Set($0.map(ExactKey.init)) }
            for summary in try reader.documentSummaries() where selected?.contains(ExactKey(summary.externalID)) ?? true {
                guard let stored = try reader.document(externalID: summary.externalID) else { continue }
                var document = InterchangeDocument(id: stored.externalID, text: stored.text, location: SourceLocation(file: stored.externalID))
                var links: [(from: Int64, feature: String, to: Int64, layer: String)] = []
                for layer in selection.layers {
                    let codebookLayer = registry.current(forLayer: layer)?.layer
                    try reader.forEachAnnotation(matching: AnnotationFilter(documentID: stored.externalID, coder: coder, layer: layer)) { annotation in
                        let label: String
                        if selection.labelsByType {
                            label = LayerSelection.typeName(layer)
                        } else if let feature = selection.labelFeature {
                            guard let value = annotation.features[feature], let text = Self.text(value) else { unlabelled += 1; return }
                            label = text
                        } else {
                            label = layer
                        }
                        var attributes: [String: JSONValue] = [:]
                        // The span_refs the annotation makes. WebAnno TSV carries one link (slot) feature per layer here:
                        // the first in byte order; a second span_ref stays an attribute.
                        var references = codebookLayer?.spanReferences(in: annotation.features) ?? []
                        if selection.labelsByType, let slot = references.min(by: { precedes($0.feature, $1.feature) }) { references = [slot] }
                        // In byte order of the names, so that the output is the same on every run.
                        for (name, value) in annotation.features.sorted(by: { precedes($0.key, $1.key) })
                        where selection.labelsByType || name != selection.labelFeature {
                            if let reference = references.first(where: { $0.feature == name }) {
                                links.append((annotation.id, name, reference.annotationID, layer))
                            } else if value == .bool(true) {
                                attributes[name] = value
                            } else if let text = Self.text(value) {
                                attributes[name] = .string(text)
                            }
                        }
                        document.spans.append(InterchangeSpan(key: String(annotation.id), label: label, start: annotation.span.start, end: annotation.span.end,
                                                              coder: annotation.coder, attributes: attributes, text: annotation.quote))
                    }
                }
                let exported = Dictionary(document.spans.enumerated().map { ($0.element.key, $0.offset) }, uniquingKeysWith: { first, _ in first })
                for link in links {
                    if let target = exported[String(link.to)] {
                        var relation = InterchangeRelation(key: "\(link.from)-\(link.feature)", type: link.feature, from: String(link.from), to: String(link.to))
                        if selection.labelsByType {
                            // A link (slot) feature of the host type in INCEpTION, its role the feature's name.
                            let host = LayerSelection.typeName(link.layer)
                            relation.type = "\(host):\(link.feature)"
                            relation.note = "slot=ROLE_\(host):\(link.feature)_\(LayerSelection.typeName(link.layer + "_" + link.feature + "Link"))|\(document.spans[target].label)"
                        }
                        document.relations.append(relation)
                    } else if let source = exported[String(link.from)] {
                        document.spans[source].attributes[link.feature] = .string(String(link.to))
                    }
                }
                result.append(document)
            }
            return (result, unlabelled)
        }
    }

    /// A feature value as the text of a label or attribute: a string as it is, a list of strings joined by `|`,
    /// anything else as JSON; nil for null.
    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .null: nil
        case .string(let text): text
        case .array(let items) where items.allSatisfy({ if case .string = $0 { true } else { false } }):
            items.compactMap { if case .string(let text) = $0 { text } else { nil } }.joined(separator: "|")
        default: value.canonicalJSON
        }
    }
}
