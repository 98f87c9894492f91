import CLibXML2
import Foundation
import GlossCodebook
import GlossCore
import GlossIO

/// REFI-QDA codebook exchange: the `.qdc` format (Codebook.xsd 1.0) that MAXQDA, ATLAS.ti, NVivo and
/// QualCoder read and write.
///
/// A `.qdc` holds one tree of codes, each with a GUID, a name, whether it can be assigned, a colour and a
/// description. Export: a codebook with one layer and one category feature becomes its code tree as it
/// is; otherwise every layer becomes a grouping code holding a grouping code per category feature, which
/// holds that feature's codes. Import: the tree becomes a draft codebook with one layer, `coding`, whose
/// category feature `code` has the tree. Whatever the other side cannot carry is listed, never dropped
/// silently.
public enum QDCCodebook {
    public static let namespace = "urn:QDA-XML:codebook:1.0"

    /// An exported `.qdc` and what it could not carry.
    public struct Export: Sendable {
        public var xml: String
        public var notCarried: [String]
    }

    /// A draft codebook (YAML) made from a `.qdc`, and what it could not carry.
    public struct Draft: Sendable {
        public var yaml: String
        public var codeCount: Int
        public var notCarried: [String]
    }

    // MARK: Export

    public static func export(_ codebook: Codebook) -> Export {
        var notCarried: [String] = []
        var usedGUIDs: Set<String> = []
        func exported(_ code: Code, path: [String]) -> ExportedCode { Self.exported(code, path: path, usedGUIDs: &usedGUIDs) }
        let roots: [ExportedCode]
        let categoryFeatures = codebook.layers.flatMap { layer in layer.features.filter { $0.codes != nil }.map { (layer, $0) } }
        if codebook.layers.count == 1, codebook.layers[0].features.count == 1, let (layer, feature) = categoryFeatures.first {
            roots = feature.codes?.roots.map { exported($0, path: [codebook.id, layer.id, feature.id]) } ?? []
            notCarried.append("the layer's and the feature's labels and descriptions")
        } else {
            notCarried.append("the layers and features (written as grouping codes named after them)")
            roots = codebook.layers.map { layer in
                ExportedCode(guid: guid([codebook.id, layer.id]), name: layer.label ?? layer.id, isCodable: false, color: nil,
                             description: layer.description,
                             children: layer.features.compactMap { feature in
                                 feature.codes.map { tree in
                                     ExportedCode(guid: guid([codebook.id, layer.id, feature.id]), name: feature.label ?? feature.id,
                                                  isCodable: false, color: nil, description: feature.description,
                                                  children: tree.roots.map { exported($0, path: [codebook.id, layer.id, feature.id]) })
                                 }
                             })
            }
        }
        let other = codebook.layers.flatMap { layer in layer.features.filter { $0.codes == nil }.map { "\(layer.id).\($0.id) (\($0.typeName))" } }
        if !other.isEmpty { notCarried.append("features that are not categories: \(other.joined(separator: ", "))") }
        let rules = codebook.layers.reduce(0) { $0 + $1.rules.count }
        if rules > 0 { notCarried.append("\(rules) rules") }
        let settings = codebook.layers.filter { $0.scope == .document || !$0.allowsOverlap || $0.minimumLength != nil || $0.maximumLength != nil || $0.within != nil }
        if !settings.isEmpty { notCarried.append("layer settings (scope, overlap, lengths, within) of \(settings.map(\.id).joined(separator: ", "))") }
        if categoryFeatures.contains(where: { $0.1.isRequired }) { notCarried.append("which features are required") }
        if categoryFeatures.contains(where: { if case .category = $0.1.kind { false } else { true } }) {
            notCarried.append("whether a feature takes one code, a set of codes (and how many) or a point on a scale")
        }
        let allCodes = categoryFeatures.flatMap { $0.1.codes?.flattened.map(\.code) ?? [] }
        if allCodes.contains(where: { $0.include != nil || $0.exclude != nil || !$0.examples.isEmpty }) {
            notCarried.append("include, exclude and examples as fields of their own (folded into each description)")
        }
        notCarried.append("code ids (codes are named by their labels and identified by GUID)")
        notCarried.append("the codebook id, version, title\(codebook.description == nil ? "" : ", description")\(codebook.migrations.isEmpty ? "" : " and migrations")")
        return Export(xml: write(roots, origin: "Gloss: \(codebook.id)@\(codebook.version)"), notCarried: notCarried)
    }

    /// A code as REFI-QDA writes it. A code list shared by several features puts the same codes in several places:
    /// a code's own GUID goes to its first place, the others get GUIDs derived from their paths, so every GUID
    /// is unique.
    static func exported(_ code: Code, path: [String], usedGUIDs: inout Set<String>) -> ExportedCode {
        var guid = code.guid ?? Self.guid(path + [code.id])
        if !usedGUIDs.insert(guid.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "{}"))).inserted {
            guid = Self.guid(path + [code.id])
            usedGUIDs.insert(guid)
        }
        var parts = [code.definition].compactMap { $0 }
        if let include = code.include { parts.append("Include: \(include)") }
        if let exclude = code.exclude { parts.append("Exclude: \(exclude)") }
        if !code.examples.isEmpty { parts.append("Examples:\n" + code.examples.map { "- \($0)" }.joined(separator: "\n")) }
        return ExportedCode(guid: guid, name: code.label, isCodable: code.isCodable, color: code.color,
                            description: parts.isEmpty ? nil : parts.joined(separator: "\n\n"),
                            children: code.children.map { exported($0, path: path, usedGUIDs: &usedGUIDs) })
    }

    struct ExportedCode {
        var guid: String
        var name: String
        var isCodable: Bool
        var color: String?
        var description: String?
        var children: [ExportedCode]
    }

    /// A GUID derived from a path of ids, so that exporting the same codebook again gives the same GUIDs.
    static func guid(_ path: [String]) -> String {
        let hex = Array(SHA256.hexDigest(of: path.joined(separator: "/")))
        func part(_ range: Range<Int>) -> String { String(hex[range]) }
        return "\(part(0..<8))-\(part(8..<12))-\(part(12..<16))-\(part(16..<20))-\(part(20..<32))"
    }

    private static func write(_ roots: [ExportedCode], origin: String) -> String {
        guard let writer = try? XMLStreamWriter(indent: true),
              (try? writer.startDocument()) != nil,
              (try? writer.element("CodeBook", [("xmlns", namespace), ("origin", origin)], { try writeCodes(roots, to: writer) })) != nil,
              (try? writer.endDocument()) != nil else { return "" }
        return (try? writer.contents()) ?? ""
    }

    /// `<Codes>` with the code tree, as both `.qdc` and `.qde` hold it.
    static func writeCodes(_ roots: [ExportedCode], to writer: XMLStreamWriter) throws {
        func writeCode(_ code: ExportedCode) throws {
            try writer.element("Code", [("guid", code.guid), ("name", code.name), ("isCodable", code.isCodable ? "true" : "false")] + (code.color.map { [("color", $0)] } ?? [])) {
                if let description = code.description { try writer.element("Description", text: description) }
                for child in code.children { try writeCode(child) }
            }
        }
        try writer.element("Codes") { for root in roots { try writeCode(root) } }
    }

    // MARK: Import

    /// Reads a `.qdc` into a draft codebook with id `id`.
    public static func draft(fromQDC bytes: [UInt8], file: String, id: String) throws -> Draft {
        let tree = try XMLTree(bytes: bytes, file: file)
        guard let root = tree.root, root.name == "CodeBook" else {
            throw GlossError(.badData, "the root element is not CodeBook; this is not a REFI-QDA codebook (.qdc)", at: SourceLocation(file: file, line: tree.root?.line))
        }
        guard let codes = root.elements.first(where: { $0.name == "Codes" }) else {
            throw GlossError(.badData, "CodeBook has no Codes element", at: SourceLocation(file: file, line: root.line))
        }
        let roots = try readCodes(codes, file: file)
        let count = CodeTree(roots).flattened.count
        var notCarried: [String] = []
        if let sets = root.elements.first(where: { $0.name == "Sets" })?.elements.filter({ $0.name == "Set" }), !sets.isEmpty {
            notCarried.append("\(sets.count) code sets (\(sets.compactMap { $0.attribute("name") }.joined(separator: ", "))): Gloss codebooks have no sets")
        }
        let title = root.attribute("origin").map { "Codes from \($0)" } ?? "Codes from \(file)"
        return Draft(yaml: CodebookDraft.yaml(id: id, title: title, comment: "Draft codebook made by `gloss codebook import` from \(file) (REFI-QDA codebook).\nReview it, then register it with `gloss codebook add`.", roots: roots),
                     codeCount: count, notCarried: notCarried)
    }

    /// The code tree under a `<Codes>` element, code ids made from the names, GUIDs and colours kept.
    static func readCodes(_ codes: xmlNodePtr, file: String) throws -> [Code] {
        var usedIDs: Set<String> = []
        func read(_ element: xmlNodePtr) throws -> Code {
            guard let name = element.attribute("name"), !name.isEmpty else {
                throw GlossError(.badData, "a Code has no name attribute", at: SourceLocation(file: file, line: element.line))
            }
            let flag = element.attribute("isCodable") ?? "true"
            guard ["true", "false", "1", "0"].contains(flag) else {
                throw GlossError(.badData, "isCodable of code \"\(name)\" is \"\(flag)\"; use true or false", at: SourceLocation(file: file, line: element.line))
            }
            let description = element.elements.first { $0.name == "Description" }?.text
            return Code(id: CodebookDraft.uniqueID(for: name, used: &usedIDs), label: name,
                        definition: description.flatMap { $0.isEmpty ? nil : $0 },
                        isCodable: flag == "true" || flag == "1", color: element.attribute("color"), guid: element.attribute("guid"),
                        children: try element.elements.filter { $0.name == "Code" }.map(read))
        }
        let roots = try codes.elements.filter { $0.name == "Code" }.map(read)
        guard !roots.isEmpty else { throw GlossError(.badData, "Codes holds no Code", at: SourceLocation(file: file, line: codes.line)) }
        return roots
    }

    // MARK: Validation

    /// The errors of `qdc` against the XML Schema in `schema` (Codebook.xsd); empty when valid.
    public static func schemaErrors(in qdc: [UInt8], file: String, schema: [UInt8], schemaFile: String) throws -> [String] {
        let validator = try XMLSchemaValidator(schema: schema, file: schemaFile)
        return validator.errors(in: try XMLTree(bytes: qdc, file: file))
    }
}
