import GlossCore

/// Splits an input file into JSON Lines records and parses each, with locations for errors.
struct JSONLines {
    let file: InputFile

    /// Calls `body` with each line's 1-based number and its parsed JSON value, or the error for that line.
    /// A final newline is allowed; blank lines elsewhere are errors, as JSON Lines has one value per line.
    func forEachLine(_ body: (Int, Result<JSONValue, GlossError>) throws -> Void) throws {
        try file.bytes.withUnsafeBufferPointer { buffer in
            var lineNumber = 0
            var lineStart = 0
            while lineStart < buffer.count {
                lineNumber += 1
                var lineEnd = lineStart
                while lineEnd < buffer.count && buffer[lineEnd] != 0x0A { lineEnd += 1 }
                let line = UnsafeBufferPointer(rebasing: buffer[lineStart..<lineEnd])
                let location = SourceLocation(file: file.path, line: lineNumber)
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    try body(lineNumber, .failure(GlossError(.badData, "empty line; JSON Lines needs one JSON object on every line (remove the blank line)", at: location)))
                } else {
                    do {
                        try body(lineNumber, .success(try JSONParser.parse(line)))
                    } catch let failure as JSONParser.Failure {
                        var located = location
                        located.column = Self.column(ofByte: failure.byteOffset, in: line)
                        try body(lineNumber, .failure(GlossError(.badData, "invalid JSON: \(failure.message)", at: located)))
                    }
                }
                lineStart = lineEnd + 1
            }
        }
    }

    /// The 1-based code-point column of a byte offset in a line.
    private static func column(ofByte offset: Int, in line: UnsafeBufferPointer<UInt8>) -> Int {
        var column = 1
        for index in 0..<min(offset, line.count) where line[index] & 0xC0 != 0x80 { column += 1 }
        return column
    }
}
