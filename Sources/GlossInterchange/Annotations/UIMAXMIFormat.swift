import CLibXML2
import Foundation
import GlossCore
import GlossIO
import GlossStore

/// UIMA CAS XMI as INCEpTION exports it (XMI 2.0 with ecore namespaces); `gloss export uima-xmi` writes it
/// (`UIMAXMIFormat+Export.swift`).
///
/// The text is the `sofaString` of the initial view's `cas:Sofa`; offsets (`begin`, `end`) count UTF-16 code
/// units. Every feature structure on that view becomes a span labelled with its type name (the namespace as a
/// Java package plus the local name, e.g. `webanno.custom.Span`) and its primitive features as attributes,
/// except the segmentation and metadata types (`Token`, `Sentence`, `DocumentMetaData`, `TagsetDescription`),
/// which Gloss does not need. A structure with `Governor` and `Dependent` (an INCEpTION relation layer) becomes
/// a relation from the governor to the dependent, its other features in the relation's note; slot features
/// (links with `role` and `target`) become relations `TYPE:ROLE` from the host. Other references between
/// feature structures are not imported and are listed. Without the type system, a feature is taken for a
/// reference when every value names an xmi:id (`value` never is), so a number that happens to equal an id is
/// listed as a reference not carried.
public enum UIMAXMIFormat {
    static let skippedTypes: Set = ["uima.tcas.DocumentAnnotation", "uima.cas.View", "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Token", "de.tudarmstadt.ukp.dkpro.core.api.segmentation.type.Sentence",
                                    "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData", "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.TagsetDescription"]

    /// The type name of an element: `http:///webanno/custom.ecore` and `Span` give `webanno.custom.Span`.
    static func typeName(_ node: xmlNodePtr) -> String {
        var space = node.namespace ?? ""
        if space.hasPrefix("http:///") { space.removeFirst("http:///".count) }
        if space.hasSuffix(".ecore") { space.removeLast(".ecore".count) }
        return (space.isEmpty ? "" : space.replacingOccurrences(of: "/", with: ".") + ".") + node.name
    }

    /// Whether `file` is a UIMA type system description (its root `typeSystemDescription`) rather than a CAS.
    public static func isTypeSystem(_ file: InputFile) -> Bool {
        guard let tree = try? XMLTree(bytes: file.bytes, file: file.path) else { return false }
        return withExtendedLifetime(tree) { tree.root?.name == "typeSystemDescription" }
    }

    public static func read(_ file: InputFile) throws -> (document: InterchangeDocument, notCarried: [String]) {
        let tree = try XMLTree(bytes: file.bytes, file: file.path)
        return try withExtendedLifetime(tree) {
            guard let root = tree.root, root.name == "XMI" else {
                throw GlossError(.badData, "not a UIMA CAS XMI file: the root element is not xmi:XMI", at: SourceLocation(file: file.path, line: 1))
            }
            func fail(_ node: xmlNodePtr, _ message: String) -> GlossError { GlossError(.badData, message, at: SourceLocation(file: file.path, line: node.line)) }
            let elements = root.elements
            var byID: [String: xmlNodePtr] = [:]
            for element in elements { if let id = element.xmiID { byID[id] = element } }
            let sofas = elements.filter { $0.name == "Sofa" }
            guard let sofa = sofas.first(where: { $0.attribute("sofaID") == "_InitialView" }) ?? sofas.first,
                  let sofaID = sofa.xmiID, let text = sofa.attribute("sofaString") else {
                throw fail(root, "the CAS has no Sofa with a sofaString (the text)")
            }
            let index = TextIndex(text)
            let name = elements.first { typeName($0).hasSuffix("DocumentMetaData") }?.attribute("documentId").flatMap { $0.isEmpty ? nil : $0 }
                ?? ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension
            var document = InterchangeDocument(id: name, text: text, location: SourceLocation(file: file.path))
            var notCarried: Set<String> = []
            let reserved: Set = ["id", "sofa", "begin", "end", "Governor", "Dependent"]
            for element in elements where element.attribute("sofa") == sofaID {
                let type = typeName(element)
                guard !skippedTypes.contains(type) else { continue }
                guard let begin = element.attribute("begin").flatMap({ Int($0) }), let end = element.attribute("end").flatMap({ Int($0) }), let key = element.xmiID else {
                    notCarried.insert("\(type) structures without a begin, an end or an xmi:id")
                    continue
                }
                let span: TextSpan
                do { span = try index.span(start: begin, end: end, in: .utf16) } catch { throw fail(element, "\(type) [\(begin), \(end)) (UTF-16 units): \(error)") }
                var attributes: [String: JSONValue] = [:]
                var links: [(role: String, target: String)] = []
                var current = element.pointee.properties
                while let property = current {
                    defer { current = property.pointee.next }
                    let attribute = String(xmlChars: property.pointee.name) ?? ""
                    guard !reserved.contains(attribute), property.pointee.ns == nil, let value = element.attribute(attribute) else { continue }
                    let references = value.split(separator: " ").map(String.init)
                    if !references.isEmpty, references.allSatisfy({ byID[$0] != nil && Int($0) != nil }), attribute != "value" {
                        let targets = references.compactMap { byID[$0] }
                        if targets.allSatisfy({ $0.attribute("target") != nil && $0.attribute("begin") == nil }) {
                            links += targets.compactMap { link in link.attribute("target").map { (link.attribute("role") ?? "", $0) } }
                        } else {
                            notCarried.insert("the reference feature \(attribute) of \(type)")
                        }
                        continue
                    }
                    attributes[attribute] = .string(value)
                }
                if let governor = element.attribute("Governor"), let dependent = element.attribute("Dependent") {
                    let note = attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.canonicalJSON)" }.joined(separator: "; ")
                    document.relations.append(InterchangeRelation(key: key, type: type, from: governor, to: dependent, note: note.isEmpty ? nil : note, line: element.line))
                    continue
                }
                document.spans.append(InterchangeSpan(key: key, label: type, start: span.start, end: span.end, attributes: attributes, line: element.line))
                for (position, link) in links.enumerated() {
                    document.relations.append(InterchangeRelation(key: "\(key)-\(position)", type: "\(type):\(link.role)", from: key, to: link.target, line: element.line))
                }
            }
            return (document, notCarried.sorted())
        }
    }
}

extension UnsafeMutablePointer where Pointee == xmlNode {
    /// The `xmi:id` attribute.
    var xmiID: String? {
        "id".withXMLChars { name in "http://www.omg.org/XMI".withXMLChars { String(ownedXMLChars: xmlGetNsProp(self, name, $0)) } }
    }
}
