import CZlib
import Foundation
import GlossCore

/// ZIP archives (PKWARE APPNOTE 6.3): reading stored and DEFLATE entries, writing stored ones. Enough for
/// REFI-QDA projects (`.qdpx`); no ZIP64, encryption or multi-disk archives, which such projects do not use.
///
/// Reading parses the central directory only; an entry is expanded when asked for (`data(of:)`), so entries that
/// are never asked for cost nothing. Expansion streams through zlib in 64 KiB chunks and stops, refusing the
/// archive (65), as soon as an entry grows beyond its recorded size, beyond `Limits.maximumRatio` times its
/// compressed size, or the entries expanded so far beyond `Limits.maximumTotalSize`; what was expanded must
/// match the recorded CRC-32. Opening refuses a directory whose entries overlap or lie outside the archive.
public struct ZipArchive: Sendable {
    /// An entry to write, or one read whole by `entries(of:file:limits:)`.
    public struct Entry: Sendable {
        public var name: String
        public var data: [UInt8]

        public init(name: String, data: [UInt8]) {
            self.name = name
            self.data = data
        }
    }

    /// How far reading may expand an archive: the defence against ZIP bombs.
    public struct Limits: Sendable, Equatable {
        /// The most bytes all the entries read from one archive may expand to together (default 1 GiB).
        public var maximumTotalSize: Int
        /// The most an entry may expand per compressed byte (default 1,000; 4 KiB more are always allowed).
        /// DEFLATE cannot exceed about 1,032 : 1; text rarely exceeds 20 : 1.
        public var maximumRatio: Int

        /// 1 GiB in all, 1,000 : 1 per entry.
        public static let `default` = Limits()

        public init(maximumTotalSize: Int = 1 << 30, maximumRatio: Int = 1_000) {
            self.maximumTotalSize = max(0, maximumTotalSize)
            self.maximumRatio = max(1, maximumRatio)
        }
    }

    /// An entry as the central directory records it; its data is read with `data(of:)`.
    public struct DirectoryEntry: Sendable, Equatable {
        public let name: String
        /// 0 (stored) or 8 (DEFLATE); others are refused when read.
        public let method: Int
        /// The general purpose flags (bit 0: encrypted).
        public let flags: Int
        public let crc32: UInt32
        public let compressedSize: Int
        /// The recorded (uncompressed) size.
        public let size: Int
        /// The offset of the entry's local header.
        public let headerOffset: Int
        /// The offset of the entry's compressed data.
        public let dataOffset: Int
    }

    /// The archive's path, for messages.
    public let file: String
    public let limits: Limits
    /// The entries in the central directory's order.
    public let directory: [DirectoryEntry]
    /// The bytes the entries read so far expanded to, counted against `limits.maximumTotalSize`.
    public private(set) var expandedSize = 0
    private let bytes: [UInt8]

    /// The bytes of an inflation step, and of the first reservation of an entry's buffer at most.
    static let chunkSize = 1 << 16

    /// Opens the archive in `bytes` (`file` names it in messages): parses and checks its central directory
    /// without expanding anything. Refuses (65) a damaged directory, ZIP64, several disks, and entries that
    /// overlap (a ZIP bomb's trick), lie outside the archive or overlap the directory.
    public init(bytes: [UInt8], file: String, limits: Limits = .default) throws {
        self.bytes = bytes
        self.file = file
        self.limits = limits
        directory = try Self.readDirectory(bytes, file: file)
    }

    /// The first entry named `name`, if any.
    public func entry(named name: String) -> DirectoryEntry? { directory.first { $0.name == name } }

    /// The expanded data of `entry`, counted against the limits; refused (65) beyond them, when the data does not
    /// match the recorded size and CRC-32, and for encrypted entries and methods other than stored and DEFLATE.
    public mutating func data(of entry: DirectoryEntry) throws -> [UInt8] {
        let name = entry.name
        guard entry.flags & 1 == 0 else { throw failure("\(name) is encrypted; Gloss reads unencrypted archives") }
        let (product, overflow) = entry.compressedSize.multipliedReportingOverflow(by: limits.maximumRatio)
        let (sum, carry) = product.addingReportingOverflow(4096)
        let allowed = overflow || carry ? Int.max : sum
        if entry.size > allowed { throw ratioFailure(name, size: entry.size, compressed: entry.compressedSize) }
        guard entry.size <= limits.maximumTotalSize - expandedSize else { throw totalFailure(name) }
        guard entry.dataOffset >= 0, entry.compressedSize >= 0,
              entry.compressedSize <= bytes.count - entry.dataOffset else {
            throw failure("\(name) lies outside the archive")
        }
        let stored = entry.dataOffset..<(entry.dataOffset + entry.compressedSize)
        let output: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.size else {
                throw failure("\(name) is stored with \(entry.compressedSize) bytes but records \(entry.size)")
            }
            output = Array(bytes[stored])
        case 8:
            output = try inflate(stored, entry: entry, allowed: allowed)
        default:
            throw failure("\(name) is compressed with method \(entry.method); Gloss reads stored and DEFLATE entries")
        }
        guard output.count == entry.size else {
            throw failure("\(name) expands to \(output.count) bytes but records \(entry.size)")
        }
        let crc = output.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
        guard crc == entry.crc32 else {
            throw failure("\(name) fails its CRC-32 check (recorded \(Self.hex(entry.crc32)), found \(Self.hex(crc)))")
        }
        expandedSize += output.count
        return output
    }

    /// The expanded data of the first entry named `name`, or nil when there is none.
    public mutating func data(named name: String) throws -> [UInt8]? {
        guard let entry = self.entry(named: name) else { return nil }
        return try data(of: entry)
    }

    /// Every entry of the archive in `bytes` (`file` names it in messages), in the central directory's order,
    /// expanded within `limits`.
    public static func entries(of bytes: [UInt8], file: String, limits: Limits = .default) throws -> [Entry] {
        var archive = try ZipArchive(bytes: bytes, file: file, limits: limits)
        var result: [Entry] = []
        for entry in archive.directory { result.append(Entry(name: entry.name, data: try archive.data(of: entry))) }
        return result
    }

    // MARK: Reading

    private static func readDirectory(_ bytes: [UInt8], file: String) throws -> [DirectoryEntry] {
        func fail(_ message: String) -> GlossError {
            GlossError(.badData, "not a readable ZIP archive: \(message)", at: SourceLocation(file: file))
        }
        func u16(_ at: Int) throws -> Int {
            guard at >= 0, at <= bytes.count - 2 else { throw fail("truncated") }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8
        }
        func u32(_ at: Int) throws -> Int {
            guard at >= 0, at <= bytes.count - 4 else { throw fail("truncated") }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        // The end of central directory record is within the last 64 KiB + 22 bytes.
        var end = -1
        var position = bytes.count - 22
        while position >= max(0, bytes.count - 65_557) {
            if try u32(position) == 0x0605_4B50 { end = position; break }
            position -= 1
        }
        guard end >= 0 else { throw fail("no end of central directory") }
        if end >= 20, try u32(end - 20) == 0x0706_4B50 { throw fail("it uses ZIP64, which Gloss does not read") }
        guard try u16(end + 4) == 0, try u16(end + 6) == 0, try u16(end + 8) == u16(end + 10) else {
            throw fail("it spans several disks")
        }
        let count = try u16(end + 10), directorySize = try u32(end + 12), directoryStart = try u32(end + 16)
        guard directoryStart + directorySize <= end else {
            throw fail("the central directory lies outside the archive")
        }
        let directoryEnd = directoryStart + directorySize
        var record = directoryStart
        var result: [DirectoryEntry] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            guard record + 46 <= directoryEnd, try u32(record) == 0x0201_4B50 else {
                throw fail("a central directory entry is damaged")
            }
            let flags = try u16(record + 8), method = try u16(record + 10), crc = try u32(record + 16)
            let compressed = try u32(record + 20), size = try u32(record + 24)
            let nameLength = try u16(record + 28), extraLength = try u16(record + 30)
            let commentLength = try u16(record + 32), local = try u32(record + 42)
            let next = record + 46 + nameLength + extraLength + commentLength
            guard next <= directoryEnd else { throw fail("a central directory entry is damaged") }
            let name = String(decoding: bytes[(record + 46)..<(record + 46 + nameLength)], as: UTF8.self)
            guard compressed != 0xFFFF_FFFF, size != 0xFFFF_FFFF, local != 0xFFFF_FFFF else {
                throw fail("\(name) uses ZIP64, which Gloss does not read")
            }
            guard local + 30 <= directoryStart, try u32(local) == 0x0403_4B50 else {
                throw fail("the local header of \(name) is damaged")
            }
            let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard start + compressed <= directoryStart else { throw fail("\(name) lies outside the archive") }
            result.append(DirectoryEntry(name: name, method: method, flags: flags, crc32: UInt32(crc),
                                         compressedSize: compressed, size: size, headerOffset: local,
                                         dataOffset: start))
            record = next
        }
        // Each entry's local header and data must lie apart from every other's: overlapping entries let a small
        // archive expand the same compressed bytes many times.
        let ordered = result.sorted { $0.headerOffset < $1.headerOffset }
        for (first, second) in zip(ordered, ordered.dropFirst())
        where second.headerOffset < first.dataOffset + first.compressedSize {
            throw GlossError(.badData, "the entries \(first.name) and \(second.name) overlap, as in a ZIP bomb; "
                             + "the archive is refused", at: SourceLocation(file: file))
        }
        return result
    }

    /// Streams the DEFLATE data in `range` through zlib into a growing buffer, refusing it as soon as it exceeds
    /// the entry's recorded size, `allowed` (the ratio limit) or what remains of the total limit.
    private func inflate(_ range: Range<Int>, entry: DirectoryEntry, allowed: Int) throws -> [UInt8] {
        let name = entry.name
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GlossError(.ioFailure, "cannot start zlib", at: SourceLocation(file: file))
        }
        defer { inflateEnd(&stream) }
        let remaining = limits.maximumTotalSize - expandedSize
        var output: [UInt8] = []
        output.reserveCapacity(min(entry.size, Self.chunkSize))
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        try bytes.withUnsafeBufferPointer { archive in
            guard let base = archive.baseAddress else { return }
            stream.next_in = UnsafeMutablePointer(mutating: base + range.lowerBound)
            stream.avail_in = uInt(range.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = Self.chunkSize - Int(stream.avail_out)
                if output.count + produced > remaining { throw totalFailure(name) }
                if output.count + produced > entry.size {
                    throw failure("\(name) expands beyond the \(entry.size) bytes it records")
                }
                if output.count + produced > allowed {
                    throw ratioFailure(name, size: output.count + produced, compressed: entry.compressedSize)
                }
                output.append(contentsOf: chunk[0..<produced])
                switch status {
                case Z_STREAM_END:
                    return
                case Z_OK:
                    continue
                case Z_BUF_ERROR where produced > 0:
                    continue
                case Z_BUF_ERROR:
                    throw failure("the DEFLATE data of \(name) is truncated")
                default:
                    throw failure("the DEFLATE data of \(name) is damaged")
                }
            }
        }
        return output
    }

    private func failure(_ message: String) -> GlossError {
        GlossError(.badData, "not a readable ZIP archive: \(message)", at: SourceLocation(file: file))
    }

    private func totalFailure(_ name: String) -> GlossError {
        let limit = limits.maximumTotalSize
        return GlossError(.badData, "the entry \(name) expands the archive beyond \(limit) bytes "
                          + "(\(Self.readable(limit))); raise --max-archive-size if the archive is genuine",
                          at: SourceLocation(file: file))
    }

    private func ratioFailure(_ name: String, size: Int, compressed: Int) -> GlossError {
        GlossError(.badData, "the entry \(name) expands to \(size) bytes from \(compressed), more than "
                   + "\(limits.maximumRatio) : 1, as in a ZIP bomb; the archive is refused",
                   at: SourceLocation(file: file))
    }

    /// `bytes` in the largest binary unit that divides it (1073741824 is "1 GiB"), else in bytes.
    static func readable(_ bytes: Int) -> String {
        for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")]
        where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return bytes == 1 ? "1 byte" : "\(bytes) bytes"
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }

    // MARK: Writing

    /// A ZIP archive of `entries`, stored uncompressed, with their CRC-32. Without ZIP64, an archive holds at most
    /// 65,535 entries and 4 GiB; more is refused (exit 74) rather than written wrong.
    public static func archive(_ entries: [Entry]) throws -> [UInt8] {
        let total = entries.reduce(0) { $0 + 76 + 2 * $1.name.utf8.count + $1.data.count }
        guard entries.count <= 0xFFFF, total < 0xFFFF_FFFF else {
            throw GlossError(.ioFailure, "the archive would hold \(entries.count) files and \(total) bytes, more than a ZIP file without ZIP64 can; export fewer documents (--doc)")
        }
        var bytes: [UInt8] = [], directory: [UInt8] = []
        func append16(_ value: Int, to buffer: inout [UInt8]) { buffer += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func append32(_ value: Int, to buffer: inout [UInt8]) { append16(value & 0xFFFF, to: &buffer); append16(value >> 16 & 0xFFFF, to: &buffer) }
        for entry in entries {
            let name = Array(entry.name.utf8)
            let crc = entry.data.withUnsafeBufferPointer { Int(crc32(0, $0.baseAddress, uInt($0.count))) }
            let offset = bytes.count
            // Local header: version 2.0, flag bit 11 (UTF-8 names), stored, no time.
            append32(0x0403_4B50, to: &bytes); append16(20, to: &bytes); append16(0x0800, to: &bytes); append16(0, to: &bytes)
            append16(0, to: &bytes); append16(0x21, to: &bytes)
            append32(crc, to: &bytes); append32(entry.data.count, to: &bytes); append32(entry.data.count, to: &bytes)
            append16(name.count, to: &bytes); append16(0, to: &bytes)
            bytes += name + entry.data
            append32(0x0201_4B50, to: &directory); append16(20, to: &directory); append16(20, to: &directory); append16(0x0800, to: &directory)
            append16(0, to: &directory); append16(0, to: &directory); append16(0x21, to: &directory)
            append32(crc, to: &directory); append32(entry.data.count, to: &directory); append32(entry.data.count, to: &directory)
            append16(name.count, to: &directory); append16(0, to: &directory); append16(0, to: &directory); append16(0, to: &directory)
            append16(0, to: &directory); append32(0, to: &directory); append32(offset, to: &directory)
            directory += name
        }
        let directoryOffset = bytes.count
        bytes += directory
        append32(0x0605_4B50, to: &bytes); append16(0, to: &bytes); append16(0, to: &bytes)
        append16(entries.count, to: &bytes); append16(entries.count, to: &bytes)
        append32(directory.count, to: &bytes); append32(directoryOffset, to: &bytes); append16(0, to: &bytes)
        return bytes
    }
}
