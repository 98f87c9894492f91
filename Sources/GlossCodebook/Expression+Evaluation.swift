import GlossCore

extension Expression {
    /// What is wrong with the expression on `layer`: unknown codes, mismatched kinds, ordering on
    /// unordered codes. Empty when it is well-typed.
    func problems(in layer: Layer) -> [String] {
        switch self {
        case .or(let operands), .and(let operands):
            return operands.flatMap { $0.problems(in: layer) }
        case .not(let inner):
            return inner.problems(in: layer)
        case .isSet:
            return []
        case .member(let name, let values, _):
            guard let feature = layer.feature(name) else { return ["unknown feature \(name)"] }
            return values.flatMap { Self.problems(comparing: feature, with: $0, by: .equal) }
        case .under(let name, let code):
            guard let feature = layer.feature(name) else { return ["unknown feature \(name)"] }
            switch feature.kind {
            case .category(let tree), .categories(let tree, _, _):
                return tree.code(code) == nil ? ["\(code) is not a code of \(name); codes: \(tree.flattened.map(\.code.id).joined(separator: ", "))"] : []
            default:
                return ["'under' needs a category feature, but \(name) is \(feature.typeName)"]
            }
        case .compare(.value, _, .value):
            return ["the comparison has constants on both sides; name a feature"]
        case .compare(.feature(let name), let comparison, .value(let value)),
             .compare(.value(let value), let comparison, .feature(let name)):
            guard let feature = layer.feature(name) else { return ["unknown feature \(name)"] }
            return Self.problems(comparing: feature, with: value, by: comparison)
        case .compare(.feature(let left), let comparison, .feature(let right)):
            guard let a = layer.feature(left), let b = layer.feature(right) else { return ["unknown feature"] }
            switch (a.kind, b.kind) {
            case (.integer, .integer), (.integer, .number), (.number, .integer), (.number, .number):
                return []
            case (.ordinal(let x), .ordinal(let y)) where x.flattened.map(\.code.id) == y.flattened.map(\.code.id):
                return []
            case (.category(let x), .category(let y)) where !comparison.isOrdering && x.flattened.map(\.code.id) == y.flattened.map(\.code.id):
                return []
            case (.boolean, .boolean), (.text, .text):
                return comparison.isOrdering ? ["\(left) and \(right) cannot be ordered with \(comparison.rawValue)"] : []
            default:
                return ["\(left) (\(a.typeName)) and \(right) (\(b.typeName)) cannot be compared"]
            }
        }
    }

    private static func problems(comparing feature: Feature, with value: Value, by comparison: ComparisonOperator) -> [String] {
        switch (feature.kind, value) {
        case (.category(let tree), .code(let code)), (.categories(let tree, _, _), .code(let code)):
            if comparison.isOrdering { return ["\(feature.id) is a \(feature.typeName) feature: its codes have no order (use an ordinal feature)"] }
            return tree.code(code) == nil ? ["\(code) is not a code of \(feature.id); codes: \(tree.codableIDs.joined(separator: ", "))"] : []
        case (.ordinal(let tree), .code(let code)):
            return tree.code(code) == nil ? ["\(code) is not a code of \(feature.id); codes: \(tree.codableIDs.joined(separator: ", "))"] : []
        case (.integer, .number), (.number, .number):
            return []
        case (.boolean, .bool), (.text, .text):
            return comparison.isOrdering ? ["\(feature.id) is \(feature.typeName): it cannot be ordered with \(comparison.rawValue)"] : []
        case (.spanReference, _):
            return ["\(feature.id) is a span_ref: only 'is set' and 'is not set' apply"]
        default:
            return ["\(feature.id) is \(feature.typeName) and cannot be compared with \(value)"]
        }
    }

    /// Whether the expression holds for an annotation's features. Assumes the features were checked
    /// against their types; a test on a feature that is not set is false.
    func evaluate(_ features: [String: JSONValue], in layer: Layer) -> Bool {
        switch self {
        case .or(let operands): return operands.contains { $0.evaluate(features, in: layer) }
        case .and(let operands): return operands.allSatisfy { $0.evaluate(features, in: layer) }
        case .not(let inner): return !inner.evaluate(features, in: layer)
        case .isSet(let name, let expected): return (features[name] != nil) == expected
        case .member(let name, let values, let negated):
            guard let value = features[name], let feature = layer.feature(name) else { return false }
            let isMember = Self.elements(of: value).contains { element in
                values.contains { Self.compare(element, $0, by: .equal, feature: feature) }
            }
            return isMember != negated
        case .under(let name, let code):
            guard let value = features[name], let tree = layer.feature(name)?.codes else { return false }
            return Self.elements(of: value).contains { element in
                if case .string(let id) = element { return tree.code(id, isUnder: code) }
                return false
            }
        case .compare(let left, let comparison, let right):
            switch (left, right) {
            case (.feature(let name), .value(let value)):
                guard let stored = features[name], let feature = layer.feature(name) else { return false }
                return Self.compare(stored, value, by: comparison, feature: feature)
            case (.value(let value), .feature(let name)):
                guard let stored = features[name], let feature = layer.feature(name) else { return false }
                return Self.compare(stored, value, by: comparison.mirrored, feature: feature)
            case (.feature(let a), .feature(let b)):
                guard let x = features[a], let y = features[b], let feature = layer.feature(a) else { return false }
                return Self.compare(x, y, by: comparison, feature: feature)
            case (.value, .value):
                return false
            }
        }
    }

    private static func elements(of value: JSONValue) -> [JSONValue] {
        if case .array(let elements) = value { return elements }
        return [value]
    }

    private static func compare(_ stored: JSONValue, _ value: Value, by comparison: ComparisonOperator, feature: Feature) -> Bool {
        switch (stored, value) {
        case (.array(let elements), .code(let code)):  // categories: == means exactly this one code
            let isSingle = elements.count == 1 && elements[0] == .string(code)
            return comparison == .notEqual ? !isSingle : (comparison == .equal && isSingle)
        case (.string(let id), .code(let code)):
            if comparison.isOrdering, let tree = feature.codes, let x = tree.position(of: id), let y = tree.position(of: code) {
                return comparison.holds(Double(x), Double(y))
            }
            return comparison.holds(id.isIdentical(to: code) ? 0 : 1, 0)
        case (.string(let text), .text(let expected)):
            return comparison.holds(text.isIdentical(to: expected) ? 0 : 1, 0)
        case (.bool(let bool), .bool(let expected)):
            return comparison.holds(bool == expected ? 0 : 1, 0)
        case (.integer(let integer), .number(let number)):
            return comparison.holds(Double(integer), number)
        case (.number(let stored), .number(let number)):
            return comparison.holds(stored, number)
        default:
            return false
        }
    }

    private static func compare(_ x: JSONValue, _ y: JSONValue, by comparison: ComparisonOperator, feature: Feature) -> Bool {
        if let a = x.numberValue, let b = y.numberValue { return comparison.holds(a, b) }
        switch (x, y) {
        case (.string(let a), .string(let b)):
            if comparison.isOrdering, let tree = feature.codes, let p = tree.position(of: a), let q = tree.position(of: b) {
                return comparison.holds(Double(p), Double(q))
            }
            return comparison.holds(a.isIdentical(to: b) ? 0 : 1, 0)
        case (.bool(let a), .bool(let b)):
            return comparison.holds(a == b ? 0 : 1, 0)
        case (.array(let a), .array(let b)):  // categories: equal as sets
            let same = Set(a.compactMap(\.stringValue)) == Set(b.compactMap(\.stringValue))
            return comparison == .equal ? same : (comparison == .notEqual && !same)
        default:
            return false
        }
    }
}

extension ComparisonOperator {
    /// The operator with its sides swapped: `3 < x` is `x > 3`.
    var mirrored: ComparisonOperator {
        switch self {
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        case .equal, .notEqual: self
        }
    }

    /// For `==`/`!=` the caller passes 0 for "same" and compares with 0.
    func holds(_ a: Double, _ b: Double) -> Bool {
        switch self {
        case .equal: a == b
        case .notEqual: a != b
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        case .greaterOrEqual: a >= b
        }
    }
}

extension JSONValue {
    var numberValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }

    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }
}
