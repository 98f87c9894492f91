/// A problem with one record of an input file, before a location is attached to it.
public struct RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Typed access to the members of one JSON object record, with messages that name the field.
struct RecordFields {
    private var members: [String: JSONValue]

    init(_ value: JSONValue, allowedKeys: Set<String>) throws(RecordError) {
        guard case .object(let members) = value else {
            throw RecordError("expected a JSON object, found \(value.typeName)")
        }
        if let unknown = members.keys.filter({ !allowedKeys.contains($0) }).min() {
            throw RecordError("unknown field \"\(unknown)\"; allowed fields: \(allowedKeys.sorted().joined(separator: ", "))")
        }
        self.members = members
    }

    /// The member, treating `null` as absent.
    private func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    func requiredString(_ key: String) throws(RecordError) -> String {
        guard let value = try optionalString(key) else { throw RecordError("missing required field \"\(key)\"") }
        return value
    }

    func optionalString(_ key: String) throws(RecordError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let string) = value else { throw RecordError("\"\(key)\" must be a string, found \(value.typeName)") }
        return string
    }

    func requiredInteger(_ key: String) throws(RecordError) -> Int {
        guard let value = try optionalInteger(key) else { throw RecordError("missing required field \"\(key)\"") }
        return value
    }

    func optionalInteger(_ key: String) throws(RecordError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let integer = value.integerValue else {
            throw RecordError("\"\(key)\" must be an integer, found \(value.typeName)")
        }
        return integer
    }

    func optionalObject(_ key: String) throws(RecordError) -> [String: JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .object(let object) = value else { throw RecordError("\"\(key)\" must be an object, found \(value.typeName)") }
        return object
    }
}
