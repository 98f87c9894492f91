import GlossCore

/// Row-level access for `ProjectCopy`.
extension PostgresTransaction: ProjectTableAccess {
    func forEachRow(of table: ProjectTable, _ body: ([StoredValue]) throws -> Void) throws {
        try session.forEachRow(table.selectAll, batch: table == .document ? 100 : 2_000) {
            try body(try $0.storedValues())
        }
    }

    func insertRow(_ values: [StoredValue], into table: ProjectTable) throws {
        let placeholders = (1...values.count).map { "$\($0)" }.joined(separator: ", ")
        try session.execute("INSERT INTO \(table.rawValue) (\(table.columns.joined(separator: ", "))) "
                            + "VALUES (\(placeholders))", values)
    }

    /// The next id of each identity: one above the sequence's last value, or its start when none was given yet.
    func nextIDs() throws -> [ProjectTable: Int64] {
        var next: [ProjectTable: Int64] = [:]
        for table in ProjectTable.withLastingIDs {
            let given = try session.integer("""
                SELECT pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass)
                """, [.text(table.rawValue)]) ?? 0
            let largest = try session.integer("SELECT MAX(id) FROM \(table.rawValue)") ?? 0
            next[table] = max(given, largest) + 1
        }
        return next
    }

    /// Sets every identity past the ids stored explicitly by the copy, and the lasting ones to the source's next ids.
    func setNextIDs(_ ids: [ProjectTable: Int64]) throws {
        for table in ProjectTable.allCases where table.key == ["id"] {
            let largest = try session.integer("SELECT MAX(id) FROM \(table.rawValue)") ?? 0
            let given = max(largest, (ids[table] ?? 1) - 1)
            if given > 0 { try raiseNextID(of: table, above: given) }
        }
    }
}
