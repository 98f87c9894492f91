import ArgumentParser
import Foundation
import GlossAgreement
import GlossCore
import GlossIO
import GlossStore
import GlossWorkflow

extension Gloss {
    struct Agree: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure agreement between coders: Krippendorff's α, the κ family, span matching, α_u and γ.",
            discussion: """
                --layer L --feature F measures agreement on the project's coded spans. Each unit (--unit \
                document, paragraph, sentence, or layer:NAME for the spans of a layer of predefined units) gets, \
                for each coder, the code of the coder's span that covers it; when several spans of one coder touch \
                a unit, the code covering most of the unit wins (a tie goes to the code listed first in the \
                codebook). A coder with no span in a unit has a missing value, or the value (none) with --presence.

                --data FILE.csv takes reliability data coded elsewhere: a header unit,<coder>,<coder>,..., then \
                one row per unit; an empty cell is a missing value; values are numbers or labels (--order a,b,c \
                orders labels for ordinal, interval and weighted use).

                Coefficients: percent_agreement, cohen_kappa, weighted_kappa, scott_pi, fleiss_kappa, \
                conger_kappa, bennett_s, gwet_ac1, gwet_ac2, krippendorff_alpha, or all (all of these), and \
                alpha_u (unitizing α) and gamma (Mathet et al. 2015: best alignment exact unless --alignment \
                beam:WIDTH, expected disorder from --samples seeded random continua), on spans only. Missing values follow \
                Krippendorff for α (units with fewer than two values drop out) and Gwet (2014) for the others. A \
                coefficient the data cannot support is reported as undefined, with the reason.

                --match exact|overlap:RATIO pairs the coders' spans of --layer (precision, recall, F1, κ on the \
                codes of matched spans); --spans-data FILE.csv --length N takes spans coded elsewhere \
                (coder,start,end,label in code points) for --match, alpha_u and gamma. --bootstrap N adds α's 95% \
                interval and the probability that α is below --alpha-min; --diagnostics adds the coincidence \
                matrix, per-category and per-pair agreement, and every disagreement with the coders' spans.

                --against NAME compares each coder with the gold coder NAME (made by `gloss adjudicate`) on the \
                documents NAME has coded, one coder at a time. Gold coders are left out of the other comparisons \
                unless --coders names them.

                Examples:
                  gloss agree --layer statement --feature stance --unit paragraph
                  gloss agree --layer allegation --feature evidence --coders alice,bob
                  gloss agree --data codes.csv --metric ordinal --order low,mid,high
                  gloss agree --data codes.csv --coefficient all --format json
                  gloss agree --layer statement --feature stance --bootstrap 2000
                  gloss agree --layer statement --feature stance --match overlap:0.5
                  gloss agree --layer statement --feature stance --coefficient gamma
                  gloss agree --layer statement --feature stance --unit paragraph --against gold
                  gloss agree --spans-data s.csv --length 5000 --coefficient alpha_u
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The layer whose spans are compared.", valueName: "layer")) var layer: String?
        @Option(help: ArgumentHelp("The feature whose codes are compared.", valueName: "feature")) var feature: String?
        @Option(help: ArgumentHelp("The units: document (default), paragraph, sentence or layer:NAME.", valueName: "unit")) var unit: String?
        @Option(help: ArgumentHelp("Only these coders, comma-separated.", valueName: "a,b")) var coders: String?
        @Option(help: ArgumentHelp("Only these documents, comma-separated.", valueName: "id,...")) var docs: String?
        @Flag(help: "Count a coder's missing span in a unit as the value (none).") var presence = false
        @Option(help: ArgumentHelp("Reliability data as CSV (unit,<coder>,...).", valueName: "file")) var data: String?
        @Option(help: ArgumentHelp("Spans coded elsewhere, as CSV (coder,start,end,label), for alpha_u or --match.", valueName: "file")) var spansData: String?
        @Option(help: ArgumentHelp("With --spans-data: the continuum's length; offsets lie in [0, length).", valueName: "n")) var length: Int?
        @Option(help: ArgumentHelp("Match the coders' spans: exact, or overlap:RATIO (shared over joint code points; overlap alone is overlap:0.5).", valueName: "how"))
        var match: String?
        @Option(help: ArgumentHelp("Coefficients, comma-separated, or all.", valueName: "names")) var coefficient = "all"
        @Option(help: "The distance metric of Krippendorff's α.") var metric: AlphaMetric = .nominal
        @Option(help: "The weights of weighted_kappa and gwet_ac2.") var weights: AgreementWeights.Kind = .linear
        @Option(help: "Take weights from the categories' values or from their ranks in the order.") var weightsFrom: WeightSource = .values
        @Option(help: ArgumentHelp("The categories in order, comma-separated (default: numbers by value, then labels).", valueName: "a,b,c"))
        var order: String?
        @Option(help: ArgumentHelp("Bootstrap samples for α's 95% interval (Hayes & Krippendorff 2007).", valueName: "n")) var bootstrap: Int?
        @Option(help: ArgumentHelp("Random continua for γ's expected disorder.", valueName: "n")) var samples = 30
        @Option(help: ArgumentHelp("γ's best alignment: exact (default), or beam:WIDTH, an approximation for densely overlapping units.", valueName: "how"))
        var alignment = "exact"
        @Option(help: ArgumentHelp("Seed of the bootstrap and of γ's random continua, for reproducible results.", valueName: "s")) var seed: UInt64 = 1
        @Option(help: ArgumentHelp("With --bootstrap: report the probability that α is below this minimum (default: 0.667).", valueName: "alpha"))
        var alphaMin: Double?
        @Flag(help: "Also show the coincidence matrix, agreement per category and per pair of coders, and the disagreements.")
        var diagnostics = false
        @Option(help: "Output format.") var format: AgreementFormat = .table
        @Option(help: ArgumentHelp("Compare each coder with this gold coder instead of with each other.",
                                   valueName: "name"))
        var against: String?

        enum AlphaMetric: String, ExpressibleByArgument, CaseIterable { case nominal, ordinal, interval, ratio }
        enum WeightSource: String, ExpressibleByArgument, CaseIterable { case values, ranks }
        enum AgreementFormat: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

        /// The search --alignment asks for.
        var gammaSearch: GammaSearch? {
            if alignment == "exact" { return .exact }
            guard alignment.hasPrefix("beam:"), let width = Int(alignment.dropFirst(5)), (1...100_000).contains(width) else { return nil }
            return .beam(width: width)
        }

        func validate() throws {
            /// Refuses options the chosen input would silently ignore.
            func refuse(_ options: [(String, Bool)], with input: String) throws {
                if let (name, _) = options.first(where: { $0.1 }) { throw ValidationError("\(name) does not apply to \(input)") }
            }
            let spanOptions = [("--coders", coders != nil), ("--docs", docs != nil), ("--presence", presence), ("--unit", unit != nil)]
            if let match, SpanMatch(argument: match) == nil { throw ValidationError("--match is exact or overlap:RATIO with 0 < RATIO ≤ 1, not \(match)") }
            if let alphaMin, !alphaMin.isFinite || alphaMin < -1 || alphaMin > 1 { throw ValidationError("--alpha-min takes a value from -1 to 1") }
            if alphaMin != nil && bootstrap == nil { throw ValidationError("--alpha-min goes with --bootstrap N, which estimates the probability") }
            if let bootstrap, bootstrap < 100 || bootstrap > 1_000_000 { throw ValidationError("--bootstrap takes 100 to 1000000 samples") }
            if samples < 1 || samples > 100_000 { throw ValidationError("--samples takes 1 to 100000") }
            if gammaSearch == nil { throw ValidationError("--alignment is exact or beam:WIDTH with WIDTH from 1 to 100000, not \(alignment)") }
            if diagnostics && format == .csv { throw ValidationError("--diagnostics goes with --format table or json") }
            for (name, list) in [("--coders", coders), ("--docs", docs)] {
                guard let items = list.map(Self.items) else { continue }
                if items.isEmpty { throw ValidationError("\(name) names nothing") }
                if let twice = items.first(where: { item in items.filter { $0 == item }.count > 1 }) { throw ValidationError("\(name) names \(twice) twice") }
            }
            let requested = try coefficients()
            if bootstrap != nil && !requested.contains(.krippendorffAlpha) && match == nil && spansData == nil {
                throw ValidationError("--bootstrap gives krippendorff_alpha's interval; add krippendorff_alpha to --coefficient")
            }
            if match != nil || spansData != nil {
                try refuse([("--bootstrap", bootstrap != nil), ("--diagnostics", diagnostics), ("--order", order != nil), ("--data", data != nil)],
                           with: match != nil ? "--match" : "--spans-data")
            }
            if against != nil {
                guard layer != nil, feature != nil, data == nil, match == nil, spansData == nil else {
                    throw ValidationError("--against compares the project's spans: give --layer and --feature, "
                                          + "without --data, --match or --spans-data")
                }
                if requested.contains(where: Coefficient.onSpans.contains) {
                    throw ValidationError("--against takes coding coefficients, not alpha_u or gamma")
                }
                if diagnostics || bootstrap != nil {
                    throw ValidationError("--against goes without --diagnostics and --bootstrap")
                }
            }
            if spansData != nil {
                if feature != nil { throw ValidationError("--feature does not apply to --spans-data: its labels are the categories") }
                guard layer == nil, let length else { throw ValidationError("--spans-data needs --length N, and goes without --layer") }
                if length < 1 { throw ValidationError("--length must be 1 or more") }
                try refuse(spanOptions, with: "--spans-data")
                guard match != nil || (!requested.isEmpty && requested.allSatisfy(Coefficient.onSpans.contains)) else {
                    throw ValidationError("--spans-data takes --coefficient alpha_u and/or gamma, or --match")
                }
                return
            }
            if length != nil { throw ValidationError("--length goes with --spans-data") }
            if match != nil {
                guard layer != nil else { throw ValidationError("--match works on spans: give --layer (and --feature for κ on the matched codes), or --spans-data") }
                try refuse([("--presence", presence), ("--unit", unit != nil)], with: "--match")
                return
            }
            switch (data, layer, feature) {
            case (.some, nil, nil):
                try refuse(spanOptions, with: "--data")
                if requested.contains(where: Coefficient.onSpans.contains) { throw ValidationError("alpha_u and gamma need spans: use --layer with --feature, or --spans-data") }
            case (nil, .some, .some):
                if let unit, SpanReliability.UnitKind(argument: unit) == nil { throw ValidationError("--unit is document, paragraph, sentence or layer:NAME, not \(unit)") }
                if order != nil { throw ValidationError("--order goes with --data; on the project's spans the codebook gives the order") }
            case (.some, _, _): throw ValidationError("give either --data or --layer with --feature, not both")
            default: throw ValidationError("give --layer and --feature (the project's spans), or --data FILE.csv")
            }
        }

        /// The minimum α whose probability the bootstrap reports.
        var minimumAlpha: Double { alphaMin ?? 0.667 }

        /// A comma-separated list, each item trimmed.
        static func items(_ list: String) -> [String] {
            list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        func coefficients() throws -> [Coefficient] {
            if coefficient == "all" { return Coefficient.coding }
            let names = Self.items(coefficient)
            if names.isEmpty { throw ValidationError("--coefficient names nothing; name coefficients or all") }
            return try names.map { name in
                guard let known = Coefficient(rawValue: String(name)) else {
                    throw ValidationError("unknown coefficient \(name); use \(Coefficient.allCases.map(\.rawValue).joined(separator: ", ")) or all")
                }
                return known
            }
        }

        func run() throws {
            if diagnostics { try ViewerOptions.refuseBlindReader("--diagnostics") }
            if let match, let how = SpanMatch(argument: match) {
                let (continuum, names) = try spans()
                try reportMatches(continuum.matchSpans(how), continuum: continuum, coders: names, withKappa: feature != nil || spansData != nil)
                return
            }
            let requested = try coefficients()
            if let against, let layer, let feature,
               let unitKind = SpanReliability.UnitKind(argument: unit ?? "document") {
                let rows = try GoldComparison.measure(
                    store: try project.openStore(), layer: layer, feature: feature, unit: unitKind, gold: against,
                    coders: coders.map(Self.items), documents: docs.map(Self.items), presence: presence,
                    coefficients: requested, metric: DistanceMetric(rawValue: metric.rawValue) ?? .nominal,
                    weights: AgreementWeights(weights, fromValues: weightsFrom == .values))
                return reportAgainst(against, rows)
            }
            var unitizing: [AgreementResult] = []
            if requested.contains(where: Coefficient.onSpans.contains) {
                let continuum = try spans().continuum
                if requested.contains(.alphaU) { unitizing += continuum.unitizingResults() }
                if requested.contains(.gamma) { unitizing.append(continuum.gammaResult(GammaSettings(search: gammaSearch ?? .exact), samples: samples, seed: seed)) }
                if requested.allSatisfy(Coefficient.onSpans.contains) {
                    try report(unitizing, diagnostics: nil, data: nil, coders: [], describeUnit: { UnitDescription(name: String($0)) })
                    return
                }
            }
            let reliability: ReliabilityData
            let coderNames: [String]
            /// A description of each unit for the list of disagreements.
            let describeUnit: (Int) throws -> UnitDescription
            if let data {
                let parsed = try ReliabilityData.csv(try InputFile(path: data).text, file: data, order: order?.split(separator: ",").map(String.init))
                (reliability, coderNames) = (parsed.data, parsed.coders)
                describeUnit = { UnitDescription(name: parsed.units[$0]) }
            } else if let layer, let feature, let unitKind = SpanReliability.UnitKind(argument: unit ?? "document") {
                let store = try project.openStore()
                let spans = try SpanReliability.build(store: store, layer: layer, feature: feature, unit: unitKind,
                                                      coders: coders.map(Self.items),
                                                      documents: docs.map(Self.items), presence: presence)
                (reliability, coderNames) = (spans.data, spans.coders)
                describeUnit = { index in
                    let unit = spans.units[index]
                    return UnitDescription(name: "\(unit.documentID) \(unit.span)", documentID: unit.documentID, span: unit.span, text: try spans.text(of: unit, in: store),
                                           coderSpans: spans.valueSpans[index])
                }
            } else {
                return
            }
            let distance = DistanceMetric(rawValue: metric.rawValue) ?? .nominal
            var results = reliability.results(requested.filter { !Coefficient.onSpans.contains($0) }, metric: distance, weights: AgreementWeights(weights, fromValues: weightsFrom == .values))
            if let bootstrap {
                let interval = reliability.bootstrapAlpha(metric: distance, samples: bootstrap, seed: seed, minimum: minimumAlpha)
                for index in results.indices where results[index].coefficient == .krippendorffAlpha { results[index].bootstrap = interval }
            }
            try report(results + unitizing, diagnostics: diagnostics ? reliability.diagnostics() : nil, data: reliability, coders: coderNames,
                       describeUnit: describeUnit)
        }

        /// The spans to match or to compute α_u and γ on: from --spans-data, or the layer's spans in the project.
        private func spans() throws -> (continuum: Continuum, coders: [String]) {
            if let spansData, let length {
                return try Continuum.csv(try InputFile(path: spansData).text, file: spansData, length: length)
            }
            guard let layer else {
                throw GlossError(.usage, "this needs spans: use --layer (with --feature), or --spans-data FILE.csv --length N")
            }
            return try SpanContinuum.build(store: try project.openStore(), layer: layer, feature: feature,
                                           coders: coders.map(Self.items), documents: docs.map(Self.items))
        }

        /// A CSV field in quotes, its quotes doubled (RFC 4180).
        static func csvField(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }

        /// Each coder's results against the gold coder, one block per coder.
        private func reportAgainst(_ gold: String, _ rows: [GoldComparison.Row]) {
            switch format {
            case .json:
                let items = rows.map {
                    JSONValue.object(["coder": .string($0.coder), "results": .array($0.results.map(\.json))])
                }
                print(JSONValue.object(["against": .string(gold), "coders": .array(items)]).canonicalJSON)
            case .csv:
                print("coder,against,coefficient,metric,value,units,pairable_values")
                for row in rows {
                    for result in row.results {
                        let value = result.value.number.map { String($0) } ?? ""
                        print("\(Self.csvField(row.coder)),\(Self.csvField(gold)),\(result.coefficient.rawValue),"
                              + "\(result.metric ?? ""),\(value),\(result.units),\(result.pairableValues)")
                    }
                }
            case .table:
                var table = TextTable(columns: ["CODER", "AGAINST", "COEFFICIENT", "METRIC",
                                                "VALUE", "UNITS", "PAIRABLE"])
                for row in rows {
                    for result in row.results {
                        table.add([row.coder, gold, result.coefficient.rawValue, result.metric ?? "",
                                   result.value.number.map { String(format: "%.4f", $0) } ?? result.value.description,
                                   String(result.units), String(result.pairableValues)], wrapping: 4)
                    }
                }
                print(table.rendered, terminator: "")
            }
        }

        private func reportMatches(_ reports: [SpanMatchReport], continuum: Continuum, coders: [String], withKappa: Bool) throws {
            switch format {
            case .csv:
                print("coder_1,coder_2,spans_1,spans_2,matched,unmatched_1,unmatched_2,precision,recall,f1\(withKappa ? ",kappa_on_matches" : "")")
                func text(_ value: AgreementValue) -> String { value.number.map { String($0) } ?? "" }
                for report in reports {
                    let kappa = withKappa ? "," + text(continuum.kappaOnMatches(report)) : ""
                    print("\"\(coders[report.first])\",\"\(coders[report.second])\",\(report.firstSpans),\(report.secondSpans),\(report.matches.count),"
                          + "\(report.firstSpans - report.matches.count),\(report.secondSpans - report.matches.count),\(text(report.precision)),\(text(report.recall)),\(text(report.f1))\(kappa)")
                }
            case .json:
                let items = reports.map { report -> JSONValue in
                    var object: [String: JSONValue] = [
                        "coders": .array([.string(coders[report.first]), .string(coders[report.second])]),
                        "spans": .array([.integer(report.firstSpans), .integer(report.secondSpans)]), "matched": .integer(report.matches.count),
                        "unmatched": .array([.integer(report.firstSpans - report.matches.count), .integer(report.secondSpans - report.matches.count)]),
                        "match": .string(match ?? ""),
                    ]
                    object.put("precision", report.precision)
                    object.put("recall", report.recall)
                    object.put("f1", report.f1)
                    if withKappa { object.put("kappa_on_matches", continuum.kappaOnMatches(report)) }
                    return .object(object)
                }
                print(JSONValue.object(["matching": .array(items)]).canonicalJSON)
            case .table:
                var table = TextTable(columns: ["CODERS", "SPANS", "MATCHED", "UNMATCHED", "PRECISION", "RECALL", "F1"] + (withKappa ? ["KAPPA_ON_MATCHES"] : []))
                func text(_ value: AgreementValue) -> String { value.number.map { String(format: "%.4f", $0) } ?? "-" }
                for report in reports {
                    table.add(["\(coders[report.first]) – \(coders[report.second])", "\(report.firstSpans) / \(report.secondSpans)", String(report.matches.count),
                               "\(report.firstSpans - report.matches.count) / \(report.secondSpans - report.matches.count)",
                               text(report.precision), text(report.recall), text(report.f1)] + (withKappa ? [text(continuum.kappaOnMatches(report))] : []))
                }
                print(table.rendered, terminator: "")
            }
        }

        private func report(_ results: [AgreementResult], diagnostics details: AgreementDiagnostics?, data reliability: ReliabilityData?,
                            coders coderNames: [String], describeUnit: (Int) throws -> UnitDescription) throws {
            switch format {
            case .json:
                var root: [String: JSONValue] = ["results": .array(results.map(\.json))]
                if let details, let reliability { root["diagnostics"] = try details.json(data: reliability, coders: coderNames, describeUnit: describeUnit) }
                print(JSONValue.object(root).canonicalJSON)
            case .csv:
                print("coefficient,category,metric,value,units,coders,pairable_values,ci_lower,ci_upper,p_below_min,reason")
                for result in results {
                    let reason = if case .undefined(let reason) = result.value { "\"\(reason.replacingOccurrences(of: "\"", with: "\"\""))\"" } else { "" }
                    let interval = result.bootstrap.map { "\($0.lower),\($0.upper),\($0.probabilityBelowMinimum)" } ?? ",,"
                    let category = result.category.map { "\"\($0.replacingOccurrences(of: "\"", with: "\"\""))\"" } ?? ""
                    let pairable = Coefficient.onSpans.contains(result.coefficient) ? "" : String(result.pairableValues)
                    print("\(result.coefficient.rawValue),\(category),\(result.metric ?? ""),\(result.value.number.map { String($0) } ?? ""),\(result.units),\(result.coders),\(pairable),\(interval),\(reason)")
                }
            case .table:
                let hasInterval = results.contains { $0.bootstrap != nil }
                let hasCategory = results.contains { $0.category != nil }
                var table = TextTable(columns: ["COEFFICIENT"] + (hasCategory ? ["CATEGORY"] : []) + ["METRIC", "VALUE", "UNITS", "CODERS", "PAIRABLE"]
                                      + (hasInterval ? ["95% CI", "P(α < \(minimumAlpha))"] : []))
                for result in results {
                    let value = result.value.number.map { String(format: "%.4f", $0) } ?? result.value.description
                    let interval = result.bootstrap.map { [String(format: "%.4f – %.4f", $0.lower, $0.upper), String(format: "%.4f", $0.probabilityBelowMinimum)] } ?? ["", ""]
                    table.add([result.coefficient.rawValue] + (hasCategory ? [result.category ?? "(overall)"] : [])
                              + [result.metric ?? "", value, String(result.units), String(result.coders),
                                 Coefficient.onSpans.contains(result.coefficient) ? "-" : String(result.pairableValues)]
                              + (hasInterval ? interval : []), wrapping: hasCategory ? 3 : 2)
                }
                print(table.rendered, terminator: "")
                if let details, let reliability { try printDiagnostics(details, data: reliability, coders: coderNames, describeUnit: describeUnit) }
            }
        }

        private func printDiagnostics(_ details: AgreementDiagnostics, data: ReliabilityData, coders: [String],
                                      describeUnit: (Int) throws -> UnitDescription) throws {
            let labels = data.categories.map(\.label)
            print("\nCoincidence matrix (Krippendorff 2004, §11.4; rows and columns are categories):")
            var matrix = TextTable(columns: [""] + labels)
            for (row, label) in labels.enumerated() {
                matrix.add([label] + labels.indices.map { String(format: "%.2f", details.coincidences[row, $0]) })
            }
            print(matrix.rendered, terminator: "")
            print("\nAgreement per category (α of this category against all others):")
            var perCategory = TextTable(columns: ["CATEGORY", "PAIRABLE", "ALPHA"])
            for category in details.categories {
                perCategory.add([category.category, String(format: "%.0f", category.pairableValues),
                                 category.alpha.number.map { String(format: "%.4f", $0) } ?? category.alpha.description], wrapping: 2)
            }
            print(perCategory.rendered, terminator: "")
            print("\nCoder pairs (units both coded):")
            var pairs = TextTable(columns: ["CODERS", "UNITS", "PERCENT", "COHEN_KAPPA"])
            for pair in details.pairs {
                pairs.add(["\(coders[pair.first]) – \(coders[pair.second])", String(pair.units),
                           pair.percentAgreement.number.map { String(format: "%.4f", $0) } ?? "-",
                           pair.cohenKappa.number.map { String(format: "%.4f", $0) } ?? pair.cohenKappa.description], wrapping: 3)
            }
            print(pairs.rendered, terminator: "")
            print("\nDisagreements (\(details.disagreements.count) units):")
            for unit in details.disagreements {
                let description = try describeUnit(unit)
                let values = coders.indices.map { coder in
                    let spans = (description.coderSpans?[coder] ?? []).map(\.description).joined(separator: " ")
                    return "\(coders[coder])=\(data.value(unit: unit, coder: coder).map { labels[$0] } ?? "–")" + (spans.isEmpty ? "" : " " + spans)
                }
                print("  \(description.shortDescription): \(values.joined(separator: ", "))")
            }
        }
    }
}

/// A unit in the list of disagreements: its name, and for units from spans the document, offsets and text, and
/// each coder's spans that gave their value.
struct UnitDescription {
    var name: String
    var documentID: String?
    var span: TextSpan?
    var text: String?
    var coderSpans: [[TextSpan]]?

    /// One line for the table: the name and the text's beginning.
    var shortDescription: String {
        guard let text else { return name }
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return "\(name) \"\(line.count > 70 ? line.prefix(69) + "…" : line)\""
    }

    /// `{"unit", "document", "start", "end", "text"}` with the whole text (code-point offsets).
    var json: [String: JSONValue] {
        var object: [String: JSONValue] = ["unit": .string(name)]
        if let documentID { object["document"] = .string(documentID) }
        if let span { object["start"] = .integer(span.start); object["end"] = .integer(span.end) }
        if let text { object["text"] = .string(text) }
        return object
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

extension AgreementDiagnostics {
    func json(data: ReliabilityData, coders: [String], describeUnit: (Int) throws -> UnitDescription) throws -> JSONValue {
        let labels = data.categories.map(\.label)
        return .object([
            "categories": .array(labels.map(JSONValue.string)),
            "coincidences": .array(labels.indices.map { row in .array(labels.indices.map { .number(coincidences[row, $0]) }) }),
            "per_category": .array(categories.map { category in
                var object: [String: JSONValue] = ["category": .string(category.category), "pairable_values": .number(category.pairableValues)]
                object.put("alpha", category.alpha)
                return .object(object)
            }),
            "coder_pairs": .array(pairs.map { pair in
                var object: [String: JSONValue] = ["coders": .array([.string(coders[pair.first]), .string(coders[pair.second])]), "units": .integer(pair.units)]
                object.put("percent_agreement", pair.percentAgreement)
                object.put("cohen_kappa", pair.cohenKappa)
                return .object(object)
            }),
            "disagreements": .array(try disagreements.map { unit in
                let description = try describeUnit(unit)
                var object = description.json
                object["values"] = .object(Dictionary(uniqueKeysWithValues: coders.indices.map { coder in
                    (coders[coder], data.value(unit: unit, coder: coder).map { JSONValue.string(labels[$0]) } ?? .null) }))
                if let spans = description.coderSpans {
                    object["spans"] = .object(Dictionary(uniqueKeysWithValues: coders.indices.map { coder in
                        (coders[coder], .array(spans[coder].map { .array([.integer($0.start), .integer($0.end)]) })) }))
                }
                return .object(object)
            }),
        ])
    }
}

extension AgreementWeights.Kind: ExpressibleByArgument {}

extension AgreementResult {
    /// `{"coefficient":…,"metric":…,"value":…,"units":…,"coders":…,"pairable_values":…,"ci":null}`; an undefined
    /// value is null with a "reason".
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "coefficient": .string(coefficient.rawValue), "metric": metric.map(JSONValue.string) ?? .null,
            "units": .integer(units), "coders": .integer(coders), "pairable_values": .integer(pairableValues), "ci": .null,
        ]
        if let category { object["category"] = .string(category) }
        if Coefficient.onSpans.contains(coefficient) {  // spans on a continuum: its length, not pairable values
            object["pairable_values"] = nil
            object["continuum_length"] = .integer(pairableValues)
        }
        if let bootstrap {
            object["ci"] = .object(["level": .number(0.95), "lower": .number(bootstrap.lower), "upper": .number(bootstrap.upper),
                                    "samples": .integer(bootstrap.samples)])
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
