import Foundation
import GlossCore

extension ReliabilityData {
    /// Reliability data from CSV text: a header `unit,<coder>,<coder>,...`, then one row per unit; an empty
    /// cell is a missing value. Quoting follows RFC 4180. Values are numbers or labels; `order` gives the
    /// order of the categories (needed for ordinal use of labels), else they are sorted.
    public static func csv(_ text: String, file: String, order: [String]? = nil) throws -> (data: ReliabilityData, coders: [String], units: [String]) {
        let rows = try CSVReader.rows(text, file: file)
        guard let header = rows.first, header.fields.count >= 2 else {
            throw GlossError(.badData, "the first row must be unit,<coder>,<coder>,... with at least one coder", at: SourceLocation(file: file, line: 1))
        }
        let coders = Array(header.fields.dropFirst())
        if let twice = coders.first(where: { name in coders.filter { $0 == name }.count > 1 }) {
            throw GlossError(.badData, "coder \(twice) appears twice in the header; give each coder one column", at: SourceLocation(file: file, line: 1))
        }
        var units: [String] = [], values: [[String?]] = []
        for row in rows.dropFirst() {
            guard row.fields.count == header.fields.count else {
                throw GlossError(.badData, "the row has \(row.fields.count) cells; the header has \(header.fields.count) (unit and \(coders.count) coders)", at: SourceLocation(file: file, line: row.line))
            }
            units.append(row.fields[0])
            values.append(row.fields.dropFirst().map { $0.isEmpty ? nil : $0 })
        }
        do throws(AgreementError) {
            return (try ReliabilityData(values: values, order: order), coders, units)
        } catch {
            throw GlossError(.badData, error.description, at: SourceLocation(file: file))
        }
    }
}

/// A small RFC 4180 reader: comma-separated fields, `"` quoting with `""` for a quote, CRLF or LF rows.
enum CSVReader {
    struct Row {
        var line: Int
        var fields: [String]
    }

    static func rows(_ text: String, file: String) throws -> [Row] {
        var rows: [Row] = []
        var fields: [String] = [], field = String.UnicodeScalarView()
        var line = 1, rowLine = 1, column = 0
        var inQuotes = false, wasQuoted = false
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endField() {
            // Spaces around an unquoted cell are layout, not data ("1, 2" is 1 and 2).
            fields.append(wasQuoted ? String(field) : String(field).trimmingCharacters(in: .whitespaces))
            field = String.UnicodeScalarView()
            wasQuoted = false
        }
        func endRow() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowLine, fields: fields)) }
            fields = []
        }
        while let scalar = pending ?? scalars.next() {
            pending = nil
            column += 1
            if inQuotes {
                if scalar == "\"" {
                    let next = scalars.next()
                    if next == "\"" { field.append("\""); column += 1 } else { inQuotes = false; pending = next }
                } else {
                    if scalar == "\n" { line += 1; column = 0 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",": endField()
            case "\"":
                guard field.isEmpty && !wasQuoted else {
                    throw GlossError(.badData, "a quote inside an unquoted cell; quote the whole cell and double the quote (\"\")", at: SourceLocation(file: file, line: line, column: column))
                }
                inQuotes = true
                wasQuoted = true
            case "\r":
                let next = scalars.next()
                if next != "\n" { pending = next }
                endRow(); line += 1; rowLine = line; column = 0
            case "\n":
                endRow(); line += 1; rowLine = line; column = 0
            default:
                field.append(scalar)
            }
        }
        if inQuotes { throw GlossError(.badData, "a quoted cell is not closed", at: SourceLocation(file: file, line: rowLine)) }
        if !field.isEmpty || !fields.isEmpty { endRow() }
        return rows
    }
}
