import CLibXML2
import Foundation
import GlossCodebook
import GlossCore
import GlossIO
import GlossStore

/// A REFI-QDA project (`.qdpx`: a ZIP of `project.qde` and its sources; REFI-QDA Project Exchange 1.0), as
/// MAXQDA, ATLAS.ti, NVivo, QualCoder and others write it.
///
/// What Gloss reads: users (the coders), the code book (a draft codebook `refi-qda`: the code tree with names,
/// GUIDs, colours, codability and descriptions), text sources, their `PlainTextSelection` codings (layer
/// `refi-qda`, feature `code`) and codings of a whole source (document layer `refi-qda_document`). Positions
/// count characters (code points), end exclusive. Source paths may be `internal://NAME` (in the archive's
/// `sources/`), `relative://PATH` (beside the `.qdpx`) or a bare name (in `sources/`); a byte order mark is
/// dropped. Some tools count a CRLF line end as one character: when the selections' names hold their text and
/// more of them match that way, their positions are converted. What Gloss does not carry (notes, memos, links, sets, cases, variables,
/// descriptions of selections, non-text sources) is listed, never silently dropped.
///
/// Only the entries the project uses (project.qde and the sources it names) are expanded, within
/// `ZipArchive.Limits`; the others never are, whatever sizes they record, as long as the directory is sound.
/// `internal://` and bare names only ever match entries of the archive, by name (nothing is extracted, so `..` in
/// a name does not matter). A `relative://` path is percent-decoded and must name a regular file inside the
/// folder of the `.qdpx`, once `..` and symbolic links are resolved.
public struct REFIProject {
    public static let namespace = "urn:QDA-XML:project:1.0"
    public static let layer = "refi-qda"
    public static let documentLayer = "refi-qda_document"

    public struct Selection: Sendable {
        public var start: Int
        public var end: Int
        public var coder: String
        public var code: String
        public var line: Int
        /// The selection's name, which some tools fill with the selected text.
        public var name: String?
        /// When the coding (or else its selection) was made (`creationDateTime`), if an RFC 3339 time.
        public var createdAt: String?
    }

    public struct Source: Sendable {
        public var document: DocumentRecord
        public var selections: [Selection]
        /// Codings of the whole source: coder and code id.
        public var codings: [(coder: String, code: String, createdAt: String?)]
        public var line: Int
    }

    /// The code tree of the project's code book, and the project's name (the codebook's title, and the
    /// project's name again on export).
    public var codes: [Code]
    public var title: String
    public var sources: [Source] = []
    public var notCarried: [String] = []

    /// Reads `path`, expanding its entries within `limits` (refused beyond them, 65).
    public static func read(path: String, limits: ZipArchive.Limits = .default) throws -> REFIProject {
        try read(archive: try InputFile.rawBytes(path: path), path: path, limits: limits)
    }

    /// The project in the bytes of a `.qdpx` (`path` names it, and locates `relative://` sources), expanding
    /// project.qde and the sources it names within `limits`.
    public static func read(archive bytes: [UInt8], path: String,
                            limits: ZipArchive.Limits = .default) throws -> REFIProject {
        var archive = try ZipArchive(bytes: bytes, file: path, limits: limits)
        guard let qde = try archive.data(named: "project.qde") else {
            throw GlossError(.badData, "the archive has no project.qde; this is not a REFI-QDA project (.qdpx)", at: SourceLocation(file: path))
        }
        let file = path + "/project.qde"
        let tree = try XMLTree(bytes: qde, file: file)
        return try withExtendedLifetime(tree) {
            guard let root = tree.root, root.name == "Project" else {
                throw GlossError(.badData, "project.qde's root element is not Project", at: SourceLocation(file: file, line: 1))
            }
            let folder = (path as NSString).deletingLastPathComponent
            return try REFIProject(root: root, file: file, archive: &archive, folder: folder)
        }
    }

    private init(root: xmlNodePtr, file: String, archive: inout ZipArchive, folder: String) throws {
        func fail(_ node: xmlNodePtr, _ message: String) -> GlossError { GlossError(.badData, message, at: SourceLocation(file: file, line: node.line)) }
        let normalized = Self.normalized
        var users: [String: String] = [:]
        for user in root.element("Users")?.elements.filter({ $0.name == "User" }) ?? [] {
            guard let guid = user.attribute("guid") else { throw fail(user, "a User has no guid") }
            users[normalized(guid)] = user.attribute("name").flatMap { $0.isEmpty ? nil : $0 } ?? "user-\(normalized(guid).prefix(8))"
        }
        guard let codeElement = root.element("CodeBook")?.element("Codes") else { throw fail(root, "the project has no CodeBook with Codes") }
        let roots = try QDCCodebook.readCodes(codeElement, file: file)
        var codeIDs: [String: String] = [:]
        for (code, _) in CodeTree(roots).flattened { if let guid = code.guid { codeIDs[normalized(guid)] = code.id } }
        codes = roots
        title = root.attribute("name").flatMap { $0.isEmpty ? nil : $0 } ?? "REFI-QDA project"
        for (element, what) in [("Notes", "notes and memos"), ("Links", "links"), ("Sets", "sets"), ("Cases", "cases"), ("Variables", "variables"), ("Graphs", "graphs")] {
            if let node = root.element(element), !node.elements.isEmpty { notCarried.append("\(node.elements.count) \(what)") }
        }
        var usedIDs: Set<String> = []
        for source in root.element("Sources")?.elements ?? [] {
            guard source.name == "TextSource" else {
                notCarried.append("the \(source.name) \(source.attribute("name") ?? "") (Gloss imports text sources)")
                continue
            }
            let text = try Self.text(of: source, archive: &archive, folder: folder, file: file)
            if source.attribute("guid") != nil { notCarried.append("the GUIDs of text sources (each document is named after its source)") }
            let name = source.attribute("name").flatMap { $0.isEmpty ? nil : $0 }
                ?? source.attribute("plainTextPath").map { (($0.split(separator: "/").last.map(String.init) ?? $0) as NSString).deletingPathExtension } ?? "source"
            var id = name
            var number = 2
            while !usedIDs.insert(id).inserted { id = "\(name)-\(number)"; number += 1 }
            var selections: [Selection] = []
            var codings: [(coder: String, code: String, createdAt: String?)] = []
            /// The coder, code and time of a Coding; its creating user and time, else those of `selection` (NVivo
            /// puts them on the selection).
            func coding(_ node: xmlNodePtr, in selection: xmlNodePtr? = nil) throws -> (coder: String, code: String, createdAt: String?) {
                guard let target = node.element("CodeRef")?.attribute("targetGUID"), let code = codeIDs[normalized(target)] else {
                    throw fail(node, "a Coding refers to a code the code book does not have")
                }
                let user = (node.attribute("creatingUser") ?? selection?.attribute("creatingUser")).map(normalized)
                var createdAt = node.attribute("creationDateTime") ?? selection?.attribute("creationDateTime")
                if let time = createdAt, !Timestamp.isValid(time) {
                    notCarried.append("creation times that are not RFC 3339 date-times (such as \(time))")
                    createdAt = nil
                }
                return (user.flatMap { users[$0] } ?? user.map { "user-\($0.prefix(8))" } ?? "refi-qda", code, createdAt)
            }
            for child in source.elements {
                switch child.name {
                case "PlainTextSelection":
                    guard let start = child.attribute("startPosition").flatMap({ Int($0) }), let end = child.attribute("endPosition").flatMap({ Int($0) }),
                          0 <= start, start <= end else { throw fail(child, "a PlainTextSelection needs whole-number startPosition ≤ endPosition") }
                    if child.element("Description") != nil { notCarried.append("descriptions of selections") }
                    for node in child.elements where node.name == "Coding" {
                        let (coder, code, createdAt) = try coding(node, in: child)
                        selections.append(Selection(start: start, end: end, coder: coder, code: code, line: child.line,
                                                    name: child.attribute("name"), createdAt: createdAt))
                    }
                case "Coding":
                    codings.append(try coding(child))
                case "PlainTextContent", "Description":
                    continue
                default:
                    notCarried.append("\(child.name) elements of text sources")
                }
            }
            // Some tools count a CRLF as one character. Where selection names hold the selected text (as MAXQDA
            // writes them), the convention that makes more of them match is taken.
            let length = text.unicodeScalars.count
            let crlf = Self.crlfPositions(in: text)
            if let bad = selections.first(where: { $0.end > length }) {
                throw GlossError(.badData, "source \(id): a selection ends at \(bad.end), beyond the text's \(length) characters", at: SourceLocation(file: file, line: bad.line))
            }
            if !crlf.isEmpty {
                let scalars = Array(text.unicodeScalars)
                func matches(_ convert: (Int) -> Int) -> Int {
                    selections.filter { selection in
                        let (start, end) = (convert(selection.start), convert(selection.end))
                        guard let name = selection.name, start <= end, end <= length else { return false }
                        return String(String.UnicodeScalarView(scalars[start..<end])) == name
                    }.count
                }
                let collapsed = matches { Self.position($0, skipping: crlf) }
                if collapsed > 0 && collapsed > matches({ $0 }) {
                    selections = selections.map { selection in
                        var converted = selection
                        converted.start = Self.position(selection.start, skipping: crlf)
                        converted.end = Self.position(selection.end, skipping: crlf)
                        return converted
                    }
                    notCarried.append("nothing of source \(id), whose positions counted each CRLF as one character and were converted")
                }
            }
            sources.append(Source(document: DocumentRecord(externalID: id, text: text), selections: selections, codings: codings, line: source.line))
        }
        notCarried = Array(Set(notCarried)).sorted()
    }

    /// The text of a source: inline, in the archive, or beside the project; without a byte order mark.
    private static func text(of source: xmlNodePtr, archive: inout ZipArchive, folder: String,
                             file: String) throws -> String {
        if let inline = source.element("PlainTextContent") { return inline.text }
        guard let path = source.attribute("plainTextPath") else {
            throw GlossError(.badData, "a TextSource has neither plainTextPath nor PlainTextContent", at: SourceLocation(file: file, line: source.line))
        }
        var bytes: [UInt8]
        if path.hasPrefix("relative://") {
            bytes = try InputFile.rawBytes(path: try besideArchive(path, source: source, folder: folder, file: file))
        } else {
            // Only ever an entry of the archive, matched by name: `..` in a name does not matter, as nothing is
            // extracted. The name as written first, then percent-decoded.
            let name = path.hasPrefix("internal://") ? String(path.dropFirst("internal://".count)) : path
            let names = [name] + (name.removingPercentEncoding.map { $0 == name ? [] : [$0] } ?? [])
            let directory = archive.directory
            let found = names.compactMap { name in directory.first { $0.name == "sources/" + name || $0.name == name } }
            guard let entry = found.first else {
                throw GlossError(.badData, "the source \(path) is not in the archive's sources/", at: SourceLocation(file: file, line: source.line))
            }
            bytes = try archive.data(of: entry)
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw GlossError(.badData, "the source \(path) is not UTF-8", at: SourceLocation(file: file, line: source.line))
        }
        return text
    }

    /// The canonical path of the file a `relative://` source `path` names, which must be a regular file inside
    /// `folder` (the folder of the `.qdpx`) once percent-decoded and with `..` and symbolic links resolved.
    private static func besideArchive(_ path: String, source: xmlNodePtr, folder: String,
                                      file: String) throws -> String {
        let label = source.attribute("name").flatMap { $0.isEmpty ? nil : $0 } ?? source.attribute("guid") ?? "?"
        let start = "source \"\(label)\" names \(path)"
        let location = SourceLocation(file: file, line: source.line)
        do {
            return try ContainedPath.resolve(String(path.dropFirst("relative://".count)), in: folder)
        } catch {
            switch error {
            case .empty:
                throw GlossError(.badData, "\(start), which has no path; name a file beside the archive", at: location)
            case .undecodable:
                throw GlossError(.badData, "\(start), which is not a valid percent-encoded UTF-8 path", at: location)
            case .outside:
                throw GlossError(.badData, "\(start), which lies outside the folder of the archive; "
                                 + "put the file beside the archive or inside it", at: location)
            case .missing:
                throw GlossError(.missingInput, "\(start), but there is no such file beside the archive", at: location)
            case .notRegular(let kind):
                throw GlossError(.badData, "\(start), which is \(kind), not a regular file", at: location)
            case .unreadable(let reason):
                throw GlossError(.ioFailure, "\(start), which cannot be read: \(reason)", at: location)
            }
        }
    }

    /// A GUID as compared: lower case, without braces.
    static func normalized(_ guid: String) -> String { guid.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "{}")) }

    /// Code-point offsets of the LF of each CRLF.
    static func crlfPositions(in text: String) -> [Int] {
        var result: [Int] = [], previous: Unicode.Scalar?
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if scalar == "\n" && previous == "\r" { result.append(offset) }
            previous = scalar
        }
        return result
    }

    /// A position counted with each CRLF as one character, as a code-point offset.
    static func position(_ collapsed: Int, skipping crlf: [Int]) -> Int {
        var position = collapsed
        for lf in crlf where lf <= position { position += 1 }
        return position
    }
}

extension REFIProject {
    /// The draft codebook `refi-qda`, version `version`: layer `refi-qda` for selections and document layer
    /// `refi-qda_document` for codings of whole sources, both with the project's code tree.
    public func codebookYAML(version: Int) -> String {
        CodebookDraft.yaml(id: Self.layer, version: version, title: title,
                           comment: "Draft codebook made by `gloss import annotations --format refi-qda` from a project's code book.",
                           layer: Self.layer, roots: codes, documentLayer: Self.documentLayer)
    }

    public struct Report: Sendable, Equatable {
        public var documents = 0
        public var documentsAlreadyPresent = 0
        public var annotations = 0
        public var annotationsAlreadyPresent = 0
        public var codebook: String?
    }

    /// Stores the project in one transaction: the draft codebook (the latest `refi-qda` version when it is the
    /// same, else the next), the sources as documents (reused when stored with the same text), and the codings.
    public func store(in store: any ProjectStore, context: ChangeContext, file: String,
                      allowsUnassigned: Bool = false) throws -> Report {
        var report = Report()
        try store.write { writer in
            // The latest `refi-qda` version serves when it has every code of this project (by GUID; its code ids are
            // then used); else this project's code book is registered as the next version.
            var codeIDs: [String: String] = [:]
            let stored = try writer.registeredCodebooks().filter { $0.id == Self.layer }.max { $0.version < $1.version }
            let latest = stored.flatMap { try? Codebook.parse($0.source, file: "\($0.id)@\($0.version)") }
            let ownGUIDs = CodeTree(codes).flattened.compactMap { $0.code.guid.map(Self.normalized) }
            let latestCodes = latest?.layer(Self.layer)?.feature("code")?.codes?.flattened ?? []
            let latestIDs = Dictionary(latestCodes.compactMap { entry in entry.code.guid.map { (Self.normalized($0), entry.code.id) } }, uniquingKeysWith: { first, _ in first })
            if stored != nil, ownGUIDs.allSatisfy({ latestIDs[$0] != nil }) {
                for entry in CodeTree(codes).flattened { if let guid = entry.code.guid.map(Self.normalized) { codeIDs[entry.code.id] = latestIDs[guid] } }
            } else if case .registered(let reference) = try CodebookRegistration.register(source: codebookYAML(version: (stored?.version ?? 0) + 1),
                                                                                          file: "\(file) (code book)", writer: writer, context: context) {
                report.codebook = reference.description
            }
            let ingest = try AnnotationIngest(writer: writer, context: context, allowsUnassigned: allowsUnassigned)
            for entry in sources {
                let location = SourceLocation(file: file + "/project.qde", line: entry.line)
                do throws(RecordError) { try entry.document.check() } catch { throw GlossError(.badData, "source \(entry.document.externalID): \(error.message)", at: location) }
                let document = entry.document.document(importedAt: context.time)
                if let stored = try writer.document(externalID: document.externalID) {
                    guard stored.sha256 == document.sha256 else {
                        throw GlossError(.conflict, "document \"\(document.externalID)\" is already stored with a different text", at: location)
                    }
                    report.documentsAlreadyPresent += 1
                } else {
                    try writer.insert(document, context: context)
                    report.documents += 1
                }
                let length = document.text.unicodeScalars.count
                let records = entry.selections.map { ($0.line, AnnotationRecord(documentID: document.externalID, coder: $0.coder, layer: Self.layer,
                                                                                 start: $0.start, end: $0.end, features: ["code": .string(codeIDs[$0.code] ?? $0.code)],
                                                                                 createdAt: $0.createdAt)) }
                    + entry.codings.map { (entry.line, AnnotationRecord(documentID: document.externalID, coder: $0.coder, layer: Self.documentLayer,
                                                                       start: 0, end: length, features: ["code": .string(codeIDs[$0.code] ?? $0.code)],
                                                                       createdAt: $0.createdAt)) }
                for (line, record) in records {
                    do {
                        switch try ingest.add(record) {
                        case .inserted: report.annotations += 1
                        case .alreadyPresent: report.annotationsAlreadyPresent += 1
                        }
                    } catch let error as GlossError {
                        throw GlossError(error.code, error.message, at: SourceLocation(file: file + "/project.qde", line: line))
                    }
                }
            }
        }
        return report
    }

    /// A `.qdpx` of the project: every document (or those named) as a text source, the annotations of `layer`
    /// as selections coded with their `feature`'s code and those of `documentLayer` as codings of the whole
    /// source, the coders as users, and that feature's code tree (from the latest codebook defining `layer`) as
    /// the code book. GUIDs are derived from ids, so exporting again gives the same file.
    /// Annotations of the layers whose code the code tree does not have (kept by an older version) are left out
    /// and counted in `skipped`. With `coder`, only that coder's annotations go out.
    public static func export(store: any ProjectStore, layer: String = Self.layer, feature: String = "code", documentLayer: String? = Self.documentLayer,
                              documents wanted: [String]? = nil, coder: String? = nil, applicationVersion: String,
                              skipped: inout Int) throws -> [UInt8] {
        try store.read { reader in
            guard let (codebook, definition) = try reader.codebookRegistry().current(forLayer: layer), let tree = definition.feature(feature)?.codes else {
                throw GlossError(.badData, "no registered codebook gives layer \(layer) a category feature \(feature); name them with --layer and --feature")
            }
            var usedGUIDs: Set<String> = []
            let roots = tree.roots.map { QDCCodebook.exported($0, path: [codebook.id, layer, feature], usedGUIDs: &usedGUIDs) }
            var guids: [String: String] = [:]
            func collect(_ code: Code, _ exported: QDCCodebook.ExportedCode) {
                guids[code.id] = exported.guid
                for (child, exportedChild) in zip(code.children, exported.children) { collect(child, exportedChild) }
            }
            for (code, exported) in zip(tree.roots, roots) { collect(code, exported) }
            let selected = wanted.map { Set($0.map(ExactKey.init)) }
            if let wanted {
                let known = Set(try reader.documentSummaries().map { ExactKey($0.externalID) })
                if let unknown = wanted.first(where: { !known.contains(ExactKey($0)) }) { throw GlossError(.badData, "there is no document \"\(unknown)\"") }
            }
            var skippedCount = 0
            defer { skipped = skippedCount }
            var users: [String] = []
            var sources: [(document: Document, guid: String, selections: [Annotation], codings: [Annotation])] = []
            for summary in try reader.documentSummaries() where selected?.contains(ExactKey(summary.externalID)) ?? true {
                guard let document = try reader.document(externalID: summary.externalID) else { continue }
                var selections: [Annotation] = [], codings: [Annotation] = []
                try reader.forEachAnnotation(
                    matching: AnnotationFilter(documentID: document.externalID, coder: coder)) { annotation in
                    guard annotation.layer.isIdentical(to: layer) || documentLayer.map(annotation.layer.isIdentical) == true else { return }
                    guard case .string(let code)? = annotation.features[feature], guids[code] != nil else { skippedCount += 1; return }
                    if annotation.layer.isIdentical(to: layer) { selections.append(annotation) }
                    else if let documentLayer, annotation.layer.isIdentical(to: documentLayer) { codings.append(annotation) }
                    else { return }
                    if !users.contains(annotation.coder) { users.append(annotation.coder) }
                }
                sources.append((document, QDCCodebook.guid(["source", document.externalID]), selections, codings))
            }
            let writer = try XMLStreamWriter(indent: true)
            try writer.startDocument()
            func userGUID(_ name: String) -> String { QDCCodebook.guid(["user", name]) }
            func coding(_ annotation: Annotation) throws {
                guard case .string(let code)? = annotation.features[feature], let target = guids[code] else { return }
                try writer.element("Coding", [("guid", QDCCodebook.guid(["coding", String(annotation.id)])), ("creatingUser", userGUID(annotation.coder))]) {
                    try writer.element("CodeRef", [("targetGUID", target)])
                }
            }
            try writer.element("Project", [("xmlns", namespace), ("name", codebook.title), ("origin", "Gloss \(applicationVersion)")]) {
                if !users.isEmpty {
                    try writer.element("Users") { for user in users { try writer.element("User", [("guid", userGUID(user)), ("name", user)]) } }
                }
                try writer.element("CodeBook") { try QDCCodebook.writeCodes(roots, to: writer) }
                if !sources.isEmpty {
                    try writer.element("Sources") {
                        for source in sources {
                            try writer.element("TextSource", [("guid", source.guid), ("name", source.document.externalID), ("plainTextPath", "internal://\(source.guid).txt")]) {
                                for annotation in source.selections {
                                    try writer.element("PlainTextSelection", [("guid", QDCCodebook.guid(["selection", String(annotation.id)])),
                                                                              ("name", String(annotation.quote.prefix(60))),
                                                                              ("startPosition", String(annotation.span.start)), ("endPosition", String(annotation.span.end)),
                                                                              ("creatingUser", userGUID(annotation.coder))]) { try coding(annotation) }
                                }
                                for annotation in source.codings { try coding(annotation) }
                            }
                        }
                    }
                }
            }
            try writer.endDocument()
            let qde = Array(try writer.contents().utf8)
            return try ZipArchive.archive([ZipArchive.Entry(name: "project.qde", data: qde)]
                                      + sources.map { ZipArchive.Entry(name: "sources/\($0.guid).txt", data: Array($0.document.text.utf8)) })
        }
    }
}
