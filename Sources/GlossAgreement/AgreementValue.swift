/// A coefficient's value, or why it is undefined: never NaN.
public enum AgreementValue: Sendable, Equatable, CustomStringConvertible {
    case value(Double)
    /// The data do not allow the coefficient (no variation, fewer than two pairable values, …).
    case undefined(reason: String)

    /// The number, or nil when undefined.
    public var number: Double? {
        if case .value(let number) = self { return number }
        return nil
    }

    public var description: String {
        switch self {
        case .value(let number): String(number)
        case .undefined(let reason): "undefined (\(reason))"
        }
    }

    /// `(observed - expected) / (1 - expected)`, the chance-corrected form, undefined when chance
    /// agreement is perfect.
    static func chanceCorrected(observed: Double, expected: Double) -> AgreementValue {
        guard expected < 1 - 1e-12 else { return .undefined(reason: "expected agreement is 1: the data have no variation") }
        return .value((observed - expected) / (1 - expected))
    }
}
