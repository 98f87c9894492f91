import ArgumentParser
import Foundation
import GlossAgreement
import GlossCore
import GlossIO
import GlossService
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

        /// Checks how the options combine; what the question itself allows is checked by
        /// `AgreementRequest.problem`, for the server too.
        func validate() throws {
            /// Refuses options the chosen input would silently ignore.
            func refuse(_ options: [(String, Bool)], with input: String) throws {
                if let (name, _) = options.first(where: { $0.1 }) { throw ValidationError("\(name) does not apply to \(input)") }
            }
            let spanOptions = [("--coders", coders != nil), ("--docs", docs != nil), ("--presence", presence), ("--unit", unit != nil)]
            if let match, SpanMatch(argument: match) == nil { throw ValidationError("--match is exact or overlap:RATIO with 0 < RATIO ≤ 1, not \(match)") }
            if alphaMin != nil && bootstrap == nil { throw ValidationError("--alpha-min goes with --bootstrap N, which estimates the probability") }
            if gammaSearch == nil { throw ValidationError("--alignment is exact or beam:WIDTH with WIDTH from 1 to 100000, not \(alignment)") }
            if diagnostics && format == .csv { throw ValidationError("--diagnostics goes with --format table or json") }
            _ = try coefficients()
            if match != nil || spansData != nil {
                try refuse([("--order", order != nil), ("--data", data != nil)],
                           with: match != nil ? "--match" : "--spans-data")
            }
            if spansData != nil {
                if feature != nil { throw ValidationError("--feature does not apply to --spans-data: its labels are the categories") }
                guard layer == nil, let length else { throw ValidationError("--spans-data needs --length N, and goes without --layer") }
                if length < 1 { throw ValidationError("--length must be 1 or more") }
                try refuse(spanOptions, with: "--spans-data")
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
            case (nil, .some, .some):
                if let unit, SpanReliability.UnitKind(argument: unit) == nil { throw ValidationError("--unit is document, paragraph, sentence or layer:NAME, not \(unit)") }
                if order != nil { throw ValidationError("--order goes with --data; on the project's spans the codebook gives the order") }
            case (.some, _, _): throw ValidationError("give either --data or --layer with --feature, not both")
            default: throw ValidationError("give --layer and --feature (the project's spans), or --data FILE.csv")
            }
        }

        /// How `AgreementRequest.problem` names the options.
        static func optionName(_ parameter: AgreementRequest.Parameter) -> String {
            "--" + parameter.rawValue.replacingOccurrences(of: "_", with: "-")
        }

        /// The minimum α whose probability the bootstrap reports.
        var minimumAlpha: Double { alphaMin ?? 0.667 }

        func coefficients() throws -> [Coefficient] {
            if coefficient == "all" { return Coefficient.coding }
            let names = CommaList.items(coefficient)
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
            let report = try AgreementService.run(try request(), naming: Self.optionName,
                                                  store: { try project.openStore() })
            if format == .json { return print(report.json.canonicalJSON) }
            switch report {
            case .coefficients(let results, let details):
                printResults(results, diagnostics: details)
            case .matching(_, let rows):
                printMatches(rows)
            case .against(let gold, let rows):
                printAgainst(gold, rows)
            }
        }

        /// The question the options ask, for `AgreementService`.
        func request() throws -> AgreementRequest {
            let source: AgreementRequest.Source
            if let data {
                source = .reliabilityCSV(text: try InputFile(path: data).text, file: data,
                                         order: order?.split(separator: ",").map(String.init))
            } else if let spansData, let length {
                source = .spansCSV(text: try InputFile(path: spansData).text, file: spansData, length: length)
            } else if let layer, let unitKind = SpanReliability.UnitKind(argument: unit ?? "document") {
                source = .project(layer: layer, feature: feature, unit: unitKind, coders: coders.map(CommaList.items),
                                  documents: docs.map(CommaList.items), presence: presence)
            } else {
                throw GlossError(.usage, "give --layer and --feature (the project's spans), or --data FILE.csv")
            }
            let matching = match.flatMap { name in SpanMatch(argument: name).map { (how: $0, name: name) } }
            return AgreementRequest(
                source: source, coefficients: try coefficients(),
                metric: DistanceMetric(rawValue: metric.rawValue) ?? .nominal,
                weights: AgreementWeights(weights, fromValues: weightsFrom == .values), bootstrap: bootstrap,
                minimumAlpha: minimumAlpha, gammaSamples: samples,
                gammaSettings: GammaSettings(search: gammaSearch ?? .exact), seed: seed, diagnostics: diagnostics,
                match: matching, against: against)
        }

        /// A CSV field in quotes, its quotes doubled (RFC 4180).
        static func csvField(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }

        /// Each coder's results against the gold coder, one block per coder.
        private func printAgainst(_ gold: String, _ rows: [GoldComparison.Row]) {
            if format == .csv {
                print("coder,against,coefficient,metric,value,units,pairable_values")
                for row in rows {
                    for result in row.results {
                        let value = result.value.number.map { String($0) } ?? ""
                        print("\(Self.csvField(row.coder)),\(Self.csvField(gold)),\(result.coefficient.rawValue),"
                              + "\(result.metric ?? ""),\(value),\(result.units),\(result.pairableValues)")
                    }
                }
                return
            }
            var table = TextTable(columns: ["CODER", "AGAINST", "COEFFICIENT", "METRIC", "VALUE", "UNITS", "PAIRABLE"])
            for row in rows {
                for result in row.results {
                    table.add([row.coder, gold, result.coefficient.rawValue, result.metric ?? "",
                               result.value.number.map { String(format: "%.4f", $0) } ?? result.value.description,
                               String(result.units), String(result.pairableValues)], wrapping: 4)
                }
            }
            print(table.rendered, terminator: "")
        }

        private func printMatches(_ rows: [AgreementReport.MatchRow]) {
            let withKappa = rows.contains { $0.kappaOnMatches != nil }
            if format == .csv {
                print("coder_1,coder_2,spans_1,spans_2,matched,unmatched_1,unmatched_2,precision,recall,f1"
                      + (withKappa ? ",kappa_on_matches" : ""))
                func text(_ value: AgreementValue?) -> String { value?.number.map { String($0) } ?? "" }
                for row in rows {
                    let kappa = withKappa ? "," + text(row.kappaOnMatches) : ""
                    print("\(Self.csvField(row.coders.0)),\(Self.csvField(row.coders.1)),\(row.spans.0),\(row.spans.1),"
                          + "\(row.matched),\(row.spans.0 - row.matched),\(row.spans.1 - row.matched),"
                          + "\(text(row.precision)),\(text(row.recall)),\(text(row.f1))\(kappa)")
                }
                return
            }
            var table = TextTable(columns: ["CODERS", "SPANS", "MATCHED", "UNMATCHED", "PRECISION", "RECALL", "F1"]
                                  + (withKappa ? ["KAPPA_ON_MATCHES"] : []))
            func text(_ value: AgreementValue?) -> String { value?.number.map { String(format: "%.4f", $0) } ?? "-" }
            for row in rows {
                table.add(["\(row.coders.0) – \(row.coders.1)", "\(row.spans.0) / \(row.spans.1)", String(row.matched),
                           "\(row.spans.0 - row.matched) / \(row.spans.1 - row.matched)",
                           text(row.precision), text(row.recall), text(row.f1)]
                          + (withKappa ? [text(row.kappaOnMatches)] : []))
            }
            print(table.rendered, terminator: "")
        }

        private func printResults(_ results: [AgreementResult], diagnostics details: AgreementReport.Diagnostics?) {
            if format == .csv {
                print("coefficient,category,metric,value,units,coders,pairable_values,ci_lower,ci_upper,p_below_min,reason")
                for result in results {
                    let reason = if case .undefined(let reason) = result.value { Self.csvField(reason) } else { "" }
                    let interval = result.bootstrap.map { "\($0.lower),\($0.upper),\($0.probabilityBelowMinimum)" }
                        ?? ",,"
                    let category = result.category.map(Self.csvField) ?? ""
                    let pairable = Coefficient.onSpans.contains(result.coefficient) ? "" : String(result.pairableValues)
                    let value = result.value.number.map { String($0) } ?? ""
                    print("\(result.coefficient.rawValue),\(category),\(result.metric ?? ""),\(value),\(result.units),"
                          + "\(result.coders),\(pairable),\(interval),\(reason)")
                }
                return
            }
            let hasInterval = results.contains { $0.bootstrap != nil }
            let hasCategory = results.contains { $0.category != nil }
            var table = TextTable(columns: ["COEFFICIENT"] + (hasCategory ? ["CATEGORY"] : [])
                                  + ["METRIC", "VALUE", "UNITS", "CODERS", "PAIRABLE"]
                                  + (hasInterval ? ["95% CI", "P(α < \(minimumAlpha))"] : []))
            for result in results {
                let value = result.value.number.map { String(format: "%.4f", $0) } ?? result.value.description
                let interval = result.bootstrap.map {
                    [String(format: "%.4f – %.4f", $0.lower, $0.upper),
                     String(format: "%.4f", $0.probabilityBelowMinimum)]
                } ?? ["", ""]
                table.add([result.coefficient.rawValue] + (hasCategory ? [result.category ?? "(overall)"] : [])
                          + [result.metric ?? "", value, String(result.units), String(result.coders),
                             Coefficient.onSpans.contains(result.coefficient) ? "-" : String(result.pairableValues)]
                          + (hasInterval ? interval : []), wrapping: hasCategory ? 3 : 2)
            }
            print(table.rendered, terminator: "")
            if let details { printDiagnostics(details) }
        }

        private func printDiagnostics(_ details: AgreementReport.Diagnostics) {
            let labels = details.categories
            print("\nCoincidence matrix (Krippendorff 2004, §11.4; rows and columns are categories):")
            var matrix = TextTable(columns: [""] + labels)
            for (row, label) in labels.enumerated() {
                matrix.add([label] + details.coincidences[row].map { String(format: "%.2f", $0) })
            }
            print(matrix.rendered, terminator: "")
            print("\nAgreement per category (α of this category against all others):")
            var perCategory = TextTable(columns: ["CATEGORY", "PAIRABLE", "ALPHA"])
            for category in details.perCategory {
                let alpha = category.alpha.number.map { String(format: "%.4f", $0) } ?? category.alpha.description
                perCategory.add([category.category, String(format: "%.0f", category.pairableValues), alpha], wrapping: 2)
            }
            print(perCategory.rendered, terminator: "")
            print("\nCoder pairs (units both coded):")
            var pairs = TextTable(columns: ["CODERS", "UNITS", "PERCENT", "COHEN_KAPPA"])
            for pair in details.pairs {
                pairs.add(["\(pair.coders.0) – \(pair.coders.1)", String(pair.units),
                           pair.percentAgreement.number.map { String(format: "%.4f", $0) } ?? "-",
                           pair.cohenKappa.number.map { String(format: "%.4f", $0) } ?? pair.cohenKappa.description],
                          wrapping: 3)
            }
            print(pairs.rendered, terminator: "")
            print("\nDisagreements (\(details.disagreements.count) units):")
            for unit in details.disagreements {
                let values = details.coders.indices.map { coder in
                    let spans = (unit.spans?[coder] ?? []).map(\.description).joined(separator: " ")
                    return "\(details.coders[coder])=\(unit.values[coder] ?? "–")" + (spans.isEmpty ? "" : " " + spans)
                }
                print("  \(unit.shortDescription): \(values.joined(separator: ", "))")
            }
        }
    }
}

extension AgreementWeights.Kind: ExpressibleByArgument {}
