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
        func tokens(of span: InterchangeSpan) -> [Int] { tokenIDs.indices.filter { span.start <= tokenIDs[$0].start && tokenIDs[$0].end <= span.end } }
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
            let stacked = document.spans.contains { $0.key != span.key && $0.label == span.label && !Set(tokens(of: $0)).isDisjoint(with: covered) }
            if covered.count > 1 || stacked { ids[span.key] = nextID; nextID += 1 }
        }
        func reference(_ key: String) -> String? {
            guard let span = spansByKey[key], let first = tokens(of: span).first else { return nil }
            return tokenIDs[first].id + (ids[key].map { "[\($0)]" } ?? "")
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
        for sentence in sentences {
            lines.append("#Text=" + String(String.UnicodeScalarView(scalars[sentence.start..<sentence.end])))
            for _ in sentence.tokens {
                let token = tokenIDs[tokenNumber]
                tokenNumber += 1
                let begin = try index.offset(fromCodePoint: token.start, to: .utf16), end = try index.offset(fromCodePoint: token.end, to: .utf16)
                var cells = [token.id, "\(begin)-\(end)", escape(String(String.UnicodeScalarView(scalars[token.start..<token.end])))]
                for type in layerOrder {
                    let here = document.spans.filter { $0.label == type && $0.start <= token.start && token.end <= $0.end && tokens(of: $0).contains(tokenNumber - 1) }
                    let features = layerFeatures[type] ?? []
                    // A layer whose only feature is a slot has no column of its own: its roles make the annotation.
                    for feature in (features.isEmpty && slotColumns[type] == nil ? [""] : features) {
                        cells.append(here.isEmpty ? "_" : here.map { span in
                            let value: String
                            if case .string(let text)? = span.attributes[feature] { value = escape(text) } else { value = "*" }
                            return value + (ids[span.key].map { "[\($0)]" } ?? "")
                        }.joined(separator: "|"))
                    }
                    if slotColumns[type] != nil {
                        let hosts = here.filter { tokens(of: $0).first == tokenNumber - 1 && slotLinks[$0.key] != nil }
                        cells.append(hosts.isEmpty ? "_" : hosts.map { (slotLinks[$0.key] ?? []).map { escape($0.role) }.joined(separator: ";") }.joined(separator: "|"))
                        cells.append(hosts.isEmpty ? "_" : hosts.map { (slotLinks[$0.key] ?? []).compactMap { reference($0.target) }.joined(separator: ";") }.joined(separator: "|"))
                    }
                }
                for type in chainOrder {
                    let links = document.spans.filter { $0.label == type && tokens(of: $0).contains(tokenNumber - 1) && linkNumbers[$0.key] != nil }
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
                    let here = plainRelations.filter { $0.type == type && spansByKey[$0.to].flatMap { tokens(of: $0).first } == tokenNumber - 1 }
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
            lines.append("")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
