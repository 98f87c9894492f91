import GlossCore

/// Where a project is kept: a SQLite file, or a PostgreSQL database named by its URL.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// A `postgresql://` (or `postgres://`) URL, else a file path.
    public init(_ pathOrURL: String) throws {
        self = PostgresURL.isURL(pathOrURL) ? .postgres(try PostgresURL(pathOrURL)) : .sqlite(path: pathOrURL)
    }

    /// Opens the project, creating it (and applying migrations) when `creating` is true.
    public func open(creating: Bool = false) throws -> any ProjectStore {
        switch self {
        case .sqlite(let path): try SQLiteStore(path: path, creating: creating)
        case .postgres(let url): try PostgresStore(url: url, creating: creating)
        }
    }

    /// Creates the project, or applies the migrations it lacks, and says which it did.
    public func create() throws -> SchemaState {
        switch self {
        case .sqlite(let path): try SQLiteStore(path: path, creating: true).schemaState
        case .postgres(let url): try PostgresStore(url: url, creating: true).schemaState
        }
    }

    /// The path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.description
        }
    }
}
