import ArgumentParser
import Foundation
import GlossCodebook
import GlossCore

/// The `gloss` command: import news articles, code spans, measure agreement, and exchange the project.
@main
struct Gloss: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "gloss",
        abstract: "Code news coverage: import articles, annotate spans, measure intercoder agreement, export TEI and other tools' formats.",
        discussion: """
            A project is one SQLite file: ./gloss.sqlite unless --db PATH or the GLOSS_DB environment \
            variable names another. Offsets are Unicode code points, half-open [start, end).

            Exit status: 0 success, 1 `gloss validate` found violations, 64 bad usage, 65 bad input data, 66 missing input file or database, \
            73 an output file is already there (pass --force to replace it), 74 I/O failure, 75 conflict with stored \
            data, 77 not permitted (a coder writing on a document not assigned to them, or reading another's codes \
            with --as). Every command that writes does so in one transaction: it succeeds whole or changes nothing.

            Start with:
              gloss init
              gloss import docs articles/
              gloss import annotations alice.jsonl
              gloss annotations list --coder alice
              gloss agree --layer statement --feature stance --unit paragraph
              gloss export tei --out tei/ --validate --schema tei_all.rng
            """,
        version: version,
        subcommands: [Init.self, Import.self, Annotate.self, Docs.self, Annotations.self, Export.self, Codebook.self,
                      Validate.self, Agree.self, Assign.self, Assignments.self, Status.self, Done.self, Reopen.self,
                      Adjudicate.self, Report.self, Tokens.self, Serve.self, Backup.self, Copy.self]
    )

    /// Runs the command; a `GlossError` becomes one `error:` line and its exit status.
    static func main() {
        // A file-size limit (`ulimit -f`) should fail the write, not kill the process: the transaction then
        // rolls back and the command reports it.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)  // a status the command chose, after printing its own report
        } catch let error as CodebookError {
            for problem in error.problems { printError("error: \(problem)") }
            Foundation.exit(GlossError.Code.badData.rawValue)
        } catch let error as GlossError {
            Progress.finish()
            printError("error: \(error)")
            Foundation.exit(error.code.rawValue)
        } catch {
            Progress.finish()
            let code = exitCode(for: error)
            switch code {
            case .success:
                exit(withError: error)  // --help, --version
            case .validationFailure:
                let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
                printError("error: \(message) (see `gloss --help`)")
                Foundation.exit(code.rawValue)
            default:
                // Not a failure Gloss anticipated: report it as an I/O failure rather than a bare status 1.
                printError("error: \(error)")
                Foundation.exit(GlossError.Code.ioFailure.rawValue)
            }
        }
    }
}

/// Writes one line to standard error.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
