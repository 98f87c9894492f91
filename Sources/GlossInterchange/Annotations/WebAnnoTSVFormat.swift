import Foundation
import GlossCore
import GlossIO
import GlossStore

/// WebAnno TSV 3.x as INCEpTION writes it (`#FORMAT=WebAnno TSV 3.3`), read only for now.
///
/// The text is rebuilt from the `#Text=` lines, each sentence placed at its first token's offset (gaps filled
/// with line breaks); offsets count UTF-16 code units. Span layers (`#T_SP`) give spans labelled with the layer's
/// type name, their features as attributes: stacked annotations (`a|b`), multi-token ones (`a[3]` on each token)
/// and escaped characters (`\|`, `\_`, `\*`, `\[`, `\]`, `\\`, `\;`, `\t`, `\n`, `\->`) are read. Relation
/// layers (`#T_RL`, governor column `BT_…`, disambiguated as `1-3[1_3]`) give relations from the governor's to
/// the dependent's base annotation, their features in the note; slot features (`ROLE_…` with a target column)
/// give relations `TYPE:ROLE` from the host to each target. Chain layers (`#T_CH`, coreference) give one span per
/// link, with the attributes `chain` (its number), `referenceType` and `referenceRelation`, and a relation
/// `TYPE:next` from each link to the next of its chain.
public enum WebAnnoTSVFormat {
    private enum Column {
        case feature(layer: Int, name: String)
        case slotRoles(layer: Int, name: String)
        case slotTargets(layer: Int, type: String)
        case relationFeature(layer: Int, name: String)
        case governor(layer: Int, base: String)
        case chain(type: String, name: String)
    }

    /// An annotation being collected over its tokens.
    private struct Pending {
        var type: String
        var start: Int
        var end: Int
        var features: [String: JSONValue] = [:]
        var line: Int
    }

    /// Splits `text` at unescaped `separator`s.
    static func split(_ text: Substring, at separator: Unicode.Scalar) -> [Substring] {
        // By scalars: a combining mark after the separator must not hide it.
        var parts: [Substring] = [], start = text.startIndex, escaped = false
        var index = text.unicodeScalars.startIndex
        while index < text.unicodeScalars.endIndex {
            let scalar = text.unicodeScalars[index]
            if escaped { escaped = false } else if scalar == "\\" { escaped = true } else if scalar == separator {
                parts.append(Substring(text.unicodeScalars[start..<index]))
                start = text.unicodeScalars.index(after: index)
            }
            index = text.unicodeScalars.index(after: index)
        }
        parts.append(Substring(text.unicodeScalars[start...]))
        return parts
    }

    /// A cell value without its escapes.
    static func unescape(_ value: Substring) -> String {
        var result = String.UnicodeScalarView(), escaped = false
        for scalar in value.unicodeScalars {
            if escaped {
                switch scalar {
                case "t": result.append("\t")
                case "n": result.append("\n")
                case "r": result.append("\r")
                default: result.append(scalar)
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Whether the scalar at `index` is escaped (an odd number of backslashes before it).
    static func isEscaped(_ text: Substring, at index: Substring.UnicodeScalarView.Index) -> Bool {
        var count = 0, position = index
        while position > text.unicodeScalars.startIndex {
            position = text.unicodeScalars.index(before: position)
            guard text.unicodeScalars[position] == "\\" else { break }
            count += 1
        }
        return count % 2 == 1
    }

    /// A stacked item `value[3]` as (value, "3"), or (value, nil).
    static func disambiguated(_ item: Substring) -> (value: Substring, id: String?) {
        let scalars = item.unicodeScalars
        guard scalars.last == "]", let open = scalars.lastIndex(of: "["), !isEscaped(item, at: open),
              !isEscaped(item, at: scalars.index(before: scalars.endIndex)) else { return (item, nil) }
        let id = String(scalars[scalars.index(after: open)..<scalars.index(before: scalars.endIndex)])
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "_" }) else { return (item, nil) }
        return (Substring(scalars[..<open]), id)
    }

    /// Whether a raw cell item (before unescaping) is WebAnno's "annotation without a value" or "nothing".
    static func isPlaceholder(_ raw: Substring) -> Bool { raw == "*" || raw == "_" }

    public static func read(_ file: InputFile) throws -> InterchangeDocument {
        func fail(_ line: Int, _ message: String) -> GlossError { GlossError(.badData, message, at: SourceLocation(file: file.path, line: line)) }
        let lines = BratFormat.lines(file.text)
        guard let first = lines.first, first.hasPrefix("#FORMAT=WebAnno TSV 3") else {
            throw fail(1, "not WebAnno TSV 3: the first line must be #FORMAT=WebAnno TSV 3.x")
        }
        var columns: [Column] = []
        var layerTypes: [String] = []
        var textUnits = 0
        var text = ""
        var units: [UInt16] = []
        var sentence: [String] = []
        var tokens: [String: (start: Int, end: Int)] = [:]
        var pending: [String: Pending] = [:]
        var order: [String] = []
        var relations: [(type: String, governor: String, dependent: String, features: [String: String], line: Int)] = []
        var slots: [(host: String, type: String, slot: String, target: String, line: Int)] = []
        // Hosts whose slot links were read (on their first token).
        var linkedHosts: Set<String> = []
        // Chain links in order of appearance: layer, chain, link number, key.
        var chainLinks: [(type: String, chain: Int, number: Int, key: String, line: Int)] = []
        // The annotations of each layer on each token, by their keys, for relations and slots.
        var onToken: [String: [String: [String]]] = [:]
        for (number, line) in lines.enumerated().dropFirst() {
            let lineNumber = number + 1
            if line.hasPrefix("#T_SP=") || line.hasPrefix("#T_RL=") || line.hasPrefix("#T_CH=") {
                let entries = line.dropFirst(6).split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                guard let type = entries.first, !type.isEmpty else { throw fail(lineNumber, "a layer declaration names no type") }
                let layer = layerTypes.count
                layerTypes.append(type)
                let features = Array(entries.dropFirst())
                switch line.prefix(6) {
                case "#T_CH=":
                    columns += features.map { .chain(type: type, name: $0) }
                case "#T_RL=":
                    for feature in features {
                        if feature.hasPrefix("BT_") { columns.append(.governor(layer: layer, base: String(feature.dropFirst(3)))) } else { columns.append(.relationFeature(layer: layer, name: feature)) }
                    }
                default:
                    var index = 0
                    if features.isEmpty || features == [""] { columns.append(.feature(layer: layer, name: "")) }
                    while index < features.count, !(features == [""]) {
                        let feature = features[index]
                        if feature.hasPrefix("ROLE_") {
                            columns.append(.slotRoles(layer: layer, name: feature))
                            guard index + 1 < features.count else { throw fail(lineNumber, "the slot feature \(feature) has no target type after it") }
                            columns.append(.slotTargets(layer: layer, type: features[index + 1]))
                            index += 2
                        } else {
                            columns.append(.feature(layer: layer, name: feature))
                            index += 1
                        }
                    }
                }
                continue
            }
            if line.hasPrefix("#Text=") {
                sentence.append(unescape(line.dropFirst(6)))  // INCEpTION escapes backslashes, tabs and line breaks here
                continue
            }
            if line.hasPrefix("#") || line.isEmpty { continue }
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cells.count >= 3 + columns.count else {
                throw fail(lineNumber, "a token line needs ID, BEGIN-END, the token and \(columns.count) annotation columns; it has \(cells.count) cells")
            }
            let tokenID = String(cells[0])
            let range = cells[1].split(separator: "-").map { Int($0) }
            guard range.count == 2, let begin = range[0], let end = range[1], begin >= 0, begin <= end else { throw fail(lineNumber, "the offsets must be BEGIN-END") }
            guard tokens[tokenID] == nil else { throw fail(lineNumber, "token \(tokenID) appears twice") }
            if !sentence.isEmpty {
                // A new sentence starts at its first token: place its text there.
                if begin < textUnits { throw fail(lineNumber, "the sentence starts at \(begin), inside the text before it") }
                guard begin - textUnits <= 1 << 20 else { throw fail(lineNumber, "the sentence starts at \(begin), more than a million units after the text before it") }
                text += String(repeating: "\n", count: begin - textUnits)
                units += [UInt16](repeating: 0x0A, count: begin - textUnits)
                let joined = sentence.joined(separator: "\n")
                text += joined
                units += joined.utf16
                textUnits = begin + joined.utf16.count
                sentence = []
            }
            // The token as the file records it (raw: INCEpTION does not escape tokens) must be what its offsets
            // cover in the rebuilt text.
            guard end <= units.count else { throw fail(lineNumber, "token \(tokenID) ends at \(end), after its sentence's text") }
            let covered = String(decoding: units[begin..<end], as: UTF16.self)
            if covered != String(cells[2]) {
                throw fail(lineNumber, "token \(tokenID) is \"\(cells[2])\" but [\(begin), \(end)) of the sentence text is \"\(covered)\"")
            }
            tokens[tokenID] = (begin, end)
            for (offset, column) in columns.enumerated() {
                let cell = cells[3 + offset]
                guard cell != "_" else { continue }
                let items = split(cell, at: "|")
                switch column {
                case .feature(let layer, let name):
                    for (position, item) in items.enumerated() {
                        let (value, id) = disambiguated(item)
                        let key = id.map { "\(layer):\($0)" } ?? "\(layer):\(tokenID)#\(position)"
                        if pending[key] == nil {
                            pending[key] = Pending(type: layerTypes[layer], start: begin, end: end, line: lineNumber)
                            order.append(key)
                            onToken[tokenID, default: [:]][layerTypes[layer], default: []].append(key)
                        } else if !(onToken[tokenID]?[layerTypes[layer]]?.contains(key) ?? false) {
                            onToken[tokenID, default: [:]][layerTypes[layer], default: []].append(key)
                        }
                        var annotation = pending[key] ?? Pending(type: layerTypes[layer], start: begin, end: end, line: lineNumber)
                        annotation.end = max(annotation.end, end)
                        if !name.isEmpty, !isPlaceholder(value) { annotation.features[name] = .string(unescape(value)) }
                        pending[key] = annotation
                    }
                case .slotRoles, .slotTargets:
                    continue  // read with their targets below
                case .relationFeature, .governor:
                    continue  // read below, when every span of the token is known
                case .chain:
                    continue  // read below, both columns together
                }
            }
            // Slots: the roles column and the targets column of a layer, per stacked host.
            for (offset, column) in columns.enumerated() {
                guard case .slotRoles(let layer, let entry) = column, offset + 1 < columns.count, case .slotTargets(_, let targetType) = columns[offset + 1] else { continue }
                let roles = cells[3 + offset], targets = cells[4 + offset]
                guard roles != "_", targets != "_" else { continue }
                var hosts = onToken[tokenID]?[layerTypes[layer]] ?? []
                if hosts.isEmpty {
                    // A layer whose only feature is the slot: the roles make the host annotation on this token.
                    let key = "\(layer):\(tokenID)#0"
                    pending[key] = Pending(type: layerTypes[layer], start: begin, end: end, line: lineNumber)
                    order.append(key)
                    onToken[tokenID, default: [:]][layerTypes[layer], default: []].append(key)
                    hosts = [key]
                }
                let roleItems = split(roles, at: "|"), targetItems = split(targets, at: "|")
                guard roleItems.count == targetItems.count else { throw fail(lineNumber, "the slot columns hold \(roleItems.count) role and \(targetItems.count) target entries") }
                for (position, (roleItem, targetItem)) in zip(roleItems, targetItems).enumerated() {
                    // INCEpTION appends the host's [id] to its roles; a host without links writes "_" or "*".
                    let (hostRoles, hostID) = disambiguated(roleItem)
                    guard !isPlaceholder(hostRoles), !isPlaceholder(targetItem) else { continue }
                    let host = hostID.flatMap { id in hosts.first { $0.hasSuffix(":\(id)") } } ?? (position < hosts.count ? hosts[position] : nil)
                    guard let host else { throw fail(lineNumber, "the slot entry \(roleItem) has no host annotation on token \(tokenID)") }
                    guard linkedHosts.insert(host).inserted else { continue }  // a multi-token host repeats its links on every token
                    let roleList = split(hostRoles, at: ";"), targetList = split(targetItem, at: ";")
                    guard roleList.count == targetList.count else { throw fail(lineNumber, "the slot entry has \(roleList.count) roles for \(targetList.count) targets") }
                    for (role, target) in zip(roleList, targetList) {
                        slots.append((host, "\(layerTypes[layer]):\(unescape(role))", "\(entry)|\(targetType)", "\(targetType)@\(target)", lineNumber))
                    }
                }
            }
            // Chains: `TYPE[chain]` in referenceType and `RELATION->chain-link` in referenceRelation, stacked alike.
            var chainCells: [String: (types: [Substring], relations: [Substring])] = [:]
            for (offset, column) in columns.enumerated() {
                guard case .chain(let type, let name) = column else { continue }
                let cell = cells[3 + offset]
                let items = cell == "_" ? [] : split(cell, at: "|")
                if name == "referenceType" { chainCells[type, default: ([], [])].types = items } else { chainCells[type, default: ([], [])].relations = items }
            }
            for (type, cell) in chainCells.sorted(by: { $0.key < $1.key }) {
                for (position, relation) in cell.relations.enumerated() {
                    guard let arrow = relation.ranges(of: "->").last(where: { !isEscaped(relation, at: $0.lowerBound) }) else {
                        throw fail(lineNumber, "a chain link is RELATION->CHAIN-LINK, not \(relation)")
                    }
                    let link = relation[arrow.upperBound...].split(separator: "-")
                    guard link.count == 2, let chain = Int(link[0]), let number = Int(link[1]) else { throw fail(lineNumber, "a chain link is RELATION->CHAIN-LINK, not \(relation)") }
                    let key = "\(type)#chain:\(chain)-\(number)"
                    var annotation = pending[key] ?? Pending(type: type, start: begin, end: end, line: lineNumber)
                    if pending[key] == nil {
                        order.append(key)
                        onToken[tokenID, default: [:]][type, default: []].append(key)
                        let value = position < cell.types.count ? disambiguated(cell.types[position]).value : "*"
                        if !isPlaceholder(value) { annotation.features["referenceType"] = .string(unescape(value)) }
                        let label = relation[..<arrow.lowerBound]
                        if !isPlaceholder(label) { annotation.features["referenceRelation"] = .string(unescape(label)) }
                        annotation.features["chain"] = .string(String(chain))
                        chainLinks.append((type, chain, number, key, lineNumber))
                    }
                    annotation.end = max(annotation.end, end)
                    pending[key] = annotation
                }
            }
            // Relations: feature columns and the governor column of each relation layer.
            var relationLayers: [Int: (features: [(String, [Substring])], governor: [Substring], base: String)] = [:]
            for (offset, column) in columns.enumerated() {
                let cell = cells[3 + offset]
                switch column {
                case .relationFeature(let layer, let name):
                    relationLayers[layer, default: ([], [], "")].features.append((name, cell == "_" ? [] : split(cell, at: "|")))
                case .governor(let layer, let base):
                    relationLayers[layer, default: ([], [], "")].governor = cell == "_" ? [] : split(cell, at: "|")
                    relationLayers[layer]?.base = base
                default: continue
                }
            }
            for (layer, relation) in relationLayers.sorted(by: { $0.key < $1.key }) {
                for (position, governor) in relation.governor.enumerated() {
                    var features: [String: String] = [:]
                    for (name, values) in relation.features where position < values.count {
                        if !isPlaceholder(values[position]) { features[name] = unescape(values[position]) }
                    }
                    let (target, ids) = disambiguated(governor)
                    let parts = ids?.split(separator: "_").map(String.init) ?? []
                    relations.append((layerTypes[layer], "\(relation.base)@\(target)" + (parts.count == 2 ? "[\(parts[0])]" : ""),
                                      "\(relation.base)@\(tokenID)" + (parts.count == 2 ? "[\(parts[1])]" : ""), features, lineNumber))
                }
            }
        }
        // Resolves TYPE@TOKEN[ID] to an annotation key.
        func resolve(_ reference: String, line: Int) throws -> String {
            guard let at = reference.lastIndex(of: "@") else { throw fail(line, "\(reference) names no token") }
            let type = String(reference[..<at])
            let (token, id) = disambiguated(reference[reference.index(after: at)...])
            let candidates = onToken[String(token)]?[type] ?? []
            if let id, id != "0" {
                guard let key = candidates.first(where: { $0.hasSuffix(":\(id)") }) else { throw fail(line, "no \(type) annotation [\(id)] on token \(token)") }
                return key
            }
            guard let key = candidates.first else { throw fail(line, "no \(type) annotation on token \(token)") }
            return key
        }
        let index = TextIndex(text)
        var document = InterchangeDocument(id: ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension, text: text,
                                           location: SourceLocation(file: file.path))
        for key in order {
            guard let annotation = pending[key] else { continue }
            let span: TextSpan
            do { span = try index.span(start: annotation.start, end: annotation.end, in: .utf16) } catch {
                throw fail(annotation.line, "\(annotation.type) [\(annotation.start), \(annotation.end)) (UTF-16 units): \(error)")
            }
            document.spans.append(InterchangeSpan(key: key, label: annotation.type, start: span.start, end: span.end, attributes: annotation.features, line: annotation.line))
        }
        for (number, relation) in relations.enumerated() {
            let note = relation.features.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            document.relations.append(InterchangeRelation(key: "r\(number)", type: relation.type, from: try resolve(relation.governor, line: relation.line),
                                                          to: try resolve(relation.dependent, line: relation.line), note: note.isEmpty ? nil : note, line: relation.line))
        }
        // Each chain's links, in link order, follow one another.
        let chains = Dictionary(grouping: chainLinks) { "\($0.type)#\($0.chain)" }
        for key in chains.keys.sorted() {
            let links = (chains[key] ?? []).sorted { $0.number < $1.number }
            for (from, to) in zip(links, links.dropFirst()) {
                document.relations.append(InterchangeRelation(key: "c\(from.key)", type: "\(from.type):next", from: from.key, to: to.key, line: to.line))
            }
        }
        for (number, slot) in slots.enumerated() {
            document.relations.append(InterchangeRelation(key: "s\(number)", type: slot.type, from: slot.host, to: try resolve(slot.target, line: slot.line),
                                                          note: "slot=\(slot.slot)", line: slot.line))
        }
        return document
    }
}
