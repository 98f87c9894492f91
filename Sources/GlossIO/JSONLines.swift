import Dispatch
import GlossCore

/// Reads the records of a JSON Lines file, with locations for errors.
///
/// Parsing runs one chunk of lines ahead on a background queue, so that on a machine with two cores
/// the next lines are parsed and decoded while the current ones are written to the database.
public struct JSONLines {
    public let file: InputFile
    /// A longer line is refused (as that line's error, so that `--skip-invalid` can skip it).
    public var maximumLineBytes = InputLimits.default.maximumLineBytes
    private static let chunkSize = 4096

    public init(file: InputFile, maximumLineBytes: Int = InputLimits.default.maximumLineBytes) {
        self.file = file
        self.maximumLineBytes = maximumLineBytes
    }

    /// Calls `body`, in file order, with each line's 1-based number and the record decoded from it, or the
    /// error for that line. Blank lines at the end of the file are ignored; a blank line before another
    /// record is an error, as JSON Lines has one value on every line.
    public func forEachRecord<Record: Sendable>(
        decode: @escaping @Sendable (JSONValue) throws(RecordError) -> Record,
        _ body: (Int, Result<Record, GlossError>) throws -> Void
    ) throws {
        let lines = lineRanges()
        let bytes = file.bytes, path = file.path, maximumLineBytes = maximumLineBytes
        let queue = DispatchQueue(label: "gloss.jsonlines")
        func start(_ chunk: Int) -> Pending<Record>? {
            let lower = chunk * Self.chunkSize
            guard lower < lines.count else { return nil }
            let slice = Array(lines[lower..<min(lower + Self.chunkSize, lines.count)])
            let pending = Pending<Record>()
            queue.async {
                pending.results = slice.map { line in Self.record(from: bytes, line: line, path: path, maximumLineBytes: maximumLineBytes, decode: decode) }
                pending.done.signal()
            }
            return pending
        }
        var chunk = 0
        var next = start(0)
        while let current = next {
            current.done.wait()
            chunk += 1
            next = start(chunk)
            for (offset, result) in current.results.enumerated() {
                try body(lines[(chunk - 1) * Self.chunkSize + offset].number, result)
            }
        }
    }

    /// Each line's number and byte range, without trailing blank lines.
    private func lineRanges() -> [(number: Int, range: Range<Int>)] {
        let bytes = file.bytes
        var lines: [(number: Int, range: Range<Int>)] = []
        var start = 0, number = 0
        while start < bytes.count {
            number += 1
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            lines.append((number, start..<end))
            start = end + 1
        }
        while let last = lines.last, bytes[last.range].allSatisfy(Self.isBlank) { lines.removeLast() }
        return lines
    }

    private static func record<Record>(from bytes: [UInt8], line: (number: Int, range: Range<Int>), path: String,
                                       maximumLineBytes: Int,
                                       decode: (JSONValue) throws(RecordError) -> Record) -> Result<Record, GlossError> {
        let location = SourceLocation(file: path, line: line.number)
        guard line.range.count <= maximumLineBytes else {
            return .failure(GlossError(.badData, "the line holds \(InputLimits.describe(line.range.count)), more than the limit of "
                                       + "\(InputLimits.describe(maximumLineBytes)); raise it with --max-line-bytes", at: location))
        }
        return bytes.withUnsafeBufferPointer { buffer in
            let text = UnsafeBufferPointer(rebasing: buffer[line.range])
            if text.allSatisfy(isBlank) {
                return .failure(GlossError(.badData, "empty line; JSON Lines needs one JSON object on every line (remove the blank line)", at: location))
            }
            let json: JSONValue
            do throws(JSONParser.Failure) {
                json = try JSONParser.parse(text)
            } catch {
                var located = location
                located.column = SourceLocation.column(ofByte: error.byteOffset, in: text)
                return .failure(GlossError(.badData, "invalid JSON: \(error.message)", at: located))
            }
            do throws(RecordError) {
                return .success(try decode(json))
            } catch {
                return .failure(GlossError(.badData, error.message, at: location))
            }
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
}

/// One chunk's results, filled in on the parsing queue and read after `done` is signalled.
private final class Pending<Record: Sendable>: @unchecked Sendable {
    var results: [Result<Record, GlossError>] = []
    let done = DispatchSemaphore(value: 0)
}
