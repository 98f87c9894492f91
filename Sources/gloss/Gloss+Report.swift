import ArgumentParser
import Foundation
import GlossCore
import GlossIO
import GlossStore
import GlossWorkflow

extension Gloss {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the reliability report: one self-contained HTML file for co-authors and reviewers.",
            discussion: """
                The report shows the project and each coder's progress; for each coded feature α with its bootstrap \
                95% interval against 0.667 and 0.800, the κ family, a coder × coder matrix, the coincidence matrix \
                as a heat map, α per category and per document (lowest first) and the disagreements with each \
                coder's span highlighted in the text; code frequencies per coder; and the state of adjudication. \
                Inline CSS and SVG only: no script, no external resource, and it prints well.

                Without --feature, every category and ordinal feature of the registered codebooks that is used is \
                reported, over the unit its layer suggests: per document for a layer coded on whole documents, per \
                paragraph or sentence for a layer whose spans the codebook keeps within one, else per sentence. \
                --feature LAYER.FEATURE[@UNIT] (repeatable) chooses instead. --format json writes the same figures \
                as JSON.

                Examples:
                  gloss report --out report.html
                  gloss report --out report.html --feature statement.stance@paragraph --feature actor.actor
                  gloss report --out report.json --format json --bootstrap 500
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The file to write.", valueName: "file")) var out: String
        @Option(name: .customLong("feature"),
                help: ArgumentHelp("A feature to report on, LAYER.FEATURE or LAYER.FEATURE@UNIT (repeatable).",
                                   valueName: "layer.feature[@unit]"))
        var features: [String] = []
        @Option(help: ArgumentHelp("The report's title.", valueName: "text"))
        var title = "Intercoder reliability report"
        @Option(help: ArgumentHelp("Bootstrap samples for α's 95% interval.", valueName: "n")) var bootstrap = 2000
        @Option(help: ArgumentHelp("Seed of the bootstrap.", valueName: "s")) var seed: UInt64 = 1
        @Option(help: "html (default) or json.") var format: ReportFormat = .html
        @OptionGroup var overwrite: OverwriteOptions

        enum ReportFormat: String, ExpressibleByArgument, CaseIterable { case html, json }

        func validate() throws {
            for feature in features where ReportBuilder.FeatureChoice(argument: feature) == nil {
                throw ValidationError("--feature \(feature): write LAYER.FEATURE or LAYER.FEATURE@UNIT "
                                      + "(document, paragraph, sentence or layer:NAME)")
            }
            if bootstrap < 100 || bootstrap > 100_000 {
                throw ValidationError("--bootstrap takes 100 to 100000 samples")
            }
        }

        func run() throws {
            try ViewerOptions.refuseBlindReader("the reliability report")
            try OutputFile.prepare([out], overwriting: overwrite.force)
            let choices = features.compactMap(ReportBuilder.FeatureChoice.init(argument:))
            let builder = ReportBuilder(title: title, features: choices.isEmpty ? nil : choices,
                                        bootstrapSamples: bootstrap, seed: seed,
                                        database: try project.location.description)
            let report = try builder.build(store: try project.openStore(), time: Timestamp.now())
            let bytes: [UInt8]
            switch format {
            case .html:
                bytes = Array(ReportHTML.render(report).utf8)
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
                encoder.keyEncodingStrategy = .convertToSnakeCase
                bytes = Array(try encoder.encode(report))
            }
            try OutputFile.write(bytes, to: out)
            let features = report.features.map { "\($0.layer).\($0.feature)@\($0.unit)" }.joined(separator: ", ")
            print("wrote the reliability report to \(out): "
                  + "\(report.features.count) feature\(report.features.count == 1 ? "" : "s") (\(features))")
        }
    }
}
