import CLibXML2
import GlossCore
import GlossIO

/// A file Gloss's TEI export wrote, read back: codebook sources, documents and annotations as they were.
struct GlossTEIExport {
    /// Each codebook version's `id@version` and exact YAML.
    var codebookSources: [(reference: String, source: String)] = []
    var documents: [DocumentRecord] = []
    /// Each annotation with the line of its `<annotation>`.
    var annotations: [(record: AnnotationRecord, line: Int)] = []

    /// Whether `root`'s header names Gloss as the application that wrote it.
    static func isGlossExport(_ root: xmlNodePtr) -> Bool {
        guard let application = root.element("teiHeader")?.element("encodingDesc")?.element("appInfo")?.element("application") else { return false }
        return application.attribute("ident") == TEIVocabulary.application
    }

    init(root: xmlNodePtr) throws(TEIReadError) {
        let header = root.element("teiHeader")
        var coders: [String: String] = [:]
        var taxonomies: [String: CodebookReference] = [:]
        func readHeader(_ header: xmlNodePtr?) throws(TEIReadError) {
            guard let header else { return }
            for respStmt in header.element("fileDesc")?.element("titleStmt")?.elements.filter({ $0.name == "respStmt" }) ?? [] {
                guard let id = respStmt.xmlAttribute("id"), let name = respStmt.element("name") else { continue }
                coders[id] = name.text
            }
            for taxonomy in header.element("encodingDesc")?.element("classDecl")?.elements ?? [] {
                guard let id = taxonomy.xmlAttribute("id"), let n = taxonomy.attribute("n") else { continue }
                taxonomies[id] = try Self.codebookReference(n, at: taxonomy)
            }
            for xenoData in header.elements where xenoData.name == "xenoData" && xenoData.attribute("type") == TEIVocabulary.codebookSourceType {
                codebookSources.append((xenoData.attribute("n") ?? "codebook", xenoData.text))
            }
        }
        try readHeader(header)
        let documentElements = root.name == "TEI" ? [root] : root.elements.filter { $0.name == "TEI" }
        for element in documentElements {
            if element != root { try readHeader(element.element("teiHeader")) }
            try readDocument(element, coders: coders, taxonomies: taxonomies)
        }
    }

    private static func codebookReference(_ text: String, at node: xmlNodePtr) throws(TEIReadError) -> CodebookReference {
        guard let at = text.lastIndex(of: "@"), let version = Int(text[text.index(after: at)...]) else {
            throw TEIReadError(node, "\"\(text)\" is not a codebook version (ID@VERSION)")
        }
        return CodebookReference(id: String(text[..<at]), version: version)
    }

    private mutating func readDocument(_ element: xmlNodePtr, coders: [String: String], taxonomies: [String: CodebookReference]) throws(TEIReadError) {
        guard let header = element.element("teiHeader"), let bibl = header.element("fileDesc")?.element("sourceDesc")?.element("bibl") else {
            throw TEIReadError(element, "<TEI> has no teiHeader/fileDesc/sourceDesc/bibl, which Gloss's export always writes")
        }
        let idnos = bibl.elements.filter { $0.name == "idno" }
        guard let externalID = idnos.first(where: { $0.attribute("type") == TEIVocabulary.documentIDType })?.text else {
            throw TEIReadError(bibl, "<bibl> has no <idno type=\"\(TEIVocabulary.documentIDType)\"> with the document id")
        }
        let titles = bibl.elements.filter { $0.name == "title" }
        guard let ab = element.element("text")?.element("body")?.element("div")?.element("ab"), let textID = ab.xmlAttribute("id") else {
            throw TEIReadError(element, "document \"\(externalID)\" has no text/body/div/ab with an xml:id")
        }
        let imported = header.element("revisionDesc")?.elements.first { $0.attribute("type") == "imported" }
        documents.append(DocumentRecord(
            externalID: externalID,
            title: titles.first { $0.attribute("level") == "a" }?.text ?? "",
            outlet: titles.first { $0.attribute("level") == "j" }?.text,
            url: idnos.first { $0.attribute("type") == "URI" }?.text,
            published: bibl.element("date")?.text,
            importedAt: imported?.text,
            text: ab.text))
        guard let standOff = element.element("standOff") else { return }
        var structures: [String: (layer: String, features: [String: JSONValue])] = [:]
        for fvLib in standOff.elements where fvLib.name == "fvLib" {
            for fs in fvLib.elements where fs.name == "fs" {
                guard let id = fs.xmlAttribute("id"), let layer = fs.attribute("type") else { throw TEIReadError(fs, "<fs> needs an xml:id and a type (the layer)") }
                var features: [String: JSONValue] = [:]
                for f in fs.elements where f.name == "f" {
                    guard let name = f.attribute("name"), let value = f.elements.first else { throw TEIReadError(f, "<f> needs a name and a value") }
                    features[name] = try TEIFeatureValue.read(value)
                }
                structures[id] = (layer, features)
            }
        }
        for list in standOff.elements where list.name == "listAnnotation" {
            guard let resp = list.attribute("resp"), resp.hasPrefix("#"), let coder = coders[String(resp.dropFirst())] else {
                throw TEIReadError(list, "<listAnnotation> needs resp=\"#coder-N\" naming a coder declared in a respStmt")
            }
            for annotation in list.elements where annotation.name == "annotation" {
                annotations.append((try Self.record(annotation, document: externalID, textID: textID, coder: coder, structures: structures, taxonomies: taxonomies), annotation.line))
            }
        }
    }

    private static func record(_ node: xmlNodePtr, document: String, textID: String, coder: String,
                               structures: [String: (layer: String, features: [String: JSONValue])],
                               taxonomies: [String: CodebookReference]) throws(TEIReadError) -> AnnotationRecord {
        guard let xmlID = node.xmlAttribute("id"), xmlID.hasPrefix("annotation-"), let id = Int64(xmlID.dropFirst("annotation-".count)) else {
            throw TEIReadError(node, "<annotation> needs xml:id=\"annotation-N\" with the annotation's id")
        }
        let prefix = "#string-range(\(textID),"
        guard let target = node.attribute("target"), target.hasPrefix(prefix), target.hasSuffix(")") else {
            throw TEIReadError(node, "annotation \(id): target must be #string-range(\(textID),OFFSET,LENGTH)")
        }
        let numbers = target.dropFirst(prefix.count).dropLast().split(separator: ",").map { Int($0) }
        guard numbers.count == 2, let start = numbers[0], let length = numbers[1], start >= 0, length >= 0,
              case (let end, false) = start.addingReportingOverflow(length) else {
            throw TEIReadError(node, "annotation \(id): target must be #string-range(\(textID),OFFSET,LENGTH) with whole numbers")
        }
        guard let ana = node.attribute("ana"), ana.hasPrefix("#"), let structure = structures[String(ana.dropFirst())] else {
            throw TEIReadError(node, "annotation \(id): ana must point to an <fs> in the fvLib")
        }
        let changes = node.element("revisionDesc")?.elements ?? []
        let created = changes.first { $0.attribute("type") == "created" }
        let updated = changes.first { $0.attribute("type") == "updated" }
        let notes = node.elements.filter { $0.name == "note" }
        var record = AnnotationRecord(
            id: id, documentID: document, coder: coder, layer: structure.layer, start: start, end: end, unit: .codepoint,
            text: notes.first { $0.attribute("type") == TEIVocabulary.quoteNote }?.text, features: structure.features,
            createdAt: created?.text, updatedAt: updated?.text, revision: updated?.attribute("n").flatMap { Int($0) })
        if let corresp = node.attribute("corresp") {
            guard corresp.hasPrefix("#"), let reference = taxonomies[String(corresp.dropFirst())] else {
                throw TEIReadError(node, "annotation \(id): corresp must point to a codebook's taxonomy")
            }
            record.codebook = reference
        }
        record.needsRecoding = notes.first { $0.attribute("type") == TEIVocabulary.recodingNote }?.text
        if let provenance = notes.first(where: { $0.attribute("type") == TEIVocabulary.provenanceNote })?.text {
            guard case .object? = try? JSONParser.parse(provenance) else {
                throw TEIReadError(node, "annotation \(id): the provenance note must hold a JSON object")
            }
            record.provenance = try? JSONParser.parse(provenance)
        }
        return record
    }
}
