import ArgumentParser
import GlossCore
import GlossStore

extension Gloss {
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of the project database to a new file.",
            discussion: "Uses SQLite's online backup, so other coders may keep working while it runs. It never overwrites a file.")

        @OptionGroup var project: ProjectOptions
        @Argument(help: ArgumentHelp("The new database file.", valueName: "path")) var path: String

        func run() throws {
            guard case .sqlite(let source) = try project.location else {
                throw GlossError(.usage, "gloss backup copies a SQLite file; for PostgreSQL use pg_dump, or "
                                 + "`gloss copy --from URL --to FILE` to make a SQLite copy")
            }
            try SQLiteStore(path: source).backup(to: path)
            print("backed up \(source) to \(path)")
        }
    }
}
