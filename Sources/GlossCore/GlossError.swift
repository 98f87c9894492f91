/// A failure that reaches the user: what went wrong, where, and which exit status it maps to.
///
/// Every layer reports problems with input, usage or storage as a `GlossError`, so that the
/// command-line tool can print exactly one `error:` line and exit with a documented status.
public struct GlossError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exit status, following BSD `sysexits.h`.
    public enum Code: Int32, Sendable {
        /// 64 (`EX_USAGE`): the command was used wrongly.
        case usage = 64
        /// 65 (`EX_DATAERR`): input data is malformed or violates a rule.
        case badData = 65
        /// 66 (`EX_NOINPUT`): an input file or database does not exist.
        case missingInput = 66
        /// 73 (`EX_CANTCREAT`): an output file cannot be created, for example because one is already there.
        case cannotCreate = 73
        /// 74 (`EX_IOERR`): reading or writing failed.
        case ioFailure = 74
        /// 75 (`EX_TEMPFAIL`): the input conflicts with what the database holds.
        case conflict = 75
        /// 77 (`EX_NOPERM`): the action is not permitted, e.g. a coder writing on a document not assigned to them.
        case notPermitted = 77
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    /// `file:line:column: message`, or just the message when there is no location.
    public var description: String {
        guard let location else { return message }
        return "\(location): \(message)"
    }

    /// The same error placed at `location`, unless it already has one.
    public func located(at location: SourceLocation) -> GlossError {
        var copy = self
        if copy.location == nil { copy.location = location }
        return copy
    }
}

/// A place in an input file: path, and 1-based line and column (column counted in code points).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }
}
