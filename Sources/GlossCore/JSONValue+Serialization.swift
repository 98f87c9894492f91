extension JSONValue {
    /// Canonical JSON text: sorted object keys, no insignificant whitespace, non-ASCII kept as UTF-8,
    /// and only `"`, `\` and control characters escaped. Equal values give identical text.
    public var canonicalJSON: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// Appends the canonical JSON text of this value to `output`.
    public func write(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .integer(let value): output += String(value)
        case .number(let value):
            // Whole doubles print as "3.0", which parses back as a number, not an integer.
            output += value.description
        case .string(let value): JSONValue.writeString(value, to: &output)
        case .array(let values):
            output += "["
            for (offset, value) in values.enumerated() {
                if offset > 0 { output += "," }
                value.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (offset, key) in members.keys.sorted().enumerated() {
                if offset > 0 { output += "," }
                JSONValue.writeString(key, to: &output)
                output += ":"
                members[key]?.write(to: &output)
            }
            output += "}"
        }
    }

    /// Appends `value` as a JSON string literal.
    public static func writeString(_ value: String, to output: inout String) {
        output += "\""
        var pendingStart = value.unicodeScalars.startIndex
        var index = pendingStart
        let scalars = value.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let escaped: String?
            switch scalar {
            case "\"": escaped = "\\\""
            case "\\": escaped = "\\\\"
            case "\n": escaped = "\\n"
            case "\r": escaped = "\\r"
            case "\t": escaped = "\\t"
            case "\u{08}": escaped = "\\b"
            case "\u{0C}": escaped = "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    escaped = "\\u" + String(repeating: "0", count: 4 - hex.utf8.count) + hex
                } else {
                    escaped = nil
                }
            }
            if let escaped {
                output.unicodeScalars.append(contentsOf: scalars[pendingStart..<index])
                output += escaped
                pendingStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        output.unicodeScalars.append(contentsOf: scalars[pendingStart..<scalars.endIndex])
        output += "\""
    }
}
