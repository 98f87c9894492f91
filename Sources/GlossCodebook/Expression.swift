/// A condition in a codebook rule, in the small language documented in `Codebooks/README.md`.
///
/// ```
/// expression := or;  or := and {"or" and};  and := unary {"and" unary}
/// unary      := "not" unary | "(" expression ")" | test
/// test       := feature "is" ["not"] "set" | operand op operand
///             | feature ["not"] "in" "[" value {"," value} "]" | feature "under" code
/// ```
/// A test on a feature that is not set is false; `is set` tests presence.
public indirect enum Expression: Sendable {
    case or(Expression, Expression)
    case and(Expression, Expression)
    case not(Expression)
    /// `feature is set` (true) or `feature is not set` (false).
    case isSet(feature: String, Bool)
    case compare(Operand, ComparisonOperator, Operand)
    /// `feature in [...]`, or `feature not in [...]` when negated.
    case member(feature: String, of: [Value], negated: Bool)
    /// `feature under code`: the code or one of its descendants.
    case under(feature: String, code: String)
}

/// One side of a comparison.
public enum Operand: Sendable, Equatable {
    case feature(String)
    case value(Value)
}

/// A constant in an expression.
public enum Value: Sendable, Equatable, CustomStringConvertible {
    case code(String)
    case number(Double)
    case text(String)
    case bool(Bool)

    public var description: String {
        switch self {
        case .code(let id): id
        case .number(let number): number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .text(let text): "'\(text)'"
        case .bool(let bool): String(bool)
        }
    }
}

public enum ComparisonOperator: String, Sendable, CaseIterable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    var isOrdering: Bool { self != .equal && self != .notEqual }
}
