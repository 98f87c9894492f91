/// A problem with one record of an input file, before a location is attached to it.
public struct RecordError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// Typed access to the members of one JSON object record, with messages that name the field.
public struct RecordFields {
    private var members: [String: JSONValue]

    public init(_ value: JSONValue, allowedKeys: Set<String>) throws(RecordError) {
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

    public func requiredString(_ key: String) throws(RecordError) -> String {
        guard let value = try optionalString(key) else { throw RecordError("missing required field \"\(key)\"") }
        return value
    }

    public func optionalString(_ key: String) throws(RecordError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let string) = value else { throw RecordError("\"\(key)\" must be a string, found \(value.typeName)") }
        return string
    }

    public func requiredInteger(_ key: String) throws(RecordError) -> Int {
        guard let value = try optionalInteger(key) else { throw RecordError("missing required field \"\(key)\"") }
        return value
    }

    public func optionalInteger(_ key: String) throws(RecordError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let integer = value.integerValue else {
            throw RecordError("\"\(key)\" must be an integer, found \(value.typeName)")
        }
        return integer
    }

    public func optionalObject(_ key: String) throws(RecordError) -> [String: JSONValue]? {
        guard let value = value(key) else { return nil }
        guard case .object(let object) = value else { throw RecordError("\"\(key)\" must be an object, found \(value.typeName)") }
        return object
    }

    public func optionalNumber(_ key: String) throws(RecordError) -> Double? {
        switch value(key) {
        case nil: return nil
        case .integer(let number)?: return Double(number)
        case .number(let number)?: return number
        case let other?: throw RecordError("\"\(key)\" must be a number, found \(other.typeName)")
        }
    }

    public func optionalBool(_ key: String) throws(RecordError) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else {
            throw RecordError("\"\(key)\" must be true or false, found \(value.typeName)")
        }
        return flag
    }

    public func optionalStrings(_ key: String) throws(RecordError) -> [String]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else {
            throw RecordError("\"\(key)\" must be an array of strings, found \(value.typeName)")
        }
        return try items.map { item throws(RecordError) in
            guard case .string(let text) = item else {
                throw RecordError("\"\(key)\" must be an array of strings, found \(item.typeName) in it")
            }
            return text
        }
    }
}
