/// One coder's assignment to code one document.
///
/// A document of the reliability sample is assigned to several coders, who code it independently; every other
/// document to one coder. The state follows the coder's work: `assigned`, `in_progress` from the coder's first
/// annotation of the document, `done` once the coder marks it done (until reopened).
public struct Assignment: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable, CaseIterable {
        case reliability, single
    }

    public enum State: String, Sendable, Codable, CaseIterable {
        case assigned
        case inProgress = "in_progress"
        case done
    }

    /// The document's external id.
    public var documentID: String
    public var coder: String
    public var role: Role
    public var assignedAt: String
    /// When the coder first annotated the document, nil before.
    public var startedAt: String?
    /// When the coder marked the document done, nil when not done (or reopened).
    public var doneAt: String?

    public init(documentID: String, coder: String, role: Role, assignedAt: String, startedAt: String? = nil,
                doneAt: String? = nil) {
        self.documentID = documentID
        self.coder = coder
        self.role = role
        self.assignedAt = assignedAt
        self.startedAt = startedAt
        self.doneAt = doneAt
    }

    public var state: State {
        if doneAt != nil { return .done }
        return startedAt != nil ? .inProgress : .assigned
    }

    /// The same fields as `json`: `document`, `coder`, `role`, `state`, `assigned`, `started`, `done`.
    private enum CodingKeys: String, CodingKey {
        case documentID = "document", coder, role, state
        case assignedAt = "assigned", startedAt = "started", doneAt = "done"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(documentID: try container.decode(String.self, forKey: .documentID),
                  coder: try container.decode(String.self, forKey: .coder),
                  role: try container.decode(Role.self, forKey: .role),
                  assignedAt: try container.decode(String.self, forKey: .assignedAt),
                  startedAt: try container.decodeIfPresent(String.self, forKey: .startedAt),
                  doneAt: try container.decodeIfPresent(String.self, forKey: .doneAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(documentID, forKey: .documentID)
        try container.encode(coder, forKey: .coder)
        try container.encode(role, forKey: .role)
        try container.encode(state, forKey: .state)
        try container.encode(assignedAt, forKey: .assignedAt)
        try container.encodeIfPresent(startedAt, forKey: .startedAt)
        try container.encodeIfPresent(doneAt, forKey: .doneAt)
    }

    /// The assignment as one JSON object (the audit log's form, and `assignments list --format jsonl`).
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "document": .string(documentID), "coder": .string(coder), "role": .string(role.rawValue),
            "state": .string(state.rawValue), "assigned": .string(assignedAt),
        ]
        if let startedAt { object["started"] = .string(startedAt) }
        if let doneAt { object["done"] = .string(doneAt) }
        return .object(object)
    }
}
