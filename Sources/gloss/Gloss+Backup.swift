import ArgumentParser
import GlossStore

extension Gloss {
    struct Backup: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of the project database to a new file.",
            discussion: "Uses SQLite's online backup, so other coders may keep working while it runs. It never overwrites a file.")

        @OptionGroup var project: ProjectOptions
        @Argument(help: ArgumentHelp("The new database file.", valueName: "path")) var path: String

        func run() throws {
            try project.openStore().backup(to: path)
            print("backed up \(project.databasePath) to \(path)")
        }
    }
}
