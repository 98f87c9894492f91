import GlossCore

extension WebAnnoTSVFormat {
    /// A value escaped as WebAnno TSV 3.3 escapes cell values.
    static func escape(_ value: String) -> String {
        if value == "_" || value == "*" { return "\\" + value }
        var result = ""
        var scalars = Array(value.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            switch scalar {
            case "\\", "[", "]", "|", "_", ";", "*": result += "\\" + String(scalar)
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "-" where scalars.first == ">": result += "\\-"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Sentence text as INCEpTION writes it after `#Text=`: backslashes, tabs, line feeds and carriage returns
    /// escaped (Java escapes, which INCEpTION's reader undoes).
    static func escapeText(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The document as WebAnno TSV 3.3: each line of the text a sentence, tokens split at white space and at
    /// every span boundary (so that each span covers whole tokens), offsets in UTF-16 units. Spans become span
    /// layers named by their labels, attributes their features; relations become relation layers (features from
    /// their notes, `k=v; …`) on the dependent's first token; `TYPE:ROLE` relations that came from slot features
    /// become slot columns again, and spans with a `chain` attribute linked by `TYPE:next` relations chain layers.
/// Spans on white space alone have no token and are left out.
    public static func export(_ document: InterchangeDocument) throws -> String {
        let scalars = Array(document.text.unicodeScalars)
        let index = TextIndex(document.text)
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" || scalar == "\r" || scalar.properties.isWhitespace && scalar != "\n" }
        var boundaries = Set<Int>()
        for span in document.spans { boundaries.insert(span.start); boundaries.insert(span.end) }
        // Tokens per line.
        var sentences: [(start: Int, end: Int, tokens: [(start: Int, end: Int)])] = []
        var lineStart = 0
        for position in 0...scalars.count where position == scalars.count || scalars[position] == "\n" {
            var tokens: [(Int, Int)] = []
            var tokenStart: Int?
            for offset in lineStart..<position {
                if boundaries.contains(offset), let start = tokenStart, start < offset { tokens.append((start, offset)); tokenStart = nil }
                if isSpace(scalars[offset]) {
                    if let start = tokenStart { tokens.append((start, offset)); tokenStart = nil }
                } else if tokenStart == nil {
                    tokenStart = offset
                }
            }
            if let start = tokenStart { tokens.append((start, position)) }
            if let first = tokens.first { sentences.append((first.0, position, tokens)) }
            lineStart = position + 1
        }
        var tokenIDs: [(id: String, start: Int, end: Int)] = []
        for (number, sentence) in sentences.enumerated() {
            for (position, token) in sentence.tokens.enumerated() { tokenIDs.append(("\(number + 1)-\(position + 1)", token.start, token.end)) }
        }
        // The tokens each span covers (tokens are sorted; a binary search finds the first).
        func firstToken(atOrAfter position: Int) -> Int {
            var low = 0, high = tokenIDs.count
            while low < high {
                let middle = (low + high) / 2
                if tokenIDs[middle].start < position { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var coveredTokens: [String: [Int]] = [:]
        for span in document.spans {
            var covered: [Int] = []
            var token = firstToken(atOrAfter: span.start)
            while token < tokenIDs.count, tokenIDs[token].end <= span.end { covered.append(token); token += 1 }
            coveredTokens[span.key] = covered
        }
        func tokens(of span: InterchangeSpan) -> [Int] { coveredTokens[span.key] ?? [] }
        // The spans on each token, in document order.
        var spansOnToken: [[InterchangeSpan]] = Array(repeating: [], count: tokenIDs.count)
        for span in document.spans { for token in tokens(of: span) { spansOnToken[token].append(span) } }
        let spansByKey = Dictionary(document.spans.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        // Slot relations: note "slot=ROLE_…|TARGETTYPE".
        var slotColumns: [String: (entry: String, targetType: String)] = [:]
        var slotLinks: [String: [(role: String, target: String)]] = [:]
        var relationLayers: [String: (features: [String], base: String)] = [:]
        var relationOrder: [String] = []
        var plainRelations: [InterchangeRelation] = []
        // Chain layers: spans with a `chain` attribute; their links follow `TYPE:next` relations.
        let chainTypes = Set(document.spans.filter { $0.attributes["chain"] != nil }.map(\.label))
        var next: [String: String] = [:], hasPrevious: Set<String> = []
        for relation in document.relations {
            if let from = spansByKey[relation.from], chainTypes.contains(from.label), relation.type == from.label + ":next" {
                next[relation.from] = relation.to
                hasPrevious.insert(relation.to)
            }
        }
        var linkNumbers: [String: (chain: String, number: Int)] = [:]
        for span in document.spans where chainTypes.contains(span.label) && !hasPrevious.contains(span.key) {
            guard case .string(let chain)? = span.attributes["chain"] else { continue }
            var key: String? = span.key, number = 1
            while let current = key, linkNumbers[current] == nil {
                linkNumbers[current] = (chain, number)
                number += 1
                key = next[current]
            }
        }
        var chainOrder: [String] = []
        for span in document.spans where chainTypes.contains(span.label) && !chainOrder.contains(span.label) { chainOrder.append(span.label) }
        for relation in document.relations {
            if let from = spansByKey[relation.from], chainTypes.contains(from.label), relation.type == from.label + ":next" { continue }
            if let note = relation.note, note.hasPrefix("slot="), let host = spansByKey[relation.from], relation.type.hasPrefix(host.label + ":") {
                let parts = note.dropFirst(5).split(separator: "|", maxSplits: 1).map(String.init)
                if parts.count == 2 { slotColumns[host.label] = (parts[0], parts[1]) }
                slotLinks[relation.from, default: []].append((String(relation.type.dropFirst(host.label.count + 1)), relation.to))
                continue
            }
            plainRelations.append(relation)
            let features = (relation.note ?? "").split(separator: ";").compactMap { $0.split(separator: "=", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces) } }
            if relationLayers[relation.type] == nil { relationOrder.append(relation.type); relationLayers[relation.type] = ([], spansByKey[relation.to]?.label ?? "") }
            for feature in features where !(relationLayers[relation.type]?.features.contains(feature) ?? true) { relationLayers[relation.type]?.features.append(feature) }
        }
        // Span layers in order of first use, their features sorted.
        var layerOrder: [String] = []
        var layerFeatures: [String: [String]] = [:]
        for span in document.spans where !chainTypes.contains(span.label) {
            if layerFeatures[span.label] == nil { layerOrder.append(span.label); layerFeatures[span.label] = [] }
            for name in span.attributes.keys where !(layerFeatures[span.label]?.contains(name) ?? true) { layerFeatures[span.label]?.append(name) }
        }
        for type in layerOrder { layerFeatures[type]?.sort() }
        // Disambiguation ids: for spans over several tokens or stacked with another of their layer.
        var ids: [String: Int] = [:]
        var nextID = 1
        for span in document.spans where !chainTypes.contains(span.label) {
            let covered = tokens(of: span)
            let stacked = covered.contains { token in spansOnToken[token].contains { $0.key != span.key && $0.label == span.label } }
            if covered.count > 1 || stacked { ids[span.key] = nextID; nextID += 1 }
        }
        func reference(_ key: String) -> String? {
            guard let span = spansByKey[key], let first = tokens(of: span).first else { return nil }
            return tokenIDs[first].id + (ids[key].map { "[\($0)]" } ?? "")
        }
        for name in layerOrder + chainOrder + relationOrder + layerFeatures.values.flatMap({ $0 }) + relationLayers.values.flatMap(\.features)
            where name.unicodeScalars.contains(where: { $0 == "|" || $0 == "\t" || $0 == "\n" }) || name.hasPrefix("ROLE_") || name.hasPrefix("BT_") {
            throw GlossError(.badData, "document \"\(document.id)\": the layer or feature name \"\(name)\" cannot be written in a WebAnno TSV header")
        }
        for relation in plainRelations {
            let (source, target) = (spansByKey[relation.from]?.label, spansByKey[relation.to]?.label)
            if source != target || target != relationLayers[relation.type]?.base {
                throw GlossError(.badData, "document \"\(document.id)\": relation \(relation.type) links \(source ?? "?") to \(target ?? "?"); WebAnno TSV needs every relation of a layer between spans of one layer")
            }
        }
        // Relations sit on their dependent's first token.
        var relationsOnToken: [Int: [InterchangeRelation]] = [:]
        for relation in plainRelations {
            if let first = spansByKey[relation.to].flatMap({ tokens(of: $0).first }) { relationsOnToken[first, default: []].append(relation) }
        }
        var lines = ["#FORMAT=WebAnno TSV 3.3"]
        for type in layerOrder {
            var entries = [type] + (layerFeatures[type] ?? [])
            if let slot = slotColumns[type] { entries += [slot.entry, slot.targetType] }
            lines.append("#T_SP=" + entries.joined(separator: "|") + (entries.count == 1 ? "|" : ""))
        }
        for type in chainOrder { lines.append("#T_CH=\(type)|referenceRelation|referenceType") }
        for type in relationOrder {
            guard let layer = relationLayers[type] else { continue }
            lines.append("#T_RL=" + ([type] + layer.features + ["BT_" + layer.base]).joined(separator: "|"))
        }
        lines += ["", ""]
        var tokenNumber = 0
        // As INCEpTION writes it: two empty lines after the header, one before every later sentence, and the file
        // ends with the last token line's line feed (an empty line at the end reads as a sentence without a header).
        for (number, sentence) in sentences.enumerated() {
            if number > 0 { lines.append("") }
            lines.append("#Text=" + escapeText(String(String.UnicodeScalarView(scalars[sentence.start..<sentence.end]))))
            for _ in sentence.tokens {
                let token = tokenIDs[tokenNumber]
                tokenNumber += 1
                let begin = try index.offset(fromCodePoint: token.start, to: .utf16), end = try index.offset(fromCodePoint: token.end, to: .utf16)
                var cells = [token.id, "\(begin)-\(end)", String(String.UnicodeScalarView(scalars[token.start..<token.end]))]
                for type in layerOrder {
                    let here = spansOnToken[tokenNumber - 1].filter { $0.label == type }
                    let features = layerFeatures[type] ?? []
                    // A layer whose only feature is a slot has no column of its own: its roles make the annotation.
                    for feature in (features.isEmpty && slotColumns[type] == nil ? [""] : features) {
                        cells.append(here.isEmpty ? "_" : here.map { span in
                            let value: String
                            switch span.attributes[feature] {
                            case .string(let text)?: value = escape(text)
                            case let other?: value = escape(other.canonicalJSON)
                            case nil: value = "*"
                            }
                            return value + (ids[span.key].map { "[\($0)]" } ?? "")
                        }.joined(separator: "|"))
                    }
                    if slotColumns[type] != nil {
                        // One entry per host on the token, in the order of the span cells, with the host's [id]; links
                        // only on a host's first token.
                        let entries = here.map { host -> (roles: String, targets: String) in
                            guard tokens(of: host).first == tokenNumber - 1, let links = slotLinks[host.key], !links.isEmpty else { return ("_", "_") }
                            return (links.map { escape($0.role) }.joined(separator: ";") + (ids[host.key].map { "[\($0)]" } ?? ""),
                                    links.compactMap { reference($0.target) }.joined(separator: ";"))
                        }
                        let hasLinks = entries.contains { $0.roles != "_" }
                        cells.append(hasLinks ? entries.map(\.roles).joined(separator: "|") : "_")
                        cells.append(hasLinks ? entries.map(\.targets).joined(separator: "|") : "_")
                    }
                }
                for type in chainOrder {
                    let links = spansOnToken[tokenNumber - 1].filter { $0.label == type && linkNumbers[$0.key] != nil }
                    cells.append(links.isEmpty ? "_" : links.map { link in
                        let relation: String
                        if case .string(let value)? = link.attributes["referenceRelation"] { relation = escape(value) } else { relation = "*" }
                        return "\(relation)->\(linkNumbers[link.key]?.chain ?? "0")-\(linkNumbers[link.key]?.number ?? 0)"
                    }.joined(separator: "|"))
                    cells.append(links.isEmpty ? "_" : links.map { link in
                        let value: String
                        if case .string(let text)? = link.attributes["referenceType"] { value = escape(text) } else { value = "*" }
                        return "\(value)[\(linkNumbers[link.key]?.chain ?? "0")]"
                    }.joined(separator: "|"))
                }
                for type in relationOrder {
                    guard let layer = relationLayers[type] else { continue }
                    let here = (relationsOnToken[tokenNumber - 1] ?? []).filter { $0.type == type }
                    for feature in layer.features {
                        cells.append(here.isEmpty ? "_" : here.map { relation in
                            let pairs = (relation.note ?? "").split(separator: ";").map { $0.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) } }
                            return pairs.first { $0.first == feature && $0.count == 2 }.map { escape($0[1]) } ?? "*"
                        }.joined(separator: "|"))
                    }
                    cells.append(here.isEmpty ? "_" : here.map { relation in
                        guard let source = spansByKey[relation.from], let first = tokens(of: source).first else { return "_" }
                        let governorID = ids[relation.from], dependentID = ids[relation.to]
                        return tokenIDs[first].id + (governorID != nil || dependentID != nil ? "[\(governorID ?? 0)_\(dependentID ?? 0)]" : "")
                    }.joined(separator: "|"))
                }
                lines.append(cells.joined(separator: "\t") + "\t")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
