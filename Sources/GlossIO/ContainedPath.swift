import Foundation
import GlossCore

/// A file that an input names relative to a folder (a REFI-QDA `relative://` source beside its `.qdpx`), which
/// must stay inside that folder once `..` and symbolic links are resolved, and be a regular file.
public enum ContainedPath {
    /// Why a path is refused.
    public enum Problem: Error, Equatable {
        /// The path is empty.
        case empty
        /// The percent-encoding is invalid, or decodes to a NUL or to bytes that are not UTF-8.
        case undecodable
        /// The path starts with `/`, `..` leads out of the folder, or a symbolic link points out of it.
        case outside
        /// There is no such file (or the folder itself is gone).
        case missing
        /// The path resolves to something other than a regular file: the kind, as "a folder".
        case notRegular(String)
        /// The file system refused to resolve the path: the reason.
        case unreadable(String)
    }

    /// The canonical path of `encoded` (percent-encoded, `/`-separated, relative) inside `folder` ("" is the
    /// current folder); the file must exist, be a regular file and, after `..` and symbolic links are resolved,
    /// lie inside the folder's own canonical path.
    public static func resolve(_ encoded: String, in folder: String) throws(Problem) -> String {
        guard let decoded = encoded.removingPercentEncoding, !decoded.utf8.contains(0) else { throw .undecodable }
        guard !decoded.isEmpty else { throw .empty }
        guard !decoded.hasPrefix("/") else { throw .outside }
        // Refused without touching the file system when `..` alone leads out.
        var depth = 0
        for component in decoded.split(separator: "/", omittingEmptySubsequences: true) where component != "." {
            depth += component == ".." ? -1 : 1
            if depth < 0 { throw .outside }
        }
        let base = try realPath(folder.isEmpty ? "." : folder)
        let real = try realPath(base + "/" + decoded)
        // Compared as bytes: String's comparison treats canonically equivalent names as equal.
        let prefix = base.hasSuffix("/") ? base : base + "/"
        guard real.utf8.elementsEqual(base.utf8) || real.utf8.starts(with: prefix.utf8) else { throw .outside }
        var status = stat()
        guard stat(real, &status) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        if let kind = InputFile.kind(ofNonRegular: status.st_mode) { throw .notRegular(kind) }
        return real
    }

    /// The canonical absolute path of an existing file (realpath(3)), which must be UTF-8.
    private static func realPath(_ path: String) throws(Problem) -> String {
        guard let resolved = realpath(path, nil) else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { throw .missing }
            throw .unreadable(String(cString: strerror(code)))
        }
        defer { free(resolved) }
        guard let text = String(validatingCString: resolved) else { throw .undecodable }
        return text
    }
}
