import ArgumentParser
import GlossStore

extension Gloss {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the project database, or upgrade its schema (safe to run again).")

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let store = try project.openStore(creating: true)
            switch store.schemaState {
            case .created: print("created \(store.path)")
            case .upgraded(let applied): print("upgraded \(store.path): applied \(applied.joined(separator: "; "))")
            case .current: print("\(store.path) is up to date")
            }
        }
    }
}
