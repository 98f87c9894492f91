import GRDB
import GlossCore

/// Access tokens: only the SHA-256 of each secret is stored.
extension SQLiteTransaction {
    private static let tokenSelect = "SELECT id, sha256, coder, role, created_at, revoked_at FROM token"

    private static func token(from row: Row) throws -> AccessToken {
        AccessToken(id: row[0], sha256: row[1], coder: row[2], role: try StoredRecords.tokenRole(row[3], id: row[0]),
                    createdAt: row[4], revokedAt: row[5])
    }

    func accessTokens() throws -> [AccessToken] {
        try Row.fetchAll(db, sql: Self.tokenSelect + " ORDER BY id").map(Self.token(from:))
    }

    func accessToken(sha256: String) throws -> AccessToken? {
        try Row.fetchOne(db, sql: Self.tokenSelect + " WHERE sha256 = ?", arguments: [sha256]).map(Self.token(from:))
    }

    func insert(_ token: AccessToken, context: ChangeContext) throws -> Int64 {
        try db.execute(sql: "INSERT INTO token (sha256, coder, role, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [token.sha256, token.coder, token.role.rawValue, token.createdAt, token.revokedAt])
        var stored = token
        stored.id = db.lastInsertedRowID
        try appendAudit(context, action: .create, entity: .token, entityID: String(stored.id), before: nil,
                        after: stored.auditJSON.canonicalJSON)
        return stored.id
    }

    func revokeAccessToken(id: Int64, context: ChangeContext) throws -> AccessToken {
        let before = try Row.fetchOne(db, sql: Self.tokenSelect + " WHERE id = ?", arguments: [id])
            .map(Self.token(from:))
        let after = try StoredRecords.revoked(before, id: id, at: context.time)
        try db.execute(sql: "UPDATE token SET revoked_at = ? WHERE id = ?", arguments: [context.time, id])
        try appendAudit(context, action: .update, entity: .token, entityID: String(id),
                        before: before?.auditJSON.canonicalJSON, after: after.auditJSON.canonicalJSON)
        return after
    }
}
