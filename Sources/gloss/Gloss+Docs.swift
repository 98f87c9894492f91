import ArgumentParser
import GlossCore
import GlossStore

extension Gloss {
    struct Docs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List documents, or show one's text.",
            subcommands: [List.self, Show.self])
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

extension Gloss.Docs {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a document's text exactly as stored, or an earlier revision of it.",
            discussion: """
                Revision 1 is the text first imported; each `gloss import docs --update` with a changed text adds \
                one. --revisions lists them instead (revision, import time, replacement time, SHA-256).
                """)

        @OptionGroup var project: ProjectOptions
        @Argument(help: ArgumentHelp("The document id.", valueName: "id")) var id: String
        @Option(help: ArgumentHelp("The revision to print (default: the current one).", valueName: "n")) var revision: Int?
        @Flag(help: "List the revisions instead of printing a text.") var revisions = false

        func run() throws {
            let stored = try project.openStore().read { try $0.documentRevisions(externalID: id) }
            guard let current = stored.last else { throw GlossError(.badData, "there is no document \"\(id)\"; list them with `gloss docs list`") }
            if revisions {
                var table = TextTable(columns: ["REVISION", "IMPORTED", "REPLACED", "SHA256"])
                for entry in stored { table.add([String(entry.revision), entry.importedAt, entry.replacedAt ?? "(current)", entry.sha256]) }
                print(table.rendered, terminator: "")
                return
            }
            let wanted = revision ?? current.revision
            guard let entry = stored.first(where: { $0.revision == wanted }) else {
                throw GlossError(.badData, "document \"\(id)\" has revisions 1 to \(current.revision), not \(wanted)")
            }
            print(entry.text, terminator: "")
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
