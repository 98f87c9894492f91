import ArgumentParser
import GlossCore
import GlossStore
import GlossTEI

extension Gloss.Import {
    struct TEI: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tei",
            abstract: "Import TEI files: Gloss's own TEI export, CATMA annotation collections, or TEI documents from elsewhere.",
            discussion: """
                What a file holds decides what is imported:
                - Gloss's own export (`gloss export tei`) is restored as it was: codebook versions, documents, \
                coders and annotations with their ids, features, times, revisions and codebook versions.
                - A CATMA annotation collection becomes annotations on its source document, which must already be \
                in the project (by default the document named after the source file in the collection's \
                pointers; --catma-document names another). The tagsets become a draft codebook, registered with \
                layer `catma`; offsets are read as CATMA's UTF-16 units.
                - Any other TEI document becomes a document with its plain text: the text element without notes, \
                running heads (fw), deletions and non-verbal events; choice gives reg, expan or corr; lb is a line \
                break; w and pc tokens are joined by their join attribute; block elements are separated by a line \
                break, and pretty-printing white space inside them becomes one space. Its id is the TEI element's \
                xml:id, else the file name; its title the first titleStmt/title.

                Files are read with no DTD, entity, XInclude or network access; a file with a DOCTYPE or an \
                XInclude is refused. Everything is read and checked first and written in one transaction.

                Examples:
                  gloss import tei export/
                  gloss import tei ParlaMint-ES-GA_2016-10-21.xml
                  gloss import tei rose_for_emily_collection.xml --catma-document rose_for_emily --catma-coder mp
                """)

        @OptionGroup var project: ProjectOptions
        @OptionGroup var change: ChangeOptions
        @Option(help: ArgumentHelp("For CATMA collections: the document they annotate.", valueName: "id")) var catmaDocument: String?
        @Option(help: ArgumentHelp("For CATMA collections: the coder to store the annotations under.", valueName: "name")) var catmaCoder = "catma"
        @Argument(help: ArgumentHelp("TEI files (.xml) or folders of them.", valueName: "path")) var paths: [String]
        @OptionGroup var blindCoding: BlindCodingOptions

        func validate() throws {
            if let problem = Name.problem(with: catmaCoder, as: .coder) { throw ValidationError("--catma-coder: \(problem)") }
        }

        func run() throws {
            let importer = TEIImporter(store: try project.openStore(), options: TEIImporter.Options(
                context: change.changeContext(source: "import tei"), catmaDocument: catmaDocument,
                catmaCoder: catmaCoder, allowsUnassigned: blindCoding.allowUnassigned))
            let report = try importer.importFiles(paths)
            var parts = ["\(report.documents) document\(report.documents == 1 ? "" : "s")", "\(report.annotations) annotation\(report.annotations == 1 ? "" : "s")"]
            if !report.codebooks.isEmpty { parts.append("codebook\(report.codebooks.count == 1 ? "" : "s") \(report.codebooks.joined(separator: ", "))") }
            var summary = "imported \(parts.joined(separator: ", ")) from \(report.files) TEI file\(report.files == 1 ? "" : "s")"
            let skipped = report.documentsAlreadyPresent + report.annotationsAlreadyPresent
            if skipped > 0 { summary += "; \(report.documentsAlreadyPresent) documents and \(report.annotationsAlreadyPresent) annotations were already present" }
            print(summary)
        }
    }
}
