import Dispatch
import Foundation
import GlossCodebook
import GlossCore

/// Re-checks every annotation of a project against the latest registered version of its layer's codebook.
///
/// Annotations are read on the store's thread; the checks, which need nothing but the annotations, the
/// codebooks and the texts' boundaries, run on all cores.
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
        let (registry, annotations, lengths, texts) = try store.read { reader in
            let registry = try reader.codebookRegistry()
            var annotations: [Annotation] = []
            try reader.forEachAnnotation(matching: AnnotationFilter()) { annotations.append($0) }
            var lengths: [ExactKey: Int] = [:]
            for summary in try reader.documentSummaries() { lengths[ExactKey(summary.externalID)] = summary.length }
            // Texts only of documents annotated on a layer whose spans must stay within a boundary.
            var needed: Set<ExactKey> = []
            var texts: [(ExactKey, String)] = []
            for annotation in annotations where registry.current(forLayer: annotation.layer)?.layer.within != nil {
                let key = ExactKey(annotation.documentID)
                if needed.insert(key).inserted, let document = try reader.document(externalID: annotation.documentID) {
                    texts.append((key, document.text))
                }
            }
            return (registry, annotations, lengths, texts)
        }
        let boundaryList = Self.inParallel(texts.count) { TextBoundaries(texts[$0].1) }
        var boundaries: [ExactKey: TextBoundaries] = [:]
        for (index, (key, _)) in texts.enumerated() { boundaries[key] = boundaryList[index] }

        let hasSpanReferences = registry.latest.contains { $0.layers.contains { $0.features.contains { if case .spanReference = $0.kind { true } else { false } } } }
        var byID: [Int64: Annotation] = [:]
        if hasSpanReferences {
            byID.reserveCapacity(annotations.count)
            for annotation in annotations { byID[annotation.id] = annotation }
        }
        let context = CheckContext(registry: registry, lengths: lengths, boundaries: boundaries, byID: byID)
        let chunkSize = 8192
        let chunks = Self.inParallel((annotations.count + chunkSize - 1) / chunkSize) { chunk in
            annotations[(chunk * chunkSize)..<min(annotations.count, (chunk + 1) * chunkSize)].flatMap(context.findings(for:))
        }
        let forbidsOverlap = annotations.filter { $0.span.length > 0 && registry.current(forLayer: $0.layer)?.layer.allowsOverlap == false }
        return (chunks.flatMap { $0 } + Self.overlaps(among: forbidsOverlap, registry: registry))
            .sorted { $0.annotation.id < $1.annotation.id }
    }

    /// `body(0..<count)` on all cores, results in index order.
    private static func inParallel<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let slots = ResultSlots<T>(count: count)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < count {
                slots.store(body(index), at: index)
                index += workers
            }
        }
        return slots.results
    }

    /// What one annotation's checks read: nothing that changes while they run.
    private struct CheckContext: Sendable {
        let registry: CodebookRegistry
        let lengths: [ExactKey: Int]
        let boundaries: [ExactKey: TextBoundaries]
        let byID: [Int64: Annotation]

        func findings(for annotation: Annotation) -> [Finding] {
            guard let (codebook, layer) = registry.current(forLayer: annotation.layer) else {
                return registry.isEmpty ? [] : [Finding(annotation: annotation, checkedAgainst: nil, feature: nil,
                                                         message: "layer \(annotation.layer) is not defined by any registered codebook")]
            }
            let reference = CodebookReference(id: codebook.id, version: codebook.version)
            let key = ExactKey(annotation.documentID)
            var findings = layer.violations(span: annotation.span, features: annotation.features, textLength: lengths[key] ?? 0,
                                            boundaries: boundaries[key]).map {
                Finding(annotation: annotation, checkedAgainst: reference, feature: $0.feature, message: $0.message)
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
            return findings
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

/// Result slots that parallel workers fill, each index by exactly one worker, read after they all finish.
/// A buffer allocated once, so that workers write disjoint elements and never the shared array itself.
private final class ResultSlots<T>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<T?>
    private let count: Int

    init(count: Int) {
        self.count = count
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil, count: count)
    }

    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    func store(_ value: T, at index: Int) { slots[index] = value }

    var results: [T] { UnsafeBufferPointer(start: slots, count: count).compactMap { $0 } }
}

extension ProjectValidator.Finding {
    /// One violation as `gloss validate --format json` prints it and the server returns it.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "annotation": .integer(Int(annotation.id)), "document": .string(annotation.documentID),
            "coder": .string(annotation.coder), "layer": .string(annotation.layer),
            "start": .integer(annotation.span.start), "end": .integer(annotation.span.end), "message": .string(message),
        ]
        if let feature { object["feature"] = .string(feature) }
        if let checkedAgainst { object["codebook"] = .string(checkedAgainst.description) }
        return .object(object)
    }
}
