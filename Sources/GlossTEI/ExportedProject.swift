import Foundation
import GlossCodebook
import GlossCore
import GlossIO
import GlossStore

/// What one TEI export writes: the selected documents and coders and the registered codebooks, with the
/// `xml:id`s the files use for them, read in the export's read transaction.
struct ExportedProject {
    let reader: any ProjectReader
    let options: TEIExporter.Options
    let documents: [DocumentSummary]
    /// All coders, in order of creation; a coder's `xml:id` is `coder-N` with N its position from 1.
    let coders: [String]
    private let coderNumbers: [ExactKey: Int]
    private let wantedCoders: Set<ExactKey>?
    /// Registered codebook versions, oldest first; version K's taxonomy is `codebook-K`.
    let codebooks: [(stored: RegisteredCodebook, parsed: Codebook)]

    init(reader: any ProjectReader, options: TEIExporter.Options) throws {
        self.reader = reader
        self.options = options
        let summaries = try reader.documentSummaries()
        if let wanted = options.documents {
            let known = Set(summaries.map { ExactKey($0.externalID) })
            if let unknown = wanted.first(where: { !known.contains(ExactKey($0)) }) { throw GlossError(.badData, "there is no document \"\(unknown)\"") }
            let selected = Set(wanted.map(ExactKey.init))
            documents = summaries.filter { selected.contains(ExactKey($0.externalID)) }
        } else {
            documents = summaries
        }
        coders = try reader.coderNames()
        let numbers = Dictionary(coders.enumerated().map { (ExactKey($1), $0 + 1) }, uniquingKeysWith: { first, _ in first })
        coderNumbers = numbers
        if let wanted = options.coders {
            if let unknown = wanted.first(where: { numbers[ExactKey($0)] == nil }) { throw GlossError(.badData, "there is no coder \"\(unknown)\"") }
            wantedCoders = Set(wanted.map(ExactKey.init))
        } else {
            wantedCoders = nil
        }
        var codebooks: [(stored: RegisteredCodebook, parsed: Codebook)] = []
        for stored in try reader.registeredCodebooks() {
            do throws(CodebookError) {
                codebooks.append((stored, try Codebook.parse(stored.source, file: "\(stored.id)@\(stored.version)")))
            } catch {
                throw GlossError(.badData, "the registered codebook \(stored.id)@\(stored.version) no longer reads: \(error.problems.first?.description ?? "")")
            }
        }
        self.codebooks = codebooks
    }

    /// Whether the export includes `coder`'s annotations (and names the coder in a corpus header).
    func isExported(_ coder: String) -> Bool { wantedCoders?.contains(ExactKey(coder)) ?? true }

    func coderID(_ name: String) -> String { "coder-\(coderNumbers[ExactKey(name)] ?? 0)" }

    /// Refuses a string with a character XML 1.0 cannot carry, naming the document and offset.
    private func checkCharacters(_ text: String, document: String, what: String, base: Int = 0) throws {
        guard let offset = XMLCharacters.firstInvalid(in: text) else { return }
        let scalar = text.unicodeScalars.dropFirst(offset).first.map { String(format: "U+%04X", $0.value) } ?? "?"
        throw GlossError(.badData, "document \"\(document)\": \(what) has \(scalar) at code point \(base + offset), which XML 1.0 cannot carry; TEI export is not possible until it is removed")
    }

    // MARK: Header parts

    func writeCoders(_ indices: some Sequence<Int>, to writer: XMLStreamWriter) throws {
        for index in indices {
            try writer.element("respStmt", [("xml:id", "coder-\(index + 1)")]) {
                try writer.element("resp", text: "coding")
                try writer.element("name", text: coders[index])
            }
        }
    }

    func writePublication(to writer: XMLStreamWriter) throws {
        try writer.element("publicationStmt") { try writer.element("p", text: "Exported from a Gloss project; not published.") }
    }

    /// `encodingDesc`: the application, the offset convention, and the codebooks as taxonomies and feature
    /// system declarations.
    func writeEncoding(to writer: XMLStreamWriter) throws {
        try writer.element("encodingDesc") {
            try writer.element("appInfo") {
                try writer.element("application", [("ident", TEIVocabulary.application), ("version", options.applicationVersion)]) {
                    try writer.element("label", text: "Gloss")
                }
            }
            try writer.element("editorialDecl") {
                try writer.element("normalization") {
                    try writer.element("p", text: """
                        The text is reproduced exactly as imported, character for character, with no normalisation; \
                        carriage returns are written as character references. Offsets in string-range pointers \
                        count Unicode code points from 0.
                        """)
                }
            }
            guard !codebooks.isEmpty else { return }
            try writer.element("classDecl") {
                for (number, codebook) in codebooks.enumerated() {
                    try writeTaxonomy(codebook.parsed, number: number + 1, to: writer)
                }
            }
            try writer.element("fsdDecl") {
                for (number, codebook) in codebooks.enumerated() {
                    for layer in codebook.parsed.layers {
                        try writeFeatureDeclarations(layer, codebook: codebook.parsed, number: number + 1, to: writer)
                    }
                }
            }
        }
    }

    private func writeTaxonomy(_ codebook: Codebook, number: Int, to writer: XMLStreamWriter) throws {
        var counter = 0
        func nextID() -> String {
            counter += 1
            return "codebook-\(number)-\(counter)"
        }
        func writeCode(_ code: Code) throws {
            try writer.element("category", [("xml:id", nextID()), ("n", code.id)]) {
                try writer.element("catDesc") {
                    try writer.element("term", text: code.label)
                    if let definition = code.definition { try writer.element("gloss", text: definition) }
                }
                for child in code.children { try writeCode(child) }
            }
        }
        try writer.element("taxonomy", [("xml:id", "codebook-\(number)"), ("n", "\(codebook.id)@\(codebook.version)")]) {
            try writer.element("bibl") {
                try writer.element("title", text: codebook.title)
                try writer.element("edition", text: "version \(codebook.version)")
            }
            for layer in codebook.layers where layer.features.contains(where: { $0.codes != nil }) {
                try writer.element("category", [("xml:id", nextID()), ("n", layer.id)]) {
                    try writer.element("catDesc") { try writer.element("term", text: layer.label ?? layer.id) }
                    for feature in layer.features {
                        guard let codes = feature.codes else { continue }
                        try writer.element("category", [("xml:id", nextID()), ("n", feature.id)]) {
                            try writer.element("catDesc") { try writer.element("term", text: feature.label ?? feature.id) }
                            for code in codes.roots { try writeCode(code) }
                        }
                    }
                }
            }
        }
    }

    private func writeFeatureDeclarations(_ layer: Layer, codebook: Codebook, number: Int, to writer: XMLStreamWriter) throws {
        try writer.element("fsDecl", [("type", layer.id), ("n", "\(codebook.id)@\(codebook.version)")]) {
            try writer.element("fsDescr", text: layer.label ?? layer.id)
            for feature in layer.features {
                try writer.element("fDecl", [("name", feature.id), ("optional", feature.isRequired ? "false" : "true")]) {
                    if let label = feature.label ?? feature.description { try writer.element("fDescr", text: label) }
                    try writer.element("vRange") {
                        func symbols(_ codes: CodeTree) throws {
                            let ids = codes.codableIDs
                            if ids.count == 1 { try writer.element("symbol", [("value", ids[0])]); return }
                            try writer.element("vAlt") { for id in ids { try writer.element("symbol", [("value", id)]) } }
                        }
                        switch feature.kind {
                        case .category(let codes), .ordinal(let codes): try symbols(codes)
                        case .categories(let codes, _, _): try writer.element("vColl", [("org", "set")]) { try symbols(codes) }
                        case .integer(let minimum, let maximum):
                            try writer.element("numeric", [("value", String(minimum ?? Int(Int32.min)))] + (maximum.map { [("max", String($0))] } ?? []))
                        case .number(let minimum, let maximum):
                            try writer.element("numeric", [("value", JSONValue.number(minimum ?? -Double.greatestFiniteMagnitude).canonicalJSON)]
                                               + (maximum.map { [("max", JSONValue.number($0).canonicalJSON)] } ?? []))
                        case .boolean: try writer.element("vAlt") { try writer.element("binary", [("value", "true")]); try writer.element("binary", [("value", "false")]) }
                        case .text, .spanReference: try writer.element("string")
                        }
                    }
                }
            }
        }
    }

    /// Each registered codebook version's exact YAML, so that an import registers the same codebook.
    func writeCodebookSources(to writer: XMLStreamWriter) throws {
        for (number, codebook) in codebooks.enumerated() {
            try writer.element("xenoData", [("xml:id", "codebook-\(number + 1)-source"), ("type", TEIVocabulary.codebookSourceType),
                                            ("n", "\(codebook.stored.id)@\(codebook.stored.version)")], text: codebook.stored.source)
        }
    }

    // MARK: Documents

    /// Writes one document as a `TEI` element (with its own header parts when `standalone`); returns the
    /// number of annotations written.
    func writeDocument(_ summary: DocumentSummary, number: Int, standalone: Bool, to writer: XMLStreamWriter) throws -> Int {
        guard let document = try reader.document(externalID: summary.externalID) else {
            throw GlossError(.badData, "document \"\(summary.externalID)\" disappeared during the export")
        }
        let id = document.externalID
        try checkCharacters(document.text, document: id, what: "the text")
        for (what, value) in [("the title", document.title), ("the outlet", document.outlet), ("the URL", document.url), ("the id", id)] {
            if let value { try checkCharacters(value, document: id, what: what) }
        }
        var annotations: [Annotation] = []
        try reader.forEachAnnotation(matching: AnnotationFilter(documentID: id)) { annotation in
            if isExported(annotation.coder) { annotations.append(annotation) }
        }
        for annotation in annotations {
            for (name, value) in annotation.features {
                for text in [name] + value.strings { try checkCharacters(text, document: id, what: "annotation \(annotation.id)'s feature \(name)") }
            }
            if let reason = annotation.needsRecoding { try checkCharacters(reason, document: id, what: "annotation \(annotation.id)'s recoding note") }
            if let provenance = annotation.provenance {
                try checkCharacters(provenance.canonicalJSON, document: id,
                                    what: "annotation \(annotation.id)'s provenance")
            }
        }
        let textID = "text-\(number)"
        try writer.start("TEI")
        if standalone { try writer.attribute("xmlns", TEIVocabulary.namespace) }
        try writer.element("teiHeader") {
            try writer.element("fileDesc") {
                try writer.element("titleStmt") {
                    try writer.element("title", text: document.title)
                    if standalone {
                        var seen: Set<ExactKey> = []
                        let used = annotations.map(\.coder).filter { seen.insert(ExactKey($0)).inserted }
                        try writeCoders(used.compactMap { coderNumbers[ExactKey($0)].map { $0 - 1 } }.sorted(), to: writer)
                    }
                }
                try writePublication(to: writer)
                try writer.element("sourceDesc") {
                    try writer.element("bibl") {
                        try writer.element("title", [("level", "a")], text: document.title)
                        if let outlet = document.outlet { try writer.element("title", [("level", "j")], text: outlet) }
                        if let published = document.published {
                            try writer.element("date", TEIDates.isXMLSchemaDate(published) ? [("when", published)] : [], text: published)
                        }
                        if let url = document.url { try writer.element("idno", [("type", "URI")], text: url) }
                        try writer.element("idno", [("type", TEIVocabulary.documentIDType)], text: id)
                    }
                }
            }
            if standalone {
                try writeEncoding(to: writer)
                try writeCodebookSources(to: writer)
            }
            try writer.element("revisionDesc") {
                try writer.element("change", [("type", "imported")] + TEIDates.when(document.importedAt), text: document.importedAt)
            }
        }
        try writer.element("text") {
            try writer.element("body") {
                try writer.element("div") {
                    try writer.element("ab", [("xml:id", textID), ("xml:space", "preserve")], text: document.text)
                }
            }
        }
        if !annotations.isEmpty { try writeStandOff(annotations, textID: textID, to: writer) }
        try writer.end()
        return annotations.count
    }

    private func writeStandOff(_ annotations: [Annotation], textID: String, to writer: XMLStreamWriter) throws {
        let registry = CodebookRegistry(codebooks.map(\.parsed))
        let codebookNumbers = Dictionary(codebooks.enumerated().map { (CodebookReference(id: $1.stored.id, version: $1.stored.version), $0 + 1) },
                                         uniquingKeysWith: { first, _ in first })
        try writer.element("standOff") {
            try writer.element("fvLib") {
                for annotation in annotations {
                    let layer = annotation.codebook.flatMap { registry.codebook($0.id, version: $0.version)?.layer(annotation.layer) }
                        ?? registry.current(forLayer: annotation.layer)?.layer
                    try writer.element("fs", [("xml:id", "fs-\(annotation.id)"), ("type", annotation.layer)]) {
                        for name in annotation.features.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                            guard let value = annotation.features[name] else { continue }
                            try writer.element("f", [("name", name)]) { try TEIFeatureValue.write(value, kind: layer?.feature(name)?.kind, to: writer) }
                        }
                    }
                }
            }
            var byCoder: [(coder: String, annotations: [Annotation])] = []
            for annotation in annotations {
                if let index = byCoder.firstIndex(where: { $0.coder.isIdentical(to: annotation.coder) }) {
                    byCoder[index].annotations.append(annotation)
                } else {
                    byCoder.append((annotation.coder, [annotation]))
                }
            }
            for (coder, list) in byCoder.sorted(by: { (coderNumbers[ExactKey($0.coder)] ?? 0) < (coderNumbers[ExactKey($1.coder)] ?? 0) }) {
                let who = "#" + coderID(coder)
                try writer.element("listAnnotation", [("resp", who)]) {
                    for annotation in list {
                        var attributes = [("xml:id", "annotation-\(annotation.id)"),
                                          ("target", TEIVocabulary.target(textID: textID, start: annotation.span.start, length: annotation.span.length)),
                                          ("ana", "#fs-\(annotation.id)")]
                        if let reference = annotation.codebook, let number = codebookNumbers[reference] { attributes.append(("corresp", "#codebook-\(number)")) }
                        try writer.element("annotation", attributes) {
                            try writer.element("revisionDesc") {
                                try writer.element("change", [("type", "created"), ("who", who)] + TEIDates.when(annotation.createdAt), text: annotation.createdAt)
                                try writer.element("change", [("type", "updated"), ("who", who), ("n", String(annotation.revision))] + TEIDates.when(annotation.updatedAt),
                                                   text: annotation.updatedAt)
                            }
                            try writer.element("note", [("type", TEIVocabulary.quoteNote), ("xml:space", "preserve")], text: annotation.quote)
                            if let reason = annotation.needsRecoding { try writer.element("note", [("type", TEIVocabulary.recodingNote)], text: reason) }
                            if let provenance = annotation.provenance {
                                try writer.element("note", [("type", TEIVocabulary.provenanceNote)],
                                                   text: provenance.canonicalJSON)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Dates as TEI's `@when` takes them (XML Schema date and dateTime forms).
enum TEIDates {
    /// Whether `text` is an XML Schema `gYear`, `gYearMonth`, `date` or `dateTime` (upper-case T and Z).
    static func isXMLSchemaDate(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.upperBound <= bytes.count && bytes[range].allSatisfy { (48...57).contains($0) } }
        switch bytes.count {
        case 4: return digits(0..<4)
        case 7: return digits(0..<4) && bytes[4] == 45 && digits(5..<7)
        case 10: return digits(0..<4) && bytes[4] == 45 && digits(5..<7) && bytes[7] == 45 && digits(8..<10)
        default: return Timestamp.isValid(text) && bytes[10] == UInt8(ascii: "T") && !text.hasSuffix("z")
        }
    }

    /// `[("when", text)]` when `text` is a date `@when` accepts, else nothing.
    static func when(_ text: String) -> [(String, String)] { isXMLSchemaDate(text) ? [("when", text)] : [] }
}

extension JSONValue {
    /// Every string in the value (object keys included), depth first.
    var strings: [String] {
        switch self {
        case .string(let text): [text]
        case .array(let items): items.flatMap(\.strings)
        case .object(let members): members.flatMap { [$0.key] + $0.value.strings }
        case .null, .bool, .integer, .number: []
        }
    }
}
