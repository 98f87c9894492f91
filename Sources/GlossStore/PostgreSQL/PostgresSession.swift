import Dispatch
import Foundation
import GlossCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO

/// One leased connection, used synchronously: each statement is sent with bound parameters (never spliced into the
/// SQL) and its result waited for on the calling thread, which is never one of NIO's event loops.
final class PostgresSession {
    let connection: PostgresConnection
    private let logger: Logger
    private var cursorCount = 0

    init(_ connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// How long a statement may go unanswered before its connection is given up: a safety net against a server or
    /// connection that fails without saying so (waits for the writers' lock end earlier, at `lock_timeout`).
    static let answerTimeout: TimeInterval = 300

    /// Runs one statement and returns every row of its result.
    @discardableResult
    func rows(_ sql: String, _ values: [StoredValue] = []) throws -> [PostgresRandomAccessRow] {
        // A statement sent on a closed connection is never answered (postgres-nio drops the failed write's
        // promise), so a connection the server closed, say after a failed statement, is not used again.
        guard !connection.isClosed else {
            throw GlossError(.ioFailure, "the connection to PostgreSQL was closed (the server stopped or ended the "
                             + "session); nothing more was committed")
        }
        let answer = NIOLockedValueBox<Result<PostgresQueryResult, any Error>?>(nil)
        let answered = DispatchSemaphore(value: 0)
        connection.query(try Self.query(sql, values), logger: logger).whenComplete { result in
            answer.withLockedValue { $0 = result }
            answered.signal()
        }
        guard answered.wait(timeout: .now() + Self.answerTimeout) == .success,
              let result = answer.withLockedValue({ $0 }) else {
            let _: EventLoopFuture<Void> = connection.close()
            throw GlossError(.ioFailure, "PostgreSQL did not answer within \(Int(Self.answerTimeout)) s; the "
                             + "connection was closed and nothing was committed")
        }
        return try result.get().rows.map { $0.makeRandomAccess() }
    }

    /// Runs one statement that returns no rows, or whose rows do not matter.
    func execute(_ sql: String, _ values: [StoredValue] = []) throws {
        try rows(sql, values)
    }

    /// The integer in the first column of the first row, or nil for no row or NULL.
    func integer(_ sql: String, _ values: [StoredValue] = []) throws -> Int64? {
        try rows(sql, values).first?.optionalInteger(0)
    }

    /// Calls `body` with each row of a query, fetched through a cursor in batches so that a large result never sits
    /// in memory whole; `body` may run other statements on this session between batches. Needs a transaction.
    func forEachRow(_ sql: String, _ values: [StoredValue] = [], batch: Int = 2_000,
                    _ body: (PostgresRandomAccessRow) throws -> Void) throws {
        cursorCount += 1
        let cursor = "gloss_cursor_\(cursorCount)"
        try execute("DECLARE \(cursor) NO SCROLL CURSOR FOR " + sql, values)
        while true {
            let fetched = try rows("FETCH FORWARD \(batch) FROM \(cursor)")
            for row in fetched { try body(row) }
            if fetched.count < batch { break }
        }
        try execute("CLOSE \(cursor)")
    }

    private static func query(_ sql: String, _ values: [StoredValue]) throws -> PostgresQuery {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .integer(let integer): bindings.append(integer)
            case .text(let text): bindings.append(text)
            case .null: bindings.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}

extension PostgresRandomAccessRow {
    func text(_ index: Int) throws -> String { try self[index].decode(String.self) }
    func optionalText(_ index: Int) throws -> String? { try self[index].decode(String?.self) }
    func integer(_ index: Int) throws -> Int64 { try self[index].decode(Int64.self) }
    func optionalInteger(_ index: Int) throws -> Int64? { try self[index].decode(Int64?.self) }
    func int(_ index: Int) throws -> Int { Int(try integer(index)) }
    func optionalInt(_ index: Int) throws -> Int? { try optionalInteger(index).map { Int($0) } }

    /// Every column as a stored value (integers and text only: the only types of Gloss's tables).
    func storedValues() throws -> [StoredValue] {
        try (0..<count).map { index in
            let cell = self[index]
            if cell.bytes == nil { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
            default: return .text(try cell.decode(String.self))
            }
        }
    }
}
