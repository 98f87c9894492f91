import GlossCore

extension Continuum {
    /// A continuum `[0, length)` from CSV: a header `coder,start,end,label`, then one span per row with
    /// half-open code-point offsets.
    public static func csv(_ text: String, file: String, length: Int) throws -> (continuum: Continuum, coders: [String]) {
        let rows = try CSVReader.rows(text, file: file)
        guard let header = rows.first, header.fields.map({ $0.lowercased() }) == ["coder", "start", "end", "label"] else {
            throw GlossError(.badData, "the first row must be coder,start,end,label", at: SourceLocation(file: file, line: 1))
        }
        var coders: [String] = [], spans: [Span] = []
        for row in rows.dropFirst() {
            guard row.fields.count == 4, let start = Int(row.fields[1]), let end = Int(row.fields[2]) else {
                throw GlossError(.badData, "a row needs coder, start, end and label, with whole-number offsets", at: SourceLocation(file: file, line: row.line))
            }
            guard 0 <= start, start < end, end <= length else {
                throw GlossError(.badData, "[\(start), \(end)) is not a non-empty span within [0, \(length))", at: SourceLocation(file: file, line: row.line))
            }
            if !coders.contains(row.fields[0]) { coders.append(row.fields[0]) }
            spans.append(Span(coder: coders.firstIndex(of: row.fields[0]) ?? 0, start: start, end: end, label: row.fields[3]))
        }
        return (Continuum(begin: 0, end: length, coderCount: coders.count, spans: spans), coders)
    }
}
