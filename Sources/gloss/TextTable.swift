import Foundation

/// A plain-text table for listings: columns padded to their widest cell, long cells shortened on a terminal.
struct TextTable {
    private let columns: [String]
    private let shortensCells: Bool
    private var rows: [[String]] = []
    private static let maximumCellWidth = 48

    /// A table whose long cells are cut with "…" only when `shortensCells` (by default: when standard output is
    /// a terminal, so that a pipe or a file gets every character).
    init(columns: [String], shortensCells: Bool = isatty(STDOUT_FILENO) == 1) {
        self.columns = columns
        self.shortensCells = shortensCells
    }

    /// Adds a row; the cell at `wrapping` (if any) is kept whole instead of being shortened.
    mutating func add(_ row: [String], wrapping: Int? = nil) {
        rows.append(row.enumerated().map { Self.cell($1, shortened: shortensCells && $0 != wrapping) })
    }

    /// A cell's display form: control characters (line breaks, tabs) shown as spaces, long text cut with "…".
    /// Widths count grapheme clusters, which is what a terminal shows; this is display only, never an offset.
    private static func cell(_ text: String, shortened: Bool) -> String {
        let flattened = String(text.map { $0.unicodeScalars.contains { $0.properties.generalCategory == .control } ? " " : $0 })
        guard shortened, flattened.count > maximumCellWidth else { return flattened }
        return String(flattened.prefix(maximumCellWidth - 1)) + "…"
    }

    var isEmpty: Bool { rows.isEmpty }

    var rendered: String {
        var widths = columns.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let isLast = index == cells.count - 1
                text += isLast ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
            }
            return text + "\n"
        }
        return line(columns) + rows.map(line).joined()
    }
}
