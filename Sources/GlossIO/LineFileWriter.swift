import Foundation
import GlossCore

/// Writes a text file line by line through a buffer, under a temporary name (`PATH.partial-PID`) until it is
/// moved into place, so that a failed export never leaves a half-written file under the real name.
public final class LineFileWriter {
    /// The finished file, not yet under its real name.
    public struct Partial {
        let temporaryPath: String
        let path: String

        public func moveIntoPlace() throws { try OutputFile.moveIntoPlace(temporaryPath, path) }

        public func discard() { try? FileManager.default.removeItem(atPath: temporaryPath) }
    }

    private let handle: FileHandle
    private let path: String
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 20

    private init(handle: FileHandle, path: String) {
        self.handle = handle
        self.path = path
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Writes the lines `body` produces to `path.partial-PID`. Errors from `body` pass through unchanged;
    /// on any error the partial file is removed.
    public static func write(to path: String, _ body: (LineFileWriter) throws -> Void) throws -> Partial {
        let partial = Partial(temporaryPath: OutputFile.partialPath(for: path), path: path)
        guard FileManager.default.createFile(atPath: partial.temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial.temporaryPath) else {
            throw GlossError(.ioFailure, "cannot create the file", at: SourceLocation(file: partial.temporaryPath))
        }
        let writer = LineFileWriter(handle: handle, path: path)
        do {
            try body(writer)
            try writer.flush()
            try writer.fileOperation { try handle.synchronize() }
            try writer.fileOperation { try handle.close() }
        } catch {
            try? handle.close()
            partial.discard()
            throw error
        }
        return partial
    }

    public func writeLine(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try fileOperation { try handle.write(contentsOf: buffer) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func fileOperation(_ operation: () throws -> Void) throws {
        do {
            try operation()
        } catch {
            throw GlossError(.ioFailure, "cannot write the file: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
    }
}
