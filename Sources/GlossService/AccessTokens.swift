import GlossCore
import GlossStore

/// Creates, checks and revokes the tokens the server's users present (`Authorization: Bearer SECRET`).
///
/// A secret is `gloss_` and 64 hexadecimal digits: 32 bytes from the system's cryptographic random source. Only its
/// SHA-256 is stored, so a copy of the database does not give anyone a usable token; the secret is shown once.
public enum AccessTokens {
    /// Creates a token for `coder` with `role` in one audited transaction; returns it with its secret.
    public static func create(coder: String, role: AccessToken.Role, store: any ProjectStore,
                              context: ChangeContext) throws -> (token: AccessToken, secret: String) {
        if let problem = Name.problem(with: coder, as: .coder) { throw GlossError(.usage, problem) }
        var generator = SystemRandomNumberGenerator()
        let secret = "gloss_" + (0..<4).map { _ in
            let word = generator.next() as UInt64
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
        var token = AccessToken(sha256: SHA256.hexDigest(of: secret), coder: coder, role: role, createdAt: context.time)
        token.id = try store.write { try $0.insert(token, context: context) }
        return (token, secret)
    }

    /// The valid token whose secret is `secret`; nil for an unknown or revoked one.
    public static func authenticate(_ secret: String, reader: any ProjectReader) throws -> AccessToken? {
        guard secret.hasPrefix("gloss_"), secret.utf8.count == 70 else { return nil }
        guard let token = try reader.accessToken(sha256: SHA256.hexDigest(of: secret)), token.revokedAt == nil else {
            return nil
        }
        return token
    }
}

/// What the holder of a token may read and write, blind coding included.
///
/// A **coder** sees only the documents assigned to them and only their own annotations, before and after
/// adjudication, and writes only as themselves. An **adjudicator** sees every coder's annotations and writes gold
/// annotations (as a gold coder named by `gloss adjudicate`, or as themselves). An **admin** may do everything.
public struct AccessPolicy: Sendable {
    public let token: AccessToken
    private let assignedDocuments: Set<ExactKey>
    private let goldCoders: Set<ExactKey>

    public init(token: AccessToken, reader: any ProjectReader) throws {
        self.token = token
        assignedDocuments = Set(try reader.assignments(coder: token.coder).map { ExactKey($0.documentID) })
        goldCoders = Set(try reader.goldCoderNames().map(ExactKey.init))
    }

    /// Whether the holder may import, register codebooks, assign and manage tokens.
    public var mayAdminister: Bool { token.role == .admin }

    /// Whether the holder may see this document (a coder: only those assigned to them).
    public func mayRead(documentID: String) -> Bool {
        token.role != .coder || assignedDocuments.contains(ExactKey(documentID))
    }

    /// Whether the holder may see this annotation (a coder: only their own, on their documents).
    public func mayRead(_ annotation: Annotation) -> Bool {
        guard token.role == .coder else { return true }
        return annotation.coder.isIdentical(to: token.coder) && mayRead(documentID: annotation.documentID)
    }

    /// Refuses (exit 77, HTTP 403) a write as `coder` on `documentID` that the role does not allow. Blind coding's
    /// assignment rules apply on top, in `AnnotationIngest`.
    public func checkWrite(as coder: String, documentID: String) throws {
        switch token.role {
        case .admin:
            return
        case .adjudicator:
            guard coder.isIdentical(to: token.coder) || goldCoders.contains(ExactKey(coder)) else {
                throw GlossError(.notPermitted, "an adjudicator writes gold annotations or their own, not \(coder)'s")
            }
        case .coder:
            guard coder.isIdentical(to: token.coder) else {
                throw GlossError(.notPermitted, "\(token.coder) may not write annotations for \(coder)")
            }
            guard mayRead(documentID: documentID) else {
                throw GlossError(.notPermitted, "document \"\(documentID)\" is not assigned to \(token.coder)")
            }
        }
    }

    /// Refuses (exit 77, HTTP 403) what only an admin may do.
    public func checkAdministration(_ what: String) throws {
        guard mayAdminister else {
            throw GlossError(.notPermitted, "only an admin token may \(what); this one is \(token.coder)'s "
                             + "(\(token.role.rawValue))")
        }
    }
}
