import Foundation
import GlossCore

/// The files an export writes: checked before anything is written, never put over a file that is already there
/// unless the user says so, and each written under a temporary name (`NAME.partial-PID`) until complete.
public enum OutputFile {
    /// Gets the places of `paths` ready for an export: removes the `NAME.partial-PID` files that an export killed
    /// before it finished left in their folders (their process is gone), then refuses with exit 73 when one of
    /// `paths` already exists, naming the first, unless `overwriting`.
    public static func prepare(_ paths: [String], overwriting: Bool) throws {
        var folders: [String] = []
        for path in paths {
            let folder = (path as NSString).deletingLastPathComponent
            if !folders.contains(folder) { folders.append(folder) }
        }
        for folder in folders { removeStalePartials(in: folder.isEmpty ? "." : folder) }
        guard !overwriting else { return }
        if let existing = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            throw GlossError(.cannotCreate, "the file already exists; pass --force to replace it, or write elsewhere",
                             at: SourceLocation(file: existing))
        }
    }

    /// The temporary name of `path` while this process writes it.
    public static func partialPath(for path: String) -> String {
        path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Writes `bytes` to `path` under its temporary name, then moves the complete file into place.
    public static func write(_ bytes: some Collection<UInt8>, to path: String) throws {
        let temporary = partialPath(for: path)
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw GlossError(.ioFailure, "cannot write the file: \(error.localizedDescription)",
                             at: SourceLocation(file: path))
        }
        try moveIntoPlace(temporary, path)
    }

    /// Renames the finished `temporary` file to `path` (replacing a file there, which `prepare` allowed).
    public static func moveIntoPlace(_ temporary: String, _ path: String) throws {
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw GlossError(.ioFailure, "cannot move the finished file into place: \(reason)",
                             at: SourceLocation(file: path))
        }
    }

    /// Removes `NAME.partial-PID` files in `folder` whose process no longer runs.
    static func removeStalePartials(in folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard let marker = name.range(of: ".partial-", options: .backwards),
                  let pid = Int32(name[marker.upperBound...]), pid > 0,
                  kill(pid, 0) == -1, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
    }
}
