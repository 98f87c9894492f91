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

    /// Reads `path`, refusing a missing file (66), one that is not a regular file (66), an unreadable one (74)
    /// and invalid UTF-8 (65, with line and column). With `folder`, the file (after resolving symbolic links and
    /// `..`) must lie inside that folder (65): for files an input names or that lie beside it.
    public init(path: String, confinedTo folder: String? = nil) throws {
        try self.init(path: path, bytes: try Self.rawBytes(path: path, confinedTo: folder))
    }

    /// The bytes of a file that need not be text (an archive), refusing what `init(path:)` refuses except encoding.
    public static func rawBytes(path: String, confinedTo folder: String? = nil) throws -> [UInt8] {
        if let folder { try checkContainment(of: path, in: folder) }
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw GlossError(.missingInput, "no such file", at: SourceLocation(file: path)) }
            throw GlossError(.ioFailure, "cannot open the file: \(String(cString: strerror(code)))", at: SourceLocation(file: path))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw GlossError(.ioFailure, "cannot read the file: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
        }
        if let kind = kind(ofNonRegular: status.st_mode) {
            throw GlossError(.missingInput, "not a regular file but \(kind); give a file", at: SourceLocation(file: path))
        }
        // Read the size fstat gave, then until end of file (a file may grow while it is read).
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count: Int
            if filled < bytes.count {
                count = bytes.withUnsafeMutableBytes { buffer in
                    read(descriptor, buffer.baseAddress.map { $0 + filled }, buffer.count - filled)
                }
            } else {
                count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 { bytes.append(contentsOf: chunk[..<count]) }
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw GlossError(.ioFailure, "cannot read the file: \(String(cString: strerror(errno)))", at: SourceLocation(file: path))
            }
            if count == 0 { break }
            filled += count
        }
        if filled < bytes.count { bytes.removeSubrange(filled...) }
        return bytes
    }

    /// What a file of `mode` is, for messages ("a folder", "a FIFO (named pipe)", …), or nil for a regular file.
    public static func kind(ofNonRegular mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "something else"
        }
    }

    /// Refuses (65) a `path` that, once symbolic links and `..` are resolved, lies outside `folder`.
    public static func checkContainment(of path: String, in folder: String) throws {
        guard let base = realPath(folder.isEmpty ? "." : folder) else {
            throw GlossError(.missingInput, "no such folder", at: SourceLocation(file: folder))
        }
        guard let resolved = realPath(path) else { return }  // missing: reading it says so
        // Compared as bytes: String comparison would take canonically equivalent folder names as equal.
        guard resolved.utf8.starts(with: (base.hasSuffix("/") ? base : base + "/").utf8) else {
            throw GlossError(.badData, "leads to \(resolved), outside the folder \(folder); put the file itself in the folder",
                             at: SourceLocation(file: path))
        }
    }

    /// The canonical absolute path of an existing file (symbolic links and `..` resolved), or nil.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
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

    /// The files named by `paths`: files as given, folders expanded to the files with one of `extensions` below
    /// them (sorted; hidden files and folders skipped). Symbolic links inside a folder are followed only to files
    /// inside it; a name that is not UTF-8 is refused (65) with its bytes; folders nest at most 64 deep.
    public static func expand(_ paths: [String], extensions: Set<String>) throws -> [String] {
        var result: [String] = []
        for path in paths {
            var status = stat()
            guard stat(path, &status) == 0 else {
                throw GlossError(.missingInput, "no such file or folder", at: SourceLocation(file: path))
            }
            guard status.st_mode & S_IFMT == S_IFDIR else {
                result.append(path)
                continue
            }
            let found = try filesBelow(path, extensions: extensions)
            if found.isEmpty {
                throw GlossError(.missingInput, "the folder has no \(extensions.sorted().map { "." + $0 }.joined(separator: " or ")) files",
                                 at: SourceLocation(file: path))
            }
            result += found.sorted()
        }
        return result
    }

    /// The files with one of `extensions` below `root`, read with `readdir` so that names keep their bytes.
    private static func filesBelow(_ root: String, extensions: Set<String>) throws -> [String] {
        var found: [String] = []
        var pending: [(folder: String, depth: Int)] = [(root, 0)]
        while let (folder, depth) = pending.popLast() {
            guard let directory = opendir(folder) else {
                throw GlossError(.ioFailure, "cannot list the folder: \(String(cString: strerror(errno)))", at: SourceLocation(file: folder))
            }
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                let nameBytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
                guard let first = nameBytes.first, first != UInt8(ascii: ".") else { continue }  // ., .., hidden
                guard let name = String(validating: nameBytes, as: UTF8.self) else {
                    let shown = String(decoding: nameBytes, as: UTF8.self)
                    let hex = nameBytes.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
                    throw GlossError(.badData, "the file name \"\(shown)\" is not valid UTF-8 (bytes \(hex)); rename it",
                                     at: SourceLocation(file: folder))
                }
                let path = (folder as NSString).appendingPathComponent(name)
                var status = stat()
                guard lstat(path, &status) == 0 else { continue }
                switch status.st_mode & S_IFMT {
                case S_IFDIR:
                    guard depth < 64 else {
                        throw GlossError(.badData, "folders nest more than 64 deep here", at: SourceLocation(file: path))
                    }
                    pending.append((path, depth + 1))
                case S_IFLNK:
                    guard extensions.contains((name as NSString).pathExtension.lowercased()) else { continue }
                    try checkContainment(of: path, in: root)
                    found.append(path)
                default:
                    if extensions.contains((name as NSString).pathExtension.lowercased()) { found.append(path) }
                }
            }
        }
        return found
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
