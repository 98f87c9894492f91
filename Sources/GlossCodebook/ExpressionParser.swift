/// Parses rule expressions. Bare words are features when the layer has a feature of that name, codes otherwise.
///
/// The parser descends once per `not` and `(`, so it refuses nesting deeper than `maximumNesting`; and it refuses
/// more than `maximumTerms` terms, so that checking and evaluating an expression stays small work.
struct ExpressionParser {
    /// The most levels of `not` and parentheses one expression may nest.
    static let maximumNesting = 100
    /// The most terms (tests such as `x == a`, and values listed after `in`) one expression may hold.
    static let maximumTerms = 10_000

    struct Failure: Error {
        /// 0-based code-point offset in the expression.
        var offset: Int
        var message: String
    }

    private enum Token: Equatable {
        case word(String)
        case number(Double)
        case text(String)
        case symbol(String)
        case end
    }

    private var tokens: [(token: Token, offset: Int)] = []
    private var position = 0
    /// Terms read so far, against `maximumTerms`.
    private var terms = 0
    private let features: Set<String>

    /// Parses `source`, resolving bare words against `features`.
    static func parse(_ source: String, features: Set<String>) throws(Failure) -> Expression {
        var parser = ExpressionParser(features: features)
        try parser.tokenize(source)
        let expression = try parser.parseOr(depth: 0)
        guard parser.current == .end else { throw parser.failure("unexpected \(parser.describe(parser.current)) after the expression") }
        return expression
    }

    private init(features: Set<String>) { self.features = features }

    private var current: Token { tokens[position].token }

    private func failure(_ message: String) -> Failure { Failure(offset: tokens[position].offset, message: message) }

    private func describe(_ token: Token) -> String {
        switch token {
        case .word(let word): "'\(word)'"
        case .number(let number): "number \(Value.number(number))"
        case .text(let text): "text '\(text)'"
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "end of expression"
        }
    }

    private mutating func tokenize(_ source: String) throws(Failure) {
        let scalars = Array(source.unicodeScalars)
        var index = 0
        func isWordStart(_ s: Unicode.Scalar) -> Bool { s.isASCII && (s.properties.isAlphabetic || s == "_") }
        func isWordPart(_ s: Unicode.Scalar) -> Bool { isWordStart(s) || ("0"..."9").contains(s) || s == "-" || s == "." }
        while index < scalars.count {
            let scalar = scalars[index]
            let start = index
            if scalar.properties.isWhitespace { index += 1; continue }
            if isWordStart(scalar) {
                while index < scalars.count && isWordPart(scalars[index]) { index += 1 }
                tokens.append((.word(String(String.UnicodeScalarView(scalars[start..<index]))), start))
            } else if ("0"..."9").contains(scalar) || (scalar == "-" && index + 1 < scalars.count && ("0"..."9").contains(scalars[index + 1])) {
                index += 1
                while index < scalars.count && (("0"..."9").contains(scalars[index]) || scalars[index] == ".") { index += 1 }
                let text = String(String.UnicodeScalarView(scalars[start..<index]))
                guard let number = Double(text) else { throw Failure(offset: start, message: "'\(text)' is not a number") }
                tokens.append((.number(number), start))
            } else if scalar == "'" || scalar == "\"" {
                index += 1
                while index < scalars.count && scalars[index] != scalar { index += 1 }
                guard index < scalars.count else { throw Failure(offset: start, message: "the quoted text is not closed with \(scalar)") }
                tokens.append((.text(String(String.UnicodeScalarView(scalars[(start + 1)..<index]))), start))
                index += 1
            } else {
                let two = index + 1 < scalars.count ? String(String.UnicodeScalarView(scalars[index...(index + 1)])) : ""
                if ["==", "!=", "<=", ">="].contains(two) {
                    tokens.append((.symbol(two), start))
                    index += 2
                } else if "()[],<>".unicodeScalars.contains(scalar) {
                    tokens.append((.symbol(String(scalar)), start))
                    index += 1
                } else {
                    throw Failure(offset: start, message: "unexpected character '\(scalar)'; use ==, !=, <, <=, >, >=, in, under, is set, and, or, not")
                }
            }
        }
        tokens.append((.end, scalars.count))
    }

    /// `and` terms joined by `or`, at `depth` levels of `not` and parentheses.
    private mutating func parseOr(depth: Int) throws(Failure) -> Expression {
        var operands = [try parseAnd(depth: depth)]
        while current == .word("or") {
            position += 1
            operands.append(try parseAnd(depth: depth))
        }
        return operands.count == 1 ? operands[0] : .or(operands)
    }

    /// Unary terms joined by `and`, at `depth` levels of `not` and parentheses.
    private mutating func parseAnd(depth: Int) throws(Failure) -> Expression {
        var operands = [try parseUnary(depth: depth)]
        while current == .word("and") {
            position += 1
            operands.append(try parseUnary(depth: depth))
        }
        return operands.count == 1 ? operands[0] : .and(operands)
    }

    /// A `not`, a parenthesized expression or a test; each `not` and `(` adds one level to `depth`.
    private mutating func parseUnary(depth: Int) throws(Failure) -> Expression {
        let isNot = current == .word("not")
        guard isNot || current == .symbol("(") else { return try parseTest() }
        guard depth < Self.maximumNesting else {
            throw failure("the expression nests more than \(Self.maximumNesting) levels of 'not' and parentheses; "
                + "simplify it")
        }
        position += 1
        if isNot { return .not(try parseUnary(depth: depth + 1)) }
        let inner = try parseOr(depth: depth + 1)
        guard current == .symbol(")") else { throw failure("expected ')' to close '(', found \(describe(current))") }
        position += 1
        return inner
    }

    /// Counts one more term, refusing more than `maximumTerms`.
    private mutating func countTerm() throws(Failure) {
        terms += 1
        guard terms <= Self.maximumTerms else {
            throw failure("the expression has more than \(Self.maximumTerms) terms (tests and listed values); "
                + "split it into several rules, or group the codes in the code tree and test them with 'under'")
        }
    }

    private mutating func parseTest() throws(Failure) -> Expression {
        try countTerm()
        let leftOffset = tokens[position].offset
        let left = try parseOperand()
        switch current {
        case .word("is"):
            position += 1
            var isSet = true
            if current == .word("not") { isSet = false; position += 1 }
            guard current == .word("set") else { throw failure("expected 'set' after 'is\(isSet ? "" : " not")'") }
            position += 1
            return .isSet(feature: try featureName(left, before: "is set", at: leftOffset), isSet)
        case .word("in"), .word("not"):
            var negated = false
            if current == .word("not") {
                negated = true
                position += 1
                guard current == .word("in") else { throw failure("expected 'in' after 'not'") }
            }
            position += 1
            let feature = try featureName(left, before: negated ? "not in" : "in", at: leftOffset)
            return .member(feature: feature, of: try parseList(), negated: negated)
        case .word("under"):
            position += 1
            let feature = try featureName(left, before: "under", at: leftOffset)
            guard case .word(let code) = current, !features.contains(code) else { throw failure("expected a code after 'under'") }
            position += 1
            return .under(feature: feature, code: code)
        case .symbol(let symbol):
            guard let comparison = ComparisonOperator(rawValue: symbol) else { throw failure("expected a comparison, found '\(symbol)'") }
            position += 1
            return .compare(left, comparison, try parseOperand())
        default:
            throw failure("expected ==, !=, <, <=, >, >=, in, not in, under or is set, found \(describe(current))")
        }
    }

    private func featureName(_ operand: Operand, before keyword: String, at offset: Int) throws(Failure) -> String {
        guard case .feature(let name) = operand else {
            throw Failure(offset: offset, message: "'\(keyword)' needs a feature of this layer on its left; known features: \(features.sorted().joined(separator: ", "))")
        }
        return name
    }

    private mutating func parseOperand() throws(Failure) -> Operand {
        let token = current
        switch token {
        case .word("true"): position += 1; return .value(.bool(true))
        case .word("false"): position += 1; return .value(.bool(false))
        case .word(let word) where ["and", "or", "not", "in", "under", "is", "set"].contains(word):
            throw failure("expected a feature or a value, found the keyword '\(word)'")
        case .word(let word):
            position += 1
            return features.contains(word) ? .feature(word) : .value(.code(word))
        case .number(let number): position += 1; return .value(.number(number))
        case .text(let text): position += 1; return .value(.text(text))
        default: throw failure("expected a feature or a value, found \(describe(token))")
        }
    }

    private mutating func parseList() throws(Failure) -> [Value] {
        guard current == .symbol("[") else { throw failure("expected '[' to start a list") }
        position += 1
        var values: [Value] = []
        while true {
            try countTerm()
            guard case .value(let value) = try parseOperand() else {
                throw Failure(offset: tokens[position - 1].offset, message: "a list holds codes or values, not features")
            }
            values.append(value)
            if current == .symbol(",") { position += 1; continue }
            guard current == .symbol("]") else { throw failure("expected ',' or ']' in the list, found \(describe(current))") }
            position += 1
            return values
        }
    }
}
