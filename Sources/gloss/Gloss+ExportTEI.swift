import ArgumentParser
import Foundation
import GlossCore
import GlossIO
import GlossInterchange
import GlossStore
import GlossTEI

extension Gloss.Export {
    struct TEI: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tei",
            abstract: "Write TEI P5 XML: the text exactly as imported, with stand-off annotations by coder.",
            discussion: """
                One file per document goes into the --out folder (named after the document id), or, with \
                --single, one teiCorpus file. Each text is reproduced exactly in one <ab xml:space="preserve">; \
                each annotation is an <annotation> in its coder's <listAnnotation>, pointing into the text with \
                #string-range(ID,offset,length) counted in code points, with its layer and features in an <fs>. \
                The header lists the coders, the source, and the codebooks (as taxonomies, feature declarations \
                and their exact YAML), so that `gloss import tei` restores the project.

                --validate checks every file written against a RELAX NG schema of TEI: --schema FILE, or the \
                GLOSS_TEI_SCHEMA environment variable, names tei_all.rng (`make tei-schema` fetches TEI P5 4.3.0 \
                into .build-schemas/). Compiling tei_all takes several seconds (6 s in a release build here), once per run.

                Examples:
                  gloss export tei --out tei/
                  gloss export tei --single --out project.xml --coder alice,bob
                  gloss export tei --out tei/ --validate --schema tei_all.rng
                """)

        @OptionGroup var project: ProjectOptions
        @Option(help: ArgumentHelp("The folder to write into (created if missing), or the file with --single.", valueName: "path")) var out: String
        @Option(help: ArgumentHelp("Only these documents, comma-separated.", valueName: "id,...")) var doc: String?
        @Option(help: ArgumentHelp("Only these coders' annotations, comma-separated.", valueName: "name,...")) var coder: String?
        @Flag(help: "Write one teiCorpus file instead of a folder of files.") var single = false
        @Flag(name: .customLong("validate"), help: "Validate the files written against the TEI schema; invalid output exits 65.") var validatesOutput = false
        @Option(help: ArgumentHelp("The RELAX NG schema for --validate (default: $GLOSS_TEI_SCHEMA).", valueName: "file")) var schema: String?
        @OptionGroup var overwrite: OverwriteOptions
        @OptionGroup var viewer: ViewerOptions

        var schemaPath: String? { schema ?? ProcessInfo.processInfo.environment["GLOSS_TEI_SCHEMA"] }

        func validate() throws {
            if schema != nil && !validatesOutput { throw ValidationError("--schema goes with --validate") }
            if validatesOutput && schemaPath == nil {
                throw ValidationError("--validate needs the schema: give --schema path/to/tei_all.rng or set GLOSS_TEI_SCHEMA (`make tei-schema` fetches one)")
            }
            for (name, list) in [("--doc", doc), ("--coder", coder)] where list.map(Self.items)?.isEmpty == true {
                throw ValidationError("\(name) names nothing")
            }
        }

        static func items(_ list: String) -> [String] { list.split(separator: ",").map(String.init) }

        func run() throws {
            // Compile the schema first: a missing or broken schema should fail before anything is written.
            let validator: RelaxNGValidator?
            if validatesOutput, let schemaPath {
                printError("compiling the TEI schema \(schemaPath)…")
                validator = try RelaxNGValidator(path: schemaPath)
            } else {
                validator = nil
            }
            let exporter = TEIExporter(store: try project.openStore(), options: TEIExporter.Options(
                documents: doc.map(Self.items), coders: try viewer.coders(asked: coder.map(Self.items)),
                isSingleFile: single, applicationVersion: Gloss.version))
            let progress = Progress.report("documents exported:")
            let report = try exporter.export(to: out, overwriting: overwrite.force) { progress($0) }
            Progress.finish()
            print("exported \(report.documents) documents and \(report.annotations) annotations as TEI to \(out)")
            guard let validator else { return }
            let checkProgress = Progress.report("files validated:")
            for (index, file) in report.files.enumerated() {
                let tree = try XMLTree(bytes: try InputFile(path: file).bytes, file: file)
                let errors = validator.errors(in: tree)
                if let first = errors.first {
                    Progress.finish()
                    printError("error: \(file):\(first) (the export does not validate against \(schemaPath ?? "the schema"))")
                    for more in errors.dropFirst().prefix(4) { printError("  \(file):\(more)") }
                    throw ExitCode(GlossError.Code.badData.rawValue)
                }
                checkProgress(index + 1)
            }
            Progress.finish()
            print("all \(report.files.count) file\(report.files.count == 1 ? "" : "s") valid against \(schemaPath ?? "the schema")")
        }
    }
}
