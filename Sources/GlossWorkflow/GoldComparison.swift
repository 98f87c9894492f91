import GlossAgreement
import GlossCore
import GlossStore

/// Each coder's agreement with a gold coder: the coefficients on the units of the documents gold has coded, for the
/// pair (coder, gold) alone.
public enum GoldComparison {
    public struct Row: Sendable, Equatable {
        public var coder: String
        public var results: [AgreementResult]
    }

    /// One row per coder (those named, else every other coder with annotations of `layer` in the documents).
    /// The documents are those named, else those in which `gold` has annotations of `layer`.
    public static func measure(store: any ProjectStore, layer: String, feature: String,
                               unit: SpanReliability.UnitKind, gold: String, coders wanted: [String]?,
                               documents wantedDocuments: [String]?, presence: Bool, coefficients: [Coefficient],
                               metric: DistanceMetric, weights: AgreementWeights) throws -> [Row] {
        let (documents, coders) = try store.read { reader -> ([String], [String]) in
            // The documents adjudicated into gold on this layer (a document whose conflicts were all rejected has
            // no gold annotation but was decided all the same), and any other where gold has annotations.
            var goldDocuments = try reader.adjudications(gold: gold, layer: layer).map(\.documentID)
            try reader.forEachAnnotation(matching: AnnotationFilter(coder: gold, layer: layer)) { annotation in
                goldDocuments.append(annotation.documentID)
            }
            guard !goldDocuments.isEmpty else {
                throw GlossError(.badData, "\(gold) has no annotation of layer \(layer); adjudicate first "
                                 + "(`gloss adjudicate --layer \(layer) --gold \(gold)`)")
            }
            var seen: Set<ExactKey> = []
            let documents = wantedDocuments ?? goldDocuments.filter { seen.insert(ExactKey($0)).inserted }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let selected = Set(documents.map(ExactKey.init))
            let golds = Set((try reader.goldCoderNames() + [gold]).map(ExactKey.init))
            var others: [ExactKey: String] = [:]
            try reader.forEachAnnotation(matching: AnnotationFilter(layer: layer)) { annotation in
                if selected.contains(ExactKey(annotation.documentID)) && !golds.contains(ExactKey(annotation.coder)) {
                    others[ExactKey(annotation.coder)] = annotation.coder
                }
            }
            return (documents, wanted ?? others.values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        }
        guard !coders.isEmpty else {
            throw GlossError(.badData, "no coder besides \(gold) annotated layer \(layer) in those documents")
        }
        return try coders.map { coder in
            let spans = try SpanReliability.build(store: store, layer: layer, feature: feature, unit: unit,
                                                  coders: [coder, gold], documents: documents, presence: presence)
            return Row(coder: coder, results: spans.data.results(coefficients, metric: metric, weights: weights))
        }
    }
}
