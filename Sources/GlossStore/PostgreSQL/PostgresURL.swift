import Foundation
import GlossCore

/// Where a PostgreSQL project lives, from a connection URL as libpq writes it:
/// `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|require][&host=/socket/folder]`.
///
/// `host` as a query parameter (or a host that starts with `/`) names the folder of the server's Unix socket, as in
/// `postgresql://gloss@/project?host=/var/run/postgresql`. The user defaults to the login name and the database to
/// the user, as with `psql`. `sslmode=require` encrypts the connection and verifies the server's certificate;
/// the default `disable` suits a server on this machine or a private network.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The folder of the server's Unix socket, when the URL names one instead of a network host.
    public var socketFolder: String?
    public var username: String
    public var password: String?
    public var database: String
    public var requiresTLS: Bool

    /// Parses `text`; anything that is not a PostgreSQL URL is a usage error (exit 64) saying what to write.
    public init(_ text: String) throws {
        let example = "write postgresql://USER@HOST:PORT/DATABASE"
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), ["postgresql", "postgres"].contains(scheme) else {
            throw GlossError(.usage, "\(Self.redacted(text)) is not a PostgreSQL URL; \(example)")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard let value = item.value, !value.isEmpty else {
                throw GlossError(.usage, "\(Self.redacted(text)): the parameter \(item.name) has no value; \(example)")
            }
            query[item.name] = value
        }
        let known: Set = ["sslmode", "host", "port", "user", "dbname"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw GlossError(.usage, "\(Self.redacted(text)): unknown parameter \(unknown); Gloss reads sslmode, host, "
                             + "port, user and dbname")
        }
        let login = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "postgres"
        // URLComponents decodes user, password and path once; each is decoded exactly once.
        username = query["user"] ?? components.user.flatMap { $0.isEmpty ? nil : $0 } ?? login
        password = components.password
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = query["dbname"] ?? (path.isEmpty ? username : path)
        let namedHost = query["host"] ?? components.host.flatMap { host in
            host.isEmpty ? nil : host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        }
        if let namedHost, namedHost.hasPrefix("/") {
            socketFolder = namedHost
            host = "localhost"
        } else {
            host = namedHost ?? "localhost"
        }
        if let portText = query["port"] {
            guard let value = Int(portText) else {
                throw GlossError(.usage, "\(Self.redacted(text)): port \(portText) is not a number; \(example)")
            }
            port = value
        } else {
            port = components.port ?? 5432
        }
        guard (1...65535).contains(port) else {
            throw GlossError(.usage, "\(Self.redacted(text)): port \(port) is out of range 1–65535")
        }
        switch query["sslmode"] ?? "disable" {
        case "disable": requiresTLS = false
        case "require", "verify-full": requiresTLS = true
        case let mode:
            throw GlossError(.usage, "\(Self.redacted(text)): sslmode \(mode) is not supported; write sslmode=disable "
                             + "or sslmode=require")
        }
    }

    /// The Unix socket file the server listens on, for a URL that names a socket folder.
    public var socketPath: String? {
        socketFolder.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/.s.PGSQL.\(port)" }
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        let user = password == nil ? username : username + ":***"
        let location = socketFolder.map { "/\(database)?host=\($0)" + (port == 5432 ? "" : "&port=\(port)") }
            ?? (host.contains(":") ? "[\(host)]" : host) + ":\(port)/\(database)"
        if socketFolder != nil { return "postgresql://\(user)@\(location)" }
        return "postgresql://\(user)@\(location)" + (requiresTLS ? "?sslmode=require" : "")
    }

    /// The URL with its password, to connect with.
    public var connectionString: String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        let user = encoded(username) + (password.map { ":" + encoded($0) } ?? "")
        if let socketFolder {
            return "postgresql://\(user)@/\(encoded(database))?host=\(encoded(socketFolder))&port=\(port)"
        }
        let location = (host.contains(":") ? "[\(host)]" : host) + ":\(port)/\(encoded(database))"
        return "postgresql://\(user)@\(location)" + (requiresTLS ? "?sslmode=require" : "")
    }

    /// Whether `text` looks like a PostgreSQL URL rather than a file path.
    public static func isURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgresql:") || lowered.hasPrefix("postgres:")
    }

    /// `text` with any password replaced, for an error message about a URL that did not parse.
    private static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let schemeEnd = text.range(of: "://"),
              let colon = text[schemeEnd.upperBound..<at].firstIndex(of: ":") else { return text }
        return String(text[..<text.index(after: colon)]) + "***" + String(text[at...])
    }
}
