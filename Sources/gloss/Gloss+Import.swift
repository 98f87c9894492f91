import Foundation
import ArgumentParser
import GlossCore
import GlossIO
import GlossInterchange
import GlossStore

extension Gloss {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import documents or annotations.",
            subcommands: [Documents.self, Annotations.self, TEI.self])
    }
}

/// Options shared by the import commands.
struct ImportArguments: ParsableArguments {
    @Flag(help: "Skip bad records with a warning and import the rest (default: one bad record rejects the whole import).")
    var skipInvalid = false
    @OptionGroup var limits: LimitOptions

    func options(_ change: ChangeOptions, source: String, allowsUncodedLayers: Bool = false,
                 restoresExport: Bool = false, allowsUnassigned: Bool = false) -> ImportOptions {
        ImportOptions(skipsInvalid: skipInvalid, allowsUncodedLayers: allowsUncodedLayers, restoresExport: restoresExport,
                      allowsUnassigned: allowsUnassigned, limits: limits.inputLimits,
                      context: change.changeContext(source: source),
                      reportSkipped: { printError("warning: \($0) (skipped)") },
                      reportProgress: Progress.report("read"))
    }
}

extension Gloss.Import {
    struct Documents: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "docs",
            abstract: "Import news articles from .txt files, .jsonl files or folders of them.",
            discussion: """
                A .txt file is one document: its id is the file name without extension, its title the first \
                non-empty line, its text the file's content exactly (UTF-8 required; a leading byte order mark \
                is dropped; line endings are kept).

                A .jsonl file holds one document per line:
                  {"id":"kabul-01","title":"…","text":"…","url":"…","outlet":"…","published":"2017-02-13"}
                Only "id" and "text" are required.

                A document whose id is already stored with the same text is skipped; with a different text \
                the import stops with exit status 75, unless --update is given.

                --update stores a changed text as the document's next revision (the old one stays readable with \
                `gloss docs show ID --revision N`) and re-anchors its annotations: a span outside the changed \
                part keeps or shifts its offsets; one that touches it is found again by its quote, exactly first \
                (the occurrence with the best matching surrounding text, then the nearest), then approximately \
                (at least 80% of the quote unchanged). An annotation that cannot be found again is not moved: it \
                stays where it was, is flagged as needing review (its needs_recoding field, shown by `gloss \
                annotations list --format jsonl` and cleared by `gloss annotate update`), and is counted. An \
                annotation of a document-scope layer covers the new text whole. A moved annotation is checked \
                against its layer's codebook at the new place (length, sentence or paragraph boundary) and \
                flagged when it breaks it.
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @OptionGroup var importArguments: ImportArguments

        @Flag(help: "Store a changed text of a known document as its new revision and re-anchor its annotations.")
        var update = false

        @Argument(help: ArgumentHelp("Files or folders to import.", valueName: "path"))
        var paths: [String]

        func run() throws {
            let store = try project.openStore()
            var options = importArguments.options(change, source: update ? "import docs --update" : "import docs")
            options.updatesDocuments = update
            let importer = DocumentImporter(store: store, options: options)
            let report = try importer.importDocuments(from: paths)
            Progress.finish()
            for id in report.skipped { print("skipped \(id): already imported with the same text") }
            var summary = "imported \(report.imported.count) document\(report.imported.count == 1 ? "" : "s")"
            summary += ", skipped \(report.skipped.count) already present"
            if report.invalid > 0 { summary += ", skipped \(report.invalid) invalid" }
            if !report.updated.isEmpty {
                summary += "; updated \(report.updated.count) to a new revision: annotations \(report.annotationsUnchanged) unchanged, "
                    + "\(report.annotationsMoved) moved (\(report.annotationsMovedApproximately) by approximate match), \(report.annotationsFlagged) flagged for review"
                if report.annotationsMovedAndFlagged > 0 {
                    summary += "; \(report.annotationsMovedAndFlagged) of the moved break their codebook at the new place and are flagged too"
                }
            }
            print(summary)
        }
    }

    struct Annotations: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import annotations from native JSON Lines files or folders of them.",
            discussion: """
                One annotation per line:
                  {"document":"kabul-01","coder":"alice","layer":"statement","start":12,"end":40,
                   "unit":"codepoint","text":"covered text","features":{"stance":"critical"}}
                "unit" is codepoint (default), utf16 or utf8; offsets are half-open [start, end) and are \
                stored as code points. "text" is optional; when given it must equal the covered text. \
                Coders are created on first use. Lines exported by `gloss export jsonl` also carry "id", \
                "created", "updated", "revision" and, when set, "codebook" and "needs_recoding", which are kept; \
                a line whose id is already stored with the same content is skipped, and so is a line without an id \
                that is identical to a stored annotation. Once a codebook is registered, every annotation is checked \
                against it (see --allow-uncoded-layers and --restore).
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @OptionGroup var importArguments: ImportArguments
        @OptionGroup var archive: ArchiveOptions
        @OptionGroup var blindCoding: BlindCodingOptions

        @Flag(help: "Accept annotations of layers that no registered codebook defines.")
        var allowUncodedLayers = false

        @Flag(help: "Restore a `gloss export jsonl` as it was: annotations keep the codebook version they name (register the exported codebooks first) and are not checked against it; `gloss validate` reports what breaks it.")
        var restore = false

        @Option(help: "The file format: native (Gloss's JSON Lines), doccano (doccano's JSON Lines, with their texts) brat (.ann files with their .txt beside them), label-studio (Label Studio's JSON export), refi-qda (.qdpx projects), uima-xmi (INCEpTION's UIMA CAS XMI) or webanno-tsv (INCEpTION's WebAnno TSV 3).")
        var format: AnnotationFormat = .native

        @Option(help: ArgumentHelp("With a foreign format: the coder to store the annotations under (default: the format's name).", valueName: "name"))
        var coder: String?

        @Option(help: "With --format doccano: what the offsets count (default utf16: doccano's web front end counts UTF-16 units).")
        var offsets: ForeignOffsets?

        @Option(help: ArgumentHelp("With --format label-studio: the field of each task's data that holds the text (default: the one the labeling config names, else text, else the only text field).", valueName: "name"))
        var textField: String?

        @Option(help: ArgumentHelp("With a foreign format: a YAML file that maps its labels, attributes, relations and categories onto a registered codebook (see the README).", valueName: "file"))
        var map: String?

        @Argument(help: ArgumentHelp("Files or folders to import.", valueName: "path"))
        var paths: [String]

        enum AnnotationFormat: String, ExpressibleByArgument, CaseIterable {
            case native, doccano, brat, labelStudio = "label-studio", refiQDA = "refi-qda", uimaXMI = "uima-xmi", webannoTSV = "webanno-tsv"
        }
        enum ForeignOffsets: String, ExpressibleByArgument, CaseIterable { case utf16, codepoint }

        func validate() throws {
            if format == .native, coder != nil { throw ValidationError("--coder goes with a foreign --format; native records name their coder") }
            if let coder, let problem = Name.problem(with: coder, as: .coder) { throw ValidationError("--coder: \(problem)") }
            if format != .native, restore || allowUncodedLayers || importArguments.skipInvalid {
                throw ValidationError("--restore, --allow-uncoded-layers and --skip-invalid go with native files")
            }
            if format == .refiQDA, coder != nil { throw ValidationError("--coder does not apply to refi-qda: its users are the coders") }
            if map != nil, format == .native || format == .refiQDA { throw ValidationError("--map goes with --format doccano, brat, label-studio, uima-xmi or webanno-tsv") }
            if offsets != nil, format != .doccano { throw ValidationError("--offsets goes with --format doccano") }
            if textField != nil, format != .labelStudio { throw ValidationError("--text-field goes with --format label-studio") }
            if archive.maxArchiveSize != nil, format != .refiQDA { throw ValidationError("--max-archive-size goes with --format refi-qda") }
        }

        func run() throws {
            let store = try project.openStore()
            if format == .refiQDA {
                let context = change.changeContext(source: "import annotations --format refi-qda")
                for path in try InputFile.expand(paths, extensions: ["qdpx"]) {
                    let project = try REFIProject.read(path: path, limits: archive.limits)
                    let report = try project.store(in: store, context: context, file: path,
                                                   allowsUnassigned: blindCoding.allowUnassigned)
                    var summary = "imported \(report.documents) documents and \(report.annotations) codings from \(path)"
                    if report.documentsAlreadyPresent + report.annotationsAlreadyPresent > 0 {
                        summary += "; \(report.documentsAlreadyPresent) documents and \(report.annotationsAlreadyPresent) codings were already present"
                    }
                    if let codebook = report.codebook { summary += "; registered the code book as \(codebook)" }
                    print(summary)
                    for item in project.notCarried { printError("warning: \(path): not imported: \(item)") }
                }
                return
            }
            if format != .native, let foreign = InterchangeFormat(rawValue: format.rawValue) {
                let contents = try foreign.read(paths, offsets: offsets == .codepoint ? .codepoint : .utf16, textField: textField)
                let (documents, vocabulary) = (contents.documents, contents.vocabulary)
                for item in contents.notCarried { printError("warning: not imported: \(item)") }
                var importer = InterchangeImporter(
                    store: store, format: format.rawValue, coder: coder ?? format.rawValue,
                    context: change.changeContext(source: "import annotations --format \(format.rawValue)"))
                importer.allowsUnassigned = blindCoding.allowUnassigned
                let report = try importer.importDocuments(
                    documents, vocabulary: vocabulary, mapping: try map.map { try InterchangeMapping.read(path: $0) })
                var summary = "imported \(report.documents) document\(report.documents == 1 ? "" : "s") and \(report.annotations) annotations, \(report.relations) relations"
                if report.documentsAlreadyPresent + report.annotationsAlreadyPresent > 0 {
                    summary += "; \(report.documentsAlreadyPresent) documents and \(report.annotationsAlreadyPresent) annotations were already present"
                }
                if let codebook = report.codebook { summary += "; registered the draft codebook \(codebook) (see `gloss codebook show \(codebook)`)" }
                print(summary)
                return
            }
            let importer = AnnotationImporter(store: store, options: importArguments.options(
                change, source: "import annotations", allowsUncodedLayers: allowUncodedLayers, restoresExport: restore,
                allowsUnassigned: blindCoding.allowUnassigned))
            let report = try importer.importAnnotations(from: paths)
            Progress.finish()
            var summary = "imported \(report.imported) annotation\(report.imported == 1 ? "" : "s") from \(report.files) file\(report.files == 1 ? "" : "s")"
            if report.alreadyPresent > 0 { summary += ", skipped \(report.alreadyPresent) already present" }
            if report.invalid > 0 { summary += ", skipped \(report.invalid) invalid" }
            print(summary)
        }
    }
}
