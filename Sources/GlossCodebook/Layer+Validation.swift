import GlossCore

/// One way an annotation breaks its codebook.
public struct Violation: Sendable, Equatable, CustomStringConvertible {
    /// The feature concerned, or nil for the span or the layer as a whole.
    public var feature: String?
    public var message: String

    public init(feature: String? = nil, _ message: String) {
        self.feature = feature
        self.message = message
    }

    public var description: String { message }
}

/// A span reference an annotation makes, to be checked against the other annotations.
public struct SpanReference: Sendable, Equatable {
    public var feature: String
    public var annotationID: Int64
    public var layer: String
}

extension Layer {
    /// The problems of a span's place alone: the document scope, the length bounds and the boundary it may
    /// not cross.
    public func spanViolations(_ span: TextSpan, textLength: Int, boundaries: @autoclosure () -> TextBoundaries?) -> [Violation] {
        var violations: [Violation] = []
        switch scope {
        case .document:
            if span.start != 0 || span.end != textLength {
                violations.append(Violation("layer \(id) has scope document: the annotation must cover the whole text, start 0 and end \(textLength), not \(span)"))
            }
        case .span:
            if let minimumLength, span.length < minimumLength {
                violations.append(Violation("the span is \(span.length) code points long; layer \(id) needs at least \(minimumLength)"))
            }
            if let maximumLength, span.length > maximumLength {
                violations.append(Violation("the span is \(span.length) code points long; layer \(id) allows at most \(maximumLength)"))
            }
            if let within, let boundaries = boundaries(), let position = boundaries.crossing(span, within) {
                violations.append(Violation("the span crosses a \(within.rawValue) boundary at \(position); layer \(id) keeps spans within one \(within.rawValue)"))
            }
        }
        return violations
    }

    /// Checks an annotation's span and features against this layer: scope, length, boundaries, every
    /// feature's type, codes and bounds, and the rules. Overlap and span references concern other
    /// annotations: the caller checks them (`allowsOverlap`, `spanReferences(in:)`).
    public func violations(span: TextSpan, features values: [String: JSONValue], textLength: Int,
                           boundaries: @autoclosure () -> TextBoundaries?) -> [Violation] {
        var violations = spanViolations(span, textLength: textLength, boundaries: boundaries())
        var typeViolations: [Violation] = []
        if values.count > features.count || values.keys.contains(where: { feature($0) == nil }) {
            for name in values.keys.sorted() where feature(name) == nil {
                typeViolations.append(Violation(feature: name, "layer \(id) has no feature \(name); its features: \(features.map(\.id).joined(separator: ", "))"))
            }
        }
        for feature in features {
            guard let value = values[feature.id] else {
                if feature.isRequired { typeViolations.append(Violation(feature: feature.id, "\(feature.id) is required but not set")) }
                continue
            }
            if let problem = feature.problem(with: value) { typeViolations.append(Violation(feature: feature.id, problem)) }
        }
        violations += typeViolations
        guard typeViolations.isEmpty else { return violations }  // rules assume well-typed values
        for rule in rules {
            guard rule.condition?.evaluate(values, in: self) ?? true else { continue }
            let broken: [String]
            switch rule.requirement {
            case .require(let names):
                broken = names.filter { values[$0] == nil }.map { "\($0) is required here but not set" }
            case .forbid(let names):
                broken = names.filter { values[$0] != nil }.map { "\($0) must not be set here" }
            case .check(let expression):
                broken = expression.evaluate(values, in: self) ? [] : ["the check does not hold"]
            }
            for problem in broken {
                let name = rule.id.map { "rule \($0)" } ?? "the rule '\(rule.source)'"
                violations.append(Violation("\(name): \(rule.message ?? problem)\(rule.message == nil ? "" : " (\(problem))")"))
            }
        }
        return violations
    }

    /// The span references among the features, for checking against other annotations.
    public func spanReferences(in values: [String: JSONValue]) -> [SpanReference] {
        features.compactMap { feature in
            guard case .spanReference(let layer) = feature.kind, case .integer(let id) = values[feature.id] else { return nil }
            return SpanReference(feature: feature.id, annotationID: Int64(id), layer: layer)
        }
    }
}

extension Feature {
    /// What is wrong with a value of this feature, naming the allowed values; nil when it is valid.
    func problem(with value: JSONValue) -> String? {
        switch kind {
        case .category(let tree), .ordinal(let tree):
            guard case .string(let code) = value else { return "\(id) must be one code (a string), not \(value.typeName); allowed: \(tree.codableIDs.joined(separator: ", "))" }
            return Self.problem(code: code, in: tree, feature: id)
        case .categories(let tree, let minimum, let maximum):
            guard case .array(let elements) = value else { return "\(id) must be a list of codes, not \(value.typeName); allowed: \(tree.codableIDs.joined(separator: ", "))" }
            var seen: Set<String> = []
            for element in elements {
                guard case .string(let code) = element else { return "\(id) must list codes (strings), not \(element.typeName)" }
                if let problem = Self.problem(code: code, in: tree, feature: id) { return problem }
                if !seen.insert(code).inserted { return "\(id) lists \(code) twice" }
            }
            if let minimum, elements.count < minimum { return "\(id) has \(elements.count) codes; choose at least \(minimum)" }
            if let maximum, elements.count > maximum { return "\(id) has \(elements.count) codes; choose at most \(maximum)" }
            return nil
        case .integer(let minimum, let maximum):
            guard case .integer(let number) = value else { return "\(id) must be a whole number, not \(value.canonicalJSON)" }
            if let minimum, number < minimum { return "\(id) is \(number); the minimum is \(minimum)" }
            if let maximum, number > maximum { return "\(id) is \(number); the maximum is \(maximum)" }
            return nil
        case .number(let minimum, let maximum):
            guard let number = value.numberValue else { return "\(id) must be a number, not \(value.canonicalJSON)" }
            if let minimum, number < minimum { return "\(id) is \(value.canonicalJSON); the minimum is \(minimum)" }
            if let maximum, number > maximum { return "\(id) is \(value.canonicalJSON); the maximum is \(maximum)" }
            return nil
        case .boolean:
            guard case .bool = value else { return "\(id) must be true or false, not \(value.canonicalJSON)" }
            return nil
        case .text(let maximumLength):
            guard case .string(let text) = value else { return "\(id) must be text, not \(value.typeName)" }
            if let maximumLength, text.unicodeScalars.count > maximumLength {
                return "\(id) is \(text.unicodeScalars.count) characters long; at most \(maximumLength) are allowed"
            }
            return nil
        case .spanReference(let layer):
            guard case .integer(let target) = value, target > 0 else { return "\(id) must be the id of an annotation of layer \(layer), not \(value.canonicalJSON)" }
            return nil
        }
    }

    private static func problem(code: String, in tree: CodeTree, feature: String) -> String? {
        guard let found = tree.code(code) else { return "\(feature) is '\(code)', which is not one of its codes; allowed: \(tree.codableIDs.joined(separator: ", "))" }
        guard found.isCodable else {
            let choices = found.children.isEmpty ? "choose one of: \(tree.codableIDs.joined(separator: ", "))" : "choose one of its codes: \(found.children.map(\.id).joined(separator: ", "))"
            return "\(feature) is '\(code)', a grouping code that cannot be assigned; \(choices)"
        }
        return nil
    }
}
