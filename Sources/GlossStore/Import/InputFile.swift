import Foundation
import GlossCore

/// An input file read whole into memory and checked to be UTF-8.
public struct InputFile {
    public let path: String
    /// The file's bytes, without a leading UTF-8 byte order mark.
    public let bytes: [UInt8]

    /// Text already in memory, as if read from `path`: the byte order mark dropped, UTF-8 checked.
    public init(path: String, bytes: [UInt8]) throws {
        self.path = path
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
        if let badOffset = Self.firstInvalidUTF8Offset(in: bytes) {
            throw GlossError(.badData, "invalid UTF-8 (byte 0x\(String(bytes[badOffset], radix: 16, uppercase: true))); save the file as UTF-8",
                             at: location(ofByte: badOffset))
        }
    }

    /// Reads `path`, refusing a missing file (66), an unreadable one (74) and invalid UTF-8 (65, with line and column).
    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            if !FileManager.default.fileExists(atPath: path) {
                throw GlossError(.missingInput, "no such file", at: SourceLocation(file: path))
            }
            throw GlossError(.ioFailure, "cannot read the file: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
        if let badOffset = Self.firstInvalidUTF8Offset(in: bytes) {
            throw GlossError(.badData, "invalid UTF-8 (byte 0x\(String(bytes[badOffset], radix: 16, uppercase: true))); save the file as UTF-8",
                             at: location(ofByte: badOffset))
        }
    }

    /// The bytes of a file that need not be text (an archive), refusing a missing file (66) and an
    /// unreadable one (74).
    public static func rawBytes(path: String) throws -> [UInt8] {
        do {
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            if !FileManager.default.fileExists(atPath: path) { throw GlossError(.missingInput, "no such file", at: SourceLocation(file: path)) }
            throw GlossError(.ioFailure, "cannot read the file: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
    }

    /// The text of the whole file.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The 1-based line and code-point column of a byte offset.
    public func location(ofByte offset: Int) -> SourceLocation {
        var line = 1, lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        let column = bytes.withUnsafeBufferPointer { buffer in
            SourceLocation.column(ofByte: offset - lineStart, in: UnsafeBufferPointer(rebasing: buffer[lineStart..<min(offset, buffer.count)]))
        }
        return SourceLocation(file: path, line: line, column: column)
    }

    /// The offset of the first byte that does not belong to a valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8Offset(in bytes: [UInt8]) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The files named by `paths`: files as given, folders expanded to the files with one of
    /// `extensions` below them (sorted, hidden files skipped).
    public static func expand(_ paths: [String], extensions: Set<String>) throws -> [String] {
        var result: [String] = []
        let fileManager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw GlossError(.missingInput, "no such file or folder", at: SourceLocation(file: path))
            }
            guard isDirectory.boolValue else {
                result.append(path)
                continue
            }
            guard let enumerator = fileManager.enumerator(atPath: path) else {
                throw GlossError(.ioFailure, "cannot list the folder", at: SourceLocation(file: path))
            }
            var found: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let name = (relative as NSString).lastPathComponent
                if name.hasPrefix(".") {
                    enumerator.skipDescendants()  // hidden folders (.git, .ipynb_checkpoints) and files
                    continue
                }
                if extensions.contains((name as NSString).pathExtension.lowercased()) {
                    found.append((path as NSString).appendingPathComponent(relative))
                }
            }
            if found.isEmpty {
                throw GlossError(.missingInput, "the folder has no \(extensions.sorted().map { "." + $0 }.joined(separator: " or ")) files",
                                 at: SourceLocation(file: path))
            }
            result += found.sorted()
        }
        return result
    }
}

extension SourceLocation {
    /// The 1-based code-point column of a byte offset within one line of UTF-8.
    static func column(ofByte offset: Int, in line: UnsafeBufferPointer<UInt8>) -> Int {
        var column = 1
        for index in 0..<min(offset, line.count) where line[index] & 0xC0 != 0x80 { column += 1 }
        return column
    }
}
