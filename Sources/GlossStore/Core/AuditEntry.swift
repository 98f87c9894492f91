import GlossCore

/// One change recorded in the append-only audit log: who changed what, when, and how.
public struct AuditEntry: Sendable, Equatable {
    public enum Action: String, Sendable {
        case create, update, delete
    }

    public enum Entity: String, Sendable {
        case document, coder, annotation, codebook, assignment, adjudication, token
    }

    /// Assigned by the store; 0 for an entry not yet appended.
    public var id: Int64
    /// When the change happened (RFC 3339, UTC).
    public var at: String
    /// Who made the change (the `--actor` option, `GLOSS_ACTOR`, or the login name).
    public var actor: String
    public var action: Action
    public var entity: Entity
    /// The annotation id, the document's external id, the coder's name, or `codebook@version`. An entry for a command that created several
    /// annotations from one source names them all, as ranges in creation order (`1-3,7,9-12`).
    public var entityID: String
    /// The command and input that made the change, e.g. `import annotations alice.jsonl`.
    public var source: String
    /// The entity before the change as a native JSON line, nil for a creation.
    public var before: String?
    /// The entity after the change as a native JSON line, nil for a deletion. For several annotations
    /// created at once, `{"count":N,"ids":"1-3,7"}`: each one's state at creation is its revision 1.
    public var after: String?

    public init(id: Int64 = 0, at: String, actor: String, action: Action, entity: Entity, entityID: String,
                source: String, before: String?, after: String?) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.source = source
        self.before = before
        self.after = after
    }
}
