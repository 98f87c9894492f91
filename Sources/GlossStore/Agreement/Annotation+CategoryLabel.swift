import GlossCore

extension Annotation {
    /// The annotation's value of `feature` as a category label (codes as they are, numbers and booleans
    /// written out), nil when unset; refuses a list or object, which is not one category.
    public func categoryLabel(of feature: String) throws -> String? {
        switch features[feature] {
        case nil: return nil
        case .string(let code): return code
        case .integer(let number): return String(number)
        case .number(let number): return String(number)
        case .bool(let flag): return String(flag)
        case let value?:
            throw GlossError(.badData, "annotation \(id) has \(value.typeName) for \(feature); agreement needs one value per annotation")
        }
    }
}
