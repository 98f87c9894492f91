import ArgumentParser
import Foundation
import GlossCore
import GlossStore

/// Options every command that opens the project accepts.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The project database file (default: $GLOSS_DB, else ./gloss.sqlite).", valueName: "path"))
    var db: String?

    var databasePath: String {
        db ?? ProcessInfo.processInfo.environment["GLOSS_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "gloss.sqlite"
    }

    /// Opens the project, creating it only when asked.
    func openStore(creating: Bool = false) throws -> SQLiteStore {
        try SQLiteStore(path: databasePath, creating: creating)
    }

}

/// Options of the commands that change the project.
struct ChangeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Who makes the changes, for the audit log (default: $GLOSS_ACTOR, else $USER, else the login name).", valueName: "name"))
    var actor: String?

    /// The audit context for a command run now.
    func changeContext(source: String) -> ChangeContext {
        let environment = ProcessInfo.processInfo.environment
        let name = [actor, environment["GLOSS_ACTOR"], environment["USER"], environment["LOGNAME"]]
            .compactMap { $0 }.first { !$0.isEmpty } ?? Self.loginName()
        return ChangeContext(actor: name, time: Timestamp.now(), source: source)
    }
}

extension ChangeOptions {
    /// The name of the user running the process, from the password database.
    static func loginName() -> String {
        guard let entry = getpwuid(getuid()), let name = entry.pointee.pw_name else { return "uid \(getuid())" }
        return String(cString: name)
    }
}

/// The `--force` of commands that write files: without it, a file already at the destination is refused (exit 73).
struct OverwriteOptions: ParsableArguments {
    @Flag(help: "Replace files that are already at the destination (without it the command refuses, exit 73).")
    var force = false
}

/// How listings are printed.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, jsonl
}

/// Reports import progress on standard error when it is a terminal.
enum Progress {
    static var isInteractive: Bool { isatty(STDERR_FILENO) == 1 }

    static func report(_ label: String) -> @Sendable (Int) -> Void {
        guard isInteractive else { return { _ in } }
        return { count in FileHandle.standardError.write(Data("\r\(label) \(count)…".utf8)) }
    }

    static func finish() {
        if isInteractive { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
