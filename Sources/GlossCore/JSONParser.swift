/// A strict RFC 8259 JSON parser over UTF-8 bytes that reports where it failed.
///
/// It refuses duplicate object keys, lone surrogate escapes, and nesting deeper than
/// `maximumDepth` (so hostile input cannot exhaust the stack). Input must already be valid UTF-8.
public struct JSONParser {
    /// Where parsing failed: a byte offset into the input and what was expected.
    public struct Failure: Error, Sendable, Equatable {
        public var byteOffset: Int
        public var message: String
    }

    public static let maximumDepth = 256

    /// Parses exactly one JSON value (surrounded by optional whitespace) from `bytes`.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> JSONValue {
        var parser = Cursor(bytes: bytes)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw Failure(byteOffset: parser.position, message: "unexpected text after the JSON value")
        }
        return value
    }

    /// Parses a sequence of JSON values separated by white space (JSON Lines, or pretty-printed values one
    /// after another), with the byte offset where each starts.
    public static func parseSequence(_ bytes: UnsafeBufferPointer<UInt8>) throws(Failure) -> [(value: JSONValue, byteOffset: Int)] {
        var parser = Cursor(bytes: bytes)
        var values: [(JSONValue, Int)] = []
        parser.skipWhitespace()
        while parser.position < bytes.count {
            let start = parser.position
            values.append((try parser.parseValue(depth: 0), start))
            parser.skipWhitespace()
        }
        return values
    }

    /// Parses one JSON value from a string.
    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        var text = text
        let result: Result<JSONValue, Failure> = text.withUTF8 { buffer in
            do throws(Failure) { return .success(try parse(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

private struct Cursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func fail(_ message: String, at offset: Int? = nil) -> JSONParser.Failure {
        JSONParser.Failure(byteOffset: offset ?? position, message: message)
    }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    mutating func parseValue(depth: Int) throws(JSONParser.Failure) -> JSONValue {
        guard let byte = current else { throw fail("unexpected end of input; the JSON value is incomplete") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("unexpected character; expected a JSON value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParser.Failure) {
        let start = position
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw fail("unexpected end of input; expected \(literal)") }
        for index in 0..<count where bytes[position + index] != literal.utf8Start[index] {
            throw fail("invalid literal; expected \(literal)", at: start)
        }
        position += count
    }

    mutating func parseObject(depth: Int) throws(JSONParser.Failure) -> JSONValue {
        guard depth <= JSONParser.maximumDepth else { throw fail("JSON nested deeper than \(JSONParser.maximumDepth) levels") }
        position += 1
        var object: [String: JSONValue] = [:]
        object.reserveCapacity(8)  // records have up to a dozen fields; growing from 1 rehashes three times
        skipWhitespace()
        if current == UInt8(ascii: "}") { position += 1; return .object(object) }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw fail("expected a string key in the object") }
            let keyOffset = position
            let key = try parseString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw fail("expected ':' after the object key") }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            guard object.updateValue(value, forKey: key) == nil else {
                throw fail("duplicate key \"\(key)\" in the object", at: keyOffset)
            }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"): position += 1; return .object(object)
            case nil: throw fail("unexpected end of input; the object is not closed with '}'")
            default: throw fail("expected ',' or '}' in the object")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParser.Failure) -> JSONValue {
        guard depth <= JSONParser.maximumDepth else { throw fail("JSON nested deeper than \(JSONParser.maximumDepth) levels") }
        position += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { position += 1; return .array(array) }
        while true {
            skipWhitespace()
            array.append(try parseValue(depth: depth))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"): position += 1; return .array(array)
            case nil: throw fail("unexpected end of input; the array is not closed with ']'")
            default: throw fail("expected ',' or ']' in the array")
            }
        }
    }

    mutating func parseString() throws(JSONParser.Failure) -> String {
        let open = position
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("control character U+\(hex4(UInt32(byte))) inside a string; escape it") }
            position += 1
        }
        guard position < bytes.count else { throw fail("unexpected end of input; the string is not closed", at: open) }
        var scratch = Array(UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard let escape = current else { break }
                position += 1
                switch escape {
                case UInt8(ascii: "\""): scratch.append(0x22)
                case UInt8(ascii: "\\"): scratch.append(0x5C)
                case UInt8(ascii: "/"): scratch.append(0x2F)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"):
                    let escapeStart = position - 2
                    var scalarValue = try parseHex4()
                    if (0xD800...0xDBFF).contains(scalarValue) {
                        guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                            throw fail("lone high surrogate \\u\(hex4(scalarValue)); a low surrogate escape must follow", at: escapeStart)
                        }
                        position += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else {
                            throw fail("high surrogate \\u\(hex4(scalarValue)) is followed by \\u\(hex4(low)), which is not a low surrogate", at: escapeStart)
                        }
                        scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                    } else if (0xDC00...0xDFFF).contains(scalarValue) {
                        throw fail("lone low surrogate \\u\(hex4(scalarValue))", at: escapeStart)
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { throw fail("invalid escape", at: escapeStart) }
                    UTF8.encode(scalar) { scratch.append($0) }
                default:
                    throw fail("invalid escape sequence in a string", at: position - 2)
                }
            default:
                if byte < 0x20 { throw fail("control character U+\(hex4(UInt32(byte))) inside a string; escape it") }
                scratch.append(byte)
                position += 1
            }
        }
        throw fail("unexpected end of input; the string is not closed", at: open)
    }

    mutating func parseHex4() throws(JSONParser.Failure) -> UInt32 {
        guard bytes.count - position >= 4 else { throw fail("unexpected end of input in a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("invalid hexadecimal digit in a \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    mutating func parseNumber() throws(JSONParser.Failure) -> JSONValue {
        let start = position
        if current == UInt8(ascii: "-") { position += 1 }
        guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw fail("invalid number") }
        if first == UInt8(ascii: "0") {
            position += 1
            if let next = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) { throw fail("numbers may not have leading zeros", at: start) }
        } else {
            skipDigits()
        }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            guard skipDigits() > 0 else { throw fail("expected digits after the decimal point") }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            position += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { throw fail("expected digits in the exponent") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        if isInteger {
            guard let value = Int(text) else { throw fail("integer \(text) is too large", at: start) }
            return .integer(value)
        }
        guard let value = Double(text), value.isFinite else { throw fail("number \(text) is out of range", at: start) }
        return .number(value)
    }

    @discardableResult
    mutating func skipDigits() -> Int {
        let start = position
        while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        return position - start
    }
}

private func hex4(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - hex.utf8.count)) + hex
}
