import Foundation
import GlossStore
import Logging
import NIOPosix
import PostgresNIO

/// The private PostgreSQL server that `.ci/with-postgres` starts for the tests (`make test` runs them with it).
public enum TestPostgres {
    /// The server's URL (its `postgres` database), or nil when no server was started.
    public static let serverURL: String? = ProcessInfo.processInfo.environment["GLOSS_TEST_POSTGRES_URL"]
        .flatMap { $0.isEmpty ? nil : $0 }

    public static var isAvailable: Bool { serverURL != nil }

    /// Why the PostgreSQL tests are skipped when `serverURL` is nil.
    public static let unavailableReason = "no PostgreSQL server for the tests: "
        + (ProcessInfo.processInfo.environment["GLOSS_TEST_POSTGRES_SKIP"]
           ?? "run them with `make test` (or `.ci/with-postgres swift test`), which starts a private one")

    private static let count = Counter()

    /// Creates a new, empty database on the test server and returns its URL.
    public static func newDatabaseURL() throws -> String {
        guard let serverURL else { throw TestPostgresError.unavailable(unavailableReason) }
        let name = "gloss_test_\(getpid())_\(count.next())"
        try execute("CREATE DATABASE \(name)", in: serverURL)
        var database = try PostgresURL(serverURL)
        database.database = name
        return database.connectionString
    }

    /// Runs one statement, with no parameters, in the database at `databaseURL` (as the test server's superuser).
    public static func execute(_ sql: String, in databaseURL: String) throws {
        let configuration = try PostgresURL(databaseURL).connectionConfiguration()
        let connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(),
                                                        configuration: configuration, id: 1,
                                                        logger: Logger(label: "gloss.tests")).wait()
        defer { _ = try? connection.close().wait() }
        _ = try connection.query(PostgresQuery(unsafeSQL: sql), logger: Logger(label: "gloss.tests")).wait()
    }

    /// Opens a new project in a new database.
    public static func newStore() throws -> PostgresStore {
        try PostgresStore(url: try PostgresURL(try newDatabaseURL()), creating: true)
    }
}

public enum TestPostgresError: Error, CustomStringConvertible {
    case unavailable(String)
    public var description: String {
        switch self { case .unavailable(let reason): reason }
    }
}

private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.withLock { value += 1; return value } }
}

/// The stores a store test runs on: SQLite always, PostgreSQL when the test server is there (when it is not, the
/// test `PostgresStoreTests.theServerIsThere` reports the skip with its reason).
public enum StoreKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public static var testable: [StoreKind] { TestPostgres.isAvailable ? allCases : [.sqlite] }

    public var description: String { rawValue }

    /// A new, empty project of this kind (in `folder` for SQLite, in a new database for PostgreSQL).
    public func makeStore(in folder: TemporaryDirectory, name: String = "gloss") throws -> any ProjectStore {
        switch self {
        case .sqlite: try SQLiteStore(path: folder.path("\(name).sqlite"), creating: true)
        case .postgres: try TestPostgres.newStore()
        }
    }
}
