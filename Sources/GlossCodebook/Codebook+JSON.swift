import GlossCore

extension Codebook {
    /// The layers, features and code trees as JSON, for a front end that offers them to a coder (the browser
    /// annotator): every label, definition, include and exclude criterion and example, which codes may be assigned,
    /// and each feature's type, bounds and whether it is required. Rules stay on the server, which checks them.
    public var layersJSON: JSONValue {
        .array(layers.map { layer in
            var fields: [String: JSONValue] = [
                "id": .string(layer.id), "scope": .string(layer.scope.rawValue),
                "allows_overlap": .bool(layer.allowsOverlap),
                "features": .array(layer.features.map(Self.json(of:))),
            ]
            fields["label"] = layer.label.map(JSONValue.string)
            fields["description"] = layer.description.map(JSONValue.string)
            return .object(fields)
        })
    }

    private static func json(of feature: Feature) -> JSONValue {
        var fields: [String: JSONValue] = [
            "id": .string(feature.id), "type": .string(feature.typeName), "required": .bool(feature.isRequired),
        ]
        fields["label"] = feature.label.map(JSONValue.string)
        fields["description"] = feature.description.map(JSONValue.string)
        func bound(_ name: String, _ value: Int?) { fields[name] = value.map { .integer($0) } }
        switch feature.kind {
        case .categories(_, let minimum, let maximum):
            bound("minimum", minimum)
            bound("maximum", maximum)
        case .integer(let minimum, let maximum):
            bound("minimum", minimum)
            bound("maximum", maximum)
        case .number(let minimum, let maximum):
            fields["minimum"] = minimum.map { .number($0) }
            fields["maximum"] = maximum.map { .number($0) }
        case .text(let maximumLength):
            bound("max_length", maximumLength)
        case .spanReference(let layer):
            fields["layer"] = .string(layer)
        case .category, .ordinal, .boolean:
            break
        }
        if let codes = feature.codes { fields["codes"] = .array(codes.roots.map(json(of:))) }
        return .object(fields)
    }

    /// A code and its children (code trees are at most `maximumCodeDepth` deep, so this stays shallow).
    private static func json(of code: Code) -> JSONValue {
        var fields: [String: JSONValue] = [
            "id": .string(code.id), "label": .string(code.label), "codable": .bool(code.isCodable),
        ]
        fields["definition"] = code.definition.map(JSONValue.string)
        fields["include"] = code.include.map(JSONValue.string)
        fields["exclude"] = code.exclude.map(JSONValue.string)
        fields["color"] = code.color.map(JSONValue.string)
        if !code.examples.isEmpty { fields["examples"] = .array(code.examples.map(JSONValue.string)) }
        if !code.children.isEmpty { fields["children"] = .array(code.children.map(json(of:))) }
        return .object(fields)
    }
}
