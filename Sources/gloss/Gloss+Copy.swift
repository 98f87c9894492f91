import ArgumentParser
import Foundation
import GlossCore
import GlossStore

extension Gloss {
    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move a whole project between a SQLite file and a PostgreSQL database, either way.",
            discussion: """
                Every row of every table comes along, with its id, and the audit log as it was; the native export \\
                (`gloss export jsonl`) of the copy is byte for byte the original's. The destination must be a new \\
                project: a file that does not exist yet, or an empty PostgreSQL database (made with createdb). \\
                Examples:
                  gloss copy --from gloss.sqlite --to copy.sqlite
                To move a team's project to PostgreSQL: `createdb coverage`, then \\
                `gloss copy --from gloss.sqlite --to postgresql://localhost/coverage`.
                """)

        @Option(help: ArgumentHelp("The project to copy: a SQLite file or a postgresql:// URL.",
                                   valueName: "path-or-url"))
        var from: String
        @Option(help: ArgumentHelp("The new project: a SQLite file or a postgresql:// URL.", valueName: "path-or-url"))
        var to: String

        func run() throws {
            let source = try StoreLocation(from), destination = try StoreLocation(to)
            guard source != destination else {
                throw GlossError(.usage, "--from and --to name the same project; name a new one with --to")
            }
            let sourceStore = try source.open()
            var newFile: String?
            if case .sqlite(let path) = destination {
                guard !FileManager.default.fileExists(atPath: path) else {
                    throw GlossError(.conflict, "\(path) already exists; copy into a new file")
                }
                newFile = path
            }
            let report: ProjectCopy.Report
            do {
                report = try ProjectCopy.copy(from: sourceStore, to: try destination.open(creating: true))
            } catch {
                if let newFile {  // leave nothing behind: the file did not exist before
                    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: newFile + suffix) }
                }
                throw error
            }
            let counts = [("documents", "document"), ("annotations", "annotation"), ("coders", "coder"),
                          ("audit entries", "audit_log")].map { "\(report.rows[$0.1] ?? 0) \($0.0)" }
            print("copied \(source) to \(destination): \(counts.joined(separator: ", "))")
        }
    }
}
