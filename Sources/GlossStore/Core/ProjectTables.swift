import GlossCore

/// The tables of a Gloss project as both stores hold them: the same names, columns and meaning, so that a project
/// can be read row for row from one store and written into another (`ProjectCopy`), and two projects compared.
enum ProjectTable: String, CaseIterable, Sendable {
    // In an order that writes every row after the rows it refers to.
    case document, coder, codebook, documentRevision = "document_revision", annotation, assignment, adjudication,
         token, auditLog = "audit_log"

    var columns: [String] {
        switch self {
        case .document:
            ["id", "external_id", "title", "outlet", "url", "published", "text", "sha256", "length", "imported_at",
             "revision"]
        case .coder: ["id", "name", "created_at"]
        case .codebook: ["id", "version", "title", "source", "sha256", "file", "added_at"]
        case .documentRevision: ["document_id", "revision", "text", "sha256", "imported_at", "replaced_at"]
        case .annotation:
            ["id", "document_id", "coder_id", "layer", "start", "\"end\"", "quote", "features", "created_at",
             "updated_at", "revision", "codebook_id", "codebook_version", "needs_recoding", "provenance"]
        case .assignment: ["document_id", "coder_id", "role", "assigned_at", "started_at", "done_at"]
        case .adjudication:
            ["id", "gold", "document_id", "layer", "candidates", "state", "reason", "decided_by", "decided_at",
             "gold_annotation_id", "created_at"]
        case .token: ["id", "sha256", "coder", "role", "created_at", "revoked_at"]
        case .auditLog: ["id", "at", "actor", "action", "entity", "entity_id", "source", "before", "after"]
        }
    }

    /// The columns that order the rows (the primary key).
    var key: [String] {
        switch self {
        case .codebook: ["id", "version"]
        case .documentRevision: ["document_id", "revision"]
        case .assignment: ["document_id", "coder_id"]
        default: ["id"]
        }
    }

    /// The tables whose ids users see and the audit log names (annotations, adjudication records, tokens): a store
    /// never gives such an id out twice, even after the row is deleted, so the next id is part of the project.
    static let withLastingIDs: [ProjectTable] = [.annotation, .adjudication, .token]

    /// `SELECT columns FROM table ORDER BY key`.
    var selectAll: String {
        "SELECT \(columns.joined(separator: ", ")) FROM \(rawValue) ORDER BY \(key.joined(separator: ", "))"
    }
}

/// Row-level access to a project's tables, for moving a project between stores; both stores' transactions have it.
protocol ProjectTableAccess {
    /// Calls `body` with each row of `table`, in key order, as values in the order of `table.columns`.
    func forEachRow(of table: ProjectTable, _ body: ([StoredValue]) throws -> Void) throws
    /// Stores a row exactly as given (ids included), without auditing: the audit log is copied as rows too.
    func insertRow(_ values: [StoredValue], into table: ProjectTable) throws
    /// The id each table of `ProjectTable.withLastingIDs` would give its next row.
    func nextIDs() throws -> [ProjectTable: Int64]
    /// Makes each table give out ids from at least the given one on (and, in any case, above its largest id).
    func setNextIDs(_ ids: [ProjectTable: Int64]) throws
}

/// Moves a whole project from one store to another: every row of every table, ids included, and the ids the source
/// would give next; the audit log comes along as it was, so the copy's history is the original's.
public enum ProjectCopy {
    /// How many rows each table held.
    public struct Report: Sendable, Equatable {
        public var rows: [String: Int]
    }

    /// Copies `source` into `destination`, which must be a new project (no documents, codebooks, tokens or audit
    /// entries; else exit 75), in one write transaction: an error leaves the destination as it was.
    public static func copy(from source: any ProjectStore, to destination: any ProjectStore) throws -> Report {
        try source.read { reader in
            guard let from = reader as? any ProjectTableAccess else {
                throw GlossError(.usage, "this store cannot be copied row by row")
            }
            return try destination.write { writer in
                guard let to = writer as? any ProjectTableAccess else {
                    throw GlossError(.usage, "this store cannot be copied into row by row")
                }
                // Every change is audited, so the audit log, read first, nearly always answers alone.
                let isNew = try writer.auditEntries(limit: 1).isEmpty && writer.documentSummaries().isEmpty
                    && writer.registeredCodebooks().isEmpty
                if !isNew {
                    throw GlossError(.conflict, "the destination already holds a project (it has documents, codebooks "
                                     + "or an audit log); copy into a new one, made with `gloss init`")
                }
                var rows: [String: Int] = [:]
                for table in ProjectTable.allCases {
                    var count = 0
                    try from.forEachRow(of: table) { values in
                        try to.insertRow(values, into: table)
                        count += 1
                    }
                    rows[table.rawValue] = count
                }
                try to.setNextIDs(try from.nextIDs())
                return Report(rows: rows)
            }
        }
    }

    /// Every row of every table and the next ids, as text: equal dumps mean equal projects, whichever the stores.
    public static func dump(_ store: any ProjectStore) throws -> String {
        try store.read { reader in
            guard let tables = reader as? any ProjectTableAccess else {
                throw GlossError(.usage, "this store cannot be read row by row")
            }
            var text = ""
            for table in ProjectTable.allCases {
                text += "== \(table.rawValue)\n"
                try tables.forEachRow(of: table) { values in
                    text += values.map { value -> String in
                        switch value {
                        case .integer(let integer): String(integer)
                        case .text(let string): JSONValue.string(string).canonicalJSON
                        case .null: "NULL"
                        }
                    }.joined(separator: "|") + "\n"
                }
            }
            let next = try tables.nextIDs()
            text += "== next ids\n" + ProjectTable.withLastingIDs.map { "\($0.rawValue) \(next[$0] ?? 0)" }
                .joined(separator: "\n") + "\n"
            return text
        }
    }
}
