import CLibXML2
import Foundation
import GlossCodebook
import GlossCore
import GlossInterchange

/// A CATMA annotation collection (TEI, CATMA 3–6 "user markup collection" export): tagsets declared as
/// feature-structure declarations, tag instances as `fs` elements in `text`, and `seg ana="#instance"`
/// elements whose `ptr target="catma:///SOURCE#char=START,END"` point into the source document.
///
/// Offsets count UTF-16 code units of the source text without its byte order mark (CATMA works on Java
/// strings), end exclusive. Tagsets become a draft codebook with one layer, `catma`: its feature `code` holds
/// the tag tree (each tagset a grouping node; tag colours kept, and CATMA's tag UUIDs as code GUIDs), and each tag property becomes
/// an optional text feature. One tag instance becomes one annotation per run of adjacent segments.
struct CATMACollection {
    struct Tag {
        var id: String
        var name: String
        var parent: String?
        var tagset: Int
        var color: String?
    }

    var title: String
    var tagsets: [String] = []
    var tags: [Tag] = []
    /// Property names as CATMA writes them, with the feature ids they become.
    var properties: [(name: String, feature: String)] = []
    /// Tag instances by id: the tag and the property values.
    var instances: [String: (tag: String, values: [String: String], line: Int)] = [:]
    /// Each segment: the instances it carries and its range in UTF-16 units.
    var segments: [(instances: [String], start: Int, end: Int, line: Int)] = []
    /// The source document's name in the pointers, without extension.
    var sourceName = ""

    static let baseTag = "CATMA_BASE_TAG"
    static let colorFeature = "catma_displaycolor"

    static func isCollection(_ root: xmlNodePtr) -> Bool {
        guard root.name == "TEI", let encoding = root.element("teiHeader")?.element("encodingDesc") else { return false }
        return encoding.elements.contains { $0.name == "fsdDecl" && ($0.xmlAttribute("id") ?? "").hasPrefix("CATMA_") }
    }

    init(root: xmlNodePtr) throws(TEIReadError) {
        title = root.element("teiHeader")?.element("fileDesc")?.element("titleStmt")?.element("title").map { TEIPlainText.collapse($0.text) } ?? "CATMA collection"
        var propertyFeatures: [String: String] = [:]
        var usedFeatures: Set<String> = ["code"]
        func feature(for property: String) -> String {
            if let known = propertyFeatures[property] { return known }
            let id = CodebookDraft.uniqueID(for: property, used: &usedFeatures)
            propertyFeatures[property] = id
            properties.append((property, id))
            return id
        }
        for fsdDecl in root.element("teiHeader")?.element("encodingDesc")?.elements.filter({ $0.name == "fsdDecl" }) ?? [] {
            tagsets.append(fsdDecl.attribute("n") ?? fsdDecl.xmlAttribute("id") ?? "Tagset \(tagsets.count + 1)")
            for fsDecl in fsdDecl.elements where fsDecl.name == "fsDecl" {
                guard let id = fsDecl.xmlAttribute("id") ?? fsDecl.attribute("type") else { throw TEIReadError(fsDecl, "a CATMA tag (<fsDecl>) has no xml:id") }
                guard id != Self.baseTag else { continue }
                var color: String?
                for fDecl in fsDecl.elements where fDecl.name == "fDecl" {
                    guard let name = fDecl.attribute("name") else { continue }
                    if name == Self.colorFeature {
                        color = fDecl.element("vRange")?.element("numeric")?.attribute("value").flatMap(Self.hexColor)
                    } else {
                        _ = feature(for: name)
                    }
                }
                let parent = fsDecl.attribute("baseTypes").flatMap { $0 == Self.baseTag ? nil : $0 }
                tags.append(Tag(id: id, name: fsDecl.element("fsDescr").map { TEIPlainText.collapse($0.text) } ?? id, parent: parent,
                                tagset: tagsets.count - 1, color: color))
            }
        }
        guard !tags.isEmpty else { throw TEIReadError(root, "the CATMA collection declares no tags") }
        guard let text = root.element("text") else { throw TEIReadError(root, "the CATMA collection has no <text>") }
        let known = Set(tags.map(\.id))
        for fs in text.elements where fs.name == "fs" {
            guard let id = fs.xmlAttribute("id"), let type = fs.attribute("type") else { throw TEIReadError(fs, "a tag instance (<fs>) needs an xml:id and a type") }
            guard known.contains(type) else { throw TEIReadError(fs, "tag instance \(id) has tag \(type), which no tagset declares") }
            var values: [String: String] = [:]
            for f in fs.elements where f.name == "f" {
                guard let name = f.attribute("name"), name != Self.colorFeature else { continue }
                let strings = TEIImporterSearch.all(in: f, named: "string").map(\.text)
                values[feature(for: name)] = strings.joined(separator: "; ")
            }
            instances[id] = (type, values, fs.line)
        }
        for seg in TEIImporterSearch.all(in: text, named: "seg") {
            guard let ana = seg.attribute("ana") else { continue }
            let ids = ana.split(separator: " ").map { $0.hasPrefix("#") ? String($0.dropFirst()) : String($0) }
            for id in ids where instances[id] == nil { throw TEIReadError(seg, "the segment points to tag instance \(id), which the collection does not hold") }
            for ptr in seg.elements where ptr.name == "ptr" {
                guard let target = ptr.attribute("target"), let range = Self.range(target) else {
                    throw TEIReadError(ptr, "a CATMA pointer needs target=\"catma:///SOURCE#char=START,END\"")
                }
                if sourceName.isEmpty { sourceName = range.source }
                segments.append((ids, range.start, range.end, ptr.line))
            }
        }
    }

    /// `catma:///rose_for_emily.txt#char=36,44` as ("rose_for_emily", 36, 44).
    static func range(_ target: String) -> (source: String, start: Int, end: Int)? {
        guard let hash = target.firstIndex(of: "#") else { return nil }
        let fragment = target[target.index(after: hash)...]
        guard fragment.hasPrefix("char=") else { return nil }
        let numbers = fragment.dropFirst(5).split(separator: ",").map { Int($0) }
        guard numbers.count == 2, let start = numbers[0], let end = numbers[1], 0 <= start, start <= end else { return nil }
        let file = target[..<hash].split(separator: "/").last.map(String.init) ?? ""
        let name = file.lastIndex(of: ".").map { String(file[..<$0]) } ?? file
        return (name, start, end)
    }

    /// CATMA's signed ARGB integer as `#RRGGBB`.
    static func hexColor(_ value: String) -> String? {
        guard let number = Int64(value) else { return nil }
        let rgb = UInt32(truncatingIfNeeded: number) & 0xFF_FFFF
        let hex = String(rgb, radix: 16, uppercase: true)
        return "#" + String(repeating: "0", count: 6 - hex.count) + hex
    }

    /// Code ids for the tags, in declaration order.
    private var codeIDs: [String: String] {
        var used: Set<String> = []
        for tagset in tagsets { _ = CodebookDraft.uniqueID(for: tagset, used: &used) }
        var result: [String: String] = [:]
        for tag in tags { result[tag.id] = CodebookDraft.uniqueID(for: tag.name, used: &used) }
        return result
    }

    /// The draft codebook: id `catma-` and the collection's title, one layer `catma`.
    func codebookDraft() -> String {
        let ids = codeIDs
        var usedTagsetIDs: Set<String> = []
        func code(_ tag: Tag) -> Code {
            Code(id: ids[tag.id] ?? tag.id, label: tag.name, color: tag.color,
                 guid: tag.id.hasPrefix("CATMA_") && UUID(uuidString: String(tag.id.dropFirst(6))) != nil ? String(tag.id.dropFirst(6)) : nil,
                 children: tags.filter { $0.parent == tag.id && $0.tagset == tag.tagset }.map(code))
        }
        let roots = tagsets.enumerated().map { index, name in
            Code(id: CodebookDraft.uniqueID(for: name, used: &usedTagsetIDs), label: name, isCodable: false,
                 children: tags.filter { tag in tag.tagset == index && !tags.contains { $0.id == tag.parent && $0.tagset == index } }.map(code))
        }
        var used: Set<String> = []
        return CodebookDraft.yaml(id: "catma-" + CodebookDraft.uniqueID(for: title, used: &used), title: "CATMA tags: \(title)",
                                  comment: "Draft codebook made by `gloss import tei` from the CATMA collection \"\(title)\" and registered with it.\nRevise it as a new version (`gloss codebook add`, `gloss codebook migrate`).", layer: "catma", roots: roots,
                                  textFeatures: properties.map(\.feature))
    }

    /// The annotations on `document`, by `coder`: one per tag instance and run of adjacent segments.
    func annotations(on document: Document, coder: String) throws(TEIReadError) -> [(record: AnnotationRecord, line: Int)] {
        let ids = codeIDs
        var ranges: [String: [(start: Int, end: Int, line: Int)]] = [:]
        var order: [String] = []
        for segment in segments {
            for instance in segment.instances {
                if ranges[instance] == nil { order.append(instance) }
                var list = ranges[instance, default: []]
                if let last = list.indices.last, list[last].end == segment.start {
                    list[last].end = segment.end
                } else {
                    list.append((segment.start, segment.end, segment.line))
                }
                ranges[instance] = list
            }
        }
        var result: [(AnnotationRecord, Int)] = []
        for instance in order {
            guard let (tag, values, _) = instances[instance] else { continue }
            var features: [String: JSONValue] = ["code": .string(ids[tag] ?? tag)]
            for (feature, value) in values { features[feature] = .string(value) }
            for range in ranges[instance] ?? [] {
                result.append((AnnotationRecord(documentID: document.externalID, coder: coder, layer: "catma", start: range.start, end: range.end,
                                                unit: .utf16, features: features), range.line))
            }
        }
        return result
    }
}
