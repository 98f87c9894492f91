import CLibXML2
import GlossCore
import GlossIO

/// The plain text of TEI documents from elsewhere, by fixed rules, for import as Gloss documents.
///
/// - Only `text` is read: `teiHeader`, `standOff`, `facsimile` and `sourceDoc` are skipped, and so are `note`,
///   `fw` (running heads, page numbers), `del`, and the non-verbal events `kinesic`, `vocal`, `incident` and
///   `gap`.
/// - From `choice`, the first `reg`, `expan` or `corr` is taken (else the first child).
/// - `lb` is a line break, except `lb break="no"` (a word continues across the line); `pb`, `cb` and
///   `milestone` add nothing.
/// - `w` and `pc` tokens are joined by one space, except where `join` says the tokens touch (`right` or
///   `both` on the first, `left` or `both` on the second).
/// - Block elements (`p`, `ab`, `head`, `l`, `u`, `div`, `item`, `seg` inside `u`, …) are separated by one
///   line break. Inside them, runs of white space (pretty-printing) become one space and are trimmed at the
///   block's edges, except under `xml:space="preserve"`.
/// - Elements outside the TEI namespace are skipped.
/// - Each `TEI` element is one document (in a `teiCorpus`, nested ones too). Its id is its `xml:id`, else the
///   file name; the title is the first `titleStmt/title`; the first http(s) `idno` of `publicationStmt` or
///   `sourceDesc` becomes the document's URL.
enum TEIPlainText {
    static let skipped: Set = ["teiHeader", "standOff", "facsimile", "sourceDoc", "note", "fw", "del", "kinesic", "vocal", "incident", "gap"]
    static let blocks: Set = ["text", "front", "body", "back", "group", "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7",
                              "p", "ab", "head", "l", "lg", "u", "sp", "speaker", "stage", "list", "item", "label", "table", "row", "cell",
                              "byline", "dateline", "opener", "closer", "salute", "signed", "trailer", "argument", "epigraph",
                              "docTitle", "titlePart", "titlePage", "docAuthor", "docImprint", "docDate", "figure", "castList",
                              "castItem", "castGroup", "listBibl", "bibl", "floatingText", "postscript"]

    /// One document per `TEI` element (a `teiCorpus` may hold several).
    static func documents(in root: xmlNodePtr, fileName: String) throws(TEIReadError) -> [DocumentRecord] {
        let elements = root.name == "TEI" ? [root] : TEIImporterSearch.all(in: root, named: "TEI")
        if elements.isEmpty { throw TEIReadError(root, "the teiCorpus holds no <TEI> documents") }
        return try elements.enumerated().map { (index, element) throws(TEIReadError) in
            guard let text = element.element("text") else { throw TEIReadError(element, "<TEI> has no <text>") }
            let header = element.element("teiHeader")
            let fileDesc = header?.element("fileDesc")
            let idnos = [fileDesc?.element("publicationStmt"), fileDesc?.element("sourceDesc")].compactMap { $0 }
                .flatMap { TEIImporterSearch.all(in: $0, named: "idno") }
            let url = idnos.map(\.text).first { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
            let id = element.xmlAttribute("id") ?? (elements.count == 1 ? fileName : "\(fileName)-\(index + 1)")
            return DocumentRecord(externalID: id, title: fileDesc?.element("titleStmt")?.element("title").map { collapse($0.text) }, url: url,
                                  text: extract(text))
        }
    }

    /// The text of `node` by the rules above.
    static func extract(_ node: xmlNodePtr) -> String {
        var output = Output()
        walk(node, preserve: false, parent: nil, into: &output)
        return output.text
    }

    private struct Output {
        var text = ""
        var pendingBreak = false
        var pendingSpace = false
        /// The `join` of the last token written, while nothing else followed it.
        var lastTokenJoin: String??

        mutating func write(_ piece: String) {
            guard !piece.isEmpty else { return }
            if pendingBreak && !text.isEmpty { text += "\n" } else if pendingSpace && !text.isEmpty && !text.hasSuffix("\n") { text += " " }
            pendingBreak = false
            pendingSpace = false
            lastTokenJoin = nil
            text += piece
        }

        mutating func lineBreak() {
            text += "\n"
            pendingSpace = false
            lastTokenJoin = nil
        }
    }

    private static func walk(_ node: xmlNodePtr, preserve: Bool, parent: String?, into output: inout Output) {
        for child in node.children {
            switch child.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                let content = String(xmlChars: child.pointee.content) ?? ""
                if preserve { output.write(content); continue }
                let collapsed = collapse(content)
                let startsWithSpace = content.unicodeScalars.first.map(isSpace) ?? false
                let endsWithSpace = content.unicodeScalars.last.map(isSpace) ?? false
                if collapsed.isEmpty {
                    if !content.isEmpty && output.lastTokenJoin == nil { output.pendingSpace = true }
                    continue
                }
                if startsWithSpace { output.pendingSpace = true }
                output.write(collapsed)
                if endsWithSpace { output.pendingSpace = true }
            case XML_ELEMENT_NODE:
                let name = child.name
                guard child.namespace == TEIVocabulary.namespace || child.namespace == nil else { continue }
                if skipped.contains(name) { continue }
                let keeps = child.xmlAttribute("space").map { $0 == "preserve" } ?? preserve
                switch name {
                case "lb":
                    if child.attribute("break") != "no" { output.lineBreak() }
                case "pb", "cb", "milestone":
                    break
                case "choice":
                    let options = child.elements
                    if let chosen = options.first(where: { ["reg", "expan", "corr"].contains($0.name) }) ?? options.first {
                        walk(chosen, preserve: keeps, parent: name, into: &output)
                    }
                case "w", "pc":
                    let join = child.attribute("join")
                    if let previous = output.lastTokenJoin {
                        let touches = previous == "right" || previous == "both" || join == "left" || join == "both"
                        output.pendingSpace = !touches
                    }
                    walk(child, preserve: keeps, parent: name, into: &output)
                    output.lastTokenJoin = .some(join)
                default:
                    let isBlock = blocks.contains(name) || (name == "seg" && parent == "u")
                    if isBlock { output.pendingBreak = true; output.lastTokenJoin = nil }
                    walk(child, preserve: keeps, parent: name, into: &output)
                    if isBlock { output.pendingBreak = true; output.pendingSpace = false; output.lastTokenJoin = nil }
                }
            default:
                continue  // comments and processing instructions
            }
        }
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" }

    /// Runs of XML white space as one space, trimmed.
    static func collapse(_ text: String) -> String {
        var result = ""
        var inSpace = false
        for scalar in text.unicodeScalars {
            if isSpace(scalar) {
                inSpace = true
            } else {
                if inSpace && !result.isEmpty { result += " " }
                inSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Searches below an element.
enum TEIImporterSearch {
    /// All elements named `name` below `node`, in document order.
    static func all(in node: xmlNodePtr, named name: String) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        walk(node) { element in
            if element.name == name { result.append(element) }
            return true
        }
        return result
    }

    /// Visits the elements below `node` in document order while `visit` returns true.
    static func walk(_ node: xmlNodePtr, _ visit: (xmlNodePtr) -> Bool) {
        var stack = node.elements.reversed() as [xmlNodePtr]
        while let element = stack.popLast() {
            guard visit(element) else { return }
            stack.append(contentsOf: element.elements.reversed())
        }
    }
}
