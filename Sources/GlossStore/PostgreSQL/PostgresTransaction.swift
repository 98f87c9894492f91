import GlossCore
import PostgresNIO

/// Reads and writes of one PostgreSQL transaction, with the same statements and audit entries as
/// `SQLiteTransaction` in PostgreSQL's dialect.
final class PostgresTransaction: ProjectWriter {
    let session: PostgresSession
    private var coderRowIDs: [ExactKey: Int64] = [:]
    private var documentRowIDs: [ExactKey: Int64] = [:]
    /// Annotations created in this transaction whose audit entries are still to be written, by context.
    private var unauditedCreations: [(context: ChangeContext, ids: [Int64])] = []

    init(_ session: PostgresSession) { self.session = session }

    // MARK: Reading

    func documentSummaries() throws -> [DocumentSummary] {
        try session.rows("""
            SELECT d.external_id, d.title, d.outlet, d.url, d.published, d.sha256, d.imported_at, d.length,
                   (SELECT COUNT(*) FROM annotation a WHERE a.document_id = d.id) AS annotation_count
            FROM document d ORDER BY d.external_id
            """).map { row in
            DocumentSummary(externalID: try row.text(0), title: try row.text(1), outlet: try row.optionalText(2),
                            url: try row.optionalText(3), published: try row.optionalText(4), sha256: try row.text(5),
                            importedAt: try row.text(6), length: try row.int(7), annotationCount: try row.int(8))
        }
    }

    private static let documentColumns = "external_id, title, outlet, url, published, text, sha256, imported_at"

    private static func document(from row: PostgresRandomAccessRow) throws -> Document {
        Document(externalID: try row.text(0), title: try row.text(1), outlet: try row.optionalText(2),
                 url: try row.optionalText(3), published: try row.optionalText(4), text: try row.text(5),
                 sha256: try row.text(6), importedAt: try row.text(7))
    }

    func document(externalID: String) throws -> Document? {
        try session.rows("SELECT \(Self.documentColumns) FROM document WHERE external_id = $1", [.text(externalID)])
            .first.map(Self.document(from:))
    }

    func documentRevisions(externalID: String) throws -> [DocumentRevision] {
        guard let current = try session.rows("""
            SELECT id, revision, text, sha256, imported_at FROM document WHERE external_id = $1
            """, [.text(externalID)]).first else { return [] }
        let earlier = try session.rows("""
            SELECT revision, text, sha256, imported_at, replaced_at FROM document_revision WHERE document_id = $1
            ORDER BY revision
            """, [.integer(try current.integer(0))]).map {
            DocumentRevision(revision: try $0.int(0), text: try $0.text(1), sha256: try $0.text(2),
                             importedAt: try $0.text(3), replacedAt: try $0.optionalText(4))
        }
        return earlier + [DocumentRevision(revision: try current.int(1), text: try current.text(2),
                                           sha256: try current.text(3), importedAt: try current.text(4),
                                           replacedAt: nil)]
    }

    func forEachDocument(_ body: (Document) throws -> Void) throws {
        try session.forEachRow("SELECT \(Self.documentColumns) FROM document ORDER BY external_id", batch: 100) {
            try body(try Self.document(from: $0))
        }
    }

    private static let annotationSelect = """
        SELECT a.id, d.external_id, c.name, a.layer, a.start, a."end", a.quote, a.features, a.created_at,
               a.updated_at, a.revision, a.codebook_id, a.codebook_version, a.needs_recoding, a.provenance
        FROM annotation a JOIN document d ON d.id = a.document_id JOIN coder c ON c.id = a.coder_id
        """

    private static func annotation(from row: PostgresRandomAccessRow) throws -> Annotation {
        try StoredRecords.annotation(id: try row.integer(0), documentID: try row.text(1), coder: try row.text(2),
                                     layer: try row.text(3), start: try row.int(4), end: try row.int(5),
                                     quote: try row.text(6), features: try row.text(7), createdAt: try row.text(8),
                                     updatedAt: try row.text(9), revision: try row.int(10),
                                     codebookID: try row.optionalText(11), codebookVersion: try row.optionalInt(12),
                                     needsRecoding: try row.optionalText(13), provenance: try row.optionalText(14))
    }

    func annotation(id: Int64) throws -> Annotation? {
        try session.rows(Self.annotationSelect + " WHERE a.id = $1", [.integer(id)]).first.map(Self.annotation(from:))
    }

    func forEachAnnotation(matching filter: AnnotationFilter, _ body: (Annotation) throws -> Void) throws {
        var conditions: [String] = []
        var values: [StoredValue] = []
        func condition(_ column: String, _ value: String?) {
            guard let value else { return }
            values.append(.text(value))
            conditions.append("\(column) = $\(values.count)")
        }
        condition("d.external_id", filter.documentID)
        condition("c.name", filter.coder)
        condition("a.layer", filter.layer)
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        try session.forEachRow(Self.annotationSelect + whereClause + " ORDER BY a.id", values) {
            try body(try Self.annotation(from: $0))
        }
    }

    func coderNames() throws -> [String] {
        try session.rows("SELECT name FROM coder ORDER BY id").map { try $0.text(0) }
    }

    func annotatedLayerNames() throws -> [String] {
        try session.rows("SELECT DISTINCT layer FROM annotation ORDER BY layer").map { try $0.text(0) }
    }

    func auditEntries(limit: Int?) throws -> [AuditEntry] {
        let select = "SELECT id, at, actor, action, entity, entity_id, source, before, after FROM audit_log"
        let rows = if let limit {
            try session.rows("SELECT * FROM (\(select) ORDER BY id DESC LIMIT $1) AS newest ORDER BY id",
                             [.integer(Int64(limit))])
        } else {
            try session.rows(select + " ORDER BY id")
        }
        return try rows.map { row in
            try StoredRecords.auditEntry(id: try row.integer(0), at: try row.text(1), actor: try row.text(2),
                                         action: try row.text(3), entity: try row.text(4), entityID: try row.text(5),
                                         source: try row.text(6), before: try row.optionalText(7),
                                         after: try row.optionalText(8))
        }
    }

    func registeredCodebooks() throws -> [RegisteredCodebook] {
        try session.rows("SELECT id, version, title, source, sha256, file, added_at FROM codebook ORDER BY id, version")
            .map {
                RegisteredCodebook(id: try $0.text(0), version: try $0.int(1), title: try $0.text(2),
                                   source: try $0.text(3), sha256: try $0.text(4), file: try $0.text(5),
                                   addedAt: try $0.text(6))
            }
    }

    func overlappingAnnotationIDs(with annotation: Annotation) throws -> [Int64] {
        try session.rows("""
            SELECT a.id FROM annotation a JOIN document d ON d.id = a.document_id JOIN coder c ON c.id = a.coder_id
            WHERE d.external_id = $1 AND c.name = $2 AND a.layer = $3 AND a.start < $4 AND a."end" > $5
              AND a.id != $6 AND a.start < a."end"
            ORDER BY a.id
            """, [.text(annotation.documentID), .text(annotation.coder), .text(annotation.layer),
                  StoredValue(annotation.span.end), StoredValue(annotation.span.start), .integer(annotation.id)])
            .map { try $0.integer(0) }
    }

    // MARK: Writing

    func insert(_ document: Document, context: ChangeContext) throws {
        let id = try session.integer("""
            INSERT INTO document (external_id, title, outlet, url, published, text, sha256, length, imported_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id
            """, [.text(document.externalID), .text(document.title), StoredValue(document.outlet),
                  StoredValue(document.url), StoredValue(document.published), .text(document.text),
                  .text(document.sha256), StoredValue(document.text.unicodeScalars.count), .text(document.importedAt)])
        documentRowIDs[ExactKey(document.externalID)] = id
        try appendAudit(context, action: .create, entity: .document, entityID: document.externalID,
                        before: nil, after: document.nativeJSONLine(includingText: false))
    }

    func replace(_ document: Document, context: ChangeContext) throws -> Int {
        guard let before = try self.document(externalID: document.externalID),
              let row = try session.rows("SELECT id, revision FROM document WHERE external_id = $1",
                                         [.text(document.externalID)]).first else {
            throw GlossError(.badData, "there is no document \"\(document.externalID)\" to update")
        }
        let rowID = try row.integer(0), revision = try row.int(1)
        try session.execute("""
            INSERT INTO document_revision (document_id, revision, text, sha256, imported_at, replaced_at)
            VALUES ($1, $2, $3, $4, $5, $6)
            """, [.integer(rowID), StoredValue(revision), .text(before.text), .text(before.sha256),
                  .text(before.importedAt), .text(context.time)])
        try session.execute("""
            UPDATE document SET title = $1, outlet = $2, url = $3, published = $4, text = $5, sha256 = $6,
                                length = $7, imported_at = $8, revision = $9
            WHERE id = $10
            """, [.text(document.title), StoredValue(document.outlet), StoredValue(document.url),
                  StoredValue(document.published), .text(document.text), .text(document.sha256),
                  StoredValue(document.text.unicodeScalars.count), .text(document.importedAt),
                  StoredValue(revision + 1), .integer(rowID)])
        try appendAudit(context, action: .update, entity: .document, entityID: document.externalID,
                        before: before.nativeJSONLine(includingText: false),
                        after: document.nativeJSONLine(includingText: false))
        return revision + 1
    }

    func updateMetadata(_ document: Document, context: ChangeContext) throws {
        guard let before = try self.document(externalID: document.externalID) else {
            throw GlossError(.badData, "there is no document \"\(document.externalID)\"; list them with "
                             + "`gloss docs list`")
        }
        try session.execute("""
            UPDATE document SET title = $1, outlet = $2, url = $3, published = $4 WHERE external_id = $5
            """,
                            [.text(document.title), StoredValue(document.outlet), StoredValue(document.url),
                             StoredValue(document.published), .text(document.externalID)])
        try appendAudit(context, action: .update, entity: .document, entityID: document.externalID,
                        before: before.nativeJSONLine(includingText: false),
                        after: document.nativeJSONLine(includingText: false))
    }

    func insert(_ annotation: Annotation, context: ChangeContext) throws -> (id: Int64, isNew: Bool) {
        let documentRowID = try documentRowID(annotation.documentID)
        let features = JSONValue.object(annotation.features).canonicalJSON
        let existingCoder = try existingCoderRowID(annotation.coder)
        if annotation.id == 0, let coderRowID = existingCoder, let identical = try session.integer("""
            SELECT id FROM annotation
            WHERE document_id = $1 AND coder_id = $2 AND layer = $3 AND start = $4 AND "end" = $5 AND features = $6
            ORDER BY id LIMIT 1
            """, [.integer(documentRowID), .integer(coderRowID), .text(annotation.layer),
                  StoredValue(annotation.span.start), StoredValue(annotation.span.end), .text(features)]) {
            return (identical, false)
        }
        let coderRowID = try existingCoder ?? createCoder(annotation.coder, context: context)
        let values: [StoredValue] = [
            .integer(documentRowID), .integer(coderRowID), .text(annotation.layer), StoredValue(annotation.span.start),
            StoredValue(annotation.span.end), .text(annotation.quote), .text(features), .text(annotation.createdAt),
            .text(annotation.updatedAt), StoredValue(annotation.revision), StoredValue(annotation.codebook?.id),
            StoredValue(annotation.codebook?.version), StoredValue(annotation.needsRecoding),
            StoredValue(annotation.provenance?.canonicalJSON),
        ]
        let columns = "document_id, coder_id, layer, start, \"end\", quote, features, created_at, updated_at, "
            + "revision, codebook_id, codebook_version, needs_recoding, provenance"
        let id: Int64?
        if annotation.id == 0 {
            id = try session.integer("INSERT INTO annotation (\(columns)) VALUES "
                                    + "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                                    values)
        } else {
            id = try session.integer("INSERT INTO annotation (id, \(columns)) VALUES "
                                    + "($15, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                                    values + [.integer(annotation.id)])
            try raiseNextID(of: .annotation, above: annotation.id)
        }
        guard let id else { throw GlossError(.ioFailure, "the database did not return the new annotation's id") }
        if let last = unauditedCreations.last, last.context == context {
            unauditedCreations[unauditedCreations.count - 1].ids.append(id)
        } else {
            unauditedCreations.append((context, [id]))
        }
        return (id, true)
    }

    /// Moves a table's identity past `id`, which was stored explicitly: PostgreSQL, unlike SQLite, does not.
    func raiseNextID(of table: ProjectTable, above id: Int64) throws {
        try session.execute("""
            SELECT setval(pg_get_serial_sequence($1, 'id'),
                          GREATEST($2, COALESCE(pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass), 0)))
            """, [.text(table.rawValue), .integer(id)])
    }

    /// Writes the audit entries of the annotations created so far, as `SQLiteTransaction.writePendingAudit` does.
    func writePendingAudit() throws {
        let pending = unauditedCreations
        unauditedCreations.removeAll()
        for (context, ids) in pending {
            if ids.count == 1, let created = try annotation(id: ids[0]) {
                try insertAuditRow(context, action: .create, entity: .annotation, entityID: String(created.id),
                                   before: nil, after: created.nativeJSONLine)
            } else {
                try insertAuditRow(context, action: .create, entity: .annotation,
                                   entityID: StoredRecords.ranges(of: ids), before: nil,
                                   after: StoredRecords.createdAnnotationsJSON(ids))
            }
        }
    }

    func deleteAnnotation(id: Int64, context: ChangeContext) throws -> Annotation {
        guard let annotation = try annotation(id: id) else {
            throw GlossError(.badData, "no annotation with id \(id); list ids with `gloss annotations list`")
        }
        try appendAudit(context, action: .delete, entity: .annotation, entityID: String(id),
                        before: annotation.nativeJSONLine, after: nil)
        try session.execute("DELETE FROM annotation WHERE id = $1", [.integer(id)])
        return annotation
    }

    func update(_ annotation: Annotation, context: ChangeContext) throws {
        guard let before = try self.annotation(id: annotation.id) else {
            throw GlossError(.badData, "no annotation with id \(annotation.id); list ids with `gloss annotations list`")
        }
        try session.execute("""
            UPDATE annotation SET layer = $1, start = $2, "end" = $3, quote = $4, features = $5, created_at = $6,
                updated_at = $7, revision = $8, codebook_id = $9, codebook_version = $10, needs_recoding = $11,
                provenance = $12
            WHERE id = $13
            """, [.text(annotation.layer), StoredValue(annotation.span.start), StoredValue(annotation.span.end),
                  .text(annotation.quote), .text(JSONValue.object(annotation.features).canonicalJSON),
                  .text(annotation.createdAt), .text(annotation.updatedAt), StoredValue(annotation.revision),
                  StoredValue(annotation.codebook?.id), StoredValue(annotation.codebook?.version),
                  StoredValue(annotation.needsRecoding), StoredValue(annotation.provenance?.canonicalJSON),
                  .integer(annotation.id)])
        try appendAudit(context, action: .update, entity: .annotation, entityID: String(annotation.id),
                        before: before.nativeJSONLine, after: annotation.nativeJSONLine)
    }

    func register(_ codebook: RegisteredCodebook, context: ChangeContext) throws {
        try session.execute("""
            INSERT INTO codebook (id, version, title, source, sha256, file, added_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, [.text(codebook.id), StoredValue(codebook.version), .text(codebook.title), .text(codebook.source),
                  .text(codebook.sha256), .text(codebook.file), .text(codebook.addedAt)])
        try appendAudit(context, action: .create, entity: .codebook, entityID: "\(codebook.id)@\(codebook.version)",
                        before: nil, after: StoredRecords.codebookJSON(codebook))
    }

    func appendAudit(_ context: ChangeContext, action: AuditEntry.Action, entity: AuditEntry.Entity, entityID: String,
                     before: String?, after: String?) throws {
        try writePendingAudit()
        try insertAuditRow(context, action: action, entity: entity, entityID: entityID, before: before, after: after)
    }

    private func insertAuditRow(_ context: ChangeContext, action: AuditEntry.Action, entity: AuditEntry.Entity,
                                entityID: String, before: String?, after: String?) throws {
        try session.execute("""
            INSERT INTO audit_log (at, actor, action, entity, entity_id, source, before, after)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
            """, [.text(context.time), .text(context.actor), .text(action.rawValue), .text(entity.rawValue),
                  .text(entityID), .text(context.source), StoredValue(before), StoredValue(after)])
    }

    // MARK: Id caches

    func documentRowID(_ externalID: String) throws -> Int64 {
        let key = ExactKey(externalID)
        if let id = documentRowIDs[key] { return id }
        guard let id = try session.integer("SELECT id FROM document WHERE external_id = $1",
                                          [.text(externalID)]) else {
            throw GlossError(.badData, "unknown document \"\(externalID)\"; import it first with `gloss import docs`")
        }
        documentRowIDs[key] = id
        return id
    }

    func existingCoderRowID(_ name: String) throws -> Int64? {
        let key = ExactKey(name)
        if let id = coderRowIDs[key] { return id }
        let id = try session.integer("SELECT id FROM coder WHERE name = $1", [.text(name)])
        if let id { coderRowIDs[key] = id }
        return id
    }

    /// Creates (and audits) a coder.
    func createCoder(_ name: String, context: ChangeContext) throws -> Int64 {
        guard let id = try session.integer("INSERT INTO coder (name, created_at) VALUES ($1, $2) RETURNING id",
                                          [.text(name), .text(context.time)]) else {
            throw GlossError(.ioFailure, "the database did not return the new coder's id")
        }
        coderRowIDs[ExactKey(name)] = id
        try appendAudit(context, action: .create, entity: .coder, entityID: name, before: nil,
                        after: StoredRecords.coderJSON(name: name, createdAt: context.time))
        return id
    }
}
