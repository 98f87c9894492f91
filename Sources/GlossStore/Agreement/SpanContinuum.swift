import GlossAgreement
import GlossCore

/// A continuum for unitizing agreement (α_u) and span matching from the spans of a layer: the documents laid
/// end to end, in id order, each coder's spans placed at their document's offset, labelled with a feature's
/// code (or all with the layer's id when no feature is named; then spans without the feature count too).
public enum SpanContinuum {
    public static func build(store: any ProjectStore, layer: String, feature: String?, coders wantedCoders: [String]?,
                             documents wantedDocuments: [String]?) throws -> (continuum: Continuum, coders: [String]) {
        try store.read { reader in
            let selection = try AgreementSelection(reader: reader, layer: layer, feature: feature, coders: wantedCoders, documents: wantedDocuments)
            let (annotations, coders) = (selection.annotations, selection.coders)
            var offsets: [ExactKey: Int] = [:]
            var length = 0
            for summary in selection.documents {
                offsets[ExactKey(summary.externalID)] = length
                length += summary.length
            }
            var spans: [Continuum.Span] = []
            for annotation in annotations {
                guard let coder = coders.firstIndex(where: { $0.isIdentical(to: annotation.coder) }),
                      let offset = offsets[ExactKey(annotation.documentID)] else { continue }
                let label: String
                if let feature {
                    guard let value = try annotation.categoryLabel(of: feature) else { continue }
                    label = value
                } else {
                    label = layer
                }
                spans.append(Continuum.Span(coder: coder, start: offset + annotation.span.start, end: offset + annotation.span.end, label: label))
            }
            return (Continuum(begin: 0, end: length, coderCount: coders.count, spans: spans), coders)
        }
    }
}
