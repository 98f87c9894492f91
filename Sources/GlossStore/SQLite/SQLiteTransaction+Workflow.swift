import GRDB
import GlossCore

/// Assignments and adjudication records.
extension SQLiteTransaction {
    private static let assignmentSelect = """
        SELECT d.external_id, c.name, a.role, a.assigned_at, a.started_at, a.done_at
        FROM assignment a JOIN document d ON d.id = a.document_id JOIN coder c ON c.id = a.coder_id
        """

    private static func assignment(from row: Row) throws -> Assignment {
        Assignment(documentID: row[0], coder: row[1], role: try StoredRecords.assignmentRole(row[2]),
                   assignedAt: row[3], startedAt: row[4], doneAt: row[5])
    }

    func assignments(coder: String?) throws -> [Assignment] {
        let rows: [Row]
        if let coder {
            rows = try Row.fetchAll(db, sql: Self.assignmentSelect + " WHERE c.name = ? ORDER BY d.external_id, c.name",
                                    arguments: [coder])
        } else {
            rows = try Row.fetchAll(db, sql: Self.assignmentSelect + " ORDER BY d.external_id, c.name")
        }
        return try rows.map(Self.assignment(from:))
    }

    func hasAssignments() throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM assignment)") ?? false
    }

    func insert(_ assignments: [Assignment], context: ChangeContext) throws {
        guard !assignments.isEmpty else { return }
        let statement = try db.makeStatement(sql: """
            INSERT INTO assignment (document_id, coder_id, role, assigned_at, started_at, done_at) \
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        for assignment in assignments {
            let document = try documentRowID(assignment.documentID)
            let coder = try existingCoderRowID(assignment.coder) ?? createCoder(assignment.coder, context: context)
            try statement.execute(arguments: [document, coder, assignment.role.rawValue, assignment.assignedAt,
                                              assignment.startedAt, assignment.doneAt])
        }
        try appendAudit(context, action: .create, entity: .assignment,
                        entityID: StoredRecords.assignmentsEntityID(assignments),
                        before: nil, after: StoredRecords.assignmentsJSON(assignments))
    }

    func update(_ assignment: Assignment, context: ChangeContext) throws {
        guard let before = try Row.fetchOne(db, sql: Self.assignmentSelect + " WHERE d.external_id = ? AND c.name = ?",
                                            arguments: [assignment.documentID, assignment.coder])
            .map(Self.assignment(from:)) else {
            throw GlossError(.badData, "\(assignment.coder) has no assignment for \"\(assignment.documentID)\"; "
                             + "see `gloss assignments list`")
        }
        try db.execute(sql: """
            UPDATE assignment SET started_at = ?, done_at = ?
            WHERE document_id = ? AND coder_id = (SELECT id FROM coder WHERE name = ?)
            """, arguments: [assignment.startedAt, assignment.doneAt, try documentRowID(assignment.documentID),
                             assignment.coder])
        try appendAudit(context, action: .update, entity: .assignment,
                        entityID: "\(assignment.documentID) \(assignment.coder)",
                        before: before.json.canonicalJSON, after: assignment.json.canonicalJSON)
    }

    func markStarted(documentID: String, coder: String, at time: String) throws {
        try db.execute(sql: """
            UPDATE assignment SET started_at = ?
            WHERE started_at IS NULL AND document_id = ? AND coder_id = (SELECT id FROM coder WHERE name = ?)
            """, arguments: [time, try documentRowID(documentID), coder])
    }

    private static let adjudicationSelect = """
        SELECT j.id, j.gold, d.external_id, j.layer, j.candidates, j.state, j.reason, j.decided_by, j.decided_at,
               j.gold_annotation_id, j.created_at
        FROM adjudication j JOIN document d ON d.id = j.document_id
        """

    private static func adjudication(from row: Row) throws -> Adjudication {
        try StoredRecords.adjudication(id: row[0], gold: row[1], documentID: row[2], layer: row[3], candidates: row[4],
                                       state: row[5], reason: row[6], decidedBy: row[7], decidedAt: row[8],
                                       goldAnnotationID: row[9], createdAt: row[10])
    }

    func adjudications(gold: String?, layer: String?) throws -> [Adjudication] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let gold { conditions.append("j.gold = ?"); arguments += [gold] }
        if let layer { conditions.append("j.layer = ?"); arguments += [layer] }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try Row.fetchAll(db, sql: Self.adjudicationSelect + whereClause + " ORDER BY j.id", arguments: arguments)
            .map(Self.adjudication(from:))
    }

    func adjudication(id: Int64) throws -> Adjudication? {
        try Row.fetchOne(db, sql: Self.adjudicationSelect + " WHERE j.id = ?", arguments: [id])
            .map(Self.adjudication(from:))
    }

    func goldCoderNames() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT gold FROM adjudication ORDER BY gold")
    }

    func insert(_ adjudication: Adjudication, context: ChangeContext) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO adjudication (gold, document_id, layer, candidates, state, reason, decided_by, decided_at,
                                      gold_annotation_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [adjudication.gold, try documentRowID(adjudication.documentID), adjudication.layer,
                             StoredRecords.candidatesJSON(adjudication),
                             adjudication.state.rawValue, adjudication.reason, adjudication.decidedBy,
                             adjudication.decidedAt, adjudication.goldAnnotationID, adjudication.createdAt])
        var stored = adjudication
        stored.id = db.lastInsertedRowID
        try appendAudit(context, action: .create, entity: .adjudication, entityID: String(stored.id), before: nil,
                        after: stored.json.canonicalJSON)
        return stored.id
    }

    func deleteAdjudication(id: Int64, context: ChangeContext) throws {
        guard let before = try adjudication(id: id) else {
            throw GlossError(.badData, "no conflict or adjudication \(id); see `gloss adjudicate conflicts`")
        }
        try appendAudit(context, action: .delete, entity: .adjudication, entityID: String(id),
                        before: before.json.canonicalJSON, after: nil)
        try db.execute(sql: "DELETE FROM adjudication WHERE id = ?", arguments: [id])
    }

    func update(_ adjudication: Adjudication, context: ChangeContext) throws {
        guard let before = try self.adjudication(id: adjudication.id) else {
            throw GlossError(.badData, "no conflict or adjudication \(adjudication.id); "
                             + "see `gloss adjudicate conflicts`")
        }
        try db.execute(sql: """
            UPDATE adjudication SET state = ?, reason = ?, decided_by = ?, decided_at = ?, gold_annotation_id = ? \
            WHERE id = ?
            """, arguments: [adjudication.state.rawValue, adjudication.reason, adjudication.decidedBy,
                             adjudication.decidedAt, adjudication.goldAnnotationID, adjudication.id])
        try appendAudit(context, action: .update, entity: .adjudication, entityID: String(adjudication.id),
                        before: before.json.canonicalJSON, after: adjudication.json.canonicalJSON)
    }
}
