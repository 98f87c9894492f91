/// One match of the coders' spans considered when adjudicating a layer into a gold coder, and what became of it.
///
/// A match the rule decides is `merged` into one gold annotation; any other is a conflict, `open` until a person
/// accepts one candidate into gold (`accepted`) or rejects them all (`rejected`). Each source annotation is
/// considered once per gold coder and layer, so re-running adjudication keeps every earlier decision.
public struct Adjudication: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case merged, open, accepted, rejected
    }

    /// Assigned by the store; 0 before.
    public var id: Int64
    /// The gold coder's name.
    public var gold: String
    public var documentID: String
    public var layer: String
    /// The ids of the coders' annotations in the match.
    public var candidates: [Int64]
    public var state: State
    /// Why the rule did not decide (for a conflict), nil for a merge.
    public var reason: String?
    /// The rule (`unanimous`, `majority`) or the person that decided; nil while open.
    public var decidedBy: String?
    public var decidedAt: String?
    /// The gold annotation made from the match, if any.
    public var goldAnnotationID: Int64?
    public var createdAt: String

    public init(id: Int64 = 0, gold: String, documentID: String, layer: String, candidates: [Int64], state: State,
                reason: String? = nil, decidedBy: String? = nil, decidedAt: String? = nil,
                goldAnnotationID: Int64? = nil, createdAt: String) {
        self.id = id
        self.gold = gold
        self.documentID = documentID
        self.layer = layer
        self.candidates = candidates
        self.state = state
        self.reason = reason
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.goldAnnotationID = goldAnnotationID
        self.createdAt = createdAt
    }

    /// The record as one JSON object (the audit log's form).
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(Int(id)), "gold": .string(gold), "document": .string(documentID), "layer": .string(layer),
            "candidates": .array(candidates.map { .integer(Int($0)) }), "state": .string(state.rawValue),
            "created": .string(createdAt),
        ]
        if let reason { object["reason"] = .string(reason) }
        if let decidedBy { object["decided_by"] = .string(decidedBy) }
        if let decidedAt { object["decided_at"] = .string(decidedAt) }
        if let goldAnnotationID { object["gold_annotation"] = .integer(Int(goldAnnotationID)) }
        return .object(object)
    }
}
