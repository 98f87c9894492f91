import Foundation
import GlossCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

extension PostgresURL {
    /// How postgres-nio connects to this database: over its Unix socket, or to host and port, with TLS that checks
    /// the server's certificate when the URL asks for it.
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let socketPath {
            return PostgresConnection.Configuration(unixSocketPath: socketPath, username: username,
                                                    password: password, database: database)
        }
        var tls = PostgresConnection.Configuration.TLS.disable
        if requiresTLS {
            do {
                tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            } catch {
                throw GlossError(.ioFailure, "\(self): cannot set up TLS: \(error)")
            }
        }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password,
                                                database: database, tls: tls)
    }
}

/// A project in a PostgreSQL database, for a team whose coders write at the same time through `gloss serve`.
///
/// It keeps the guarantees of `SQLiteStore`: a `write` runs in one transaction that commits whole or not at all,
/// and writers take turns (a transaction-scoped advisory lock, as SQLite's single writer lock), so that the checks
/// a write makes before it changes anything (revisions, duplicates, blind coding) see every earlier commit. A
/// `read` sees one consistent snapshot (`REPEATABLE READ`). Every statement binds its parameters.
///
/// The store protocol is synchronous, as GRDB's is, and its callers run on their own threads (the command line's,
/// or the server's thread pool), never on a NIO event loop: each connection is used through postgres-nio's
/// `PostgresConnection` futures, waited for on the calling thread. Idle connections are kept for the next
/// transaction (a small pool: `PostgresClient` offers only `async` methods, which a synchronous caller cannot wait
/// for without blocking a thread that Swift's concurrency runtime needs).
public final class PostgresStore: ProjectStore, @unchecked Sendable {
    /// The database, without its password.
    public let url: PostgresURL
    /// The schema state found when the store was opened.
    public private(set) var schemaState = SchemaState.current

    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    private let idle = NIOLockedValueBox<(connections: [PostgresConnection], nextID: Int)>(([], 1))
    private static let maximumIdleConnections = 16
    /// The key of the advisory lock writers take turns with (the bytes of "gloss").
    static let writerLock: Int64 = 0x67_6C_6F_73_73

    /// Connects to the database at `url` and applies pending migrations; with `creating` false, a database without
    /// a Gloss project is refused (exit 66), and one with other tables is refused in any case (exit 65).
    public init(url: PostgresURL, creating: Bool = false) throws {
        self.url = url
        var logger = Logger(label: "gloss.postgres")
        logger.logLevel = .critical
        self.logger = logger
        var configuration = try url.connectionConfiguration()
        // A writer waits at most this long for the writers' lock, then gives up with 55P03 (exit 75, "try again"),
        // as a SQLite writer gives up after its busy timeout and retries.
        configuration.options.additionalStartupParameters = [("lock_timeout", "60s")]
        self.configuration = configuration
        schemaState = try prepareSchema(creating: creating)
    }

    deinit {
        for connection in idle.withLockedValue({ $0.connections }) { close(connection) }
    }

    public func read<T>(_ body: (any ProjectReader) throws -> T) throws -> T {
        try withSession { session in
            try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return try finishing(session) { try body(PostgresTransaction(session)) }
        }
    }

    @discardableResult
    public func write<T>(_ body: (any ProjectWriter) throws -> T) throws -> T {
        try withWriterLock { session in
            let transaction = PostgresTransaction(session)
            let result = try body(transaction)
            try transaction.writePendingAudit()
            return result
        }
    }

    /// Runs `body` in one transaction that first takes the writers' advisory lock (held until it ends).
    private func withWriterLock<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try withSession { session in
            try session.execute("BEGIN")
            return try finishing(session) {
                try session.execute("SELECT pg_advisory_xact_lock($1)", [.integer(Self.writerLock)])
                return try body(session)
            }
        }
    }

    /// Runs `body` in the open transaction, committing when it returns and rolling back when it throws.
    private func finishing<T>(_ session: PostgresSession, _ body: () throws -> T) throws -> T {
        let result: T
        do {
            result = try body()
        } catch {
            try? session.execute("ROLLBACK")
            throw error
        }
        try session.execute("COMMIT")
        return result
    }

    /// Runs `body` on a connection from the pool (or a new one), mapping PostgreSQL's errors to `GlossError`s that
    /// keep the SQLSTATE; a connection that failed is closed rather than kept.
    private func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let connection = try lease()
        var isReusable = false
        defer { giveBack(connection, isReusable: isReusable && !connection.isClosed) }
        do {
            let result = try body(PostgresSession(connection, logger: logger))
            isReusable = true
            return result
        } catch let error as PSQLError {
            isReusable = error.code == .server
            throw Self.glossError(error, url: url)
        } catch let error as GlossError {
            isReusable = true
            throw error
        }
    }

    private func lease() throws -> PostgresConnection {
        let (reused, id) = idle.withLockedValue { state -> (PostgresConnection?, Int) in
            while let connection = state.connections.popLast() {
                if !connection.isClosed { return (connection, 0) }
            }
            state.nextID += 1
            return (nil, state.nextID)
        }
        if let reused { return reused }
        do {
            return try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                  configuration: configuration, id: id, logger: logger).wait()
        } catch let error as PSQLError {
            throw Self.glossError(error, url: url)
        } catch {
            throw GlossError(.ioFailure, "\(url): cannot connect to PostgreSQL (\(error)); is the server running?")
        }
    }

    private func giveBack(_ connection: PostgresConnection, isReusable: Bool) {
        let kept = isReusable && idle.withLockedValue { state in
            guard state.connections.count < Self.maximumIdleConnections else { return false }
            state.connections.append(connection)
            return true
        }
        if !kept { close(connection) }
    }

    /// Closes a connection, waiting until it is closed (postgres-nio requires that before it is released).
    private func close(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        try? closing.wait()
    }

    /// Applies pending migrations in one transaction, under the writers' lock, so that two processes opening a new
    /// project at once do not both create it.
    private func prepareSchema(creating: Bool) throws -> SchemaState {
        try withWriterLock { session in
            let tables = try session.rows("""
                SELECT table_name::text FROM information_schema.tables
                WHERE table_schema = current_schema() ORDER BY table_name
                """).map { try $0.text(0) }
            if !tables.isEmpty && !tables.contains("gloss_migrations") {
                throw GlossError(.badData, "\(url) holds tables that are not a Gloss project's "
                                 + "(\(tables.prefix(5).joined(separator: ", "))); use a database of its own")
            }
            if tables.isEmpty && !creating {
                throw GlossError(.missingInput, "\(url): no Gloss project in this database; create one with "
                                 + "`gloss init --database-url URL`")
            }
            if tables.isEmpty {
                try session.execute("CREATE TABLE gloss_migrations (identifier TEXT PRIMARY KEY, applied_at TEXT)")
            }
            let applied = Set(try session.rows("SELECT identifier FROM gloss_migrations").map { try $0.text(0) })
            let pending = PostgresSchema.migrations.filter { !applied.contains($0.name) }
            for migration in pending {
                for statement in migration.statements { try session.execute(statement) }
                try session.execute("INSERT INTO gloss_migrations (identifier, applied_at) VALUES ($1, $2)",
                                    [.text(migration.name), .text(Timestamp.now())])
            }
            if pending.isEmpty { return .current }
            return applied.isEmpty ? .created : .upgraded(applied: pending.map(\.name))
        }
    }

    /// Maps a PostgreSQL failure to a user-facing error that keeps the SQLSTATE.
    static func glossError(_ error: PSQLError, url: PostgresURL) -> GlossError {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            let detail = error.underlying.map { "\($0)" } ?? "\(error.code)"
            return GlossError(.ioFailure, "\(url): cannot reach PostgreSQL (\(detail)); is the server running and "
                              + "the URL right?")
        }
        let message = error.serverInfo?[.message] ?? "no message"
        let detail = "(PostgreSQL \(state): \(message))"
        switch state {
        case "3D000":
            return GlossError(.missingInput, "\(url): no such database \(detail); create it with "
                              + "`createdb \(url.database)`, then run `gloss init --database-url URL`")
        case "28000", "28P01", "42501":
            return GlossError(.notPermitted, "\(url): not permitted \(detail); check the user, password and grants")
        case "22021", "22P05":
            return GlossError(.badData, "\(url): PostgreSQL cannot store this text \(detail); it holds the "
                              + "character U+0000, which PostgreSQL text cannot hold")
        case "40001", "40P01", "55P03":
            return GlossError(.conflict, "\(url): the database was busy with another writer \(detail); try again")
        case "53100":
            return GlossError(.ioFailure, "\(url): the server's disk is full \(detail); nothing was written")
        case "25006":
            return GlossError(.ioFailure, "\(url): the database is read-only \(detail)")
        case _ where state.hasPrefix("23"):
            return GlossError(.conflict, "\(url): the change conflicts with stored data \(detail)")
        case _ where state.hasPrefix("08") || state.hasPrefix("57"):
            return GlossError(.ioFailure, "\(url): the connection to PostgreSQL failed \(detail); try again")
        default:
            return GlossError(.ioFailure, "\(url): database failure \(detail)")
        }
    }
}
