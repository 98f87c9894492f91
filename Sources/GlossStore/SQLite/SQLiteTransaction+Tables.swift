import GRDB
import GlossCore

/// Row-level access for `ProjectCopy`.
extension SQLiteTransaction: ProjectTableAccess {
    func forEachRow(of table: ProjectTable, _ body: ([StoredValue]) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: table.selectAll)
        while let row = try rows.next() {
            try body(try row.databaseValues.map { value in
                switch value.storage {
                case .int64(let integer): .integer(integer)
                case .string(let text): .text(text)
                case .null: .null
                case .double, .blob:
                    throw GlossError(.badData, "\(table.rawValue) holds a value that is neither an integer nor text")
                }
            })
        }
    }

    func insertRow(_ values: [StoredValue], into table: ProjectTable) throws {
        let placeholders = Array(repeating: "?", count: values.count).joined(separator: ", ")
        try db.execute(sql: "INSERT INTO \(table.rawValue) (\(table.columns.joined(separator: ", "))) "
                       + "VALUES (\(placeholders))",
                       arguments: StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
                           switch value {
                           case .integer(let integer): integer
                           case .text(let text): text
                           case .null: nil
                           }
                       }))
    }

    /// AUTOINCREMENT keeps the largest id ever given in `sqlite_sequence`; the next id is one above it.
    func nextIDs() throws -> [ProjectTable: Int64] {
        var next: [ProjectTable: Int64] = [:]
        for table in ProjectTable.withLastingIDs {
            let given = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?",
                                           arguments: [table.rawValue]) ?? 0
            let largest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM \(table.rawValue)") ?? 0
            next[table] = max(given, largest) + 1
        }
        return next
    }

    func setNextIDs(_ ids: [ProjectTable: Int64]) throws {
        for (table, next) in ids where ProjectTable.withLastingIDs.contains(table) {
            let largest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM \(table.rawValue)") ?? 0
            let given = max(next - 1, largest)
            guard given > 0 else { continue }
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = ?", arguments: [table.rawValue])
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)",
                           arguments: [table.rawValue, given])
        }
    }
}
