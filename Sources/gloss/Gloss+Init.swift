import ArgumentParser
import GlossStore

extension Gloss {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the project database, or upgrade its schema (safe to run again).",
            discussion: """
                A SQLite file is created with its folder:
                  gloss init --db projects/coverage.sqlite
                A PostgreSQL database must exist and be empty; Gloss creates its tables in it. For example, after \
                `createdb coverage`: `gloss init --database-url postgresql://localhost/coverage`.
                """)

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let location = try project.location
            switch try location.create() {
            case .created: print("created \(location)")
            case .upgraded(let applied): print("upgraded \(location): applied \(applied.joined(separator: "; "))")
            case .current: print("\(location) is up to date")
            }
        }
    }
}
