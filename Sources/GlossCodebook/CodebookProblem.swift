import GlossCore

/// One thing wrong with a codebook, at a place in its file.
public struct CodebookProblem: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public var description: String { "\(location): \(message)" }
}

/// Every problem found in a codebook, in file order.
public struct CodebookError: Error, Sendable, CustomStringConvertible {
    public var problems: [CodebookProblem]

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
