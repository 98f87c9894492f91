/// A token that lets a person use the server as a coder, an adjudicator or an administrator.
///
/// Only the SHA-256 of the token's secret is kept; the secret is shown once, when the token is created.
public struct AccessToken: Sendable, Equatable, Codable {
    /// What a token may do.
    public enum Role: String, Sendable, Codable, CaseIterable {
        /// Reads the documents assigned to the coder and writes and reads only the coder's own annotations.
        case coder
        /// Reads every coder's annotations and writes gold annotations.
        case adjudicator
        /// Everything an adjudicator may, and also imports, registers codebooks, assigns and manages tokens.
        case admin
    }

    /// Assigned by the store; 0 before.
    public var id: Int64
    /// The hexadecimal SHA-256 of the secret.
    public var sha256: String
    /// The coder the token acts as.
    public var coder: String
    public var role: Role
    public var createdAt: String
    /// When the token was revoked, nil while it is valid.
    public var revokedAt: String?

    public init(id: Int64 = 0, sha256: String, coder: String, role: Role, createdAt: String, revokedAt: String? = nil) {
        self.id = id
        self.sha256 = sha256
        self.coder = coder
        self.role = role
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// The token as the audit log records it: never the secret, and only the start of its hash.
    public var auditJSON: JSONValue {
        var object: [String: JSONValue] = [
            "id": .integer(Int(id)), "coder": .string(coder), "role": .string(role.rawValue),
            "created": .string(createdAt), "sha256_prefix": .string(String(sha256.prefix(12))),
        ]
        if let revokedAt { object["revoked"] = .string(revokedAt) }
        return .object(object)
    }
}
