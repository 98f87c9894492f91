import GlossAgreement
import GlossCore

/// A continuum for unitizing agreement (α_u) and span matching from the spans of a layer: the documents laid
/// end to end, in id order, each coder's spans placed at their document's offset, labelled with a feature's
/// code (or all with the layer's id when no feature is named; then spans without the feature count too).
public enum SpanContinuum {
    public static func build(store: any ProjectStore, layer: String, feature: String?, coders wantedCoders: [String]?,
                             documents wantedDocuments: [String]?) throws -> (continuum: Continuum, coders: [String]) {
        try store.read { reader in
            var annotations: [Annotation] = []
            try reader.forEachAnnotation(matching: AnnotationFilter(layer: layer)) { annotations.append($0) }
            let coders = wantedCoders ?? Array(Set(annotations.map(\.coder))).sorted()
            guard coders.count >= 2 else {
                throw GlossError(.badData, "agreement needs at least two coders; layer \(layer) has annotations by \(coders.isEmpty ? "nobody" : coders.joined(separator: ", "))")
            }
            var offsets: [ExactKey: Int] = [:]
            var length = 0
            for summary in try reader.documentSummaries() where wantedDocuments.map({ $0.contains { $0.isIdentical(to: summary.externalID) } }) ?? true {
                offsets[ExactKey(summary.externalID)] = length
                length += summary.length
            }
            var spans: [Continuum.Span] = []
            for annotation in annotations {
                guard let coder = coders.firstIndex(where: { $0.isIdentical(to: annotation.coder) }),
                      let offset = offsets[ExactKey(annotation.documentID)] else { continue }
                let label: String
                if let feature {
                    guard let value = annotation.features[feature] else { continue }
                    guard case .string(let code) = value else {
                        throw GlossError(.badData, "annotation \(annotation.id) has \(value.typeName) for \(feature); span agreement needs one code per span")
                    }
                    label = code
                } else {
                    label = layer
                }
                spans.append(Continuum.Span(coder: coder, start: offset + annotation.span.start, end: offset + annotation.span.end, label: label))
            }
            return (Continuum(begin: 0, end: length, coderCount: coders.count, spans: spans), coders)
        }
    }
}
