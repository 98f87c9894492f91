/// A condition in a codebook rule, in the small language documented in `Codebooks/README.md`.
///
/// ```
/// expression := or;  or := and {"or" and};  and := unary {"and" unary}
/// unary      := "not" unary | "(" expression ")" | test
/// test       := feature "is" ["not"] "set" | operand op operand
///             | feature ["not"] "in" "[" value {"," value} "]" | feature "under" code
/// ```
/// A test on a feature that is not set is false; `is set` tests presence.
///
/// `or` and `and` hold all their operands in one node, so a long chain of terms is a flat list, not a deep tree;
/// the parser bounds the nesting of `not` and parentheses (`ExpressionParser.maximumNesting`) and the number of
/// terms (`ExpressionParser.maximumTerms`), so no walk over an expression recurses deeply.
public indirect enum Expression: Sendable {
    /// True when any operand is true (two or more operands, evaluated in order until one is true).
    case or([Expression])
    /// True when every operand is true (two or more operands, evaluated in order until one is false).
    case and([Expression])
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
