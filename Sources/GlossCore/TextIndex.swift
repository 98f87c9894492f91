/// Converts offsets in one text between code points, UTF-16 code units and UTF-8 bytes.
///
/// Built in one O(n) pass over the text's scalars. It records only the scalars that are wider than
/// one unit in the target encoding, so conversion is a binary search, O(log k) for k wide scalars
/// (O(1) for ASCII text), and memory is proportional to the number of wide scalars.
///
/// Offsets are positions *between* scalars, from 0 to the length inclusive. A position that falls
/// inside a surrogate pair or inside a UTF-8 sequence is refused, never rounded.
public struct TextIndex: Sendable {
    /// The number of Unicode scalars (code points) in the text.
    public let codePointCount: Int
    /// The number of UTF-16 code units in the text.
    public let utf16Count: Int
    /// The number of UTF-8 bytes in the text.
    public let utf8Count: Int

    private let utf16Wide: WideScalarTable
    private let utf8Wide: WideScalarTable

    public init(_ text: String) {
        var codePoints = 0, utf16 = 0, utf8 = 0
        var utf16Wide = WideScalarTable(), utf8Wide = WideScalarTable()
        for scalar in text.unicodeScalars {
            let width8 = UTF8.width(scalar), width16 = UTF16.width(scalar)
            if width8 > 1 { utf8Wide.append(codePoint: codePoints, unitOffset: utf8, width: width8) }
            if width16 > 1 { utf16Wide.append(codePoint: codePoints, unitOffset: utf16, width: width16) }
            codePoints += 1
            utf8 += width8
            utf16 += width16
        }
        self.codePointCount = codePoints
        self.utf16Count = utf16
        self.utf8Count = utf8
        self.utf16Wide = utf16Wide
        self.utf8Wide = utf8Wide
    }

    /// The length of the text in `unit`.
    public func length(in unit: OffsetUnit) -> Int {
        switch unit {
        case .codepoint: codePointCount
        case .utf16: utf16Count
        case .utf8: utf8Count
        }
    }

    /// Converts an offset counted in `unit` to a code-point offset.
    public func codePointOffset(_ offset: Int, from unit: OffsetUnit) throws(OffsetError) -> Int {
        guard offset >= 0, offset <= length(in: unit) else {
            throw .outOfBounds(offset: offset, unit: unit, length: length(in: unit))
        }
        switch unit {
        case .codepoint:
            return offset
        case .utf16:
            guard let result = utf16Wide.codePoint(atUnitOffset: offset) else { throw .insideSurrogatePair(offset: offset) }
            return result
        case .utf8:
            guard let result = utf8Wide.codePoint(atUnitOffset: offset) else { throw .insideUTF8Sequence(offset: offset) }
            return result
        }
    }

    /// Converts a code-point offset to an offset counted in `unit`.
    public func offset(fromCodePoint codePoint: Int, to unit: OffsetUnit) throws(OffsetError) -> Int {
        guard codePoint >= 0, codePoint <= codePointCount else {
            throw .outOfBounds(offset: codePoint, unit: .codepoint, length: codePointCount)
        }
        switch unit {
        case .codepoint: return codePoint
        case .utf16: return utf16Wide.unitOffset(atCodePoint: codePoint)
        case .utf8: return utf8Wide.unitOffset(atCodePoint: codePoint)
        }
    }

    /// Converts a half-open range counted in `unit` to a code-point span, checking its order and bounds.
    public func span(start: Int, end: Int, in unit: OffsetUnit) throws(OffsetError) -> TextSpan {
        guard start <= end else { throw .endBeforeStart(start: start, end: end) }
        return TextSpan(uncheckedStart: try codePointOffset(start, from: unit), end: try codePointOffset(end, from: unit))
    }
}

/// The scalars that take more than one unit in some encoding, in text order.
private struct WideScalarTable: Sendable {
    private var codePoints: [Int] = []
    private var unitOffsets: [Int] = []
    private var widths: [UInt8] = []

    mutating func append(codePoint: Int, unitOffset: Int, width: Int) {
        codePoints.append(codePoint)
        unitOffsets.append(unitOffset)
        widths.append(UInt8(width))
    }

    func unitOffset(atCodePoint codePoint: Int) -> Int {
        // Entries strictly before `codePoint`; the last of them fixes the running difference.
        let count = Self.countOfElements(in: codePoints, lessThanOrEqualTo: codePoint - 1)
        guard count > 0 else { return codePoint }
        let last = count - 1
        return unitOffsets[last] + Int(widths[last]) + (codePoint - codePoints[last] - 1)
    }

    /// The code point at a unit offset, or nil when the offset falls inside a wide scalar.
    func codePoint(atUnitOffset offset: Int) -> Int? {
        let count = Self.countOfElements(in: unitOffsets, lessThanOrEqualTo: offset)
        guard count > 0 else { return offset }
        let last = count - 1
        let start = unitOffsets[last], width = Int(widths[last])
        if offset == start { return codePoints[last] }
        if offset < start + width { return nil }
        return codePoints[last] + 1 + (offset - start - width)
    }

    /// Binary search: how many elements of the sorted array are ≤ `value`.
    private static func countOfElements(in sorted: [Int], lessThanOrEqualTo value: Int) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if sorted[mid] <= value { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
