import CLibXML2
import Foundation
import GlossCodebook
import GlossCore
import GlossIO

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
        /// The line of the tag's declaration, for errors.
        var line: Int
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
    private var propertyFeatures: [String: String] = [:]
    private var usedFeatures: Set<String> = ["code"]

    /// The feature id for a CATMA property name, made on first use.
    /// The feature of a tag property: its own name, case kept (`ID_number`), when that is a valid feature name not
    /// yet taken, else a slug of it.
    private mutating func feature(for property: String) -> String {
        if let known = propertyFeatures[property] { return known }
        let id: String
        if Name.problem(with: property, as: .feature) == nil, !usedFeatures.contains(property) {
            id = property
            usedFeatures.insert(id)
        } else {
            id = CodebookDraft.uniqueID(for: property, used: &usedFeatures)
        }
        propertyFeatures[property] = id
        properties.append((property, id))
        return id
    }

    static let baseTag = "CATMA_BASE_TAG"
    static let colorFeature = "catma_displaycolor"

    /// Whether `root` is a CATMA collection: tagsets declared as CATMA feature-structure declarations (CATMA 3
    /// and later), CATMA tags as `fs type="catma_tag"` (earlier versions), or CATMA pointers in the text.
    static func isCollection(_ root: xmlNodePtr) -> Bool {
        guard root.name == "TEI" else { return false }
        if let encoding = root.element("teiHeader")?.element("encodingDesc"),
           encoding.elements.contains(where: { $0.name == "fsdDecl" && ($0.xmlAttribute("id") ?? "").hasPrefix("CATMA_") }) { return true }
        guard let text = root.element("text") else { return false }
        return TEIImporter.firstElement(in: text) { element in
            (element.name == "fs" && element.attribute("type") == "catma_tag") || (element.name == "ptr" && element.attribute("target").flatMap(range) != nil)
        } != nil
    }

    init(root: xmlNodePtr) throws(TEIReadError) {
        title = root.element("teiHeader")?.element("fileDesc")?.element("titleStmt")?.element("title").map { TEIPlainText.collapse($0.text) } ?? "CATMA collection"
        guard let text = root.element("text") else { throw TEIReadError(root, "the CATMA collection has no <text>") }
        let fsdDecls = root.element("teiHeader")?.element("encodingDesc")?.elements.filter { $0.name == "fsdDecl" } ?? []
        if !fsdDecls.isEmpty {
            try readDeclaredTags(fsdDecls)
        } else {
            readEmbeddedTags(text)
        }
        guard !tags.isEmpty else {
            throw TEIReadError(root, "this CATMA file has no tags: it is structure markup (the text divided by pointers), which Gloss does not import; export the annotation collection instead")
        }
        var seenTags: Set<String> = []
        if let twice = tags.first(where: { !seenTags.insert($0.id).inserted }) {
            throw TEIReadError(root, "the CATMA collection declares tag \(twice.id) twice; each tag needs an id of its own")
        }
        try checkTagHierarchy(root)
        let known = Set(tags.map(\.id))
        for fs in text.elements where fs.name == "fs" && fsdDecls.isEmpty == false {
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
            for id in ids where instances[id] == nil { throw TEIReadError(seg, "the segment points to \(id), which is neither a tag instance nor a tag of the collection") }
            for ptr in seg.elements where ptr.name == "ptr" {
                guard let target = ptr.attribute("target"), let range = Self.range(target) else {
                    throw TEIReadError(ptr, "a CATMA pointer needs target=\"catma:///SOURCE#char=START,END\"")
                }
                if sourceName.isEmpty { sourceName = range.source }
                segments.append((ids, range.start, range.end, ptr.line))
            }
        }
    }

    /// CATMA 3 and later: one `fsdDecl` per tagset, one `fsDecl` per tag (its parent in `baseTypes`); tag
    /// instances are `fs` elements in `text`.
    private mutating func readDeclaredTags(_ fsdDecls: [xmlNodePtr]) throws(TEIReadError) {
        for fsdDecl in fsdDecls {
            tagsets.append(fsdDecl.attribute("n") ?? fsdDecl.xmlAttribute("id") ?? "Tagset \(tagsets.count + 1)")
            for fsDecl in fsdDecl.elements where fsDecl.name == "fsDecl" {
                guard let id = fsDecl.xmlAttribute("id") ?? fsDecl.attribute("type") else { throw TEIReadError(fsDecl, "a CATMA tag (<fsDecl>) has no xml:id") }
                guard id != Self.baseTag else { continue }
                var color: String?
                for fDecl in fsDecl.elements where fDecl.name == "fDecl" {
                    guard let name = fDecl.attribute("name") else { continue }
                    if name == Self.colorFeature {
                        color = fDecl.element("vRange").flatMap(Self.color)
                    } else {
                        _ = feature(for: name)
                    }
                }
                let parent = fsDecl.attribute("baseTypes").flatMap { $0 == Self.baseTag ? nil : $0 }
                tags.append(Tag(id: id, name: fsDecl.element("fsDescr").map { TEIPlainText.collapse($0.text) } ?? id, parent: parent,
                                tagset: tagsets.count - 1, color: color, line: fsDecl.line))
            }
        }
    }

    /// Earlier CATMA versions: tags are `fs type="catma_tag"` elements in `text` (in an `fvLib` per tagset, child
    /// tags nested in an `f` of their parent), named by their `catma_tagname` feature; segments point to the tags
    /// themselves, so each tag is also its own instance, with the tag's properties as values.
    private mutating func readEmbeddedTags(_ text: xmlNodePtr) {
        func visit(_ node: xmlNodePtr, parent: String?, tagset: Int) {
            for child in node.elements {
                switch child.name {
                case "fvLib":
                    tagsets.append(child.attribute("n").map(Self.withoutVersion) ?? "Tagset \(tagsets.count + 1)")
                    visit(child, parent: nil, tagset: tagsets.count - 1)
                case "fs" where child.attribute("type") == "catma_tag":
                    guard let id = child.xmlAttribute("id") else { continue }
                    var name = id, color: String?, values: [String: String] = [:]
                    for f in child.elements where f.name == "f" {
                        switch f.attribute("name") {
                        case "catma_tagname": name = f.element("string").map { TEIPlainText.collapse($0.text) } ?? id
                        case Self.colorFeature: color = Self.color(in: f)
                        case let property?:
                            if let value = f.element("string") { values[feature(for: property)] = value.text }
                        case nil: break
                        }
                    }
                    tags.append(Tag(id: id, name: name, parent: parent, tagset: tagset, color: color, line: child.line))
                    instances[id] = (id, values, child.line)
                    for f in child.elements where f.name == "f" { visit(f, parent: id, tagset: tagset) }
                default:
                    continue
                }
            }
        }
        tagsets.append("Tags")
        visit(text, parent: nil, tagset: 0)
    }

    /// "TestTagset 1_068768df-…" without the version suffix CATMA appends.
    private static func withoutVersion(_ name: String) -> String {
        guard let underscore = name.lastIndex(of: "_"), UUID(uuidString: String(name[name.index(after: underscore)...])) != nil else { return name }
        return String(name[..<underscore])
    }

    /// `catma:///rose_for_emily.txt#char=36,44` (CATMA 3 and later) or `rose_for_emily.txt#range( /.36, /.44)`
    /// (earlier) as ("rose_for_emily", 36, 44).
    static func range(_ target: String) -> (source: String, start: Int, end: Int)? {
        guard let hash = target.firstIndex(of: "#") else { return nil }
        let fragment = target[target.index(after: hash)...]
        let numbers: [Int?]
        if fragment.hasPrefix("char=") {
            numbers = fragment.dropFirst(5).split(separator: ",").map { Int($0) }
        } else if fragment.hasPrefix("range("), fragment.hasSuffix(")") {
            numbers = fragment.dropFirst(6).dropLast().split(separator: ",").map { part in
                part.split(separator: ".").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            }
        } else {
            return nil
        }
        guard numbers.count == 2, let start = numbers[0], let end = numbers[1], 0 <= start, start <= end else { return nil }
        let file = target[..<hash].split(separator: "/").last.map(String.init) ?? ""
        let name = file.lastIndex(of: ".").map { String(file[..<$0]) } ?? file
        return (name, start, end)
    }

    /// CATMA's signed ARGB integer as `#RRGGBB`.
    /// The colour an element gives as CATMA writes it: `<numeric value="-16777216"/>` (CATMA 3 to 5), or a
    /// `<string>` holding the number, alone or in a `<vColl>` (CATMA 5 and 6).
    static func color(in element: xmlNodePtr) -> String? {
        if let numeric = TEIImporterSearch.all(in: element, named: "numeric").first {
            return numeric.attribute("value").flatMap(hexColor)
        }
        return TEIImporterSearch.all(in: element, named: "string").first.flatMap {
            hexColor($0.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

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

    /// The most levels of tags under a tagset: the tagset is a grouping code above them in the draft codebook,
    /// whose code tree may be `CodeTree.maximumCodeDepth` levels deep.
    static let maximumTagDepth = CodeTree.maximumCodeDepth - 1

    /// The tag hierarchy: the top tags of each tagset, and the children of each tag by its id, as indices into
    /// `tags` in declaration order. A tag's parent is the tag of its own tagset that `baseTypes` names; a tag
    /// without one is a top tag.
    private var tagHierarchy: (tops: [[Int]], children: [String: [Int]], parents: [Int?]) {
        var indexByID: [String: Int] = [:]
        for (index, tag) in tags.enumerated() { indexByID[tag.id] = index }
        let parents = tags.map { tag in
            tag.parent.flatMap { indexByID[$0] }.flatMap { tags[$0].tagset == tag.tagset ? $0 : nil }
        }
        var tops = Array(repeating: [Int](), count: tagsets.count)
        var children: [String: [Int]] = [:]
        for (index, tag) in tags.enumerated() {
            if let parent = parents[index] {
                children[tags[parent].id, default: []].append(index)
            } else if tops.indices.contains(tag.tagset) {
                tops[tag.tagset].append(index)
            }
        }
        return (tops, children, parents)
    }

    /// Refuses tag parents that form a cycle, and tags nested deeper than `maximumTagDepth`, naming the tag
    /// (at its declaration's line when known, else at `root`).
    private func checkTagHierarchy(_ root: xmlNodePtr) throws(TEIReadError) {
        let (tops, children, parents) = tagHierarchy
        func failure(_ tag: Tag, _ message: String) -> TEIReadError {
            var error = TEIReadError(root, message)
            if tag.line > 0 { error.line = tag.line }
            return error
        }
        // Breadth first from the top tags, one level at a time.
        var reached = Array(repeating: false, count: tags.count)
        var level = tops.flatMap { $0 }
        var depth = 1
        while let first = level.first {
            if depth > Self.maximumTagDepth {
                let tag = tags[first]
                throw failure(tag, "CATMA tag \(tag.name) (\(tag.id)) is nested \(depth) levels deep in its tagset; "
                    + "Gloss takes at most \(Self.maximumTagDepth) levels of tags (its codebook has at most "
                    + "\(CodeTree.maximumCodeDepth) levels of codes, the tagset being the first)")
            }
            for index in level { reached[index] = true }
            level = level.flatMap { children[tags[$0].id] ?? [] }
            depth += 1
        }
        // A tag not reached lies on, or under, a cycle of parents: follow its parents until one repeats.
        guard let start = reached.firstIndex(of: false) else { return }
        var seen: Set<Int> = [start]
        var current = start
        while let parent = parents[current], seen.insert(parent).inserted { current = parent }
        let tag = tags[parents[current] ?? current]
        throw failure(tag, "CATMA tag \(tag.name) (\(tag.id)) is its own ancestor: the parents that baseTypes names "
            + "lead back to it; give one tag of the cycle a parent outside it, or none")
    }

    /// The draft codebook `catma` (version `version`), with one layer, `catma`.
    func codebookDraft(version: Int) -> String {
        let ids = codeIDs
        var usedTagsetIDs: Set<String> = []
        // Reading refused cycles and tags deeper than `maximumTagDepth`; `depth` bounds the recursion regardless.
        let (tops, children, _) = tagHierarchy
        func code(_ tag: Tag, depth: Int) -> Code {
            let uuid = String(tag.id.dropFirst(6))
            let below = depth < Self.maximumTagDepth ? children[tag.id] ?? [] : []
            return Code(id: ids[tag.id] ?? tag.id, label: tag.name, color: tag.color,
                        guid: tag.id.hasPrefix("CATMA_") && UUID(uuidString: uuid) != nil ? uuid : nil,
                        children: below.map { code(tags[$0], depth: depth + 1) })
        }
        let roots = tagsets.enumerated().map { index, name in
            Code(id: CodebookDraft.uniqueID(for: name, used: &usedTagsetIDs), label: name, isCodable: false,
                 children: (tops.indices.contains(index) ? tops[index] : []).map { code(tags[$0], depth: 1) })
        }
        return CodebookDraft.yaml(id: "catma", version: version, title: "CATMA tags",
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
