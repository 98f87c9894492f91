import GRDB

extension DatabaseMigrator {
    /// Every schema version of a Gloss project, registered by name in order. Never edit a registered
    /// migration: add a new one.
    static var gloss: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: documents, coders, annotations, audit log") { db in
            try db.execute(sql: """
                CREATE TABLE document (
                    id INTEGER PRIMARY KEY,
                    external_id TEXT NOT NULL UNIQUE,
                    title TEXT NOT NULL,
                    outlet TEXT,
                    url TEXT,
                    published TEXT,
                    text TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    length INTEGER NOT NULL CHECK (length >= 0),
                    imported_at TEXT NOT NULL
                );
                CREATE TABLE coder (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE annotation (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    document_id INTEGER NOT NULL REFERENCES document(id),
                    coder_id INTEGER NOT NULL REFERENCES coder(id),
                    layer TEXT NOT NULL,
                    start INTEGER NOT NULL CHECK (start >= 0),
                    "end" INTEGER NOT NULL CHECK ("end" >= start),
                    quote TEXT NOT NULL,
                    features TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(features)),
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1)
                );
                CREATE INDEX annotation_by_document ON annotation(document_id, coder_id, layer, start);
                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY, -- rows are never deleted (see the triggers), so ids are never reused
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
                    entity TEXT NOT NULL CHECK (entity IN ('document', 'coder', 'annotation', 'codebook')),
                    entity_id TEXT NOT NULL,
                    source TEXT NOT NULL,
                    before TEXT,
                    after TEXT
                );
                CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        migrator.registerMigration("v2: codebooks, and the codebook version of each annotation") { db in
            try db.execute(sql: """
                CREATE TABLE codebook (
                    id TEXT NOT NULL,
                    version INTEGER NOT NULL CHECK (version >= 1),
                    title TEXT NOT NULL,
                    source TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    file TEXT NOT NULL,
                    added_at TEXT NOT NULL,
                    PRIMARY KEY (id, version)
                );
                ALTER TABLE annotation ADD COLUMN codebook_id TEXT;
                ALTER TABLE annotation ADD COLUMN codebook_version INTEGER;
                ALTER TABLE annotation ADD COLUMN needs_recoding TEXT;
                """)
        }
        migrator.registerMigration("v3: document revisions") { db in
            try db.execute(sql: """
                ALTER TABLE document ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);
                CREATE TABLE document_revision (
                    document_id INTEGER NOT NULL REFERENCES document(id),
                    revision INTEGER NOT NULL CHECK (revision >= 1),
                    text TEXT NOT NULL,
                    sha256 TEXT NOT NULL,
                    imported_at TEXT NOT NULL,
                    replaced_at TEXT NOT NULL,
                    PRIMARY KEY (document_id, revision)
                );
                """)
        }
        migrator.registerMigration("v4: assignments, adjudication, provenance of gold annotations, access tokens") { db in
            // The audit log's CHECK on entities is rebuilt to admit assignments, adjudications and tokens; its rows
            // are copied unchanged (ids kept), and the triggers that keep it append-only are recreated. A token is
            // kept as the SHA-256 of its secret only.
            try db.execute(sql: """
                CREATE TABLE assignment (
                    document_id INTEGER NOT NULL REFERENCES document(id),
                    coder_id INTEGER NOT NULL REFERENCES coder(id),
                    role TEXT NOT NULL CHECK (role IN ('reliability', 'single')),
                    assigned_at TEXT NOT NULL,
                    started_at TEXT,
                    done_at TEXT,
                    PRIMARY KEY (document_id, coder_id)
                );
                CREATE INDEX assignment_by_coder ON assignment(coder_id);
                CREATE TABLE adjudication (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    gold TEXT NOT NULL,
                    document_id INTEGER NOT NULL REFERENCES document(id),
                    layer TEXT NOT NULL,
                    candidates TEXT NOT NULL CHECK (json_valid(candidates)),
                    state TEXT NOT NULL CHECK (state IN ('merged', 'open', 'accepted', 'rejected')),
                    reason TEXT,
                    decided_by TEXT,
                    decided_at TEXT,
                    gold_annotation_id INTEGER,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX adjudication_by_gold ON adjudication(gold, layer, state);
                CREATE TABLE token (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sha256 TEXT NOT NULL UNIQUE,
                    coder TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('coder', 'adjudicator', 'admin')),
                    created_at TEXT NOT NULL,
                    revoked_at TEXT
                );
                ALTER TABLE annotation ADD COLUMN provenance TEXT CHECK (provenance IS NULL OR json_valid(provenance));
                DROP TRIGGER audit_log_is_append_only_update;
                DROP TRIGGER audit_log_is_append_only_delete;
                CREATE TABLE audit_log_v4 (
                    id INTEGER PRIMARY KEY,
                    at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete')),
                    entity TEXT NOT NULL
                        CHECK (entity IN ('document', 'coder', 'annotation', 'codebook', 'assignment', 'adjudication',
                                          'token')),
                    entity_id TEXT NOT NULL,
                    source TEXT NOT NULL,
                    before TEXT,
                    after TEXT
                );
                INSERT INTO audit_log_v4 SELECT id, at, actor, action, entity, entity_id, source, before, after \
                FROM audit_log;
                DROP TABLE audit_log;
                ALTER TABLE audit_log_v4 RENAME TO audit_log;
                CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        }
        return migrator
    }
}
