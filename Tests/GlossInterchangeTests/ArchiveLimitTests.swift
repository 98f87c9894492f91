import CZlib
import Foundation
import GlossCore
import GlossIO
import GlossInterchange
import GlossTestSupport
import Testing

/// ZIP bombs against the `.qdpx` reader: entries the project does not use are never expanded; used ones are
/// refused beyond `ZipArchive.Limits` (total size, ratio), when they lie about their size or CRC-32, and when
/// entries overlap.
@Suite("ZIP archive limits")
struct ArchiveLimitTests {
    static let demo = TestPaths.resources.appendingPathComponent("interop/refi-qda/qc-demo.qdpx").path

    /// An archive assembled entry by entry, with whatever sizes, CRC-32 and offsets the test wants.
    struct Builder {
        var bytes: [UInt8] = []
        var directory: [UInt8] = []
        var count = 0

        static func append16(_ value: Int, to buffer: inout [UInt8]) {
            buffer += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)]
        }

        static func append32(_ value: Int, to buffer: inout [UInt8]) {
            append16(value & 0xFFFF, to: &buffer)
            append16(value >> 16 & 0xFFFF, to: &buffer)
        }

        /// A local header and its data.
        static func local(_ name: String, method: Int, crc: UInt32, size: Int, data: [UInt8]) -> [UInt8] {
            var result: [UInt8] = []
            append32(0x0403_4B50, to: &result)
            append16(20, to: &result); append16(0x0800, to: &result); append16(method, to: &result)
            append16(0, to: &result); append16(0x21, to: &result)
            append32(Int(crc), to: &result); append32(data.count, to: &result); append32(size, to: &result)
            append16(name.utf8.count, to: &result); append16(0, to: &result)
            return result + Array(name.utf8) + data
        }

        /// Appends raw bytes (a local header and data); returns their offset.
        @discardableResult
        mutating func raw(_ piece: [UInt8]) -> Int {
            bytes += piece
            return bytes.count - piece.count
        }

        /// Appends a central directory record.
        mutating func central(_ name: String, method: Int, crc: UInt32, size: Int, compressed: Int, offset: Int,
                              flags: Int = 0x0800) {
            var record: [UInt8] = []
            Self.append32(0x0201_4B50, to: &record)
            Self.append16(20, to: &record); Self.append16(20, to: &record); Self.append16(flags, to: &record)
            Self.append16(method, to: &record); Self.append16(0, to: &record); Self.append16(0x21, to: &record)
            Self.append32(Int(crc), to: &record); Self.append32(compressed, to: &record)
            Self.append32(size, to: &record)
            Self.append16(name.utf8.count, to: &record)
            for _ in 0..<4 { Self.append16(0, to: &record) }
            Self.append32(0, to: &record); Self.append32(offset, to: &record)
            directory += record + Array(name.utf8)
            count += 1
        }

        /// Appends an entry whose local header and central record agree.
        mutating func add(_ name: String, method: Int = 8, crc: UInt32, size: Int, data: [UInt8], flags: Int = 0x0800) {
            let offset = raw(Self.local(name, method: method, crc: crc, size: size, data: data))
            central(name, method: method, crc: crc, size: size, compressed: data.count, offset: offset, flags: flags)
        }

        /// Appends `data` DEFLATE-compressed with its true size and CRC-32.
        mutating func add(_ name: String, deflating data: [UInt8]) {
            add(name, crc: ArchiveLimitTests.crc(data), size: data.count, data: ArchiveLimitTests.deflated(data))
        }

        /// The archive: entries, central directory, end record.
        func finished() -> [UInt8] {
            var result = bytes + directory
            Self.append32(0x0605_4B50, to: &result); Self.append16(0, to: &result); Self.append16(0, to: &result)
            Self.append16(count, to: &result); Self.append16(count, to: &result)
            Self.append32(directory.count, to: &result); Self.append32(bytes.count, to: &result)
            Self.append16(0, to: &result)
            return result
        }
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
    }

    /// Raw DEFLATE (no zlib header) of `input` at level 9; with `flush` Z_FULL_FLUSH, an unfinished stream whose
    /// copies may follow one another.
    static func deflated(_ input: [UInt8], flush: Int32 = Z_FINISH) -> [UInt8] {
        var stream = z_stream()
        let started = deflateInit2_(&stream, 9, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                                    Int32(MemoryLayout<z_stream>.size))
        precondition(started == Z_OK)
        defer { deflateEnd(&stream) }
        var input = input
        var output = [UInt8](repeating: 0, count: input.count + input.count / 100 + 1024)
        let produced = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                let status = deflate(&stream, flush)
                precondition(status == (flush == Z_FINISH ? Z_STREAM_END : Z_OK) && stream.avail_in == 0)
                return target.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(produced))
    }

    /// A genuine DEFLATE stream of 1 GiB of zeros (about 1 MB, made without deflating 1 GiB: 1,024 copies of one
    /// fully flushed MiB, then an empty final block) and its CRC-32.
    static let gigabyteOfZeros: (data: [UInt8], crc: UInt32) = {
        let mebibyte = [UInt8](repeating: 0, count: 1 << 20)
        let segment = deflated(mebibyte, flush: Z_FULL_FLUSH)
        var data: [UInt8] = []
        data.reserveCapacity(segment.count * 1024 + 2)
        for _ in 0..<1024 { data += segment }
        data += [0x03, 0x00]
        let one = crc32(0, nil, 0)
        var crc = mebibyte.withUnsafeBufferPointer { crc32(one, $0.baseAddress, uInt($0.count)) }
        let mebibyteCRC = crc
        for _ in 1..<1024 { crc = crc32_combine(crc, mebibyteCRC, 1 << 20) }
        return (data, UInt32(crc))
    }()

    /// The QualCoder demo's entries re-packed DEFLATE-compressed, with `project.qde` edited by `edit`, then
    /// `extra` appended.
    static func demo(editing edit: (String) -> String = { $0 },
                     extra: (inout Builder) -> Void = { _ in }) throws -> [UInt8] {
        var builder = Builder()
        for entry in try ZipArchive.entries(of: [UInt8](try Data(contentsOf: URL(fileURLWithPath: demo))), file: demo) {
            let data = entry.name == "project.qde" ? Array(edit(String(decoding: entry.data, as: UTF8.self)).utf8)
                : entry.data
            builder.add(entry.name, deflating: data)
        }
        extra(&builder)
        return builder.finished()
    }

    /// Appends six entries of 1 GiB of zeros (about 1 MB each), `bomb-1.bin` to `bomb-6.bin`.
    static func bombs(_ builder: inout Builder) {
        let (data, crc) = gigabyteOfZeros
        for number in 1...6 { builder.add("bomb-\(number).bin", crc: crc, size: 1 << 30, data: data) }
    }

    /// `count` bytes of numbered lines, which compress about 5 : 1.
    static func lines(_ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count + 16)
        var number = 0
        while result.count < count {
            result += Array("line \(number * 7919 % 100_003)\n".utf8)
            number += 1
        }
        return Array(result.prefix(count))
    }

    static func refusal(_ body: () throws -> Void) -> GlossError? {
        do { try body() } catch let error as GlossError { return error } catch { return nil }
        return nil
    }

    @Test func unusedBombEntriesAreNeverExpanded() throws {
        let bytes = try Self.demo(extra: Self.bombs)
        #expect(bytes.count > 6_000_000 && bytes.count < 7_000_000)
        // Timed from the bytes: reading the file is not what is measured.
        let clock = ContinuousClock()
        let start = clock.now
        let project = try REFIProject.read(archive: bytes, path: "bomb.qdpx")
        #expect(clock.now - start < .seconds(2))
        #expect(project.sources.map(\.document.externalID) == ["board_2017", "admin-1"])
        #expect(project.sources.map(\.selections.count).reduce(0, +) > 150)
        // Only project.qde and the two sources were expanded.
        var archive = try ZipArchive(bytes: bytes, file: "bomb.qdpx")
        #expect(archive.directory.count == 9)
        _ = try archive.data(named: "project.qde")
        _ = try archive.data(named: "sources/admin-1.txt")
        #expect(archive.expandedSize < 200_000)
        // Broken entries that are not used do not matter either.
        let broken = try Self.demo(extra: { builder in
            builder.add("garbage.bin", crc: 1, size: 100, data: [0xFF, 0xFF, 0xFF, 0xFF])
            builder.add("method-99.bin", method: 99, crc: 0, size: 1, data: [1])
            builder.add("encrypted.bin", method: 0, crc: 0, size: 1, data: [1], flags: 0x0801)
            builder.add("bad-crc.txt", method: 0, crc: 12345, size: 3, data: Array("abc".utf8))
        })
        #expect(try REFIProject.read(archive: broken, path: "broken.qdpx").sources.count == 2)
    }

    @Test func aUsedBombIsRefusedBeforeExpanding() throws {
        let edit = { (qde: String) in
            qde.replacingOccurrences(of: "\"admin-1.txt\"", with: "\"internal://bomb-3.bin\"")
        }
        let bytes = try Self.demo(editing: edit, extra: Self.bombs)
        let clock = ContinuousClock()
        let start = clock.now
        let error = Self.refusal { _ = try REFIProject.read(archive: bytes, path: "bomb.qdpx") }
        #expect(clock.now - start < .seconds(2))
        // About 1,011 : 1 with this zlib, so refused for the ratio; with 1 GiB of project.qde and sources besides,
        // the total limit would refuse it otherwise. Either way nothing is expanded.
        let message = try #require(error?.description)
        #expect(error?.code == .badData && message.hasPrefix("bomb.qdpx: the entry bomb-3.bin expands"))
        #expect(message.contains("ZIP bomb") || message.contains("raise --max-archive-size"), "\(message)")
    }

    @Test func aUsedEntryBeyondTheTotalLimitIsRefused() throws {
        var builder = Builder()
        builder.add("big.txt", deflating: Self.lines(128 << 10))
        builder.add("half-1.txt", deflating: Self.lines(40 << 10))
        builder.add("half-2.txt", deflating: Self.lines(40 << 10))
        let bytes = builder.finished()
        let limits = ZipArchive.Limits(maximumTotalSize: 64 << 10)
        var archive = try ZipArchive(bytes: bytes, file: "x.qdpx", limits: limits)
        let error = Self.refusal { _ = try archive.data(named: "big.txt") }
        #expect(error?.code == .badData)
        #expect(error?.description == "x.qdpx: the entry big.txt expands the archive beyond 65536 bytes (64 KiB); "
                + "raise --max-archive-size if the archive is genuine")
        #expect(archive.expandedSize == 0)
        // The limit counts every entry read: the second half no longer fits.
        #expect(try archive.data(named: "half-1.txt")?.count == 40 << 10)
        let second = Self.refusal { _ = try archive.data(named: "half-2.txt") }
        #expect(second?.message.contains("half-2.txt expands the archive beyond 65536 bytes (64 KiB)") == true)
        // The default is 1 GiB.
        var plenty = try ZipArchive(bytes: bytes, file: "x.qdpx")
        #expect(try plenty.data(named: "big.txt")?.count == 128 << 10)
        #expect(ZipArchive.Limits.default == ZipArchive.Limits(maximumTotalSize: 1 << 30, maximumRatio: 1_000))
    }

    @Test func anEntryThatExpandsBeyondItsRecordedSizeIsStopped() throws {
        // 16 MiB of zeros recorded as 1 KiB: expansion stops at the first 64 KiB chunk.
        let zeros = [UInt8](repeating: 0, count: 16 << 20)
        var builder = Builder()
        builder.add("liar.txt", crc: Self.crc(Array(zeros.prefix(1024))), size: 1024, data: Self.deflated(zeros))
        var archive = try ZipArchive(bytes: builder.finished(), file: "x.qdpx")
        let clock = ContinuousClock()
        let start = clock.now
        let error = Self.refusal { _ = try archive.data(named: "liar.txt") }
        #expect(clock.now - start < .milliseconds(500))
        #expect(error?.code == .badData)
        #expect(error?.message.contains("liar.txt expands beyond the 1024 bytes it records") == true)
    }

    @Test func aRecordedRatioAboveTheLimitIsRefusedWithoutExpanding() throws {
        // 100 bytes that are not DEFLATE data recording 200,000: refused for the ratio, not for the data.
        var builder = Builder()
        builder.add("ratio.txt", crc: 0, size: 200_000, data: [UInt8](repeating: 0xFF, count: 100))
        builder.add("fine.txt", crc: 0, size: 104_096, data: [UInt8](repeating: 0xFF, count: 100))
        var archive = try ZipArchive(bytes: builder.finished(), file: "x.qdpx")
        let error = Self.refusal { _ = try archive.data(named: "ratio.txt") }
        #expect(error?.code == .badData)
        #expect(error?.description == "x.qdpx: the entry ratio.txt expands to 200000 bytes from 100, "
                + "more than 1000 : 1, as in a ZIP bomb; the archive is refused")
        // 1,000 : 1 plus 4 KiB is allowed (and then found to be damaged).
        let damaged = Self.refusal { _ = try archive.data(named: "fine.txt") }
        #expect(damaged?.message.contains("DEFLATE data of fine.txt is damaged") == true)
        // A lower ratio limit applies as well.
        var strict = try ZipArchive(bytes: builder.finished(), file: "x.qdpx", limits: .init(maximumRatio: 10))
        #expect(Self.refusal { _ = try strict.data(named: "fine.txt") }?.message.contains("more than 10 : 1") == true)
    }

    @Test func overlappingEntriesAreRefused() throws {
        // Two directory records sharing one local header.
        var shared = Builder()
        let text = Array("shared".utf8)
        let (size, crc) = (text.count, Self.crc(text))
        let offset = shared.raw(Builder.local("a.txt", method: 0, crc: crc, size: size, data: text))
        shared.central("a.txt", method: 0, crc: crc, size: size, compressed: size, offset: offset)
        shared.central("b.txt", method: 0, crc: crc, size: size, compressed: size, offset: offset)
        let error = Self.refusal { _ = try ZipArchive(bytes: shared.finished(), file: "x.qdpx") }
        #expect(error?.code == .badData)
        #expect(error?.description
                == "x.qdpx: the entries a.txt and b.txt overlap, as in a ZIP bomb; the archive is refused")
        // One entry's local header quoted inside another's data.
        var quoted = Builder()
        let inner = Builder.local("inner.txt", method: 0, crc: crc, size: size, data: text)
        let outer = quoted.raw(Builder.local("outer.bin", method: 0, crc: Self.crc(inner), size: inner.count,
                                             data: inner))
        quoted.central("outer.bin", method: 0, crc: Self.crc(inner), size: inner.count, compressed: inner.count,
                       offset: outer)
        quoted.central("inner.txt", method: 0, crc: crc, size: size, compressed: size,
                       offset: outer + 30 + "outer.bin".utf8.count)
        let quotedError = Self.refusal { _ = try ZipArchive(bytes: quoted.finished(), file: "x.qdpx") }
        #expect(quotedError?.message.contains("outer.bin and inner.txt overlap") == true)
        // Adjacent entries are fine.
        var apart = Builder()
        apart.add("a.txt", method: 0, crc: crc, size: size, data: text)
        apart.add("b.txt", method: 0, crc: crc, size: size, data: text)
        var archive = try ZipArchive(bytes: apart.finished(), file: "x.qdpx")
        #expect(try archive.data(named: "b.txt") == text)
    }

    @Test func aCRCMismatchIsRefused() throws {
        let text = Array("some text".utf8)
        var builder = Builder()
        builder.add("stored.txt", method: 0, crc: Self.crc(text) ^ 1, size: text.count, data: text)
        builder.add("deflated.txt", crc: Self.crc(text) ^ 1, size: text.count, data: Self.deflated(text))
        var archive = try ZipArchive(bytes: builder.finished(), file: "x.qdpx")
        for name in ["stored.txt", "deflated.txt"] {
            let error = Self.refusal { _ = try archive.data(named: name) }
            #expect(error?.code == .badData, "\(name)")
            #expect(error?.message.contains("\(name) fails its CRC-32 check") == true, "\(name)")
        }
        #expect(archive.expandedSize == 0)
        // The same in a project: refused once a source uses the entry.
        func forged(_ builder: inout Builder) {
            let forged = Array("forged".utf8)
            builder.add("sources/forged.txt", crc: Self.crc(forged) ^ 0xFF, size: forged.count,
                        data: Self.deflated(forged))
        }
        let unused = try Self.demo(extra: forged)
        #expect(try REFIProject.read(archive: unused, path: "p.qdpx").sources.count == 2)
        let used = try Self.demo(editing: { $0.replacingOccurrences(of: "\"admin-1.txt\"", with: "\"forged.txt\"") },
                                 extra: forged)
        let error = Self.refusal { _ = try REFIProject.read(archive: used, path: "p.qdpx") }
        #expect(error?.description.hasPrefix("p.qdpx: not a readable ZIP archive: sources/forged.txt fails its CRC-32")
                == true)
    }

    @Test func aDamagedDirectoryIsRefused() throws {
        let text = Array("x".utf8)
        var builder = Builder()
        builder.central("far.txt", method: 0, crc: Self.crc(text), size: 1, compressed: 1, offset: 1 << 20)
        #expect(Self.refusal { _ = try ZipArchive(bytes: builder.finished(), file: "x.qdpx") }?.code == .badData)
        for bytes in [[], [UInt8](repeating: 0, count: 100), Array(builder.finished().dropFirst(3))] {
            #expect(Self.refusal { _ = try ZipArchive(bytes: bytes, file: "x.qdpx") }?.code == .badData)
        }
    }
}
