/// A JSON value as Gloss reads and writes it: feature values and native JSONL records.
///
/// Integers and fractional numbers are kept apart so that `3` comes back as `3`, not `3.0`.
/// Objects have no duplicate keys (the parser refuses them) and are written with sorted keys.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// A short name of the value's JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The value as an integer: an integer, or a number with no fractional part that an `Int` holds (JSON Schema
    /// counts `2.0` as an integer, and some clients write integers so); nil otherwise.
    public var integerValue: Int? {
        switch self {
        case .integer(let integer): integer
        case .number(let number): number.rounded() == number && abs(number) < 0x1p63 ? Int(number) : nil
        default: nil
        }
    }
}
