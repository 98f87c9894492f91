import GlossAgreement
import GlossCodebook
import GlossCore

/// Reliability data derived from the coded spans of a project: units × coders, a coder's value for a unit
/// being the code of the span of theirs that covers it.
///
/// Units are whole documents, their paragraphs or sentences (as `Codebooks/README.md` defines the
/// boundaries), or the spans of a layer of predefined units. When several spans of one coder touch a unit,
/// the value that covers the most code points of the unit is taken; a tie goes to the value that comes
/// first in the category order. A coder with no span in a unit has a missing value, or, with `presence`,
/// the value `(none)`, so that finding a span at all is part of the agreement. The categories are the
/// feature's codable codes in codebook order (all of them, used or not) when a registered codebook
/// defines the feature, else the values found.
public struct SpanReliability {
    public enum UnitKind: Sendable, Equatable {
        case document, paragraph, sentence
        /// The spans of this layer, by any coder, each one unit.
        case layer(String)

        /// `document`, `paragraph`, `sentence` or `layer:NAME`.
        public init?(argument: String) {
            switch argument {
            case "document": self = .document
            case "paragraph": self = .paragraph
            case "sentence": self = .sentence
            default:
                guard argument.hasPrefix("layer:"), argument.count > 6 else { return nil }
                self = .layer(String(argument.dropFirst(6)))
            }
        }
    }

    /// One unit: a document's id and its range.
    public struct Unit: Sendable, Equatable {
        public var documentID: String
        public var span: TextSpan
    }

    /// The text a unit covers, for listing disagreements.
    public func text(of unit: Unit, in store: any ProjectStore) throws -> String {
        try store.read { reader in
            guard let document = try reader.document(externalID: unit.documentID) else { return "" }
            return (try? DocumentText(document.text).quote(unit.span)) ?? ""
        }
    }

    public static let noSpan = "(none)"

    public let data: ReliabilityData
    public let coders: [String]
    public let units: [Unit]
    /// For each unit and coder, the spans that gave the coder's value (those of that code touching the unit).
    public let valueSpans: [[[TextSpan]]]

    /// Builds the data for `feature` of `layer`, over the documents and coders named (all when nil).
    public static func build(store: any ProjectStore, layer: String, feature: String, unit: UnitKind,
                             coders wantedCoders: [String]?, documents wantedDocuments: [String]?, presence: Bool) throws -> SpanReliability {
        try store.read { reader in
            let registry = try reader.codebookRegistry()
            let selection = try AgreementSelection(reader: reader, layer: layer, feature: feature, coders: wantedCoders, documents: wantedDocuments)
            let (annotations, coders, documents) = (selection.annotations, selection.coders, selection.documents)
            var unitAnnotations: [Annotation] = []
            if case .layer(let unitLayer) = unit {
                try reader.forEachAnnotation(matching: AnnotationFilter(layer: unitLayer)) { unitAnnotations.append($0) }
                guard !unitAnnotations.isEmpty else { throw GlossError(.badData, "layer \(unitLayer) has no annotations to serve as units") }
            }
            var units: [Unit] = []
            var seenUnits: Set<[Int]> = []
            for summary in documents {
                switch unit {
                case .document:
                    units.append(Unit(documentID: summary.externalID, span: try TextSpan(start: 0, end: summary.length)))
                case .paragraph, .sentence:
                    guard let document = try reader.document(externalID: summary.externalID) else { continue }
                    let boundaries = TextBoundaries(document.text)
                    let starts = [0] + (unit == .paragraph ? boundaries.paragraphs : boundaries.sentences) + [summary.length]
                    for (start, end) in zip(starts, starts.dropFirst()) where start < end {
                        units.append(Unit(documentID: summary.externalID, span: try TextSpan(start: start, end: end)))
                    }
                case .layer:
                    // Each distinct span of the unit layer, by whichever coder, is one unit.
                    for (index, annotation) in unitAnnotations.enumerated() where annotation.documentID.isIdentical(to: summary.externalID) {
                        if seenUnits.insert([documents.firstIndex(of: summary) ?? index, annotation.span.start, annotation.span.end]).inserted {
                            units.append(Unit(documentID: annotation.documentID, span: annotation.span))
                        }
                    }
                }
            }
            // Categories: the feature's codes in codebook order when a codebook defines it, else values sorted.
            var order = registry.current(forLayer: layer)?.layer.feature(feature)?.codes?.codableIDs
            var byDocumentAndCoder: [[ExactKey]: [(TextSpan, String)]] = [:]
            for annotation in annotations {
                guard let label = try annotation.categoryLabel(of: feature) else { continue }
                byDocumentAndCoder[[ExactKey(annotation.documentID), ExactKey(annotation.coder)], default: []].append((annotation.span, label))
            }
            let codebookOrder = order != nil
            if order != nil, presence { order?.append(noSpan) }
            let position = Dictionary((order ?? []).enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            var rows: [[String?]] = []
            var valueSpans: [[[TextSpan]]] = []
            for unit in units {
                var spansOfUnit: [[TextSpan]] = []
                rows.append(coders.map { coder in
                    var coverage: [String: Int] = [:]
                    var touching: [(TextSpan, String)] = []
                    for (span, label) in byDocumentAndCoder[[ExactKey(unit.documentID), ExactKey(coder)]] ?? [] {
                        let overlap = min(span.end, unit.span.end) - max(span.start, unit.span.start)
                        if overlap > 0 || (span.length == 0 && unit.span.start <= span.start && span.start < unit.span.end) {
                            coverage[label, default: 0] += max(overlap, 1)
                            touching.append((span, label))
                        }
                    }
                    guard let best = coverage.max(by: { a, b in
                        a.value != b.value ? a.value < b.value : (position[a.key] ?? Int.max, a.key) > (position[b.key] ?? Int.max, b.key)
                    }) else {
                        spansOfUnit.append([])
                        return presence ? noSpan : nil
                    }
                    spansOfUnit.append(touching.filter { $0.1 == best.key }.map(\.0))
                    return best.key
                })
                valueSpans.append(spansOfUnit)
            }
            do throws(AgreementError) {
                let used = Set(rows.flatMap { $0.compactMap { $0 } })
                // Every codable code of the codebook counts as a category (Bennett's S and the weights need the
                // full list), followed by any value the codebook does not know.
                // "(none)" has no place on a scale: with --presence the categories count as unordered.
                let data = try ReliabilityData(values: rows, order: order.map { $0 + used.subtracting($0).sorted() },
                                               ordered: presence ? false : (codebookOrder ? true : nil))
                return SpanReliability(data: data, coders: coders, units: units, valueSpans: valueSpans)
            } catch {
                throw GlossError(.badData, error.description)
            }
        }
    }
}
