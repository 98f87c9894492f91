/// Everything the HTML reliability report shows, computed from a project: its summary, progress per coder,
/// agreement per coded feature, code frequencies and the state of adjudication.
///
/// The same value is what a server returns as JSON; `ReportHTML` renders it as one self-contained page.
public struct ReliabilityReport: Sendable, Codable, Equatable {
    public var title: String
    /// When the report was made (RFC 3339, UTC).
    public var generatedAt: String
    public var project: ProjectSummary
    /// Each coder's progress on their assignments (gold coders left out).
    public var progress: [ProjectStatus.CoderStatus]
    public var features: [FeatureReport]
    public var frequencies: [CodeFrequencies]
    /// One entry per gold coder and layer; empty when nothing was adjudicated.
    public var adjudication: [AdjudicationSummary]

    public init(title: String, generatedAt: String, project: ProjectSummary, progress: [ProjectStatus.CoderStatus],
                features: [FeatureReport], frequencies: [CodeFrequencies], adjudication: [AdjudicationSummary]) {
        self.title = title
        self.generatedAt = generatedAt
        self.project = project
        self.progress = progress
        self.features = features
        self.frequencies = frequencies
        self.adjudication = adjudication
    }

    /// The project as a whole.
    public struct ProjectSummary: Sendable, Codable, Equatable {
        public var database: String
        public var documents: Int
        public var codePoints: Int
        public var annotations: Int
        /// Coders who annotated, gold coders excluded.
        public var coders: [String]
        /// Registered codebook versions as `id@version`.
        public var codebooks: [String]
        /// The first and last import or annotation time, when there is any.
        public var firstActivity: String?
        public var lastActivity: String?
        /// Documents assigned to several coders (the reliability sample); 0 without assignments.
        public var reliabilityDocuments: Int
    }

    /// A value that may be undefined, with the reason.
    public struct Value: Sendable, Codable, Equatable {
        public var value: Double?
        public var reason: String?

        public init(value: Double?, reason: String? = nil) {
            self.value = value
            self.reason = reason
        }
    }

    /// Agreement on one feature of one layer, over one kind of unit.
    public struct FeatureReport: Sendable, Codable, Equatable {
        public var layer: String
        public var feature: String
        /// `document`, `paragraph`, `sentence` or `layer:NAME`.
        public var unit: String
        /// Why this unit was chosen (a default from the codebook, or the user's choice).
        public var unitReason: String
        /// The distance metric of α: nominal, or ordinal for an ordinal feature.
        public var metric: String
        public var coders: [String]
        public var alpha: Value
        /// The bootstrap 95% interval of α (Hayes & Krippendorff 2007), when α is defined.
        public var interval: Interval?
        public var units: Int
        public var pairableValues: Int
        /// The κ family and percent agreement on the same data.
        public var coefficients: [Coefficient]
        /// The categories in order: rows and columns of `coincidences`.
        public var categories: [String]
        /// The coincidence matrix (Krippendorff 2004, §11.4), row-major, categories × categories.
        public var coincidences: [[Double]]
        /// α of each category used (with pairable values), in category order.
        public var perCategory: [CategoryAgreement]
        /// Each pair of coders: Cohen's κ and percent agreement on the units both coded.
        public var pairs: [CoderPair]
        /// α per document, lowest first (undefined ones last).
        public var documents: [DocumentAgreement]
        /// The units where coders gave different values (at most `ReportBuilder.maximumDisagreements`).
        public var disagreements: [Disagreement]
        /// How many units had disagreements in all (may exceed `disagreements.count`).
        public var disagreementCount: Int
    }

    public struct Interval: Sendable, Codable, Equatable {
        public var lower: Double
        public var upper: Double
        public var samples: Int
        /// The probability that α is below `minimum` (0.667 by default).
        public var probabilityBelowMinimum: Double
        public var minimum: Double
    }

    public struct Coefficient: Sendable, Codable, Equatable {
        /// The coefficient's name as `gloss agree` spells it (`fleiss_kappa`).
        public var name: String
        public var value: Value
        /// Where the coefficient is defined (paper and equation).
        public var source: String
    }

    public struct CategoryAgreement: Sendable, Codable, Equatable {
        public var category: String
        public var alpha: Value
        public var pairableValues: Double
    }

    public struct CoderPair: Sendable, Codable, Equatable {
        public var first: String
        public var second: String
        public var units: Int
        public var percentAgreement: Value
        public var cohenKappa: Value
    }

    public struct DocumentAgreement: Sendable, Codable, Equatable {
        public var documentID: String
        public var title: String
        public var units: Int
        public var alpha: Value
    }

    /// One unit the coders disagree on, with its text and each coder's value and spans.
    public struct Disagreement: Sendable, Codable, Equatable {
        public var documentID: String
        /// The unit's range in the document, in code points.
        public var start: Int
        public var end: Int
        /// The unit's text, exactly.
        public var text: String
        public var values: [CoderValue]
    }

    public struct CoderValue: Sendable, Codable, Equatable {
        public var coder: String
        /// The coder's code for the unit, or nil when the coder gave none.
        public var value: String?
        /// The coder's spans that gave the value, in code points relative to the unit's start, clipped to the unit.
        public var spans: [[Int]]
    }

    /// How often each code of a feature was used, per coder.
    public struct CodeFrequencies: Sendable, Codable, Equatable {
        public var layer: String
        public var feature: String
        public var coders: [String]
        /// One row per code in codebook order, then codes the codebook does not know; `counts[i]` is coder i's.
        public var rows: [Row]

        public struct Row: Sendable, Codable, Equatable {
            public var code: String
            public var counts: [Int]
        }
    }

    /// Where adjudication into one gold coder stands on one layer.
    public struct AdjudicationSummary: Sendable, Codable, Equatable {
        public var gold: String
        public var layer: String
        /// Matches merged by a rule (unanimous or majority).
        public var merged: Int
        public var open: Int
        public var accepted: Int
        public var rejected: Int
        public var goldAnnotations: Int
    }
}
