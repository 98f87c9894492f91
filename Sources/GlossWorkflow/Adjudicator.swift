import GlossAgreement
import GlossCore
import GlossStore

/// Merges the coders' annotations of the reliability documents into a gold coder, and keeps the conflicts for a
/// person to decide.
///
/// In each reliability document (all documents coded by two or more coders when the project has no assignments),
/// the spans of the document's coders on the layer are paired as `gloss agree --match` pairs them (a maximum
/// one-to-one matching per pair of coders), and the pairs are joined into matches. A match becomes one gold
/// annotation when the rule decides it:
/// - `unanimous`: every coder of the document has a span in the match, with the same features;
/// - `majority`: more than half of the document's coders have a span in the match with the same features.
///
/// The gold span covers the code points more than half of the agreeing coders' spans cover (with exact matching,
/// their common span). Any other match is a conflict, kept with its reason until `accept` or `reject` closes it.
/// Re-running keeps every decision (merged, accepted, rejected): their source annotations are not matched again.
/// The candidates of open conflicts are, together with annotations added since, so that a coder who finishes late
/// can still agree; a conflict that comes out the same keeps its id, and one that changed is replaced. Every gold
/// annotation records its provenance (source annotations, the rule or person that decided, and when), and every
/// step is audited.
public enum Adjudicator {
    public enum Strategy: String, Sendable, Codable, CaseIterable {
        case unanimous, majority
    }

    public struct Request: Sendable, Equatable {
        public var layer: String
        public var gold: String
        public var strategy: Strategy
        public var match: SpanMatch
        /// `exact` or `overlap:RATIO`, as given, for the record.
        public var matchName: String
        public var documents: [String]?

        public init(layer: String, gold: String, strategy: Strategy = .unanimous, match: SpanMatch = .exact,
                    matchName: String = "exact", documents: [String]? = nil) {
            self.layer = layer
            self.gold = gold
            self.strategy = strategy
            self.match = match
            self.matchName = matchName
            self.documents = documents
        }
    }

    /// What one run did.
    public struct Outcome: Sendable, Equatable, Codable {
        public var gold: String
        public var layer: String
        public var strategy: Strategy
        public var match: String
        public var documents: Int
        /// Matches merged into gold annotations by this run.
        public var merged: Int
        /// The gold annotations this run made, by id.
        public var goldAnnotations: [Int64]
        /// Conflicts this run found.
        public var conflicts: [Conflict]
        /// Source annotations left alone because an earlier run decided their match.
        public var alreadyConsidered: Int
        /// Open conflicts of earlier runs replaced by this run's matches (a candidate was added or changed).
        public var superseded: Int
    }

    /// A conflict (or a decided match) with its candidates as they are now.
    public struct Conflict: Sendable, Equatable, Codable {
        public var id: Int64
        public var gold: String
        public var documentID: String
        public var layer: String
        public var state: Adjudication.State
        public var reason: String?
        public var decidedBy: String?
        public var decidedAt: String?
        public var goldAnnotationID: Int64?
        public var candidates: [Candidate]
    }

    public struct Candidate: Sendable, Equatable, Codable {
        public var annotationID: Int64
        /// Nil when the annotation was deleted since.
        public var coder: String?
        public var start: Int?
        public var end: Int?
        public var features: JSONValue?
        public var quote: String?
    }

    /// Runs the adjudication of `request` in one transaction.
    public static func run(_ request: Request, store: any ProjectStore, context: ChangeContext) throws -> Outcome {
        try store.write { writer in try run(request, writer: writer, context: context) }
    }

    static func run(_ request: Request, writer: any ProjectWriter, context: ChangeContext) throws -> Outcome {
        let assignments = try writer.assignments(coder: nil)
        let earlier = try writer.adjudications(gold: request.gold, layer: nil)
        if assignments.contains(where: { $0.coder.isIdentical(to: request.gold) }) {
            throw GlossError(.badData, "\(request.gold) is a coder with assignments; "
                             + "name the gold standard with a new name, e.g. --gold gold")
        }
        var goldHasOwnAnnotations = false
        try writer.forEachAnnotation(matching: AnnotationFilter(coder: request.gold)) { _ in
            goldHasOwnAnnotations = true
        }
        if goldHasOwnAnnotations && earlier.isEmpty {
            throw GlossError(.badData, "\(request.gold) already has annotations of their own; "
                             + "name the gold standard with a new name, e.g. --gold gold")
        }
        let layers = try writer.annotatedLayerNames()
        guard layers.contains(request.layer) else {
            throw GlossError(.badData, "no annotations of layer \(request.layer); "
                             + "\(NameSuggestion.hint(for: request.layer, in: layers))")
        }
        // Gold coders (this one and any other) are never among the coders being merged.
        let golds = Set((try writer.goldCoderNames() + [request.gold]).map(ExactKey.init))
        var annotationsByDocument: [ExactKey: [Annotation]] = [:]
        try writer.forEachAnnotation(matching: AnnotationFilter(layer: request.layer)) { annotation in
            guard !golds.contains(ExactKey(annotation.coder)) else { return }
            annotationsByDocument[ExactKey(annotation.documentID), default: []].append(annotation)
        }
        // The reliability documents and their coders.
        var codersByDocument: [(documentID: String, coders: [String])] = []
        if assignments.isEmpty {
            for summary in try writer.documentSummaries() {
                let coders = Set((annotationsByDocument[ExactKey(summary.externalID)] ?? []).map(\.coder)).sorted()
                if coders.count >= 2 { codersByDocument.append((summary.externalID, coders)) }
            }
        } else {
            var grouped: [ExactKey: (documentID: String, coders: [String])] = [:]
            for assignment in assignments where assignment.role == .reliability {
                grouped[ExactKey(assignment.documentID), default: (assignment.documentID, [])]
                    .coders.append(assignment.coder)
            }
            codersByDocument = grouped.values.sorted {
                $0.documentID.utf8.lexicographicallyPrecedes($1.documentID.utf8)
            }
        }
        if let wanted = request.documents {
            for id in wanted where !codersByDocument.contains(where: { $0.documentID.isIdentical(to: id) }) {
                throw GlossError(.badData, "\"\(id)\" is not a reliability document (coded by two or more coders); "
                                 + "see `gloss status`")
            }
            codersByDocument = codersByDocument.filter { entry in
                wanted.contains { $0.isIdentical(to: entry.documentID) }
            }
        }
        // Decided matches stay decided; the candidates of open conflicts are matched again, with what was added
        // since, so that a coder who finishes late can still agree. A conflict that comes out the same is kept
        // (with its id); one whose match changed is replaced.
        let onLayer = earlier.filter { $0.layer.isIdentical(to: request.layer) }
        let considered = Set(onLayer.filter { $0.state != .open }.flatMap(\.candidates))
        var openByCandidates: [[Int64]: Adjudication] = [:]
        for record in onLayer where record.state == .open { openByCandidates[record.candidates.sorted()] = record }
        let ingest = try AnnotationIngest(writer: writer, context: context, allowsUncodedLayers: true,
                                          allowsUnassigned: true)
        var outcome = Outcome(gold: request.gold, layer: request.layer, strategy: request.strategy,
                              match: request.matchName, documents: codersByDocument.count, merged: 0,
                              goldAnnotations: [], conflicts: [], alreadyConsidered: 0, superseded: 0)
        for (documentID, coders) in codersByDocument {
            let all = (annotationsByDocument[ExactKey(documentID)] ?? []).filter { annotation in
                coders.contains { $0.isIdentical(to: annotation.coder) }
            }
            let fresh = all.filter { !considered.contains($0.id) }
            outcome.alreadyConsidered += all.count - fresh.count
            for group in matches(fresh, coders: coders, match: request.match) {
                if openByCandidates.removeValue(forKey: group.map(\.id).sorted()) != nil { continue }
                let verdict = decide(group, coders: coders, strategy: request.strategy)
                var record = Adjudication(gold: request.gold, documentID: documentID, layer: request.layer,
                                          candidates: group.map(\.id), state: .open, createdAt: context.time)
                if case .merge(let features, let span) = verdict {
                    let sources = group.filter { JSONValue.object($0.features) == .object(features) }.map(\.id)
                    ingest.context = ChangeContext(actor: context.actor, time: context.time, source: context.source
                        + " (\(request.strategy.rawValue): \(sources.map(String.init).joined(separator: ",")))")
                    let provenance = JSONValue.object([
                        "sources": .array(sources.map { .integer(Int($0)) }),
                        "rule": .string(request.strategy.rawValue),
                        "match": .string(request.matchName), "decided_by": .string(request.strategy.rawValue),
                        "at": .string(context.time),
                    ])
                    var gold = AnnotationRecord(documentID: documentID, coder: request.gold, layer: request.layer,
                                                start: span.start, end: span.end, features: features)
                    gold.provenance = provenance
                    do {
                        let id: Int64
                        switch try ingest.add(gold) {
                        case .inserted(let annotation): id = annotation.id
                        case .alreadyPresent(let existing): id = existing
                        }
                        record.state = .merged
                        record.decidedBy = request.strategy.rawValue
                        record.decidedAt = context.time
                        record.goldAnnotationID = id
                        outcome.merged += 1
                        outcome.goldAnnotations.append(id)
                    } catch let error as GlossError where error.code == .badData {
                        record.reason = "the merged annotation would break the codebook: \(error.message)"
                    }
                } else if case .conflict(let reason) = verdict {
                    record.reason = reason
                }
                ingest.context = context
                record.id = try writer.insert(record, context: context)
                if record.state == .open { outcome.conflicts.append(try view(record, reader: writer)) }
            }
        }
        let processed = Set(codersByDocument.map { ExactKey($0.documentID) })
        for record in openByCandidates.values.sorted(by: { $0.id < $1.id })
        where processed.contains(ExactKey(record.documentID)) {
            try writer.deleteAdjudication(id: record.id, context: context)
            outcome.superseded += 1
        }
        return outcome
    }

    /// The coders' spans joined into matches: spans paired by the one-to-one matching of each pair of coders, and
    /// pairs sharing a span joined (connected components); in document order.
    static func matches(_ annotations: [Annotation], coders: [String], match: SpanMatch) -> [[Annotation]] {
        let spans = annotations.map { annotation in
            Continuum.Span(coder: coders.firstIndex { $0.isIdentical(to: annotation.coder) } ?? 0,
                           start: annotation.span.start, end: annotation.span.end, label: "")
        }
        let end = annotations.map(\.span.end).max() ?? 0
        let continuum = Continuum(begin: 0, end: max(end, 1), coderCount: coders.count, spans: spans)
        var parent = Array(annotations.indices)
        func root(_ index: Int) -> Int {
            var current = index
            while parent[current] != current {
                parent[current] = parent[parent[current]]
                current = parent[current]
            }
            return current
        }
        for report in continuum.matchSpans(match) {
            for (a, b) in report.matches { parent[root(a)] = root(b) }
        }
        var groups: [Int: [Int]] = [:]
        for index in annotations.indices { groups[root(index), default: []].append(index) }
        return groups.values
            .map { $0.map { annotations[$0] }.sorted { $0.id < $1.id } }
            .sorted { a, b in
                let (x, y) = (a.map(\.span.start).min() ?? 0, b.map(\.span.start).min() ?? 0)
                return x != y ? x < y : (a.first?.id ?? 0) < (b.first?.id ?? 0)
            }
    }

    enum Verdict: Equatable {
        case merge(features: [String: JSONValue], span: TextSpan)
        case conflict(reason: String)
    }

    /// What the rule makes of one match among the document's `coders`.
    static func decide(_ group: [Annotation], coders: [String], strategy: Strategy) -> Verdict {
        var byCoder: [ExactKey: [Annotation]] = [:]
        for annotation in group { byCoder[ExactKey(annotation.coder), default: []].append(annotation) }
        if let spans = byCoder.values.filter({ $0.count > 1 })
            .min(by: { $0[0].coder.utf8.lexicographicallyPrecedes($1[0].coder.utf8) }),
           let coder = spans.first?.coder {
            return .conflict(reason: "\(coder) has \(spans.count) spans in this match")
        }
        // Coders grouped by the features they gave, largest group first (ties: the group whose first coder
        // comes first).
        var groups: [(features: [String: JSONValue], coders: [Annotation])] = []
        for annotation in group {
            if let index = groups.firstIndex(where: { JSONValue.object($0.features) == .object(annotation.features) }) {
                groups[index].coders.append(annotation)
            } else {
                groups.append((annotation.features, [annotation]))
            }
        }
        groups.sort { $0.coders.count > $1.coders.count }
        let missing = coders.filter { coder in !group.contains { $0.coder.isIdentical(to: coder) } }
        let agreeing: [Annotation]
        switch strategy {
        case .unanimous:
            if !missing.isEmpty {
                return .conflict(reason: "\(list(missing)) marked no matching span")
            }
            guard groups.count == 1, let only = groups.first else { return .conflict(reason: differences(groups)) }
            agreeing = only.coders
        case .majority:
            guard let largest = groups.first, 2 * largest.coders.count > coders.count else {
                let best = groups.first?.coders.count ?? 0
                let detail = groups.count > 1 ? differences(groups) : "\(list(missing)) marked no matching span"
                return .conflict(reason: "no code has a majority (\(best) of \(coders.count) coders agree): \(detail)")
            }
            agreeing = largest.coders
        }
        guard let span = majoritySpan(agreeing.map(\.span)) else {
            return .conflict(reason: "the agreeing coders' spans share no stretch that most of them cover")
        }
        return .merge(features: agreeing[0].features, span: span)
    }

    /// The code points covered by more than half of `spans`, when they form one stretch (empty spans that are all the
    /// same give that empty span).
    public static func majoritySpan(_ spans: [TextSpan]) -> TextSpan? {
        if let first = spans.first, spans.allSatisfy({ $0 == first }) { return first }
        let bounds = Set(spans.flatMap { [$0.start, $0.end] }).sorted()
        var covered: [(Int, Int)] = []
        for (start, end) in zip(bounds, bounds.dropFirst()) {
            let count = spans.filter { $0.start <= start && end <= $0.end }.count
            guard 2 * count > spans.count else { continue }
            if let last = covered.last, last.1 == start {
                covered[covered.count - 1].1 = end
            } else {
                covered.append((start, end))
            }
        }
        guard covered.count == 1, let only = covered.first else { return nil }
        return try? TextSpan(start: only.0, end: only.1)
    }

    /// Which features the groups of coders differ on: `stance: alice=pro, bob=against`.
    private static func differences(_ groups: [(features: [String: JSONValue], coders: [Annotation])]) -> String {
        let names = Set(groups.flatMap(\.features.keys)).sorted()
        let differing = names.filter { name in Set(groups.map { $0.features[name] }).count > 1 }
        let parts = differing.map { name in
            name + ": " + groups.flatMap { group in
                group.coders.map { "\($0.coder)=\(group.features[name].map(describe) ?? "(none)")" }
            }.sorted().joined(separator: ", ")
        }
        return "the coders differ on " + parts.joined(separator: "; ")
    }

    private static func describe(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.canonicalJSON
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }

    /// A stored record with its candidates as they are now.
    public static func view(_ record: Adjudication, reader: any ProjectReader) throws -> Conflict {
        let candidates = try record.candidates.map { id -> Candidate in
            guard let annotation = try reader.annotation(id: id) else { return Candidate(annotationID: id) }
            return Candidate(annotationID: id, coder: annotation.coder, start: annotation.span.start,
                             end: annotation.span.end, features: .object(annotation.features),
                             quote: annotation.quote)
        }
        return Conflict(id: record.id, gold: record.gold, documentID: record.documentID, layer: record.layer,
                        state: record.state, reason: record.reason, decidedBy: record.decidedBy,
                        decidedAt: record.decidedAt, goldAnnotationID: record.goldAnnotationID, candidates: candidates)
    }

    /// The conflicts (open unless `includingDecided`) of a gold coder and layer (nil: all), in id order.
    public static func conflicts(gold: String?, layer: String?, includingDecided: Bool = false,
                                 store: any ProjectStore) throws -> [Conflict] {
        try store.read { reader in
            try reader.adjudications(gold: gold, layer: layer)
                .filter { includingDecided ? $0.state != .merged : $0.state == .open }
                .map { try view($0, reader: reader) }
        }
    }

    /// Copies one candidate of an open conflict into `gold` and closes the conflict as accepted by `context.actor`.
    public static func accept(annotationID: Int64, gold: String, store: any ProjectStore,
                              context: ChangeContext) throws -> Conflict {
        try store.write { writer in
            guard var record = try writer.adjudications(gold: gold, layer: nil)
                .first(where: { $0.state == .open && $0.candidates.contains(annotationID) }) else {
                throw GlossError(.badData, "annotation \(annotationID) is not a candidate of an open conflict for "
                                 + "\(gold); see `gloss adjudicate conflicts`")
            }
            guard let source = try writer.annotation(id: annotationID) else {
                throw GlossError(.badData, "annotation \(annotationID) was deleted; reject conflict \(record.id) "
                                 + "or accept another candidate")
            }
            var copy = AnnotationRecord(documentID: source.documentID, coder: gold, layer: source.layer,
                                        start: source.span.start, end: source.span.end, features: source.features)
            copy.provenance = .object([
                "sources": .array([.integer(Int(annotationID))]), "rule": .string("accepted"),
                "decided_by": .string(context.actor), "at": .string(context.time), "conflict": .integer(Int(record.id)),
            ])
            let ingest = try AnnotationIngest(writer: writer, context: context, allowsUncodedLayers: true,
                                              allowsUnassigned: true)
            switch try ingest.add(copy) {
            case .inserted(let annotation): record.goldAnnotationID = annotation.id
            case .alreadyPresent(let id): record.goldAnnotationID = id
            }
            record.state = .accepted
            record.decidedBy = context.actor
            record.decidedAt = context.time
            try writer.update(record, context: context)
            return try view(record, reader: writer)
        }
    }

    /// Closes an open conflict with no gold annotation, as decided by `context.actor`.
    public static func reject(conflictID: Int64, store: any ProjectStore, context: ChangeContext) throws -> Conflict {
        try store.write { writer in
            guard var record = try writer.adjudication(id: conflictID) else {
                throw GlossError(.badData, "no conflict \(conflictID); see `gloss adjudicate conflicts`")
            }
            guard record.state == .open else {
                throw GlossError(.conflict, "conflict \(conflictID) is already closed "
                                 + "(\(record.state.rawValue) by \(record.decidedBy ?? "?"))")
            }
            record.state = .rejected
            record.decidedBy = context.actor
            record.decidedAt = context.time
            try writer.update(record, context: context)
            return try view(record, reader: writer)
        }
    }
}
