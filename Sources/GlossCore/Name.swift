/// Rules for the names users give to documents, coders, layers and features.
public enum Name {
    /// What kind of name is being checked, for messages.
    public enum Kind: String, Sendable {
        case documentID = "document id"
        case coder = "coder name"
        case layer = "layer id"
        case feature = "feature id"
    }

    /// Checks a name, returning what is wrong with it, or nil when it is acceptable.
    ///
    /// Document ids and coder names: 1 to 200 code points, no control, format (zero-width, direction marks)
    /// or line-separator characters, no leading or trailing white space. Layer and feature ids: an ASCII letter or `_`, then letters, digits, `_`, `-` or `.`.
    public static func problem(with name: String, as kind: Kind) -> String? {
        switch kind {
        case .documentID, .coder:
            let utf8 = name.utf8
            if let first = utf8.first, let last = utf8.last, first != 0x20, last != 0x20, utf8.count <= 200,
               utf8.allSatisfy({ (0x20...0x7E).contains($0) }) {
                return nil  // printable ASCII without outer spaces: the common case, checked without Unicode tables
            }
            let scalars = name.unicodeScalars
            guard let first = scalars.first, let last = scalars.last else { return "the \(kind.rawValue) is empty" }
            if first.properties.isWhitespace || last.properties.isWhitespace {
                return "the \(kind.rawValue) \"\(name)\" starts or ends with white space"
            }
            if scalars.contains(where: { [.control, .format, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) }) {
                return "the \(kind.rawValue) \"\(name.debugEscaped)\" contains an invisible or control character (such as a zero-width space or a direction mark)"
            }
            var length = 0
            for _ in scalars { length += 1 }
            if length > 200 { return "the \(kind.rawValue) is longer than 200 characters" }
            return nil
        case .layer, .feature:
            let bytes = Array(name.utf8)
            guard let first = bytes.first else { return "the \(kind.rawValue) is empty" }
            let isStart = first == UInt8(ascii: "_") || isASCIILetter(first)
            let isRestValid = bytes.dropFirst().allSatisfy {
                isASCIILetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
            }
            guard isStart, isRestValid, bytes.count <= 100 else {
                return "the \(kind.rawValue) \"\(name.debugEscaped)\" is not valid; use an ASCII letter or '_' followed by letters, digits, '_', '-' or '.' (at most 100)"
            }
            return nil
        }
    }

    private static func isASCIILetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}

extension String {
    /// The string with control characters shown as escapes, for messages.
    var debugEscaped: String {
        var result = ""
        for scalar in unicodeScalars {
            if [.control, .format, .lineSeparator, .paragraphSeparator].contains(scalar.properties.generalCategory) {
                result += scalar.escaped(asASCII: true)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
