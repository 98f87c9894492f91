import GRDB
import GlossCore

/// Reads and writes of one SQLite transaction, with prepared statements and id caches kept for its length.
final class SQLiteTransaction: ProjectWriter {
    let db: Database
    private var coderRowIDs: [ExactKey: Int64] = [:]
    private var documentRowIDs: [ExactKey: Int64] = [:]
    /// Whether any annotation was stored before this transaction's first insert (nil until asked).
    private var hadStoredAnnotations: Bool?
    /// Whether a (document, coder) pair had annotations before this transaction.
    private var pairsWithStoredAnnotations: [PairKey: Bool] = [:]
    /// Hashes of the content of annotations this transaction inserted: a miss proves there is no identical
    /// one among them without a query; a hit is confirmed by a query.
    private var insertedContentHashes: Set<Int> = []
    private var insertAnnotationStatement: BoundStatement?
    /// Annotations created in this transaction whose audit entries are still to be written, by context.
    private var unauditedCreations: [(context: ChangeContext, ids: [Int64])] = []

    init(_ db: Database) { self.db = db }

    // MARK: Reading

    func documentSummaries() throws -> [DocumentSummary] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT d.external_id, d.title, d.outlet, d.url, d.published, d.sha256, d.imported_at, d.length,
                   (SELECT COUNT(*) FROM annotation a WHERE a.document_id = d.id) AS annotation_count
            FROM document d ORDER BY d.external_id
            """)
        return rows.map { row in
            DocumentSummary(externalID: row[0], title: row[1], outlet: row[2], url: row[3], published: row[4],
                            sha256: row[5], importedAt: row[6], length: row[7], annotationCount: row[8])
        }
    }

    private static let documentColumns = "external_id, title, outlet, url, published, text, sha256, imported_at"

    private static func document(from row: Row) -> Document {
        Document(externalID: row[0], title: row[1], outlet: row[2], url: row[3], published: row[4], text: row[5],
                 sha256: row[6], importedAt: row[7])
    }

    func document(externalID: String) throws -> Document? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.documentColumns) FROM document WHERE external_id = ?"),
                         arguments: [externalID]).map(Self.document(from:))
    }

    func documentRevisions(externalID: String) throws -> [DocumentRevision] {
        guard let current = try Row.fetchOne(db, sql: "SELECT id, revision, text, sha256, imported_at FROM document WHERE external_id = ?",
                                             arguments: [externalID]) else { return [] }
        let rowID: Int64 = current[0]
        let earlier = try Row.fetchAll(db, sql: """
            SELECT revision, text, sha256, imported_at, replaced_at FROM document_revision WHERE document_id = ? ORDER BY revision
            """, arguments: [rowID]).map { DocumentRevision(revision: $0[0], text: $0[1], sha256: $0[2], importedAt: $0[3], replacedAt: $0[4]) }
        return earlier + [DocumentRevision(revision: current[1], text: current[2], sha256: current[3], importedAt: current[4], replacedAt: nil)]
    }

    func forEachDocument(_ body: (Document) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT \(Self.documentColumns) FROM document ORDER BY external_id")
        while let row = try rows.next() { try body(Self.document(from: row)) }
    }

    private static let annotationSelect = """
        SELECT a.id, d.external_id, c.name, a.layer, a.start, a."end", a.quote, a.features, a.created_at, a.updated_at, a.revision,
               a.codebook_id, a.codebook_version, a.needs_recoding, a.provenance
        FROM annotation a JOIN document d ON d.id = a.document_id JOIN coder c ON c.id = a.coder_id
        """

    private static func annotation(from row: Row) throws -> Annotation {
        try StoredRecords.annotation(id: row[0], documentID: row[1], coder: row[2], layer: row[3], start: row[4],
                                     end: row[5], quote: row[6], features: row[7], createdAt: row[8], updatedAt: row[9],
                                     revision: row[10], codebookID: row[11], codebookVersion: row[12],
                                     needsRecoding: row[13], provenance: row[14])
    }

    func annotation(id: Int64) throws -> Annotation? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: Self.annotationSelect + " WHERE a.id = ?"), arguments: [id]) else { return nil }
        return try Self.annotation(from: row)
    }

    func forEachAnnotation(matching filter: AnnotationFilter, _ body: (Annotation) throws -> Void) throws {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let documentID = filter.documentID { conditions.append("d.external_id = ?"); arguments += [documentID] }
        if let coder = filter.coder { conditions.append("c.name = ?"); arguments += [coder] }
        if let layer = filter.layer { conditions.append("a.layer = ?"); arguments += [layer] }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try Row.fetchCursor(db, sql: Self.annotationSelect + whereClause + " ORDER BY a.id", arguments: arguments)
        while let row = try rows.next() { try body(try Self.annotation(from: row)) }
    }

    func coderNames() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM coder ORDER BY id")
    }

    func annotatedLayerNames() throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT layer FROM annotation ORDER BY layer")
    }

    func auditEntries(limit: Int?) throws -> [AuditEntry] {
        let sql = "SELECT id, at, actor, action, entity, entity_id, source, before, after FROM audit_log"
        let rows: [Row]
        if let limit {
            rows = try Row.fetchAll(db, sql: "SELECT * FROM (\(sql) ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: [limit])
        } else {
            rows = try Row.fetchAll(db, sql: sql + " ORDER BY id")
        }
        return try rows.map { row in
            try StoredRecords.auditEntry(id: row[0], at: row[1], actor: row[2], action: row[3], entity: row[4],
                                         entityID: row[5], source: row[6], before: row[7], after: row[8])
        }
    }

    // MARK: Writing

    func insert(_ document: Document, context: ChangeContext) throws {
        try db.execute(sql: """
            INSERT INTO document (external_id, title, outlet, url, published, text, sha256, length, imported_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [document.externalID, document.title, document.outlet, document.url, document.published,
                             document.text, document.sha256, document.text.unicodeScalars.count, document.importedAt])
        documentRowIDs[ExactKey(document.externalID)] = db.lastInsertedRowID
        try appendAudit(context, action: .create, entity: .document, entityID: document.externalID,
                        before: nil, after: document.nativeJSONLine(includingText: false))
    }

    func replace(_ document: Document, context: ChangeContext) throws -> Int {
        guard let before = try self.document(externalID: document.externalID),
              let row = try Row.fetchOne(db, sql: "SELECT id, revision FROM document WHERE external_id = ?", arguments: [document.externalID]) else {
            throw GlossError(.badData, "there is no document \"\(document.externalID)\" to update")
        }
        let rowID: Int64 = row[0], revision: Int = row[1]
        try db.execute(sql: """
            INSERT INTO document_revision (document_id, revision, text, sha256, imported_at, replaced_at) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [rowID, revision, before.text, before.sha256, before.importedAt, context.time])
        try db.execute(sql: """
            UPDATE document SET title = ?, outlet = ?, url = ?, published = ?, text = ?, sha256 = ?, length = ?, imported_at = ?, revision = ?
            WHERE id = ?
            """, arguments: [document.title, document.outlet, document.url, document.published, document.text, document.sha256,
                             document.text.unicodeScalars.count, document.importedAt, revision + 1, rowID])
        try appendAudit(context, action: .update, entity: .document, entityID: document.externalID,
                        before: before.nativeJSONLine(includingText: false), after: document.nativeJSONLine(includingText: false))
        return revision + 1
    }

    func updateMetadata(_ document: Document, context: ChangeContext) throws {
        guard let before = try self.document(externalID: document.externalID) else {
            throw GlossError(.badData, "there is no document \"\(document.externalID)\"; list them with `gloss docs list`")
        }
        try db.execute(sql: "UPDATE document SET title = ?, outlet = ?, url = ?, published = ? WHERE external_id = ?",
                       arguments: [document.title, document.outlet, document.url, document.published, document.externalID])
        try appendAudit(context, action: .update, entity: .document, entityID: document.externalID,
                        before: before.nativeJSONLine(includingText: false), after: document.nativeJSONLine(includingText: false))
    }

    func insert(_ annotation: Annotation, context: ChangeContext) throws -> (id: Int64, isNew: Bool) {
        let documentRowID = try documentRowID(annotation.documentID)
        let features = JSONValue.object(annotation.features).canonicalJSON
        let existingCoder = try existingCoderRowID(annotation.coder)
        if annotation.id == 0, let coderRowID = existingCoder,
           let identical = try identicalAnnotationID(document: documentRowID, coder: coderRowID, annotation, features: features) {
            return (identical, false)
        }
        let coderRowID = try existingCoder ?? createCoder(annotation.coder, context: context)
        _ = try annotationsWereStored()  // settle it before this transaction adds any
        let insert = try insertAnnotationStatement ?? BoundStatement(db, sql: """
            INSERT INTO annotation (id, document_id, coder_id, layer, start, "end", quote, features, created_at, updated_at, revision,
                                    codebook_id, codebook_version, needs_recoding, provenance)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertAnnotationStatement = insert
        try insert.execute([
            annotation.id == 0 ? .null : .integer(annotation.id), .integer(documentRowID), .integer(coderRowID),
            .text(annotation.layer), .integer(Int64(annotation.span.start)), .integer(Int64(annotation.span.end)),
            .text(annotation.quote), .text(features),
            .text(annotation.createdAt), .text(annotation.updatedAt), .integer(Int64(annotation.revision)),
            annotation.codebook.map { .text($0.id) } ?? .null, annotation.codebook.map { .integer(Int64($0.version)) } ?? .null,
            annotation.needsRecoding.map { .text($0) } ?? .null,
            annotation.provenance.map { .text($0.canonicalJSON) } ?? .null,
        ])
        let id = db.lastInsertedRowID
        if insertedContentHashes.isEmpty { insertedContentHashes.reserveCapacity(1 << 16) }
        insertedContentHashes.insert(Self.contentHash(documentRowID, coderRowID, annotation, features: features))
        if let last = unauditedCreations.last, last.context == context {
            unauditedCreations[unauditedCreations.count - 1].ids.append(id)
        } else {
            unauditedCreations.append((context, [id]))
        }
        return (id, true)
    }

    /// An identical annotation inserted earlier in this transaction, or stored before it.
    private func identicalAnnotationID(document documentRowID: Int64, coder coderRowID: Int64, _ annotation: Annotation,
                                       features: String) throws -> Int64? {
        let mayBeInsertedHere = insertedContentHashes.contains(Self.contentHash(documentRowID, coderRowID, annotation, features: features))
        let pair = PairKey(document: documentRowID, coder: coderRowID)
        let hadAnnotations: Bool
        if try !annotationsWereStored() {
            hadAnnotations = false
        } else if let known = pairsWithStoredAnnotations[pair] {
            hadAnnotations = known
        } else {
            // Asked before this transaction inserts anything for the pair, so it describes what was stored before.
            hadAnnotations = try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM annotation WHERE document_id = ? AND coder_id = ?)
                """), arguments: [documentRowID, coderRowID]) ?? false
            pairsWithStoredAnnotations[pair] = hadAnnotations
        }
        guard hadAnnotations || mayBeInsertedHere else { return nil }  // a fresh import pays no query per annotation
        return try Int64.fetchOne(db.cachedStatement(sql: """
            SELECT id FROM annotation
            WHERE document_id = ? AND coder_id = ? AND layer = ? AND start = ? AND "end" = ? AND features = ?
            ORDER BY id LIMIT 1
            """), arguments: [documentRowID, coderRowID, annotation.layer, annotation.span.start, annotation.span.end, features])
    }

    /// Writes the audit entries of the annotations created so far: one entry per context (one command
    /// reading one source). A single creation is recorded whole, as read back from the stored row; several
    /// are recorded as one entry naming their ids as ranges, since each one's state at creation
    /// is its revision 1, kept in the annotation table and, once changed, in the "before" of the change.
    /// Called before any other change is audited and before the transaction commits.
    func writePendingAudit() throws {
        let pending = unauditedCreations
        unauditedCreations.removeAll()
        for (context, ids) in pending {
            if ids.count == 1, let created = try annotation(id: ids[0]) {
                try insertAuditRow(context, action: .create, entity: .annotation, entityID: String(created.id), before: nil,
                                   after: created.nativeJSONLine)
            } else {
                try insertAuditRow(context, action: .create, entity: .annotation,
                                   entityID: StoredRecords.ranges(of: ids), before: nil,
                                   after: StoredRecords.createdAnnotationsJSON(ids))
            }
        }
    }

    /// Whether the project had any annotation before this transaction inserted one.
    private func annotationsWereStored() throws -> Bool {
        if let known = hadStoredAnnotations { return known }
        let stored = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM annotation)") ?? false
        hadStoredAnnotations = stored
        return stored
    }

    /// A hash of what makes two annotations identical: document, coder, layer, offsets and canonical features.
    private static func contentHash(_ document: Int64, _ coder: Int64, _ annotation: Annotation, features: String) -> Int {
        var hasher = Hasher()
        hasher.combine(document)
        hasher.combine(coder)
        hasher.combine(ExactKey(annotation.layer))
        hasher.combine(annotation.span.start)
        hasher.combine(annotation.span.end)
        hasher.combine(ExactKey(features))
        return hasher.finalize()
    }

    func deleteAnnotation(id: Int64, context: ChangeContext) throws -> Annotation {
        guard let annotation = try annotation(id: id) else {
            throw GlossError(.badData, "no annotation with id \(id); list ids with `gloss annotations list`")
        }
        try appendAudit(context, action: .delete, entity: .annotation, entityID: String(id), before: annotation.nativeJSONLine, after: nil)
        try db.execute(sql: "DELETE FROM annotation WHERE id = ?", arguments: [id])
        return annotation
    }

    func update(_ annotation: Annotation, context: ChangeContext) throws {
        guard let before = try self.annotation(id: annotation.id) else {
            throw GlossError(.badData, "no annotation with id \(annotation.id); list ids with `gloss annotations list`")
        }
        try db.execute(sql: """
            UPDATE annotation SET layer = ?, start = ?, "end" = ?, quote = ?, features = ?, created_at = ?, updated_at = ?,
                revision = ?, codebook_id = ?, codebook_version = ?, needs_recoding = ?, provenance = ?
            WHERE id = ?
            """, arguments: [annotation.layer, annotation.span.start, annotation.span.end, annotation.quote,
                             JSONValue.object(annotation.features).canonicalJSON, annotation.createdAt, annotation.updatedAt,
                             annotation.revision, annotation.codebook?.id, annotation.codebook?.version, annotation.needsRecoding,
                             annotation.provenance?.canonicalJSON, annotation.id])
        try appendAudit(context, action: .update, entity: .annotation, entityID: String(annotation.id),
                        before: before.nativeJSONLine, after: annotation.nativeJSONLine)
    }

    func register(_ codebook: RegisteredCodebook, context: ChangeContext) throws {
        try db.execute(sql: """
            INSERT INTO codebook (id, version, title, source, sha256, file, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [codebook.id, codebook.version, codebook.title, codebook.source, codebook.sha256, codebook.file, codebook.addedAt])
        try appendAudit(context, action: .create, entity: .codebook, entityID: "\(codebook.id)@\(codebook.version)",
                        before: nil, after: StoredRecords.codebookJSON(codebook))
    }

    func registeredCodebooks() throws -> [RegisteredCodebook] {
        try Row.fetchAll(db, sql: "SELECT id, version, title, source, sha256, file, added_at FROM codebook ORDER BY id, version").map {
            RegisteredCodebook(id: $0[0], version: $0[1], title: $0[2], source: $0[3], sha256: $0[4], file: $0[5], addedAt: $0[6])
        }
    }

    func overlappingAnnotationIDs(with annotation: Annotation) throws -> [Int64] {
        try Int64.fetchAll(db.cachedStatement(sql: """
            SELECT a.id FROM annotation a JOIN document d ON d.id = a.document_id JOIN coder c ON c.id = a.coder_id
            WHERE d.external_id = ? AND c.name = ? AND a.layer = ? AND a.start < ? AND a."end" > ? AND a.id != ?
              AND a.start < a."end"
            ORDER BY a.id
            """), arguments: [annotation.documentID, annotation.coder, annotation.layer, annotation.span.end, annotation.span.start, annotation.id])
    }

    func appendAudit(_ context: ChangeContext, action: AuditEntry.Action, entity: AuditEntry.Entity, entityID: String,
                             before: String?, after: String?) throws {
        try writePendingAudit()
        try insertAuditRow(context, action: action, entity: entity, entityID: entityID, before: before, after: after)
    }

    private func insertAuditRow(_ context: ChangeContext, action: AuditEntry.Action, entity: AuditEntry.Entity, entityID: String,
                                before: String?, after: String?) throws {
        try db.execute(sql: """
            INSERT INTO audit_log (at, actor, action, entity, entity_id, source, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [context.time, context.actor, action.rawValue, entity.rawValue, entityID, context.source, before, after])
    }

    // MARK: Id caches

    func documentRowID(_ externalID: String) throws -> Int64 {
        let key = ExactKey(externalID)
        if let id = documentRowIDs[key] { return id }
        guard let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM document WHERE external_id = ?"), arguments: [externalID]) else {
            throw GlossError(.badData, "unknown document \"\(externalID)\"; import it first with `gloss import docs`")
        }
        documentRowIDs[key] = id
        return id
    }

    func existingCoderRowID(_ name: String) throws -> Int64? {
        let key = ExactKey(name)
        if let id = coderRowIDs[key] { return id }
        let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM coder WHERE name = ?"), arguments: [name])
        if let id { coderRowIDs[key] = id }
        return id
    }

    /// Creates (and audits) a coder.
    func createCoder(_ name: String, context: ChangeContext) throws -> Int64 {
        try db.execute(sql: "INSERT INTO coder (name, created_at) VALUES (?, ?)", arguments: [name, context.time])
        let id = db.lastInsertedRowID
        coderRowIDs[ExactKey(name)] = id
        try appendAudit(context, action: .create, entity: .coder, entityID: name, before: nil,
                        after: StoredRecords.coderJSON(name: name, createdAt: context.time))
        return id
    }
}

private struct PairKey: Hashable {
    let document: Int64
    let coder: Int64
}
