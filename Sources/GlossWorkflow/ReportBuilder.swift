import GlossAgreement
import GlossCodebook
import GlossCore
import GlossStore

/// Computes a `ReliabilityReport` from a project: which features to report on, over which units, and every
/// figure of the report.
public struct ReportBuilder {
    /// One feature to report on, over one kind of unit (nil: the default for the layer).
    public struct FeatureChoice: Sendable, Equatable {
        public var layer: String
        public var feature: String
        public var unit: SpanReliability.UnitKind?

        public init(layer: String, feature: String, unit: SpanReliability.UnitKind? = nil) {
            self.layer = layer
            self.feature = feature
            self.unit = unit
        }

        /// `LAYER.FEATURE` or `LAYER.FEATURE@UNIT` (unit: document, paragraph, sentence or layer:NAME).
        public init?(argument: String) {
            var text = Substring(argument)
            var unit: SpanReliability.UnitKind?
            if let at = text.firstIndex(of: "@") {
                guard let kind = SpanReliability.UnitKind(argument: String(text[text.index(after: at)...])) else {
                    return nil
                }
                unit = kind
                text = text[..<at]
            }
            guard let dot = text.firstIndex(of: "."), dot != text.startIndex,
                  text.index(after: dot) != text.endIndex else { return nil }
            self.init(layer: String(text[..<dot]), feature: String(text[text.index(after: dot)...]), unit: unit)
        }
    }

    /// At most this many disagreements are listed per feature.
    public static let maximumDisagreements = 40

    public var title: String
    public var features: [FeatureChoice]?
    public var bootstrapSamples: Int
    public var seed: UInt64
    /// The database path, for the header.
    public var database: String

    public init(title: String, features: [FeatureChoice]? = nil, bootstrapSamples: Int = 2000, seed: UInt64 = 1,
                database: String) {
        self.title = title
        self.features = features
        self.bootstrapSamples = bootstrapSamples
        self.seed = seed
        self.database = database
    }

    /// The report on `store`'s project, made at `time`.
    public func build(store: any ProjectStore, time: String) throws -> ReliabilityReport {
        let (summary, status, registry, goldNames, adjudications, annotations) = try store.read { reader in
            (try reader.documentSummaries(), try ProjectStatus.of(reader), try reader.codebookRegistry(),
             try reader.goldCoderNames(), try reader.adjudications(gold: nil, layer: nil),
             try reader.annotations())
        }
        let goldCoders = Set(goldNames.map(ExactKey.init))
        let codebooks = try store.read { try $0.registeredCodebooks() }.map { "\($0.id)@\($0.version)" }
        let coders = Array(Set(annotations.map(\.coder)).filter { !goldCoders.contains(ExactKey($0)) }).sorted()
        let times = summary.map(\.importedAt) + annotations.map(\.updatedAt)
        let project = ReliabilityReport.ProjectSummary(
            database: database, documents: summary.count, codePoints: summary.reduce(0) { $0 + $1.length },
            annotations: annotations.count, coders: coders, codebooks: codebooks, firstActivity: times.min(),
            lastActivity: times.max(), reliabilityDocuments: status.totals.reliabilityDocuments)
        let progress = status.coders.filter { !goldCoders.contains(ExactKey($0.coder)) }
        let choices = try features ?? Self.defaultFeatures(registry: registry, annotations: annotations)
        let titles = Dictionary(summary.map { (ExactKey($0.externalID), $0.title) },
                                uniquingKeysWith: { first, _ in first })
        let featureReports = try choices.map { try featureReport($0, registry: registry, store: store, titles: titles) }
        let frequencies = choices.map { choice in
            Self.frequencies(choice, annotations: annotations, registry: registry, coders: coders + goldNames)
        }
        var adjudication: [ReliabilityReport.AdjudicationSummary] = []
        for key in Set(adjudications.map { [$0.gold, $0.layer] }).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let mine = adjudications.filter { $0.gold == key[0] && $0.layer == key[1] }
            adjudication.append(ReliabilityReport.AdjudicationSummary(
                gold: key[0], layer: key[1], merged: mine.filter { $0.state == .merged }.count,
                open: mine.filter { $0.state == .open }.count, accepted: mine.filter { $0.state == .accepted }.count,
                rejected: mine.filter { $0.state == .rejected }.count,
                goldAnnotations: annotations.filter { $0.coder == key[0] && $0.layer == key[1] }.count))
        }
        return ReliabilityReport(title: title, generatedAt: time, project: project, progress: progress,
                                 features: featureReports, frequencies: frequencies, adjudication: adjudication)
    }

    /// The features reported on without options: every single-code feature (category or ordinal) of the latest
    /// codebook versions that some annotation uses, each over the unit that fits its layer (see `defaultUnit`).
    /// Without a codebook: every feature with text values, per document.
    static func defaultFeatures(registry: CodebookRegistry, annotations: [Annotation]) throws -> [FeatureChoice] {
        let used = Set(annotations.flatMap { annotation in annotation.features.keys.map { [annotation.layer, $0] } })
        if registry.isEmpty {
            return used.sorted { $0.lexicographicallyPrecedes($1) }.filter { key in
                annotations.contains {
                    $0.layer == key[0]
                        && { if case .string = $0 { true } else { false } }($0.features[key[1]] ?? .null)
                }
            }.map { FeatureChoice(layer: $0[0], feature: $0[1], unit: .document) }
        }
        var choices: [FeatureChoice] = []
        for codebook in registry.latest {
            for layer in codebook.layers {
                for feature in layer.features where used.contains([layer.id, feature.id]) {
                    switch feature.kind {
                    case .category, .ordinal: choices.append(FeatureChoice(layer: layer.id, feature: feature.id))
                    default: continue
                    }
                }
            }
        }
        return choices
    }

    /// The unit a layer's features are compared over by default, and why.
    ///
    /// A layer coded on the whole document is compared per document. A layer whose spans the codebook keeps within
    /// a paragraph or sentence is compared per paragraph or sentence: each such unit then holds about one span per
    /// coder, so that a coder's code for the unit is the code of their span. Any other layer (short mentions such
    /// as actors) is compared per sentence.
    static func defaultUnit(for layer: Layer?) -> (SpanReliability.UnitKind, String) {
        guard let layer else { return (.document, "no codebook defines the layer: compared per document") }
        if layer.scope == .document { return (.document, "the codebook codes layer \(layer.id) on whole documents") }
        switch layer.within {
        case .paragraph?:
            return (.paragraph, "the codebook keeps \(layer.id) spans within a paragraph, "
                    + "so a paragraph holds about one span per coder")
        case .sentence?:
            return (.sentence, "the codebook keeps \(layer.id) spans within a sentence, "
                    + "so a sentence holds about one span per coder")
        case nil:
            return (.sentence, "\(layer.id) spans are short mentions with no boundary in the codebook: "
                    + "compared per sentence")
        }
    }

    private static func name(of unit: SpanReliability.UnitKind) -> String {
        switch unit {
        case .document: "document"
        case .paragraph: "paragraph"
        case .sentence: "sentence"
        case .layer(let name): "layer:\(name)"
        }
    }

    /// Where each coefficient is defined.
    static let sources: [Coefficient: String] = [
        .percentAgreement: "share of agreeing pairs of values (Gwet 2014, §2.2)",
        .cohenKappa: "Cohen 1960, eq. 1 (two coders)",
        .scottPi: "Scott 1955, eq. 1",
        .fleissKappa: "Fleiss 1971, eq. 9",
        .congerKappa: "Conger 1980",
        .bennettS: "Bennett, Alpert & Goldstein 1954",
        .gwetAC1: "Gwet 2008, eq. 17",
        .krippendorffAlpha: "Krippendorff 2004, §11.3, α = 1 − D_o / D_e",
    ]

    private func featureReport(_ choice: FeatureChoice, registry: CodebookRegistry, store: any ProjectStore,
                               titles: [ExactKey: String]) throws -> ReliabilityReport.FeatureReport {
        let governing = registry.current(forLayer: choice.layer)?.layer
        let (unit, reason) = choice.unit.map { ($0, "chosen with --feature") } ?? Self.defaultUnit(for: governing)
        var metric = DistanceMetric.nominal
        if case .ordinal? = governing?.feature(choice.feature)?.kind { metric = .ordinal }
        var report = ReliabilityReport.FeatureReport(
            layer: choice.layer, feature: choice.feature, unit: Self.name(of: unit), unitReason: reason,
            metric: metric.rawValue, coders: [], alpha: .init(value: nil), interval: nil, units: 0, pairableValues: 0,
            coefficients: [], categories: [], coincidences: [], perCategory: [], pairs: [], documents: [],
            disagreements: [], disagreementCount: 0)
        let spans: SpanReliability
        do {
            spans = try SpanReliability.build(store: store, layer: choice.layer, feature: choice.feature, unit: unit,
                                              coders: nil, documents: nil, presence: false)
        } catch let error as GlossError {
            report.alpha = .init(value: nil, reason: error.message)
            return report
        }
        let data = spans.data
        report.coders = spans.coders
        let results = data.results(Coefficient.coding.filter { Self.sources[$0] != nil }, metric: metric,
                                   weights: AgreementWeights(.linear, fromValues: false))
        for result in results {
            let value = Self.value(result.value)
            if result.coefficient == .krippendorffAlpha {
                report.alpha = value
                report.units = result.units
                report.pairableValues = result.pairableValues
            }
            report.coefficients.append(.init(name: result.coefficient.rawValue, value: value,
                                             source: Self.sources[result.coefficient] ?? ""))
        }
        if report.alpha.value != nil,
           let interval = data.bootstrapAlpha(metric: metric, samples: bootstrapSamples, seed: seed, minimum: 0.667) {
            report.interval = .init(lower: interval.lower, upper: interval.upper, samples: interval.samples,
                                    probabilityBelowMinimum: interval.probabilityBelowMinimum,
                                    minimum: interval.minimum)
        }
        let diagnostics = data.diagnostics()
        report.categories = data.categories.map(\.label)
        report.coincidences = report.categories.indices.map { row in
            report.categories.indices.map { diagnostics.coincidences[row, $0] }
        }
        // Codes no coder used have no pairable values and nothing to say: left out.
        report.perCategory = diagnostics.categories.filter { $0.pairableValues > 0 }.map {
            .init(category: $0.category, alpha: Self.value($0.alpha), pairableValues: $0.pairableValues)
        }
        report.pairs = diagnostics.pairs.map {
            .init(first: spans.coders[$0.first], second: spans.coders[$0.second], units: $0.units,
                  percentAgreement: Self.value($0.percentAgreement), cohenKappa: Self.value($0.cohenKappa))
        }
        // α per document, on the document's units.
        var unitsByDocument: [ExactKey: (id: String, units: [Int])] = [:]
        for (index, unit) in spans.units.enumerated() {
            unitsByDocument[ExactKey(unit.documentID), default: (unit.documentID, [])].units.append(index)
        }
        report.documents = unitsByDocument.values.map { entry in
            let id = entry.id
            let rows = entry.units.map { unit in
                (0..<data.coderCount).map { data.value(unit: unit, coder: $0) }
            }
            let alpha = (try? ReliabilityData(categories: data.categories, units: rows, isOrdered: data.isOrdered))?
                .krippendorffAlpha(metric: metric) ?? .undefined(reason: "no data")
            return .init(documentID: id, title: titles[ExactKey(id)] ?? "", units: rows.count, alpha: Self.value(alpha))
        }.sorted { a, b in
            switch (a.alpha.value, b.alpha.value) {
            case let (x?, y?): return x != y ? x < y : a.documentID.utf8.lexicographicallyPrecedes(b.documentID.utf8)
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.documentID.utf8.lexicographicallyPrecedes(b.documentID.utf8)
            }
        }
        report.disagreementCount = diagnostics.disagreements.count
        report.disagreements = try diagnostics.disagreements.prefix(Self.maximumDisagreements).map { index in
            let unit = spans.units[index]
            let values = spans.coders.indices.map { coder in
                ReliabilityReport.CoderValue(
                    coder: spans.coders[coder],
                    value: data.value(unit: index, coder: coder).map { report.categories[$0] },
                    spans: spans.valueSpans[index][coder].map { span in
                        [max(span.start, unit.span.start) - unit.span.start,
                         min(span.end, unit.span.end) - unit.span.start]
                    })
            }
            return .init(documentID: unit.documentID, start: unit.span.start, end: unit.span.end,
                         text: try spans.text(of: unit, in: store), values: values)
        }
        return report
    }

    private static func value(_ value: AgreementValue) -> ReliabilityReport.Value {
        switch value {
        case .value(let number): .init(value: number)
        case .undefined(let reason): .init(value: nil, reason: reason)
        }
    }

    /// How often each code of a feature was used, per coder, in codebook order and then the codes it does not know.
    static func frequencies(_ choice: FeatureChoice, annotations: [Annotation], registry: CodebookRegistry,
                            coders: [String]) -> ReliabilityReport.CodeFrequencies {
        var counts: [String: [Int]] = [:]
        for annotation in annotations where annotation.layer == choice.layer {
            guard let coder = coders.firstIndex(of: annotation.coder),
                  let label = try? annotation.categoryLabel(of: choice.feature) else { continue }
            counts[label, default: Array(repeating: 0, count: coders.count)][coder] += 1
        }
        let known = registry.current(forLayer: choice.layer)?.layer.feature(choice.feature)?.codes?.codableIDs ?? []
        let order = known.filter { counts[$0] != nil } + counts.keys.filter { !known.contains($0) }.sorted()
        return .init(layer: choice.layer, feature: choice.feature, coders: coders,
                     rows: order.map { .init(code: $0, counts: counts[$0] ?? []) })
    }
}
