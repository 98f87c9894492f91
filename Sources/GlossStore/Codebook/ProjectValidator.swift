import GlossCodebook
import GlossCore

/// Re-checks every annotation of a project against the latest registered version of its layer's codebook.
public struct ProjectValidator {
    /// One problem with one annotation.
    public struct Finding: Sendable, Equatable {
        public var annotation: Annotation
        /// The version checked against (`nil` when no codebook defines the layer).
        public var checkedAgainst: CodebookReference?
        public var feature: String?
        public var message: String
    }

    public let store: any ProjectStore

    public init(store: any ProjectStore) { self.store = store }

    /// Every problem, ordered by annotation id. Empty when the project is valid.
    public func findings() throws -> [Finding] {
        try store.read { reader in
            let registry = try reader.codebookRegistry()
            var annotations: [Annotation] = []
            try reader.forEachAnnotation(matching: AnnotationFilter()) { annotations.append($0) }
            var findings: [Finding] = []
            var lengths: [ExactKey: Int] = [:]
            var boundaries: [ExactKey: TextBoundaries] = [:]
            func textInfo(_ documentID: String) throws -> (length: Int, boundaries: () -> TextBoundaries?) {
                let key = ExactKey(documentID)
                if lengths[key] == nil {
                    guard let document = try reader.document(externalID: documentID) else { return (0, { nil }) }
                    lengths[key] = document.text.unicodeScalars.count
                    boundaries[key] = TextBoundaries(document.text)
                }
                return (lengths[key] ?? 0, { boundaries[key] })
            }
            var byID: [Int64: Annotation] = [:]
            for annotation in annotations { byID[annotation.id] = annotation }
            var forbidsOverlap: [Annotation] = []
            for annotation in annotations {
                guard let (codebook, layer) = registry.current(forLayer: annotation.layer) else {
                    if !registry.isEmpty {
                        findings.append(Finding(annotation: annotation, checkedAgainst: nil, feature: nil,
                                                message: "layer \(annotation.layer) is not defined by any registered codebook"))
                    }
                    continue
                }
                let reference = CodebookReference(id: codebook.id, version: codebook.version)
                let info = try textInfo(annotation.documentID)
                for violation in layer.violations(span: annotation.span, features: annotation.features, textLength: info.length,
                                                  boundaries: info.boundaries()) {
                    findings.append(Finding(annotation: annotation, checkedAgainst: reference, feature: violation.feature, message: violation.message))
                }
                for spanReference in layer.spanReferences(in: annotation.features) {
                    let target = byID[spanReference.annotationID]
                    if target == nil || target?.layer != spanReference.layer || target?.coder.isIdentical(to: annotation.coder) != true
                        || target?.documentID.isIdentical(to: annotation.documentID) != true {
                        findings.append(Finding(annotation: annotation, checkedAgainst: reference, feature: spanReference.feature,
                                                message: "\(spanReference.feature) refers to annotation \(spanReference.annotationID), which is not an annotation of layer \(spanReference.layer) by \(annotation.coder) in this document"))
                    }
                }
                if let reason = annotation.needsRecoding {
                    findings.append(Finding(annotation: annotation, checkedAgainst: reference, feature: nil, message: "needs recoding: \(reason)"))
                }
                if !layer.allowsOverlap { forbidsOverlap.append(annotation) }
            }
            findings += Self.overlaps(among: forbidsOverlap, registry: registry)
            return findings.sorted { $0.annotation.id < $1.annotation.id }
        }
    }

    /// Overlaps among one coder's annotations of one layer in one document: a sweep over spans sorted by start.
    private static func overlaps(among annotations: [Annotation], registry: CodebookRegistry) -> [Finding] {
        var groups: [[ExactKey]: [Annotation]] = [:]
        for annotation in annotations {
            groups[[ExactKey(annotation.documentID), ExactKey(annotation.coder), ExactKey(annotation.layer)], default: []].append(annotation)
        }
        var findings: [Finding] = []
        for group in groups.values {
            var furthest: Annotation?
            for annotation in group.sorted(by: { ($0.span.start, $0.span.end, $0.id) < ($1.span.start, $1.span.end, $1.id) }) {
                if let previous = furthest, previous.span.end > annotation.span.start {
                    let codebook = registry.current(forLayer: annotation.layer)?.codebook
                    findings.append(Finding(annotation: annotation, checkedAgainst: codebook.map { CodebookReference(id: $0.id, version: $0.version) },
                                            feature: nil, message: "it overlaps annotation \(previous.id) by the same coder, and layer \(annotation.layer) forbids overlap"))
                }
                if furthest == nil || annotation.span.end > furthest?.span.end ?? 0 { furthest = annotation }
            }
        }
        return findings
    }
}
