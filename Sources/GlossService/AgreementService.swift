import GlossAgreement
import GlossCore
import GlossStore
import GlossWorkflow

/// Answers agreement questions for the command line and the server alike: Krippendorff's α and the κ family on
/// codes per unit, α_u and γ on spans, span matching, and each coder against a gold coder.
public enum AgreementService {
    /// Computes what `request` asks; `store` opens the project, only when the request needs it. A question that
    /// cannot be answered as asked is refused (exit 64) with `request.problem`, naming parameters with `name`.
    public static func run(_ request: AgreementRequest,
                           naming name: (AgreementRequest.Parameter) -> String = \.rawValue,
                           store openStore: () throws -> any ProjectStore) throws -> AgreementReport {
        if let problem = request.problem(naming: name) { throw GlossError(.usage, problem) }
        if let match = request.match {
            let (continuum, coders) = try spans(request.source, openStore)
            let withKappa: Bool
            switch request.source {
            case .project(_, let feature, _, _, _, _): withKappa = feature != nil
            default: withKappa = true
            }
            let rows = continuum.matchSpans(match.how).map { report in
                AgreementReport.MatchRow(
                    coders: (coders[report.first], coders[report.second]),
                    spans: (report.firstSpans, report.secondSpans),
                    matched: report.matches.count, precision: report.precision, recall: report.recall, f1: report.f1,
                    kappaOnMatches: withKappa ? continuum.kappaOnMatches(report) : nil)
            }
            return .matching(match: match.name, rows: rows)
        }
        if let gold = request.against,
           case .project(let layer, let feature?, let unit, let coders, let documents, let presence) = request.source {
            let rows = try GoldComparison.measure(
                store: try openStore(), layer: layer, feature: feature, unit: unit, gold: gold, coders: coders,
                documents: documents, presence: presence, coefficients: request.coefficients, metric: request.metric,
                weights: request.weights)
            return .against(gold: gold, rows: rows)
        }
        var unitizing: [AgreementResult] = []
        if request.coefficients.contains(where: Coefficient.onSpans.contains) {
            let continuum = try spans(request.source, openStore).continuum
            if request.coefficients.contains(.alphaU) { unitizing += continuum.unitizingResults() }
            if request.coefficients.contains(.gamma) {
                unitizing.append(continuum.gammaResult(request.gammaSettings, samples: request.gammaSamples,
                                                       seed: request.seed))
            }
            if request.coefficients.allSatisfy(Coefficient.onSpans.contains) {
                return .coefficients(results: unitizing, diagnostics: nil)
            }
        }
        let reliability: ReliabilityData
        let coders: [String]
        /// A unit of the list of disagreements, with its values filled in by the caller.
        let describe: (Int) throws -> AgreementReport.Disagreement
        switch request.source {
        case .reliabilityCSV(let text, let file, let order):
            let parsed = try ReliabilityData.csv(text, file: file, order: order)
            (reliability, coders) = (parsed.data, parsed.coders)
            describe = { AgreementReport.Disagreement(unit: parsed.units[$0], values: []) }
        case .project(let layer, let feature?, let unit, let wantedCoders, let documents, let presence):
            let store = try openStore()
            let spans = try SpanReliability.build(store: store, layer: layer, feature: feature, unit: unit,
                                                  coders: wantedCoders, documents: documents, presence: presence)
            (reliability, coders) = (spans.data, spans.coders)
            describe = { index in
                let unit = spans.units[index]
                return AgreementReport.Disagreement(
                    unit: "\(unit.documentID) \(unit.span)", documentID: unit.documentID, span: unit.span,
                    text: try spans.text(of: unit, in: store), values: [], spans: spans.valueSpans[index])
            }
        case .project, .spansCSV:
            throw GlossError(.usage, "these coefficients need codes per unit: give \(name(.feature)), or "
                             + name(.data))
        }
        var results = reliability.results(request.coefficients.filter { !Coefficient.onSpans.contains($0) },
                                          metric: request.metric, weights: request.weights)
        if let samples = request.bootstrap {
            let interval = reliability.bootstrapAlpha(metric: request.metric, samples: samples, seed: request.seed,
                                                      minimum: request.minimumAlpha)
            for index in results.indices where results[index].coefficient == .krippendorffAlpha {
                results[index].bootstrap = interval
            }
        }
        var diagnostics: AgreementReport.Diagnostics?
        if request.diagnostics {
            let details = reliability.diagnostics()
            let labels = reliability.categories.map(\.label)
            diagnostics = AgreementReport.Diagnostics(
                categories: labels,
                coincidences: labels.indices.map { row in labels.indices.map { details.coincidences[row, $0] } },
                perCategory: details.categories,
                pairs: details.pairs.map {
                    AgreementReport.Pair(coders: (coders[$0.first], coders[$0.second]), units: $0.units,
                                         percentAgreement: $0.percentAgreement, cohenKappa: $0.cohenKappa)
                },
                disagreements: try details.disagreements.map { unit in
                    var disagreement = try describe(unit)
                    disagreement.values = coders.indices.map { coder in
                        reliability.value(unit: unit, coder: coder).map { labels[$0] }
                    }
                    return disagreement
                },
                coders: coders)
        }
        return .coefficients(results: results + unitizing, diagnostics: diagnostics)
    }

    /// The spans to match or to compute α_u and γ on: coded elsewhere, or the layer's spans in the project.
    private static func spans(_ source: AgreementRequest.Source, _ openStore: () throws -> any ProjectStore) throws
        -> (continuum: Continuum, coders: [String]) {
        switch source {
        case .spansCSV(let text, let file, let length):
            return try Continuum.csv(text, file: file, length: length)
        case .project(let layer, let feature, _, let coders, let documents, _):
            return try SpanContinuum.build(store: try openStore(), layer: layer, feature: feature, coders: coders,
                                           documents: documents)
        case .reliabilityCSV:
            throw GlossError(.usage, "this needs spans: use --layer (with --feature), "
                             + "or --spans-data FILE.csv --length N")
        }
    }
}
