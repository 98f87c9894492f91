import Foundation
import GRDB
import GlossCore

/// The embedded store: one SQLite file per project, in WAL mode, with foreign keys and a busy timeout.
public final class SQLiteStore: ProjectStore {
    /// The database file.
    public let path: String
    /// A pool of connections (WAL), or one read-only connection for a file this user may not write.
    private let database: any DatabaseWriter

    /// The schema state found when the store was opened.
    public let schemaState: SchemaState

    /// Opens the project database at `path`, creating it (and its folder) when `creating` is true,
    /// and applies pending migrations.
    ///
    /// Refuses a missing file unless creating (exit 66), a file that is not SQLite, and a SQLite
    /// database that is not a Gloss project (exit 65).
    public init(path: String, creating: Bool = false) throws {
        self.path = path
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fileManager.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue {
            throw GlossError(.usage, "\(path) is a folder; --db needs a database file such as \(path)/gloss.sqlite")
        }
        let isEmpty = exists && ((try? fileManager.attributesOfItem(atPath: path))?[.size] as? Int ?? 0) == 0
        if isEmpty && !creating {
            throw GlossError(.missingInput, "\(path) is an empty file, not a Gloss database; create one with `gloss init`")
        }
        if exists && !isEmpty {
            try Self.refuseForeignFile(at: path)
        } else {
            guard creating else {
                throw GlossError(.missingInput, "\(path): no Gloss database here; create one with `gloss init` (or pass --db PATH / set GLOSS_DB)")
            }
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                do {
                    try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw GlossError(.ioFailure, "\(folder): cannot create the database folder: \(error.localizedDescription)")
                }
            }
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.label = "gloss"
        // A file the user may not write (permissions, the immutable attribute, a read-only mount) is opened
        // read-only, so that reading commands work; every write then fails with SQLITE_READONLY (exit 74).
        // Without a -wal file beside it nobody is writing, and it is opened as immutable: no -shm or -wal file is
        // created, so a folder the user may not write does not matter and no file of theirs is left for the
        // owner to trip over. With a -wal file, it is read through the owner's -wal and -shm.
        let isReadOnly = exists && !isEmpty && access(path, W_OK) != 0
        configuration.readonly = isReadOnly
        do {
            if isReadOnly {
                database = try DatabaseQueue(path: Self.readOnlyLocation(path), configuration: configuration)
            } else {
                database = try DatabasePool(path: path, configuration: configuration)
            }
            schemaState = try Self.prepareSchema(in: database, isReadOnly: isReadOnly, path: path)
        } catch let error as DatabaseError {
            throw Self.glossError(error, path: path)
        }
    }

    public func read<T>(_ body: (any ProjectReader) throws -> T) throws -> T {
        do {
            return try database.read { db in try body(SQLiteTransaction(db)) }
        } catch let error as DatabaseError {
            throw Self.glossError(error, path: path)
        }
    }

    /// Pauses before each new attempt to take the write lock, after a busy timeout has run out (a bounded retry
    /// with backoff; each pause is stretched by a random factor in 0.5…1.5 so that waiting writers spread out).
    static let busyRetryPauses: [Double] = [0.25, 1, 4]

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: it takes the write lock at the start, waiting up to
    /// the busy timeout for other writers, and tries again after each of `busyRetryPauses` while the lock stays
    /// taken. A deferred transaction that reads before it writes could instead get SQLITE_BUSY at once when
    /// another process wrote in between, as SQLite cannot let it wait without risking a deadlock. `body` runs
    /// once: only the taking of the lock is retried.
    @discardableResult
    public func write<T>(_ body: (any ProjectWriter) throws -> T) throws -> T {
        var retries = Self.busyRetryPauses[...]
        while true {
            var hasBegun = false
            do {
                return try database.writeWithoutTransaction { db in
                    var result: T?
                    try db.inTransaction(.immediate) {
                        hasBegun = true
                        let transaction = SQLiteTransaction(db)
                        result = try body(transaction)
                        try transaction.writePendingAudit()
                        return .commit
                    }
                    guard let result else { throw GlossError(.ioFailure, "\(path): the transaction ended without a result") }
                    return result
                }
            } catch let error as DatabaseError {
                if !hasBegun, error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED, let pause = retries.popFirst() {
                    Thread.sleep(forTimeInterval: pause * Double.random(in: 0.5...1.5))
                    continue
                }
                throw Self.glossError(error, path: path)
            }
        }
    }

    /// Writes a consistent copy of the project to a new file with SQLite's online backup API, while other
    /// connections may go on writing; refuses to overwrite an existing file (exit 75).
    public func backup(to destination: String) throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw GlossError(.conflict, "\(destination) already exists; a backup never overwrites a file, so choose a new name")
        }
        do {
            let copy = try DatabaseQueue(path: destination)
            try database.backup(to: copy)
            try copy.close()
        } catch let error as DatabaseError {
            try? FileManager.default.removeItem(atPath: destination)
            throw Self.glossError(error, path: destination)
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            throw GlossError(.ioFailure, "\(destination): cannot write the backup: \(error.localizedDescription)")
        }
    }

    /// Where to open `path` for reading only: as an immutable file when no -wal file beside it shows a writer,
    /// so that SQLite creates nothing beside it; else the path, read through the -wal and -shm files.
    private static func readOnlyLocation(_ path: String) -> String {
        guard !FileManager.default.fileExists(atPath: path + "-wal") else { return path }
        return "file:" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path) + "?immutable=1"
    }

    /// Refuses a file that is not SQLite, or a SQLite database that is not a Gloss project, after looking at
    /// it read-only, so that such a file is left exactly as it was.
    private static func refuseForeignFile(at path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)  // another process may be writing or checkpointing right now
        do {
            let location = access(path, W_OK) == 0 ? path : readOnlyLocation(path)
            let tables = try DatabaseQueue(path: location, configuration: configuration).read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            }
            if !tables.isEmpty && !tables.contains("grdb_migrations") {
                throw GlossError(.badData, "\(path) is a SQLite database but not a Gloss project (it has tables \(tables.prefix(5).joined(separator: ", "))); choose another --db path")
            }
        } catch let error as DatabaseError {
            throw glossError(error, path: path)
        }
    }

    /// Runs the migrator, reporting what it found and did; a read-only project that needs migrations is refused.
    private static func prepareSchema(in database: any DatabaseWriter, isReadOnly: Bool, path: String) throws -> SchemaState {
        let migrator = DatabaseMigrator.gloss
        let applied = try database.read { try migrator.appliedIdentifiers($0) }
        let pending = migrator.migrations.filter { !applied.contains($0) }
        guard !pending.isEmpty else { return .current }
        if isReadOnly {
            throw GlossError(.ioFailure, "\(path): the database is read-only and needs schema upgrades (\(pending.joined(separator: ", "))) before this version of gloss can use it; make it writable once")
        }
        try migrator.migrate(database)
        return applied.isEmpty ? .created : .upgraded(applied: pending)
    }

    /// Maps a SQLite failure to a user-facing error that keeps the SQLite result code.
    static func glossError(_ error: DatabaseError, path: String) -> GlossError {
        let detail = "(SQLite error \(error.resultCode.rawValue): \(error.message ?? "no message"))"
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return GlossError(.badData, "\(path) is not a SQLite database \(detail); choose another --db path")
        case .SQLITE_CORRUPT:
            return GlossError(.badData, "\(path): the database file is corrupt \(detail); restore it from a backup")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return GlossError(.conflict, "\(path): the database stayed busy with another writer \(detail); try again")
        case .SQLITE_READONLY:
            return GlossError(.ioFailure, "\(path): the database is read-only \(detail); check the file's permissions")
        case .SQLITE_FULL:
            return GlossError(.ioFailure, "\(path): the disk is full \(detail); nothing was written")
        case .SQLITE_IOERR:
            return GlossError(.ioFailure, "\(path): cannot read or write the database file \(detail); the disk may be full or a file-size limit reached; the change was rolled back")
        case .SQLITE_CONSTRAINT:
            return GlossError(.conflict, "\(path): the change conflicts with stored data \(detail)")
        default:
            return GlossError(.ioFailure, "\(path): database failure \(detail)")
        }
    }
}
