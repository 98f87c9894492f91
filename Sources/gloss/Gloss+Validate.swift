import ArgumentParser
import Foundation
import GlossCore
import GlossStore

extension Gloss {
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-check every annotation against the latest registered version of its codebook.",
            discussion: "Reports every violation; exit status 1 when there is any, 0 when the project is valid.")

        @OptionGroup var project: ProjectOptions
        @Option(help: "Output format (table or json).") var format: ValidationFormat = .table

        enum ValidationFormat: String, ExpressibleByArgument, CaseIterable { case table, json }

        func run() throws {
            try ViewerOptions.refuseBlindReader("validation")
            let findings = try ProjectValidator(store: try project.openStore()).findings()
            switch format {
            case .table:
                var table = TextTable(columns: ["ANNOTATION", "DOCUMENT", "CODER", "LAYER", "START", "END", "CODEBOOK", "PROBLEM"])
                for finding in findings {
                    let annotation = finding.annotation
                    table.add([String(annotation.id), annotation.documentID, annotation.coder, annotation.layer, String(annotation.span.start),
                               String(annotation.span.end), finding.checkedAgainst?.description ?? "-", finding.message], wrapping: 7)
                }
                if !findings.isEmpty { print(table.rendered, terminator: "") }
                let annotations = Set(findings.map(\.annotation.id)).count
                print(findings.isEmpty ? "all annotations are valid" : "\(findings.count) violations in \(annotations) annotations")
            case .json:
                print(JSONValue.object(["violations": .array(findings.map(\.json))]).canonicalJSON)
            }
            if !findings.isEmpty { throw ExitCode(1) }
        }
    }
}
