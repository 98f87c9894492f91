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
