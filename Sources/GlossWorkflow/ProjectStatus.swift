import GlossCore
import GlossStore

/// Where a team's coding stands: per coder their assignments by state, annotations and last activity; per document
/// its coders and their states; and totals.
public struct ProjectStatus: Sendable, Equatable, Codable {
    public var coders: [CoderStatus]
    public var documents: [DocumentStatus]
    public var totals: Totals

    public struct CoderStatus: Sendable, Equatable, Codable {
        public var coder: String
        /// Assigned documents not started yet (state `assigned`).
        public var assigned: Int
        public var inProgress: Int
        public var done: Int
        public var annotations: Int
        /// The latest time the coder annotated, started or finished a document, if any.
        public var lastActivity: String?
    }

    public struct DocumentStatus: Sendable, Equatable, Codable {
        public var documentID: String
        /// `reliability`, `single`, or `unassigned`.
        public var role: String
        public var coders: [CoderState]
    }

    public struct CoderState: Sendable, Equatable, Codable {
        public var coder: String
        public var state: Assignment.State
    }

    public struct Totals: Sendable, Equatable, Codable {
        public var documents: Int
        public var assignedDocuments: Int
        public var reliabilityDocuments: Int
        public var assignments: Int
        public var assigned: Int
        public var inProgress: Int
        public var done: Int
        public var annotations: Int
    }

    /// The status of the project `reader` shows. Coders with annotations but no assignment are listed too.
    public static func of(_ reader: any ProjectReader) throws -> ProjectStatus {
        let assignments = try reader.assignments(coder: nil)
        var annotationCounts: [ExactKey: Int] = [:]
        var lastAnnotation: [ExactKey: String] = [:]
        try reader.forEachAnnotation(matching: AnnotationFilter()) { annotation in
            let key = ExactKey(annotation.coder)
            annotationCounts[key, default: 0] += 1
            if let last = lastAnnotation[key], last >= annotation.updatedAt { return }
            lastAnnotation[key] = annotation.updatedAt
        }
        let total = annotationCounts.values.reduce(0, +)
        let names = try reader.coderNames().filter { name in
            assignments.contains { $0.coder.isIdentical(to: name) } || annotationCounts[ExactKey(name)] != nil
        }
        let coders = names.map { name -> CoderStatus in
            let mine = assignments.filter { $0.coder.isIdentical(to: name) }
            let times = mine.flatMap { [$0.startedAt, $0.doneAt].compactMap { $0 } }
                + [lastAnnotation[ExactKey(name)]].compactMap { $0 }
            return CoderStatus(coder: name, assigned: mine.filter { $0.state == .assigned }.count,
                               inProgress: mine.filter { $0.state == .inProgress }.count,
                               done: mine.filter { $0.state == .done }.count,
                               annotations: annotationCounts[ExactKey(name)] ?? 0, lastActivity: times.max())
        }
        var byDocument: [ExactKey: [Assignment]] = [:]
        for assignment in assignments { byDocument[ExactKey(assignment.documentID), default: []].append(assignment) }
        let summaries = try reader.documentSummaries()
        let documents = summaries.map { summary -> DocumentStatus in
            let mine = byDocument[ExactKey(summary.externalID)] ?? []
            return DocumentStatus(documentID: summary.externalID, role: mine.first?.role.rawValue ?? "unassigned",
                                  coders: mine.map { CoderState(coder: $0.coder, state: $0.state) })
        }
        let totals = Totals(documents: summaries.count, assignedDocuments: byDocument.count,
                            reliabilityDocuments: byDocument.values.filter { $0.first?.role == .reliability }.count,
                            assignments: assignments.count,
                            assigned: assignments.filter { $0.state == .assigned }.count,
                            inProgress: assignments.filter { $0.state == .inProgress }.count,
                            done: assignments.filter { $0.state == .done }.count, annotations: total)
        return ProjectStatus(coders: coders, documents: documents, totals: totals)
    }

    /// Marks a coder's assignment done (`done` true) or reopens it, in one audited transaction, and returns it; an
    /// assignment already in that state is returned unchanged.
    public static func mark(documentID: String, coder: String, done: Bool, store: any ProjectStore,
                            context: ChangeContext) throws -> Assignment {
        try store.write { writer in
            guard var assignment = try writer.assignments(coder: coder)
                .first(where: { $0.documentID.isIdentical(to: documentID) }) else {
                guard try writer.document(externalID: documentID) != nil else {
                    throw GlossError(.badData, "no document \"\(documentID)\"; see `gloss docs list`")
                }
                throw GlossError(.badData, "\(coder) has no assignment for \"\(documentID)\"; "
                                 + "see `gloss assignments list --coder \(coder)`")
            }
            // Marking done twice, or reopening what is not done, changes nothing: the caller sees the state as it is.
            if done == (assignment.doneAt != nil) { return assignment }
            assignment.doneAt = done ? context.time : nil
            try writer.update(assignment, context: context)
            return assignment
        }
    }
}
