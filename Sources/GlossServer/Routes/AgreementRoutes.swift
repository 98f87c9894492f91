import GlossAgreement
import GlossCore
import GlossService
import GlossStore
import Hummingbird

/// `GET /agreement`: the agreement of the project's coders on a layer's spans, the same JSON as
/// `gloss agree --format json`, from the same `AgreementReport`.
///
/// Query parameters mirror the options: `layer`, `feature`, `unit` (document, paragraph, sentence, layer:NAME),
/// `coefficient` (comma-separated or all), `metric`, `weights`, `coders`, `docs`, `presence`, `bootstrap`, `seed`,
/// `alpha_min`, `samples`, `diagnostics`, `match` and `against`. For adjudicators and admins: the numbers and
/// disagreements show every coder's work.
struct AgreementRoutes {
    let access: StoreAccess

    static let parameters: Set<String> = ["layer", "feature", "unit", "coefficient", "metric", "weights", "coders",
                                          "docs", "presence", "bootstrap", "seed", "alpha_min", "samples",
                                          "diagnostics", "match", "against"]

    func add(to group: APIGroup) {
        group.get("agreement") { request, context in
            try WorkflowRoutes.checkSeesTeam(try context.policy(), "agreement")
            let agreement = try Self.request(from: request)
            let report = try await access.run { store in try AgreementService.run(agreement, store: { store }) }
            return JSONResponse.make(report.json.canonicalJSON)
        }
    }

    /// The agreement question the query asks; 400 naming the parameter that is wrong.
    static func request(from request: Request) throws -> AgreementRequest {
        func usage(_ message: String) -> APIError { APIError(.badRequest, code: "usage", message) }
        for (name, _) in request.uri.queryParameters where !parameters.contains(String(name)) {
            throw usage("unknown parameter \(name); see /api/v1/openapi.yaml")
        }
        guard let layer = try request.query("layer") else {
            throw usage("give layer (and feature) to measure agreement on")
        }
        let feature = try request.query("feature")
        let match = try request.query("match").map { name in
            guard let how = SpanMatch(argument: name) else {
                throw usage("match is exact or overlap:RATIO, not \(name)")
            }
            return (how: how, name: name)
        }
        let unitName = try request.query("unit") ?? "document"
        guard let unit = SpanReliability.UnitKind(argument: unitName) else {
            throw usage("unit is document, paragraph, sentence or layer:NAME, not \(unitName)")
        }
        var coefficients = Coefficient.coding
        if let names = try request.queryList("coefficient"), names != ["all"] {
            coefficients = try names.map { name in
                guard let known = Coefficient(rawValue: name) else {
                    throw usage("unknown coefficient \(name); use "
                                + "\(Coefficient.allCases.map(\.rawValue).joined(separator: ", ")) or all")
                }
                return known
            }
        }
        let metricName = try request.query("metric") ?? "nominal"
        guard let metric = DistanceMetric(rawValue: metricName) else {
            throw usage("metric is nominal, ordinal, interval or ratio, not \(metricName)")
        }
        let weightsName = try request.query("weights") ?? "linear"
        guard let weights = AgreementWeights.Kind(rawValue: weightsName) else {
            throw usage("weights is \(AgreementWeights.Kind.allCases.map(\.rawValue).joined(separator: ", ")), "
                        + "not \(weightsName)")
        }
        let seed = try request.queryInteger("seed") ?? 1
        guard seed >= 0 else { throw usage("seed must be 0 or more") }
        var minimumAlpha = 0.667
        if let text = try request.query("alpha_min") {
            guard let value = Double(text) else { throw usage("alpha_min takes a value from -1 to 1") }
            minimumAlpha = value
        }
        let agreement = AgreementRequest(
            source: .project(layer: layer, feature: feature, unit: unit, coders: try request.queryList("coders"),
                             documents: try request.queryList("docs"), presence: try request.queryFlag("presence")),
            coefficients: coefficients, metric: metric, weights: AgreementWeights(weights),
            bootstrap: try request.queryInteger("bootstrap"), minimumAlpha: minimumAlpha,
            gammaSamples: try request.queryInteger("samples") ?? 30, seed: UInt64(seed),
            diagnostics: try request.queryFlag("diagnostics"), match: match, against: try request.query("against"))
        // Parameters each valid that cannot be answered together: 422, as the schema cannot state such rules.
        if let problem = agreement.problem(naming: \.rawValue) {
            throw APIError(.unprocessableContent, code: "invalid", problem)
        }
        return agreement
    }
}
