import Foundation
import GlossCore
import GlossIO

/// Writes annotations as CSV for R, pandas and SPSS: one row per annotation, one column per feature.
///
/// Columns: `annotation_id, document, coder, layer, start, end, quote`, then every feature name used by the
/// exported annotations (sorted), then `codebook` and `needs_recoding`. Offsets are code points, half-open,
/// as R's `substr` (plus one) and Python's string slices count in a UTF-8 text. A feature cell holds a string
/// as it is, a number or boolean as JSON, and a list as JSON (`["a","b"]`); an unset feature is an empty cell.
///
/// The file is RFC 4180 CSV in UTF-8 with CRLF line ends; a cell with a comma, quote, CR, LF or edge space
/// is quoted. Spreadsheet formula injection is neutralised: a text cell that starts with `=`, `+`, `-`,
/// `@`, tab or CR gets a leading `'` and is quoted, so that Excel, LibreOffice and Google Sheets show it as
/// text (Gloss's own numbers are never changed). With `startsWithByteOrderMark`, the file begins with U+FEFF,
/// which Excel needs to read UTF-8.
public struct CSVExporter {
    public struct Report: Sendable, Equatable {
        public var rows = 0
        public var featureColumns: [String] = []
    }

    public let store: any ProjectStore
    public let filter: AnnotationFilter
    public let startsWithByteOrderMark: Bool
    /// Which of the filter's annotations to write (the server leaves out what a coder may not see).
    public let includes: (Annotation) -> Bool

    public init(store: any ProjectStore, filter: AnnotationFilter = AnnotationFilter(),
                startsWithByteOrderMark: Bool = false, includes: @escaping (Annotation) -> Bool = { _ in true }) {
        self.store = store
        self.filter = filter
        self.startsWithByteOrderMark = startsWithByteOrderMark
        self.includes = includes
    }

    /// Writes the CSV file; refuses (exit 73) when `path` is already there, unless `overwriting`.
    @discardableResult
    public func export(to path: String, overwriting: Bool = false) throws -> Report {
        try OutputFile.prepare([path], overwriting: overwriting)
        return try store.read { reader in
            var names: Set<[UInt8]> = []
            try reader.forEachAnnotation(matching: filter) { annotation in
                guard includes(annotation) else { return }
                for name in annotation.features.keys { names.insert(Array(name.utf8)) }
            }
            let features = names.sorted { $0.lexicographicallyPrecedes($1) }.map { String(decoding: $0, as: UTF8.self) }
            var report = Report(featureColumns: features)
            let header = ["annotation_id", "document", "coder", "layer", "start", "end", "quote"] + features + ["codebook", "needs_recoding"]
            let partial = try LineFileWriter.write(to: path) { output in
                try output.writeLine((startsWithByteOrderMark ? "\u{FEFF}" : "") + header.map { Self.cell($0, isText: true) }.joined(separator: ",") + "\r")
                try reader.forEachAnnotation(matching: filter) { annotation in
                    guard includes(annotation) else { return }
                    var cells = [String(annotation.id), Self.cell(annotation.documentID, isText: true), Self.cell(annotation.coder, isText: true),
                                 Self.cell(annotation.layer, isText: true), String(annotation.span.start), String(annotation.span.end),
                                 Self.cell(annotation.quote, isText: true)]
                    for name in features {
                        switch annotation.features[name] {
                        case nil: cells.append("")
                        case .string(let text)?: cells.append(Self.cell(text, isText: true))
                        case let value?: cells.append(Self.cell(value.canonicalJSON, isText: false))
                        }
                    }
                    cells.append(Self.cell(annotation.codebook?.description ?? "", isText: true))
                    cells.append(Self.cell(annotation.needsRecoding ?? "", isText: true))
                    try output.writeLine(cells.joined(separator: ",") + "\r")
                    report.rows += 1
                }
            }
            try partial.moveIntoPlace()
            return report
        }
    }

    /// One CSV cell: neutralised when it is text that a spreadsheet would read as a formula, quoted when needed.
    static func cell(_ value: String, isText: Bool) -> String {
        var value = value
        var mustQuote = false
        if isText, let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
            mustQuote = true
        }
        if mustQuote || value.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || value.unicodeScalars.first == " " || value.unicodeScalars.last == " " {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
