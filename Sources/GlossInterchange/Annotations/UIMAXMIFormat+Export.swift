import CLibXML2
import Foundation
import GlossCore
import GlossIO

/// UIMA CAS XMI as INCEpTION and dkpro-cassis load it: one `.xmi` per document and one `TypeSystem.xml` for all.
///
/// The text is the `sofaString` of the initial view, offsets count UTF-16 code units, and a `DocumentMetaData`
/// carries the document id. A span becomes a feature structure of the type its label names when the label is a
/// UIMA type name (`webanno.custom.Span`, as `gloss import annotations --format uima-xmi` stores them), else of
/// `webanno.custom.LABEL` (INCEpTION's custom layers); its attributes become string features. A relation becomes
/// a structure with `Governor` and `Dependent` (INCEpTION's relation layers), its note's `NAME=VALUE` parts
/// features again. Slot links (relations `TYPE:ROLE`) and discontinuous pieces are not written; `export` counts
/// them.
extension UIMAXMIFormat {
    static let metadataType = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"

    /// A type of the export, with the features its structures use.
    struct ExportType {
        var name: String
        var features: Set<String> = []
        /// For a relation type: the span types its governors and dependents have.
        var endpointTypes: Set<String> = []
        var isRelation = false
    }

    /// What one export writes: a file per document and the type system they share.
    public struct Export: Sendable {
        public var files: [(name: String, xml: String)] = []
        public var typeSystem = ""
        /// Slot links and discontinuous pieces, which the export leaves out.
        public var leftOut = 0
    }

    /// The XMI files of `documents` and their type system; refuses a text XML cannot carry (65).
    public static func export(_ documents: [InterchangeDocument]) throws -> Export {
        var types: [String: ExportType] = [metadataType: ExportType(name: metadataType, features: ["documentId", "documentTitle"])]
        var result = Export()
        for document in documents {
            if let bad = XMLCharacters.firstInvalid(in: document.text) {
                throw GlossError(.badData, "document \"\(document.id)\" holds a character XML cannot carry at code point \(bad); "
                                 + "leave the document out with --doc")
            }
            result.files.append((document.id + ".xmi", try xmi(document, types: &types, leftOut: &result.leftOut)))
        }
        result.typeSystem = try typeSystem(types.values.sorted { $0.name < $1.name })
        return result
    }

    /// The UIMA type name of a label: itself when it is a dotted Java name, else the custom layer type WebAnno TSV
    /// gives it too (`InterchangeExporter.LayerSelection.typeName`).
    static func exportTypeName(_ label: String) -> String {
        let parts = label.split(separator: ".", omittingEmptySubsequences: false)
        let isJavaName = parts.count > 1 && parts.allSatisfy { isJavaIdentifier(String($0)) }
        return isJavaName ? label : InterchangeExporter.LayerSelection.typeName(label)
    }

    static func isJavaIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    /// `text` with every character that cannot be in a Java identifier as `_`, and a leading `_` when it starts
    /// with a digit or is empty.
    static func javaIdentifier(_ text: String) -> String {
        let mapped = String(text.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) ? Character(scalar) : "_"
        })
        return isJavaIdentifier(mapped) ? mapped : "_" + mapped
    }

    /// The XMI namespace of a type's package: `webanno.custom` gives `http:///webanno/custom.ecore`.
    static func namespace(ofPackage package: Substring) -> String {
        "http:///" + package.replacingOccurrences(of: ".", with: "/") + ".ecore"
    }

    private static func xmi(_ document: InterchangeDocument, types: inout [String: ExportType], leftOut: inout Int) throws -> String {
        let index = TextIndex(document.text)
        func utf16(_ offset: Int) throws -> String {
            do { return String(try index.offset(fromCodePoint: offset, to: .utf16)) } catch {
                throw GlossError(.badData, "document \"\(document.id)\": offset \(offset): \(error)")
            }
        }
        // Feature structures in order: metadata, spans, relations. Ids start at 2 (0 is cas:NULL, 1 the Sofa).
        var structures: [(type: String, attributes: [(String, String)])] = []
        var spanIDs: [String: (id: Int, type: String, begin: String, end: String)] = [:]
        structures.append((metadataType, [("begin", "0"), ("end", String(index.length(in: .utf16))),
                                          ("documentId", document.id), ("documentTitle", document.id)]))
        for span in document.spans {
            let type = exportTypeName(span.label)
            var attributes = [("begin", try utf16(span.start)), ("end", try utf16(span.end))]
            for (name, value) in span.attributes.sorted(by: { $0.key < $1.key }) {
                let feature = javaIdentifier(name)
                guard !["begin", "end", "sofa", "Governor", "Dependent"].contains(feature) else { continue }
                attributes.append((feature, Self.string(value)))
                types[type, default: ExportType(name: type)].features.insert(feature)
            }
            types[type, default: ExportType(name: type)].name = type
            if !span.fragments.isEmpty { leftOut += span.fragments.count }
            structures.append((type, attributes))
            spanIDs[span.key] = (structures.count + 1, type, attributes[0].1, attributes[1].1)
        }
        for relation in document.relations {
            guard !relation.type.contains(":"), let from = spanIDs[relation.from], let to = spanIDs[relation.to] else {
                leftOut += 1
                continue
            }
            let type = exportTypeName(relation.type)
            // Like INCEpTION, a relation covers its dependent.
            var attributes = [("begin", to.begin), ("end", to.end), ("Governor", String(from.id)), ("Dependent", String(to.id))]
            var entry = types[type] ?? ExportType(name: type)
            entry.isRelation = true
            entry.endpointTypes.formUnion([from.type, to.type])
            for (name, value) in noteFeatures(relation.note) {
                attributes.append((name, value))
                entry.features.insert(name)
            }
            types[type] = entry
            structures.append((type, attributes))
        }
        var prefixes: [String: String] = ["http:///uima/cas.ecore": "cas", "http://www.omg.org/XMI": "xmi"]
        for structure in structures {
            let package = structure.type[..<(structure.type.lastIndex(of: ".") ?? structure.type.startIndex)]
            let space = namespace(ofPackage: package)
            guard prefixes[space] == nil else { continue }
            let base = javaIdentifier(String(package.split(separator: ".").last ?? "t"))
            var prefix = base, number = 2
            while prefixes.values.contains(prefix) { prefix = "\(base)\(number)"; number += 1 }
            prefixes[space] = prefix
        }
        let writer = try XMLStreamWriter(indent: true)
        try writer.startDocument()
        try writer.start("xmi:XMI")
        for (space, prefix) in prefixes.sorted(by: { $0.value < $1.value }) { try writer.attribute("xmlns:" + prefix, space) }
        try writer.attribute("xmi:version", "2.0")
        try writer.element("cas:NULL", [("xmi:id", "0")])
        for (number, structure) in structures.enumerated() {
            let dot = structure.type.lastIndex(of: ".") ?? structure.type.startIndex
            let prefix = prefixes[namespace(ofPackage: structure.type[..<dot])] ?? "cas"
            let local = String(structure.type[structure.type.index(after: dot)...])
            try writer.element("\(prefix):\(local)", [("xmi:id", String(number + 2)), ("sofa", "1")] + structure.attributes)
        }
        try writer.element("cas:Sofa", [("xmi:id", "1"), ("sofaNum", "1"), ("sofaID", "_InitialView"), ("mimeType", "text"),
                                        ("sofaString", document.text)])
        try writer.element("cas:View", [("sofa", "1"), ("members", structures.indices.map { String($0 + 2) }.joined(separator: " "))])
        try writer.end()
        try writer.endDocument()
        return try writer.contents()
    }

    /// The features a relation's note held when `gloss import` made it from XMI (`name="value"; …`).
    static func noteFeatures(_ note: String?) -> [(String, String)] {
        guard let note, !note.isEmpty else { return [] }
        var features: [(String, String)] = []
        for part in note.components(separatedBy: "; ") {
            guard let equals = part.firstIndex(of: "="), isJavaIdentifier(String(part[..<equals])),
                  let value = try? JSONParser.parse(String(part[part.index(after: equals)...])) else { return [("note", note)] }
            features.append((String(part[..<equals]), string(value)))
        }
        return features
    }

    /// A feature value as XMI writes it: a string as it is, anything else as JSON.
    static func string(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return value.canonicalJSON
    }

    private static func typeSystem(_ types: [ExportType]) throws -> String {
        let writer = try XMLStreamWriter(indent: true)
        try writer.startDocument()
        try writer.element("typeSystemDescription", [("xmlns", "http://uima.apache.org/resourceSpecifier")]) {
            try writer.element("types") {
                for type in types {
                    try writer.element("typeDescription") {
                        try writer.element("name", text: type.name)
                        try writer.element("supertypeName", text: type.name == metadataType ? "uima.tcas.DocumentAnnotation" : "uima.tcas.Annotation")
                        var features = type.features.sorted().map { ($0, "uima.cas.String") }
                        if type.isRelation {
                            let range = (type.endpointTypes.count == 1 ? type.endpointTypes.first : nil) ?? "uima.tcas.Annotation"
                            features += [("Dependent", range), ("Governor", range)]
                        }
                        guard !features.isEmpty else { return }
                        try writer.element("features") {
                            for (name, range) in features {
                                try writer.element("featureDescription") {
                                    try writer.element("name", text: name)
                                    try writer.element("rangeTypeName", text: range)
                                }
                            }
                        }
                    }
                }
            }
        }
        try writer.endDocument()
        return try writer.contents()
    }
}
