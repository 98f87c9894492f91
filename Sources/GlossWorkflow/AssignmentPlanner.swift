import GlossCore
import GlossStore

/// Splits documents among coders: a seeded random share goes to several coders each (the reliability sample),
/// the rest to one coder each, so that the coders' total text lengths differ as little as possible.
///
/// Which documents join the reliability sample is drawn at random with the seed (a Fisher–Yates shuffle driven by
/// SplitMix64), so the same project, request and seed give the same plan. Coders are then given documents longest
/// first, each to the coder(s) with the least text so far (the longest-processing-time rule of Graham 1969, which
/// keeps the largest load within 4/3 of the best possible). Re-running assigns only documents not yet assigned and
/// sizes the new reliability share so that the whole project's share stays at `overlap`.
public enum AssignmentPlanner {
    public struct Request: Sendable, Equatable {
        public var coders: [String]
        /// The share of documents coded by several coders, 0…1.
        public var overlap: Double
        /// How many coders code each reliability document (nil: all of `coders`).
        public var reliabilityCoders: Int?
        /// The documents to consider (nil: all of the project's).
        public var documents: [String]?
        public var seed: UInt64

        public init(coders: [String], overlap: Double, reliabilityCoders: Int? = nil, documents: [String]? = nil,
                    seed: UInt64 = 1) {
            self.coders = coders
            self.overlap = overlap
            self.reliabilityCoders = reliabilityCoders
            self.documents = documents
            self.seed = seed
        }

        /// What is wrong with the request, in the command line's terms; nil when it can be planned.
        public var problem: String? {
            guard !coders.isEmpty else { return "--coders names nobody" }
            for name in coders {
                if let problem = Name.problem(with: name, as: .coder) { return "--coders: \(problem)" }
            }
            if let twice = Self.repeated(coders) { return "--coders names \(twice) twice" }
            guard overlap.isFinite, (0...1).contains(overlap) else {
                return "--overlap takes a share from 0 to 1, e.g. 0.2"
            }
            if overlap > 0 && coders.count < 2 {
                return "a reliability sample (--overlap above 0) needs at least two coders"
            }
            if let reliabilityCoders, !(2...max(2, coders.count)).contains(reliabilityCoders) || coders.count < 2 {
                return "--reliability-coders takes 2 to \(coders.count) (the number of coders listed)"
            }
            if documents?.isEmpty == true { return "--doc names nothing" }
            return nil
        }

        /// The first name given twice (compared exactly), or nil.
        static func repeated(_ names: [String]) -> String? {
            var seen: Set<ExactKey> = []
            return names.first { !seen.insert(ExactKey($0)).inserted }
        }
    }

    /// A plan: the new assignments and what each coder gets.
    public struct Plan: Sendable, Equatable, Codable {
        public var assignments: [Assignment]
        public var coders: [CoderLoad]
        /// Documents selected that already had coders, and were left as they are.
        public var alreadyAssigned: Int
        /// Documents of the reliability sample in the whole project after the plan, and all assigned documents.
        public var reliabilityDocuments: Int
        public var assignedDocuments: Int
        public var stored: Bool
    }

    /// One coder's share: in this plan, and in all after it.
    public struct CoderLoad: Sendable, Equatable, Codable {
        public var coder: String
        public var documents: Int
        public var codePoints: Int
        public var reliabilityDocuments: Int
        public var totalDocuments: Int
        public var totalCodePoints: Int
    }

    /// Plans the assignments of `request` for the project `reader` shows, at `time`; stores nothing.
    public static func plan(_ request: Request, reader: any ProjectReader, time: String) throws -> Plan {
        if let problem = request.problem { throw GlossError(.usage, problem) }
        let summaries = try reader.documentSummaries()
        let lengths = Dictionary(summaries.map { (ExactKey($0.externalID), $0.length) },
                                 uniquingKeysWith: { first, _ in first })
        let existing = try reader.assignments(coder: nil)
        var selected = summaries.map(\.externalID)
        if let wanted = request.documents {
            for id in wanted where lengths[ExactKey(id)] == nil {
                throw GlossError(.badData, "no document \"\(id)\"; \(NameSuggestion.hint(for: id, in: selected))")
            }
            var seen: Set<ExactKey> = []
            selected = wanted.filter { seen.insert(ExactKey($0)).inserted }
        }
        let golds = Set(try reader.goldCoderNames().map(ExactKey.init))
        if let gold = request.coders.first(where: { golds.contains(ExactKey($0)) }) {
            throw GlossError(.badData, "\(gold) is a gold coder (made by `gloss adjudicate`), "
                             + "not one to assign documents to")
        }
        let assignedDocuments = Set(existing.map { ExactKey($0.documentID) })
        // In byte order, so that the draw does not depend on the order the documents were named in.
        let fresh = selected.filter { !assignedDocuments.contains(ExactKey($0)) }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let existingReliability = Set(existing.filter { $0.role == .reliability }.map { ExactKey($0.documentID) }).count
        let perDocument = request.reliabilityCoders ?? request.coders.count
        let total = assignedDocuments.count + fresh.count
        var reliabilityCount = Int((request.overlap * Double(total)).rounded()) - existingReliability
        reliabilityCount = min(max(reliabilityCount, 0), fresh.count)
        if reliabilityCount > 0 && !(2...max(2, request.coders.count)).contains(perDocument)
            || reliabilityCount > 0 && request.coders.count < 2 {
            throw GlossError(.usage, "the reliability sample needs 2 to \(request.coders.count) coders per document "
                             + "(--reliability-coders); list at least two coders")
        }

        var generator = SplitMix64(seed: request.seed)
        var order = fresh
        if order.count > 1 {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, Int(generator.next() % UInt64(index + 1)))
            }
        }
        let reliability = Set(order.prefix(reliabilityCount).map(ExactKey.init))

        var load = Dictionary(uniqueKeysWithValues: request.coders.map { (ExactKey($0), 0) })
        for assignment in existing where load[ExactKey(assignment.coder)] != nil {
            load[ExactKey(assignment.coder), default: 0] += lengths[ExactKey(assignment.documentID)] ?? 0
        }
        func longestFirst(_ ids: [String]) -> [String] {
            ids.sorted { a, b in
                let (x, y) = (lengths[ExactKey(a)] ?? 0, lengths[ExactKey(b)] ?? 0)
                return x != y ? x > y : a.utf8.lexicographicallyPrecedes(b.utf8)
            }
        }
        /// The `count` coders with the least text so far, ties in the order listed.
        func leastLoaded(_ count: Int) -> [String] {
            request.coders.enumerated()
                .sorted { (load[ExactKey($0.element)] ?? 0, $0.offset) < (load[ExactKey($1.element)] ?? 0, $1.offset) }
                .prefix(count).map(\.element)
        }
        var assignments: [Assignment] = []
        for id in longestFirst(fresh.filter { reliability.contains(ExactKey($0)) }) {
            for coder in leastLoaded(perDocument) {
                assignments.append(Assignment(documentID: id, coder: coder, role: .reliability, assignedAt: time))
                load[ExactKey(coder), default: 0] += lengths[ExactKey(id)] ?? 0
            }
        }
        for id in longestFirst(fresh.filter { !reliability.contains(ExactKey($0)) }) {
            guard let coder = leastLoaded(1).first else { break }
            assignments.append(Assignment(documentID: id, coder: coder, role: .single, assignedAt: time))
            load[ExactKey(coder), default: 0] += lengths[ExactKey(id)] ?? 0
        }
        assignments.sort { a, b in
            a.documentID.isIdentical(to: b.documentID) ? a.coder.utf8.lexicographicallyPrecedes(b.coder.utf8)
                : a.documentID.utf8.lexicographicallyPrecedes(b.documentID.utf8)
        }

        let loads = request.coders.map { coder in
            let mine = assignments.filter { $0.coder.isIdentical(to: coder) }
            let before = existing.filter { $0.coder.isIdentical(to: coder) }
            return CoderLoad(coder: coder, documents: mine.count,
                             codePoints: mine.reduce(0) { $0 + (lengths[ExactKey($1.documentID)] ?? 0) },
                             reliabilityDocuments: mine.filter { $0.role == .reliability }.count,
                             totalDocuments: mine.count + before.count, totalCodePoints: load[ExactKey(coder)] ?? 0)
        }
        return Plan(assignments: assignments, coders: loads, alreadyAssigned: selected.count - fresh.count,
                    reliabilityDocuments: existingReliability + reliability.count, assignedDocuments: total,
                    stored: false)
    }

    /// Plans and stores the assignments in one transaction (unless `dryRun`), returning the plan.
    public static func assign(_ request: Request, store: any ProjectStore, context: ChangeContext,
                              dryRun: Bool) throws -> Plan {
        if dryRun { return try store.read { try plan(request, reader: $0, time: context.time) } }
        return try store.write { writer in
            var plan = try plan(request, reader: writer, time: context.time)
            try writer.insert(plan.assignments, context: context)
            plan.stored = true
            return plan
        }
    }
}
