import GlossAgreement
import GlossCore
import GlossWorkflow

/// The answer to an `AgreementRequest`: coefficients (with diagnostics when asked), span matching, or each coder
/// against gold. `json` is what `gloss agree --format json` prints and what the server returns.
public enum AgreementReport: Sendable {
    case coefficients(results: [AgreementResult], diagnostics: Diagnostics?)
    case matching(match: String, rows: [MatchRow])
    case against(gold: String, rows: [GoldComparison.Row])

    /// What lies behind the coefficients, with the coders' names and each disagreement resolved.
    public struct Diagnostics: Sendable {
        public var categories: [String]
        /// Categories × categories (Krippendorff 2004, §11.4).
        public var coincidences: [[Double]]
        public var perCategory: [AgreementDiagnostics.CategoryAgreement]
        public var pairs: [Pair]
        public var disagreements: [Disagreement]
        public var coders: [String]
    }

    public struct Pair: Sendable {
        public var coders: (String, String)
        public var units: Int
        public var percentAgreement: AgreementValue
        public var cohenKappa: AgreementValue
    }

    /// A unit the coders disagree on: its name, and for units from spans the document, offsets and text.
    public struct Disagreement: Sendable {
        public var unit: String
        public var documentID: String?
        public var span: TextSpan?
        public var text: String?
        /// Each coder's value (nil: none), in coder order.
        public var values: [String?]
        /// Each coder's spans that gave the value (units from spans only), in coder order.
        public var spans: [[TextSpan]]?

        /// One line for a table: the name and the beginning of the text.
        public var shortDescription: String {
            guard let text else { return unit }
            let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
            return "\(unit) \"\(line.count > 70 ? line.prefix(69) + "…" : line)\""
        }
    }

    /// Two coders' spans matched one to one.
    public struct MatchRow: Sendable {
        public var coders: (String, String)
        public var spans: (Int, Int)
        public var matched: Int
        public var precision: AgreementValue
        public var recall: AgreementValue
        public var f1: AgreementValue
        /// Cohen's κ on the codes of the matched spans, when the spans carry codes.
        public var kappaOnMatches: AgreementValue?
    }

    /// The report as JSON, keys sorted when written (`canonicalJSON`).
    public var json: JSONValue {
        switch self {
        case .coefficients(let results, let diagnostics):
            var root: [String: JSONValue] = ["results": .array(results.map(\.json))]
            if let diagnostics { root["diagnostics"] = diagnostics.json }
            return .object(root)
        case .matching(let match, let rows):
            return .object(["matching": .array(rows.map { $0.json(match: match) })])
        case .against(let gold, let rows):
            let items = rows.map {
                JSONValue.object(["coder": .string($0.coder), "results": .array($0.results.map(\.json))])
            }
            return .object(["against": .string(gold), "coders": .array(items)])
        }
    }
}

extension AgreementReport.Diagnostics {
    var json: JSONValue {
        .object([
            "categories": .array(categories.map(JSONValue.string)),
            "coincidences": .array(coincidences.map { .array($0.map(JSONValue.number)) }),
            "per_category": .array(perCategory.map { category in
                var object: [String: JSONValue] = ["category": .string(category.category),
                                                   "pairable_values": .number(category.pairableValues)]
                object.put("alpha", category.alpha)
                return .object(object)
            }),
            "coder_pairs": .array(pairs.map { pair in
                var object: [String: JSONValue] = ["coders": .array([.string(pair.coders.0), .string(pair.coders.1)]),
                                                   "units": .integer(pair.units)]
                object.put("percent_agreement", pair.percentAgreement)
                object.put("cohen_kappa", pair.cohenKappa)
                return .object(object)
            }),
            "disagreements": .array(disagreements.map { unit in
                var object: [String: JSONValue] = ["unit": .string(unit.unit)]
                if let documentID = unit.documentID { object["document"] = .string(documentID) }
                if let span = unit.span { object["start"] = .integer(span.start); object["end"] = .integer(span.end) }
                if let text = unit.text { object["text"] = .string(text) }
                object["values"] = .object(Dictionary(uniqueKeysWithValues: coders.indices.map { coder in
                    (coders[coder], unit.values[coder].map(JSONValue.string) ?? .null)
                }))
                if let spans = unit.spans {
                    object["spans"] = .object(Dictionary(uniqueKeysWithValues: coders.indices.map { coder in
                        (coders[coder], .array(spans[coder].map { .array([.integer($0.start), .integer($0.end)]) }))
                    }))
                }
                return .object(object)
            }),
        ])
    }
}

extension AgreementReport.MatchRow {
    func json(match: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "coders": .array([.string(coders.0), .string(coders.1)]),
            "spans": .array([.integer(spans.0), .integer(spans.1)]), "matched": .integer(matched),
            "unmatched": .array([.integer(spans.0 - matched), .integer(spans.1 - matched)]),
            "match": .string(match),
        ]
        object.put("precision", precision)
        object.put("recall", recall)
        object.put("f1", f1)
        if let kappaOnMatches { object.put("kappa_on_matches", kappaOnMatches) }
        return .object(object)
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// Sets `key` to the value, or to null with `KEY_reason` when it is undefined.
    mutating func put(_ key: String, _ value: AgreementValue) {
        switch value {
        case .value(let number): self[key] = .number(number)
        case .undefined(let reason): self[key] = .null; self[key + "_reason"] = .string(reason)
        }
    }
}

extension AgreementResult {
    /// `{"coefficient":…,"metric":…,"value":…,"units":…,"coders":…,"pairable_values":…,"ci":null}`; an undefined
    /// value is null with a "reason"; α_u and γ give their continuum's length instead of pairable values.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "coefficient": .string(coefficient.rawValue), "metric": metric.map(JSONValue.string) ?? .null,
            "units": .integer(units), "coders": .integer(coders), "pairable_values": .integer(pairableValues),
            "ci": .null,
        ]
        if let category { object["category"] = .string(category) }
        if Coefficient.onSpans.contains(coefficient) {  // spans on a continuum: its length, not pairable values
            object["pairable_values"] = nil
            object["continuum_length"] = .integer(pairableValues)
        }
        if let bootstrap {
            object["ci"] = .object(["level": .number(0.95), "lower": .number(bootstrap.lower),
                                    "upper": .number(bootstrap.upper), "samples": .integer(bootstrap.samples)])
            object["alpha_min"] = .number(bootstrap.minimum)
            object["p_below_min"] = .number(bootstrap.probabilityBelowMinimum)
        }
        switch value {
        case .value(let number): object["value"] = .number(number)
        case .undefined(let reason): object["value"] = .null; object["reason"] = .string(reason)
        }
        return .object(object)
    }
}
