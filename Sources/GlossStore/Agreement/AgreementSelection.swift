import GlossCore

/// The annotations, coders and documents an agreement is computed on, checked: every named coder and
/// document must exist, and the feature must be used on the layer. Gold coders take part only when named.
struct AgreementSelection {
    let annotations: [Annotation]
    let coders: [String]
    let documents: [DocumentSummary]

    init(reader: any ProjectReader, layer: String, feature: String?, coders wantedCoders: [String]?, documents wantedDocuments: [String]?) throws {
        let all = try reader.documentSummaries()
        var documents = all
        if let wantedDocuments {
            documents = try wantedDocuments.map { id in
                guard let found = all.first(where: { $0.externalID.isIdentical(to: id) }) else {
                    throw GlossError(.badData, "no document \"\(id)\"; see `gloss docs list`")
                }
                return found
            }
        }
        let selected = Set(documents.map { ExactKey($0.externalID) })
        var annotations: [Annotation] = []
        try reader.forEachAnnotation(matching: AnnotationFilter(layer: layer)) { annotation in
            if selected.contains(ExactKey(annotation.documentID)) { annotations.append(annotation) }
        }
        let layers = try reader.annotatedLayerNames()
        if !layers.contains(layer) {
            let known = Set(layers + (try reader.codebookRegistry().latest.flatMap { $0.layers.map(\.id) }))
            if !known.contains(layer) {
                throw GlossError(.badData, "there is no layer \(layer) in this project; \(NameSuggestion.hint(for: layer, in: known.sorted()))")
            }
        }
        if let feature, !annotations.contains(where: { $0.features[feature] != nil }) {
            throw GlossError(.badData, "no annotation of layer \(layer) in the selected documents has the feature \(feature)")
        }
        // Gold coders (made by `gloss adjudicate`) are compared only when named.
        let gold = Set(try reader.goldCoderNames().map(ExactKey.init))
        let annotating = Array(Set(annotations.map(\.coder))).sorted()
        let present = annotating.filter { !gold.contains(ExactKey($0)) }
        if let wantedCoders {
            for coder in wantedCoders where !annotating.contains(where: { $0.isIdentical(to: coder) }) {
                throw GlossError(.badData, "coder \"\(coder)\" has no annotation of layer \(layer) in the selected documents; coders: \(present.joined(separator: ", "))")
            }
        }
        let coders = wantedCoders ?? present
        guard coders.count >= 2 else {
            throw GlossError(.badData, "agreement needs at least two coders; layer \(layer) has annotations by \(coders.isEmpty ? "nobody" : coders.joined(separator: ", ")) in the selected documents")
        }
        self.annotations = annotations
        self.coders = coders
        self.documents = documents
    }
}
