import Foundation
import GlossCore

/// Writes a text file line by line through a buffer, atomically: under a temporary name, renamed when done.
final class LineFileWriter {
    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 20

    private init(handle: FileHandle, path: String) {
        self.handle = handle
        self.path = path
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Creates `path` with the lines `body` writes; on failure the previous file (if any) is left as it was.
    static func write(to path: String, _ body: (LineFileWriter) throws -> Void) throws {
        let temporary = path + ".partial"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw GlossError(.ioFailure, "cannot create the file", at: SourceLocation(file: temporary))
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            let writer = LineFileWriter(handle: handle, path: temporary)
            try body(writer)
            try writer.flush()
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else {
                throw GlossError(.ioFailure, "cannot move the finished file into place: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            if let error = error as? GlossError { throw error }
            throw GlossError(.ioFailure, "cannot write the file: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
    }

    func writeLine(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw GlossError(.ioFailure, "cannot write the file: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
