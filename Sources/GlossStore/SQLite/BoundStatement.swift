import GRDB
import GRDBSQLite

/// A prepared statement run with `sqlite3_bind_*` directly: the bulk-write path, which skips the boxing
/// of GRDB's `StatementArguments`. GRDB owns and finalizes the statement.
struct BoundStatement {
    /// A value to bind.
    enum Value {
        case integer(Int64)
        case text(String)
        case null
    }

    private let statement: Statement
    private let connection: OpaquePointer?

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        connection = db.sqliteConnection
    }

    /// Binds `values` to the parameters in order, runs the statement to completion, and resets it.
    func execute(_ values: [Value]) throws {
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let integer):
                code = sqlite3_bind_int64(handle, index, integer)
            case .null:
                code = sqlite3_bind_null(handle, index)
            case .text(let text):
                code = text.withCString { pointer in
                    sqlite3_bind_text(handle, index, pointer, Int32(text.utf8.count), Self.transient)
                }
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: connection.map { String(cString: sqlite3_errmsg($0)) },
                      sql: statement.sql)
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bound text before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
