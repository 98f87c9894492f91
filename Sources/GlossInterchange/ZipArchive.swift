import CZlib
import Foundation
import GlossCore

/// ZIP archives (PKWARE APPNOTE 6.3): reading stored and DEFLATE entries, writing stored ones. Enough for
/// REFI-QDA projects (`.qdpx`); no ZIP64, encryption or multi-disk archives, which such projects do not use.
public struct ZipArchive {
    public struct Entry: Sendable {
        public var name: String
        public var data: [UInt8]

        public init(name: String, data: [UInt8]) {
            self.name = name
            self.data = data
        }
    }

    /// The entries of the archive in `bytes` (`file` names it in messages), in the central directory's order.
    public static func entries(of bytes: [UInt8], file: String) throws -> [Entry] {
        func fail(_ message: String) -> GlossError { GlossError(.badData, "not a readable ZIP archive: \(message)", at: SourceLocation(file: file)) }
        func u16(_ at: Int) throws -> Int {
            guard at >= 0, at + 2 <= bytes.count else { throw fail("truncated") }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8
        }
        func u32(_ at: Int) throws -> Int {
            guard at >= 0, at + 4 <= bytes.count else { throw fail("truncated") }
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
        let count = try u16(end + 10)
        var entry = try u32(end + 16)
        var result: [Entry] = []
        for _ in 0..<count {
            guard try u32(entry) == 0x0201_4B50 else { throw fail("a central directory entry is damaged") }
            let method = try u16(entry + 10), compressed = try u32(entry + 20), size = try u32(entry + 24)
            let nameLength = try u16(entry + 28), extraLength = try u16(entry + 30), commentLength = try u16(entry + 32)
            let local = try u32(entry + 42)
            guard entry + 46 + nameLength <= bytes.count else { throw fail("truncated") }
            let name = String(decoding: bytes[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self)
            guard try u32(local) == 0x0403_4B50 else { throw fail("the local header of \(name) is damaged") }
            let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard start >= 0, start + compressed <= bytes.count, size <= 1 << 30, compressed <= 1 << 30 else { throw fail("\(name) lies outside the archive or is larger than 1 GiB") }
            let stored = Array(bytes[start..<(start + compressed)])
            switch method {
            case 0: result.append(Entry(name: name, data: stored))
            case 8: result.append(Entry(name: name, data: try inflate(stored, size: size, name: name, file: file)))
            default: throw fail("\(name) is compressed with method \(method); Gloss reads stored and DEFLATE entries")
            }
            entry += 46 + nameLength + extraLength + commentLength
        }
        return result
    }

    private static func inflate(_ input: [UInt8], size: Int, name: String, file: String) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: max(size, 1))
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GlossError(.ioFailure, "cannot start zlib", at: SourceLocation(file: file))
        }
        defer { inflateEnd(&stream) }
        var input = input
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else {
            throw GlossError(.badData, "not a readable ZIP archive: \(name) does not decompress to its recorded size", at: SourceLocation(file: file))
        }
        return Array(output.prefix(size))
    }

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
