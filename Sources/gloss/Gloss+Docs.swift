import ArgumentParser
import Foundation
import GlossCore
import GlossStore

extension Gloss {
    struct Docs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List documents, show one's text, or correct its title, outlet, URL or date.",
            subcommands: [List.self, Show.self, Edit.self])
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
                if table.isEmpty { printError("no documents in this project; import some with `gloss import docs`") }
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
            abstract: "Print a document's text exactly as stored, an earlier revision of it, or the text with its annotations.",
            discussion: """
                Revision 1 is the text first imported; each `gloss import docs --update` with a changed text adds \
                one. --revisions lists them instead (revision, import time, replacement time, SHA-256).

                --annotations prints each line after the code-point offset of its first character and marks every \
                annotation inline as [ID|…|ID], so that offsets can be read off the screen; CR and tabs show as ␍ \
                and ␉ (one code point each). A list of the marked annotations follows.
                  gloss docs show monitor-2018-kabul-reaction --annotations --coder alice --layer statement
                """)

        @OptionGroup var project: ProjectOptions
        @Argument(help: ArgumentHelp("The document id.", valueName: "id")) var id: String
        @Option(help: ArgumentHelp("The revision to print (default: the current one).", valueName: "n")) var revision: Int?
        @Flag(help: "List the revisions instead of printing a text.") var revisions = false
        @Flag(help: "Mark the annotations in the text, with line offsets.") var annotations = false
        @Option(help: ArgumentHelp("With --annotations: only this coder's.", valueName: "name")) var coder: String?
        @Option(help: ArgumentHelp("With --annotations: only this layer's.", valueName: "layer")) var layer: String?
        @OptionGroup var viewer: ViewerOptions

        func validate() throws {
            if (coder != nil || layer != nil) && !annotations { throw ValidationError("--coder and --layer go with --annotations") }
            if annotations && (revision != nil || revisions) {
                throw ValidationError("--annotations shows the current text; leave out --revision and --revisions")
            }
        }

        func run() throws {
            let store = try project.openStore()
            let stored = try store.read { try $0.documentRevisions(externalID: id) }
            guard let current = stored.last else { throw GlossError(.badData, "there is no document \"\(id)\"; list them with `gloss docs list`") }
            if revisions {
                var table = TextTable(columns: ["REVISION", "IMPORTED", "REPLACED", "SHA256"])
                for entry in stored { table.add([String(entry.revision), entry.importedAt, entry.replacedAt ?? "(current)", entry.sha256]) }
                print(table.rendered, terminator: "")
                return
            }
            if annotations {
                let marked = try store.read {
                    try $0.annotations(matching: AnnotationFilter(
                        documentID: id, coder: try viewer.coder(asked: coder), layer: layer))
                }
                let colour = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
                print(AnnotatedTextView(text: current.text, annotations: marked).rendered(colour: colour))
                var table = TextTable(columns: ["ID", "REV", "CODER", "LAYER", "START", "END", "FEATURES"])
                for annotation in marked {
                    table.add([String(annotation.id), String(annotation.revision), annotation.coder, annotation.layer,
                               String(annotation.span.start), String(annotation.span.end),
                               JSONValue.object(annotation.features).canonicalJSON])
                }
                if table.isEmpty { printError("no annotations match") } else { print(table.rendered, terminator: "") }
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

extension Gloss.Docs {
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Correct a document's title, outlet, URL or publication date (audited; the text never changes).",
            discussion: """
                An empty value removes the outlet, URL or date. To change the text itself, use \
                `gloss import docs --update`, which keeps the old text as a revision and re-anchors annotations.
                  gloss docs edit monitor-2018-kabul-reaction --title "Kabul reacts to Moscow talks" --published 2018-11-09
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Argument(help: ArgumentHelp("The document id.", valueName: "id")) var id: String
        @Option(help: ArgumentHelp("The new title.", valueName: "text")) var title: String?
        @Option(help: ArgumentHelp("The outlet that published it.", valueName: "name")) var outlet: String?
        @Option(help: ArgumentHelp("Where it was published.", valueName: "url")) var url: String?
        @Option(help: ArgumentHelp("Publication date: 2017-02-13, 2017-02, 2017 or a full date-time.", valueName: "date"))
        var published: String?

        func validate() throws {
            guard title != nil || outlet != nil || url != nil || published != nil else {
                throw ValidationError("nothing to change: give --title, --outlet, --url or --published")
            }
            if let title, title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--title must not be empty") }
            if let published, !published.isEmpty, !Timestamp.isValidPublicationDate(published) {
                throw ValidationError("--published \(published): use an ISO 8601 date such as 2017-02-13 (or 2017-02, 2017, or a full date-time)")
            }
        }

        func run() throws {
            let store = try project.openStore()
            let context = change.changeContext(source: "docs edit")
            let edited = try store.write { writer in
                guard var document = try writer.document(externalID: id) else {
                    throw GlossError(.badData, "there is no document \"\(id)\"; list them with `gloss docs list`")
                }
                if let title { document.title = title }
                if let outlet { document.outlet = outlet.isEmpty ? nil : outlet }
                if let url { document.url = url.isEmpty ? nil : url }
                if let published { document.published = published.isEmpty ? nil : published }
                try writer.updateMetadata(document, context: context)
                return document
            }
            print("updated \(edited.externalID): \(edited.title)")
        }
    }
}
