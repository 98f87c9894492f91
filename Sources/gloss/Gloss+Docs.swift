import ArgumentParser
import GlossCore
import GlossStore

extension Gloss {
    struct Docs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List documents.",
            subcommands: [List.self])
    }
}

extension Gloss.Docs {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the project's documents with their length (code points) and annotation count.")

        @OptionGroup var project: ProjectOptions
        @Option(help: "Output format.") var format: OutputFormat = .table

        func run() throws {
            let summaries = try project.openStore().read { try $0.documentSummaries() }
            switch format {
            case .table:
                var table = TextTable(columns: ["ID", "TITLE", "OUTLET", "PUBLISHED", "LENGTH", "ANNOTATIONS"])
                for summary in summaries {
                    table.add([summary.externalID, summary.title, summary.outlet ?? "", summary.published ?? "",
                               String(summary.length), String(summary.annotationCount)])
                }
                print(table.rendered, terminator: "")
            case .json:
                print(JSONValue.array(summaries.map(\.json)).canonicalJSON)
            case .jsonl:
                for summary in summaries { print(summary.json.canonicalJSON) }
            }
        }
    }
}

extension DocumentSummary {
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(externalID), "title": .string(title), "sha256": .string(sha256),
            "imported": .string(importedAt), "length": .integer(length), "annotations": .integer(annotationCount),
        ]
        if let outlet { object["outlet"] = .string(outlet) }
        if let url { object["url"] = .string(url) }
        if let published { object["published"] = .string(published) }
        return .object(object)
    }
}
