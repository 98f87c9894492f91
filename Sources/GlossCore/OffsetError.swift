/// Why an offset cannot be converted or used on a text.
public enum OffsetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offset is negative or beyond the end of the text.
    case outOfBounds(offset: Int, unit: OffsetUnit, length: Int)
    /// A UTF-16 offset that points between the two halves of a surrogate pair.
    case insideSurrogatePair(offset: Int)
    /// A UTF-8 offset that points inside a multi-byte sequence.
    case insideUTF8Sequence(offset: Int)
    /// A negative offset.
    case negative(offset: Int)
    /// A span whose end lies before its start.
    case endBeforeStart(start: Int, end: Int)

    public var description: String {
        switch self {
        case let .outOfBounds(offset, unit, length):
            return "offset \(offset) is outside the text, which has \(length) \(unit.pluralName) (valid offsets: 0...\(length))"
        case let .insideSurrogatePair(offset):
            return "UTF-16 offset \(offset) falls inside a surrogate pair (between the two halves of one astral character); use \(offset - 1) or \(offset + 1)"
        case let .insideUTF8Sequence(offset):
            return "UTF-8 offset \(offset) falls inside a multi-byte character; offsets must point at the start of a character"
        case let .negative(offset):
            return "offset \(offset) is negative; offsets count from 0"
        case let .endBeforeStart(start, end):
            return "end \(end) lies before start \(start)"
        }
    }
}

extension OffsetUnit {
    /// The unit's name in running text, e.g. "code points".
    public var pluralName: String {
        switch self {
        case .codepoint: "code points"
        case .utf16: "UTF-16 code units"
        case .utf8: "UTF-8 bytes"
        }
    }
}
