import GlossCore

/// Blind coding: once a project has assignments, a coder writes only on the documents assigned to them and not
/// marked done, so that coders of the reliability sample code independently.
///
/// Gold coders (named by `gloss adjudicate --gold`) are exempt: adjudicators write on the reliability documents.
/// A coder's first write on an assigned document records when they started it. The rule binds every command
/// that goes through `AnnotationIngest`; someone who opens the SQLite file directly is not stopped (the server
/// enforces it for remote coders).
struct BlindCoding {
    private let isActive: Bool
    /// The assignments of each coder who has written in this transaction, read when the coder first writes (not
    /// the whole table: one write on a large project reads only its coder's rows).
    private var assignments: [ExactKey: [ExactKey: Assignment]] = [:]
    private let goldCoders: Set<ExactKey>
    private let allowsUnassigned: Bool
    /// Pairs already checked (and marked started) in this transaction.
    private var permitted: Set<PairKey> = []

    init(reader: any ProjectReader, allowsUnassigned: Bool) throws {
        isActive = try reader.hasAssignments()
        goldCoders = Set(try reader.goldCoderNames().map(ExactKey.init))
        self.allowsUnassigned = allowsUnassigned
    }

    /// Whether `coder` is a gold coder (named by `gloss adjudicate --gold`).
    func isGold(_ coder: String) -> Bool { goldCoders.contains(ExactKey(coder)) }

    /// Refuses (exit 77) a write by `coder` on `documentID` that the assignments do not allow.
    mutating func permit(coder: String, documentID: String, writer: any ProjectWriter, time: String) throws {
        guard isActive else { return }
        let key = PairKey(documentID, coder)
        guard !permitted.contains(key) else { return }
        if goldCoders.contains(ExactKey(coder)) {
            permitted.insert(key)
            return
        }
        if assignments[key.coder] == nil {
            let own = try writer.assignments(coder: coder)
            assignments[key.coder] = Dictionary(own.map { (ExactKey($0.documentID), $0) },
                                                uniquingKeysWith: { first, _ in first })
        }
        guard let assignment = assignments[key.coder]?[key.document] else {
            guard allowsUnassigned else {
                throw GlossError(.notPermitted, "coder \(coder) is not assigned document \"\(documentID)\" "
                                 + "(blind coding: see `gloss assignments list --coder \(coder)`); "
                                 + "pass --allow-unassigned to write anyway")
            }
            permitted.insert(key)
            return
        }
        if assignment.state == .done && !allowsUnassigned {
            throw GlossError(.notPermitted, "coder \(coder) marked document \"\(documentID)\" done; reopen it first "
                             + "with `gloss reopen \(documentID) --coder \(coder)`, or pass --allow-unassigned")
        }
        if assignment.startedAt == nil { try writer.markStarted(documentID: documentID, coder: coder, at: time) }
        permitted.insert(key)
    }

    private struct PairKey: Hashable {
        let document: ExactKey
        let coder: ExactKey

        init(_ document: String, _ coder: String) {
            self.document = ExactKey(document)
            self.coder = ExactKey(coder)
        }
    }
}
