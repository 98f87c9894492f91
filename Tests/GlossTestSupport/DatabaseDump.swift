import GRDB

/// Every row of every table of a SQLite file, as text: equal dumps mean equal databases.
public func databaseDump(at path: String) throws -> String {
    return try DatabaseQueue(path: path, configuration: readOnly).read { db in
        var text = ""
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            text += "# \(table)\n"
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY rowid") { text += row.description + "\n" }
        }
        return text
    }
}

/// The integer a SQL query returns from a SQLite file, read-only.
public func databaseInteger(at path: String, _ sql: String) throws -> Int? {
    return try DatabaseQueue(path: path, configuration: readOnly).read { try Int.fetchOne($0, sql: sql) }
}

/// The text a SQL query returns from a SQLite file, read-only (e.g. `PRAGMA integrity_check`).
public func databaseString(at path: String, _ sql: String) throws -> String? {
    return try DatabaseQueue(path: path, configuration: readOnly).read { try String.fetchOne($0, sql: sql) }
}

/// Read-only, and waiting (as `SQLiteStore` does) while a `gloss` process that is writing holds the lock, instead of
/// failing at once with "database is locked".
private var readOnly: Configuration {
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(10)
    return configuration
}
