import GlossCore
import PostgresNIO

/// Assignments, adjudication records and access tokens.
extension PostgresTransaction {
    private static let assignmentSelect = """
        SELECT d.external_id, c.name, a.role, a.assigned_at, a.started_at, a.done_at
        FROM assignment a JOIN document d ON d.id = a.document_id JOIN coder c ON c.id = a.coder_id
        """

    private static func assignment(from row: PostgresRandomAccessRow) throws -> Assignment {
        Assignment(documentID: try row.text(0), coder: try row.text(1),
                   role: try StoredRecords.assignmentRole(try row.text(2)), assignedAt: try row.text(3),
                   startedAt: try row.optionalText(4), doneAt: try row.optionalText(5))
    }

    func assignments(coder: String?) throws -> [Assignment] {
        let order = " ORDER BY d.external_id, c.name"
        let rows = if let coder {
            try session.rows(Self.assignmentSelect + " WHERE c.name = $1" + order, [.text(coder)])
        } else {
            try session.rows(Self.assignmentSelect + order)
        }
        return try rows.map(Self.assignment(from:))
    }

    func hasAssignments() throws -> Bool {
        try session.integer("SELECT COUNT(*) FROM (SELECT 1 FROM assignment LIMIT 1) AS one") == 1
    }

    func insert(_ assignments: [Assignment], context: ChangeContext) throws {
        guard !assignments.isEmpty else { return }
        for assignment in assignments {
            let document = try documentRowID(assignment.documentID)
            let coder = try existingCoderRowID(assignment.coder) ?? createCoder(assignment.coder, context: context)
            try session.execute("""
                INSERT INTO assignment (document_id, coder_id, role, assigned_at, started_at, done_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                """, [.integer(document), .integer(coder), .text(assignment.role.rawValue),
                      .text(assignment.assignedAt), StoredValue(assignment.startedAt), StoredValue(assignment.doneAt)])
        }
        try appendAudit(context, action: .create, entity: .assignment,
                        entityID: StoredRecords.assignmentsEntityID(assignments),
                        before: nil, after: StoredRecords.assignmentsJSON(assignments))
    }

    func update(_ assignment: Assignment, context: ChangeContext) throws {
        guard let before = try session.rows(Self.assignmentSelect + " WHERE d.external_id = $1 AND c.name = $2",
                                            [.text(assignment.documentID), .text(assignment.coder)])
            .first.map(Self.assignment(from:)) else {
            throw GlossError(.badData, "\(assignment.coder) has no assignment for \"\(assignment.documentID)\"; "
                             + "see `gloss assignments list`")
        }
        try session.execute("""
            UPDATE assignment SET started_at = $1, done_at = $2
            WHERE document_id = $3 AND coder_id = (SELECT id FROM coder WHERE name = $4)
            """, [StoredValue(assignment.startedAt), StoredValue(assignment.doneAt),
                  .integer(try documentRowID(assignment.documentID)), .text(assignment.coder)])
        try appendAudit(context, action: .update, entity: .assignment,
                        entityID: "\(assignment.documentID) \(assignment.coder)",
                        before: before.json.canonicalJSON, after: assignment.json.canonicalJSON)
    }

    func markStarted(documentID: String, coder: String, at time: String) throws {
        try session.execute("""
            UPDATE assignment SET started_at = $1
            WHERE started_at IS NULL AND document_id = $2 AND coder_id = (SELECT id FROM coder WHERE name = $3)
            """, [.text(time), .integer(try documentRowID(documentID)), .text(coder)])
    }

    private static let adjudicationSelect = """
        SELECT j.id, j.gold, d.external_id, j.layer, j.candidates, j.state, j.reason, j.decided_by, j.decided_at,
               j.gold_annotation_id, j.created_at
        FROM adjudication j JOIN document d ON d.id = j.document_id
        """

    private static func adjudication(from row: PostgresRandomAccessRow) throws -> Adjudication {
        try StoredRecords.adjudication(id: try row.integer(0), gold: try row.text(1), documentID: try row.text(2),
                                       layer: try row.text(3), candidates: try row.text(4), state: try row.text(5),
                                       reason: try row.optionalText(6), decidedBy: try row.optionalText(7),
                                       decidedAt: try row.optionalText(8), goldAnnotationID: try row.optionalInteger(9),
                                       createdAt: try row.text(10))
    }

    func adjudications(gold: String?, layer: String?) throws -> [Adjudication] {
        var conditions: [String] = []
        var values: [StoredValue] = []
        for (column, value) in [("j.gold", gold), ("j.layer", layer)] {
            guard let value else { continue }
            values.append(.text(value))
            conditions.append("\(column) = $\(values.count)")
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try session.rows(Self.adjudicationSelect + whereClause + " ORDER BY j.id", values)
            .map(Self.adjudication(from:))
    }

    func adjudication(id: Int64) throws -> Adjudication? {
        try session.rows(Self.adjudicationSelect + " WHERE j.id = $1", [.integer(id)]).first
            .map(Self.adjudication(from:))
    }

    func goldCoderNames() throws -> [String] {
        try session.rows("SELECT DISTINCT gold FROM adjudication ORDER BY gold").map { try $0.text(0) }
    }

    func insert(_ adjudication: Adjudication, context: ChangeContext) throws -> Int64 {
        guard let id = try session.integer("""
            INSERT INTO adjudication (gold, document_id, layer, candidates, state, reason, decided_by, decided_at,
                                      gold_annotation_id, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id
            """, [.text(adjudication.gold), .integer(try documentRowID(adjudication.documentID)),
                  .text(adjudication.layer), .text(StoredRecords.candidatesJSON(adjudication)),
                  .text(adjudication.state.rawValue), StoredValue(adjudication.reason),
                  StoredValue(adjudication.decidedBy), StoredValue(adjudication.decidedAt),
                  StoredValue(adjudication.goldAnnotationID), .text(adjudication.createdAt)]) else {
            throw GlossError(.ioFailure, "the database did not return the new adjudication record's id")
        }
        var stored = adjudication
        stored.id = id
        try appendAudit(context, action: .create, entity: .adjudication, entityID: String(id), before: nil,
                        after: stored.json.canonicalJSON)
        return id
    }

    func deleteAdjudication(id: Int64, context: ChangeContext) throws {
        guard let before = try adjudication(id: id) else {
            throw GlossError(.badData, "no conflict or adjudication \(id); see `gloss adjudicate conflicts`")
        }
        try appendAudit(context, action: .delete, entity: .adjudication, entityID: String(id),
                        before: before.json.canonicalJSON, after: nil)
        try session.execute("DELETE FROM adjudication WHERE id = $1", [.integer(id)])
    }

    func update(_ adjudication: Adjudication, context: ChangeContext) throws {
        guard let before = try self.adjudication(id: adjudication.id) else {
            throw GlossError(.badData, "no conflict or adjudication \(adjudication.id); "
                             + "see `gloss adjudicate conflicts`")
        }
        try session.execute("""
            UPDATE adjudication SET state = $1, reason = $2, decided_by = $3, decided_at = $4, gold_annotation_id = $5
            WHERE id = $6
            """, [.text(adjudication.state.rawValue), StoredValue(adjudication.reason),
                  StoredValue(adjudication.decidedBy), StoredValue(adjudication.decidedAt),
                  StoredValue(adjudication.goldAnnotationID), .integer(adjudication.id)])
        try appendAudit(context, action: .update, entity: .adjudication, entityID: String(adjudication.id),
                        before: before.json.canonicalJSON, after: adjudication.json.canonicalJSON)
    }

    // MARK: Access tokens: only the SHA-256 of each secret is stored.

    private static let tokenSelect = "SELECT id, sha256, coder, role, created_at, revoked_at FROM token"

    private static func token(from row: PostgresRandomAccessRow) throws -> AccessToken {
        let id = try row.integer(0)
        return AccessToken(id: id, sha256: try row.text(1), coder: try row.text(2),
                           role: try StoredRecords.tokenRole(try row.text(3), id: id), createdAt: try row.text(4),
                           revokedAt: try row.optionalText(5))
    }

    func accessTokens() throws -> [AccessToken] {
        try session.rows(Self.tokenSelect + " ORDER BY id").map(Self.token(from:))
    }

    func accessToken(sha256: String) throws -> AccessToken? {
        try session.rows(Self.tokenSelect + " WHERE sha256 = $1", [.text(sha256)]).first.map(Self.token(from:))
    }

    func insert(_ token: AccessToken, context: ChangeContext) throws -> Int64 {
        guard let id = try session.integer("""
            INSERT INTO token (sha256, coder, role, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5) RETURNING id
            """, [.text(token.sha256), .text(token.coder), .text(token.role.rawValue), .text(token.createdAt),
                  StoredValue(token.revokedAt)]) else {
            throw GlossError(.ioFailure, "the database did not return the new token's id")
        }
        var stored = token
        stored.id = id
        try appendAudit(context, action: .create, entity: .token, entityID: String(id), before: nil,
                        after: stored.auditJSON.canonicalJSON)
        return id
    }

    func revokeAccessToken(id: Int64, context: ChangeContext) throws -> AccessToken {
        let before = try session.rows(Self.tokenSelect + " WHERE id = $1", [.integer(id)]).first.map(Self.token(from:))
        let after = try StoredRecords.revoked(before, id: id, at: context.time)
        try session.execute("UPDATE token SET revoked_at = $1 WHERE id = $2", [.text(context.time), .integer(id)])
        try appendAudit(context, action: .update, entity: .token, entityID: String(id),
                        before: before?.auditJSON.canonicalJSON, after: after.auditJSON.canonicalJSON)
        return after
    }
}
