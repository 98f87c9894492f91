import GlossCodebook
import GlossCore
import GlossStore

/// Reads back what `InterchangeImporter` stored for a format: each document with the spans of layer FORMAT,
/// the relations of FORMAT_relation and the categories of FORMAT_category, codes turned back into the
/// labels, attribute names and values of the tool (from the latest version of the draft codebook FORMAT).
public struct InterchangeExporter {
    public let store: any ProjectStore
    public let format: String

    public init(store: any ProjectStore, format: String) {
        self.store = store
        self.format = format
    }

    /// Every document (or those named), with its annotations of the format's layers.
    public func documents(named wanted: [String]? = nil) throws -> [InterchangeDocument] {
        try store.read { reader in
            let codebook = try reader.codebookRegistry().versions[format]?.last
            func labels(_ layer: String, _ feature: String) -> [String: String] {
                Dictionary((codebook?.layer(layer)?.feature(feature)?.codes?.flattened ?? []).map { ($0.code.id, $0.code.label) }, uniquingKeysWith: { first, _ in first })
            }
            let spanLabels = labels(format, "label"), relationTypes = labels("\(format)_relation", "type"), categories = labels("\(format)_category", "label")
            let attributes = codebook?.layer(format)?.features.filter { $0.id != "label" } ?? []
            var result: [InterchangeDocument] = []
            let selected = wanted.map { Set($0.map(ExactKey.init)) }
            for summary in try reader.documentSummaries() where selected?.contains(ExactKey(summary.externalID)) ?? true {
                guard let stored = try reader.document(externalID: summary.externalID) else { continue }
                var document = InterchangeDocument(id: stored.externalID, text: stored.text, location: SourceLocation(file: stored.externalID))
                try reader.forEachAnnotation(matching: AnnotationFilter(documentID: stored.externalID)) { annotation in
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
}
