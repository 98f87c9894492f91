import CLibXML2
import Foundation
import GlossCodebook
import GlossCore
import GlossIO
import GlossStore

/// Writes a project as TEI P5: one file per document into a folder, or one `teiCorpus` file.
///
/// Each document's text is reproduced exactly in one `ab` with `xml:space="preserve"`; annotations are
/// stand-off (`standOff/listAnnotation/annotation`, one list per coder), pointing into the text with
/// `#string-range(ID,offset,length)` in code points, their layer and features in an `fs` of an `fvLib`.
/// The header declares the coders (`respStmt`), the source (`bibl`), the codebooks (`taxonomy` and
/// `fsdDecl`, and each version's exact YAML in `xenoData`), so that `gloss import tei` restores the project.
/// Documents are written one at a time through libxml2's `xmlTextWriter`, so memory stays flat.
public struct TEIExporter {
    public struct Options: Sendable {
        /// Only these documents (all when nil).
        public var documents: [String]?
        /// Only these coders' annotations (all when nil).
        public var coders: [String]?
        /// One `teiCorpus` file instead of a folder of files.
        public var isSingleFile: Bool
        /// The version of Gloss named in `appInfo`.
        public var applicationVersion: String

        public init(documents: [String]? = nil, coders: [String]? = nil, isSingleFile: Bool = false, applicationVersion: String) {
            self.documents = documents
            self.coders = coders
            self.isSingleFile = isSingleFile
            self.applicationVersion = applicationVersion
        }
    }

    public struct Report: Sendable, Equatable {
        public var documents = 0
        public var annotations = 0
        /// The files written, in order.
        public var files: [String] = []
    }

    public let store: any ProjectStore
    public let options: Options

    public init(store: any ProjectStore, options: Options) {
        self.store = store
        self.options = options
    }

    /// Writes the export to `path` (a folder, or a file with `isSingleFile`); `progress` is called after each
    /// document with the number written so far. Files appear only when complete. A file already there is refused
    /// (exit 73) before anything is written, unless `overwriting`.
    @discardableResult
    public func export(to path: String, overwriting: Bool = false, progress: (Int) -> Void = { _ in }) throws -> Report {
        try store.read { reader in
            let project = try ExportedProject(reader: reader, options: options)
            var report = Report()
            var names: Set<String> = []
            let filePaths = options.isSingleFile ? [path] : project.documents.map {
                (path as NSString).appendingPathComponent(Self.fileName(for: $0.externalID, taken: &names))
            }
            try OutputFile.prepare(filePaths, overwriting: overwriting)
            if options.isSingleFile {
                try TEIFile.write(to: path) { file in
                    let writer = try XMLStreamWriter(indent: true)
                    try writer.startDocument()
                    try writer.start("teiCorpus")
                    try writer.attribute("xmlns", TEIVocabulary.namespace)
                    try writer.element("teiHeader") {
                        try writer.element("fileDesc") {
                            try writer.element("titleStmt") {
                                try writer.element("title", text: "Gloss project export")
                                let exported = project.coders.indices.filter { project.isExported(project.coders[$0]) }
                                try project.writeCoders(exported, to: writer)
                            }
                            try project.writePublication(to: writer)
                            try writer.element("sourceDesc") { try writer.element("p", text: "Documents coded in a Gloss project.") }
                        }
                        try project.writeEncoding(to: writer)
                        try project.writeCodebookSources(to: writer)
                    }
                    try writer.drain(into: file.handle, path: path)
                    for (index, summary) in project.documents.enumerated() {
                        report.annotations += try project.writeDocument(summary, number: index + 1, standalone: false, to: writer)
                        try writer.drain(into: file.handle, path: path)
                        report.documents += 1
                        progress(report.documents)
                    }
                    try writer.end()
                    try writer.endDocument()
                    try writer.drain(into: file.handle, path: path)
                }
                report.files = [path]
            } else {
                do {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                } catch {
                    throw GlossError(.ioFailure, "cannot create the output folder: \(error.localizedDescription)", at: SourceLocation(file: path))
                }
                for (index, (summary, filePath)) in zip(project.documents, filePaths).enumerated() {
                    try TEIFile.write(to: filePath) { file in
                        let writer = try XMLStreamWriter(indent: true)
                        try writer.startDocument()
                        report.annotations += try project.writeDocument(summary, number: index + 1, standalone: true, to: writer)
                        try writer.endDocument()
                        try writer.drain(into: file.handle, path: filePath)
                    }
                    report.files.append(filePath)
                    report.documents += 1
                    progress(report.documents)
                }
            }
            return report
        }
    }

    /// A file name for a document: its id where that is a safe name, else a safe form of it with part of the
    /// id's SHA-256 (ids are read back from the file, not from its name).
    static func fileName(for externalID: String, taken: inout Set<String>) -> String {
        let safe = String(externalID.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(Character(scalar)) || "-_.".unicodeScalars.contains(scalar)) ? Character(scalar) : "_"
        }).prefix(100)
        var name = String(safe)
        if name != externalID || name.hasPrefix(".") || taken.contains(name.lowercased()) {
            name += "-" + SHA256.hexDigest(of: externalID).prefix(12)
        }
        taken.insert(name.lowercased())
        return name + ".xml"
    }
}

/// A file written under a temporary name and moved into place when complete.
enum TEIFile {
    struct Output {
        let handle: FileHandle
    }

    static func write(to path: String, _ body: (Output) throws -> Void) throws {
        let temporary = OutputFile.partialPath(for: path)
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw GlossError(.ioFailure, "cannot create the file", at: SourceLocation(file: path))
        }
        do {
            try body(Output(handle: handle))
            try handle.synchronize()
            try handle.close()
            try OutputFile.moveIntoPlace(temporary, path)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            if let error = error as? GlossError { throw error }
            throw GlossError(.ioFailure, "cannot write the file: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
    }
}
