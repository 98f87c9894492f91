import GlossAgreement
import GlossCore
import GlossStore

/// One agreement question, as `gloss agree` and the server ask it: where the data comes from, and what to compute.
public struct AgreementRequest: Sendable {
    /// Where the codes or spans come from.
    public enum Source: Sendable {
        /// The project's spans of `layer`: codes of `feature` per unit, or the spans themselves (α_u, γ, matching).
        case project(layer: String, feature: String?, unit: SpanReliability.UnitKind, coders: [String]?,
                     documents: [String]?, presence: Bool)
        /// Reliability data coded elsewhere, as CSV text (`unit,<coder>,...`), with the order of its labels.
        case reliabilityCSV(text: String, file: String, order: [String]?)
        /// Spans coded elsewhere, as CSV text (`coder,start,end,label`), on a continuum of `length` code points.
        case spansCSV(text: String, file: String, length: Int)
    }

    public var source: Source
    /// The coefficients, in the order asked.
    public var coefficients: [Coefficient]
    public var metric: DistanceMetric
    public var weights: AgreementWeights
    /// Bootstrap samples for α's interval (Hayes & Krippendorff 2007), or nil.
    public var bootstrap: Int?
    /// The minimum α whose probability the bootstrap reports.
    public var minimumAlpha: Double
    /// γ's random continua and search.
    public var gammaSamples: Int
    public var gammaSettings: GammaSettings
    public var seed: UInt64
    public var diagnostics: Bool
    /// Match the coders' spans instead of computing coefficients: how, and its name as given (`overlap:0.5`).
    public var match: (how: SpanMatch, name: String)?
    /// Compare each coder with this gold coder instead of with each other.
    public var against: String?

    public init(source: Source, coefficients: [Coefficient], metric: DistanceMetric = .nominal,
                weights: AgreementWeights = .identity, bootstrap: Int? = nil, minimumAlpha: Double = 0.667,
                gammaSamples: Int = 30, gammaSettings: GammaSettings = GammaSettings(), seed: UInt64 = 1,
                diagnostics: Bool = false, match: (how: SpanMatch, name: String)? = nil, against: String? = nil) {
        self.source = source
        self.coefficients = coefficients
        self.metric = metric
        self.weights = weights
        self.bootstrap = bootstrap
        self.minimumAlpha = minimumAlpha
        self.gammaSamples = gammaSamples
        self.gammaSettings = gammaSettings
        self.seed = seed
        self.diagnostics = diagnostics
        self.match = match
        self.against = against
    }
}

extension AgreementRequest {
    /// The parts of a question, so that messages can name them as each front spells them: the command line's
    /// `--alpha-min`, the API's `alpha_min`.
    public enum Parameter: String, Sendable {
        case feature, coefficient, bootstrap, alphaMin = "alpha_min", samples, diagnostics, match, against, coders,
             docs, data, spansData = "spans_data"
    }

    /// Why the question cannot be answered as asked, naming its parameters with `name`; nil when it can be. The
    /// command line and the server refuse the same questions with it (exit 64, HTTP 400).
    public func problem(naming name: (Parameter) -> String) -> String? {
        if let bootstrap, !(100...1_000_000).contains(bootstrap) {
            return "\(name(.bootstrap)) takes 100 to 1000000 samples"
        }
        if !(1...100_000).contains(gammaSamples) { return "\(name(.samples)) takes 1 to 100000" }
        if !minimumAlpha.isFinite || !(-1...1).contains(minimumAlpha) {
            return "\(name(.alphaMin)) takes a value from -1 to 1"
        }
        if coefficients.isEmpty && match == nil {
            return "\(name(.coefficient)) names nothing; name coefficients or all"
        }
        let onSpans = coefficients.filter(Coefficient.onSpans.contains)
        var isSpansData = false
        switch source {
        case .project(_, let feature, _, let coders, let documents, _):
            for (parameter, list) in [(Parameter.coders, coders), (.docs, documents)] {
                guard let list else { continue }
                if list.isEmpty || list.contains("") { return "\(name(parameter)) names nothing, or an empty name" }
                var seen: Set<String> = []
                if let twice = list.first(where: { !seen.insert($0).inserted }) {
                    return "\(name(parameter)) names \(twice) twice"
                }
            }
            if feature == nil && match == nil {
                return "give \(name(.feature)) (codes per unit), or \(name(.match)) to pair the coders' spans"
            }
        case .reliabilityCSV:
            if match != nil { return "\(name(.match)) works on spans, not on \(name(.data))" }
            if !onSpans.isEmpty { return "alpha_u and gamma need spans, not the codes per unit of \(name(.data))" }
        case .spansCSV:
            isSpansData = true
            if match == nil && onSpans.count != coefficients.count {
                return "\(name(.spansData)) takes \(name(.coefficient)) alpha_u and/or gamma, or \(name(.match))"
            }
        }
        if match != nil || isSpansData {
            let input = match != nil ? name(.match) : name(.spansData)
            if bootstrap != nil { return "\(name(.bootstrap)) does not apply to \(input)" }
            if diagnostics { return "\(name(.diagnostics)) does not apply to \(input)" }
        } else if bootstrap != nil && !coefficients.contains(.krippendorffAlpha) {
            return "\(name(.bootstrap)) gives krippendorff_alpha's interval; add krippendorff_alpha to "
                + name(.coefficient)
        }
        if against != nil {
            guard case .project(_, _?, _, _, _, _) = source, match == nil else {
                return "\(name(.against)) compares the project's codes: give the layer and \(name(.feature)), "
                    + "without \(name(.match))"
            }
            if !onSpans.isEmpty { return "\(name(.against)) takes coding coefficients, not alpha_u or gamma" }
            if diagnostics || bootstrap != nil {
                return "\(name(.against)) goes without \(name(.diagnostics)) and \(name(.bootstrap))"
            }
        }
        return nil
    }
}
