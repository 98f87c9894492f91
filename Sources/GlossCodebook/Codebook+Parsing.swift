import GlossCore
import Yams

extension Codebook {
    /// Parses and checks a codebook, reporting every problem at once with its line and column.
    public static func parse(_ yaml: String, file: String) throws(CodebookError) -> Codebook {
        let reader = CodebookReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw CodebookError(problems: [problem(from: error, file: file)])
        } catch {
            throw CodebookError(problems: [CodebookProblem(location: SourceLocation(file: file), message: "cannot read the YAML: \(error)")])
        }
        guard let root else {
            throw CodebookError(problems: [CodebookProblem(location: SourceLocation(file: file), message: "the file is empty; a codebook needs id, version, title and layers")])
        }
        let codebook = reader.refuseOversizedTree(root) ? CodebookBuilder(reader: reader).build(root) : nil
        guard reader.problems.isEmpty, let codebook else {
            let sorted = reader.problems.sorted { ($0.location.line ?? 0, $0.location.column ?? 0) < ($1.location.line ?? 0, $1.location.column ?? 0) }
            throw CodebookError(problems: sorted)
        }
        return codebook
    }

    private static func problem(from error: YamlError, file: String) -> CodebookProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return CodebookProblem(location: SourceLocation(file: file, line: mark.line, column: mark.column), message: "invalid YAML: \(problem)")
        case .reader(let problem, let offset, _, let yaml):
            // offset is a byte offset into the YAML text; report its line and code-point column.
            var line = 1, column = 1, seen = 0
            for scalar in yaml.unicodeScalars {
                if let offset, seen >= offset { break }
                seen += UTF8.width(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            }
            return CodebookProblem(location: SourceLocation(file: file, line: offset == nil ? nil : line, column: offset == nil ? nil : column),
                                   message: "invalid YAML: \(problem); remove control characters and save the file as UTF-8")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return CodebookProblem(location: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                                   message: "duplicate keys \(duplicates.joined(separator: ", ")) in one mapping")
        default:
            return CodebookProblem(location: SourceLocation(file: file), message: "invalid YAML: \(error)")
        }
    }
}

/// Builds the model from the node tree, reporting problems to the reader.
private struct CodebookBuilder {
    let reader: CodebookReader

    func build(_ root: Node) -> Codebook? {
        guard let top = reader.mapping(root, allowed: ["id", "version", "title", "description", "code_lists", "layers", "migrations"], what: "the codebook") else { return nil }
        let id = required("id", in: top, at: root).flatMap { reader.identifier($0, what: "codebook id") }
        let version = required("version", in: top, at: root).flatMap { reader.integer($0, what: "version", minimum: 1, maximum: 1_000_000) }
        let title = required("title", in: top, at: root).flatMap { reader.text($0, what: "title") }
        let description = top["description"].flatMap { reader.text($0.value, what: "description") }

        var codeLists: [String: CodeTree] = [:]
        if let entry = top["code_lists"], case .mapping(let lists) = entry.value {
            for (key, value) in lists {
                guard let name = reader.identifier(key, what: "code list id") else { continue }
                if let tree = codeTree(value, what: "code list \(name)") { codeLists[name] = tree }
            }
        } else if let entry = top["code_lists"] {
            reader.report("code_lists must map list ids to lists of codes", at: entry.value)
        }

        var layers: [Layer] = []
        var layerNodes: [(Layer, Node)] = []
        if let node = required("layers", in: top, at: root), let items = reader.sequence(node, what: "layers") {
            if items.isEmpty { reader.report("layers is empty; a codebook needs at least one layer", at: node) }
            for item in items {
                guard let layer = self.layer(item, codeLists: codeLists) else { continue }
                if layers.contains(where: { $0.id == layer.id }) {
                    reader.report("layer '\(layer.id)' is defined twice; layer ids must be unique", at: item)
                    continue
                }
                layers.append(layer)
                layerNodes.append((layer, item))
            }
        }
        // span_ref targets can only be checked once every layer is known.
        for (layer, node) in layerNodes {
            for feature in layer.features {
                if case .spanReference(let target) = feature.kind, !layers.contains(where: { $0.id == target }) {
                    reader.report("feature '\(feature.id)' of layer '\(layer.id)' refers to layer '\(target)', which this codebook does not define; layers: \(layers.map(\.id).joined(separator: ", "))", at: node)
                }
            }
        }

        var migrations: [Migration] = []
        if let entry = top["migrations"], let items = reader.sequence(entry.value, what: "migrations") {
            if version == 1 { reader.report("version 1 has no previous version to migrate from; remove migrations or raise the version", at: entry.key) }
            for item in items {
                if let migration = migration(item, layers: layers) { migrations.append(migration) }
            }
        }
        guard let id, let version, let title else { return nil }
        return Codebook(id: id, version: version, title: title, description: description, layers: layers, migrations: migrations)
    }

    private func required(_ key: String, in entries: [String: (key: Node, value: Node)], at node: Node) -> Node? {
        guard let entry = entries[key] else {
            reader.report("missing '\(key)'", at: node)
            return nil
        }
        return entry.value
    }

    // MARK: Codes

    private func codeTree(_ node: Node, what: String) -> CodeTree? {
        guard let items = reader.sequence(node, what: what) else { return nil }
        if items.isEmpty {
            reader.report("\(what) has no codes; list at least one", at: node)
            return nil
        }
        var seen: Set<String> = []
        var tooDeep = false
        let roots = items.compactMap { code($0, level: 1, seen: &seen, tooDeep: &tooDeep) }
        let tree = CodeTree(roots)
        if !roots.isEmpty && tree.codableIDs.isEmpty {
            reader.report("\(what) has no codable code; every code is a grouping node (codable: false)", at: node)
        }
        return tree
    }

    /// The code at `node`, `level` levels down its tree (the roots are level 1), with its children.
    ///
    /// A code below `CodeTree.maximumCodeDepth` levels is reported once per tree (`tooDeep` records it) and
    /// nothing under it is read, so no deeper tree reaches the model.
    private func code(_ node: Node, level: Int, seen: inout Set<String>, tooDeep: inout Bool) -> Code? {
        guard level <= CodeTree.maximumCodeDepth else {
            if !tooDeep {
                reader.report("this code is nested \(level) levels deep; a code tree may have at most "
                    + "\(CodeTree.maximumCodeDepth) levels of codes", at: node)
                tooDeep = true
            }
            return nil
        }
        guard let entries = reader.mapping(node, allowed: ["id", "label", "definition", "include", "exclude", "examples", "codable", "color", "guid", "codes"], what: "a code") else { return nil }
        let id = required("id", in: entries, at: node).flatMap { reader.identifier($0, what: "code id") }
        let label = required("label", in: entries, at: node).flatMap { reader.text($0, what: "label") }
        if let id, !seen.insert(id).inserted {
            reader.report("code '\(id)' appears twice in this code tree; code ids must be unique within a tree", at: entries["id"]?.value)
        }
        var examples: [String] = []
        if let entry = entries["examples"] {
            if case .sequence(let items) = entry.value {
                examples = items.compactMap { reader.text($0, what: "an example") }
            } else if let one = reader.text(entry.value, what: "examples") {
                examples = [one]
            }
        }
        var children: [Code] = []
        if let entry = entries["codes"], let items = reader.sequence(entry.value, what: "codes") {
            if items.isEmpty { reader.report("codes is empty; remove it or list child codes", at: entry.value) }
            children = items.compactMap { code($0, level: level + 1, seen: &seen, tooDeep: &tooDeep) }
        }
        let isCodable = entries["codable"].flatMap { reader.boolean($0.value, what: "codable") } ?? true
        guard let id, let label else { return nil }
        return Code(id: id, label: label,
                    definition: entries["definition"].flatMap { reader.text($0.value, what: "definition") },
                    include: entries["include"].flatMap { reader.text($0.value, what: "include") },
                    exclude: entries["exclude"].flatMap { reader.text($0.value, what: "exclude") },
                    examples: examples,
                    isCodable: isCodable,
                    color: entries["color"].flatMap { reader.matching($0.value, what: "color", pattern: .color) },
                    guid: entries["guid"].flatMap { reader.matching($0.value, what: "guid", pattern: .guid) },
                    children: children)
    }

    // MARK: Layers

    private func layer(_ node: Node, codeLists: [String: CodeTree]) -> Layer? {
        guard let entries = reader.mapping(node, allowed: ["id", "label", "description", "scope", "overlap", "min_length", "max_length", "within", "features", "rules"], what: "a layer") else { return nil }
        guard let id = required("id", in: entries, at: node).flatMap({ reader.identifier($0, what: "layer id") }) else { return nil }
        let scope = entries["scope"].flatMap { reader.choice($0.value, what: "scope", choices: ["span", "document"]) }.flatMap(Layer.Scope.init) ?? .span
        if scope == .document {
            for key in ["min_length", "max_length", "within"] where entries[key] != nil {
                reader.report("'\(key)' does not apply to layer '\(id)': it has scope document (its annotations cover the whole text)", at: entries[key]?.key)
            }
        }
        let minimum = entries["min_length"].flatMap { reader.integer($0.value, what: "min_length", minimum: 1) }
        let maximum = entries["max_length"].flatMap { reader.integer($0.value, what: "max_length", minimum: 1) }
        if let minimum, let maximum, minimum > maximum {
            reader.report("min_length (\(minimum)) is greater than max_length (\(maximum))", at: entries["max_length"]?.value)
        }
        var features: [Feature] = []
        if let entry = entries["features"], let items = reader.sequence(entry.value, what: "features") {
            for item in items {
                guard let feature = feature(item, codeLists: codeLists, layer: id) else { continue }
                if features.contains(where: { $0.id == feature.id }) {
                    reader.report("feature '\(feature.id)' is defined twice in layer '\(id)'", at: item)
                    continue
                }
                features.append(feature)
            }
        }
        var layer = Layer(id: id, label: entries["label"].flatMap { reader.text($0.value, what: "label") },
                          description: entries["description"].flatMap { reader.text($0.value, what: "description") },
                          scope: scope,
                          allowsOverlap: entries["overlap"].flatMap { reader.choice($0.value, what: "overlap", choices: ["allow", "forbid"]) } != "forbid",
                          minimumLength: minimum, maximumLength: maximum,
                          within: entries["within"].flatMap { reader.choice($0.value, what: "within", choices: ["paragraph", "sentence"]) }.flatMap(Layer.Boundary.init),
                          features: features, rules: [])
        if let entry = entries["rules"], let items = reader.sequence(entry.value, what: "rules") {
            layer.rules = items.compactMap { rule($0, layer: layer) }
        }
        return layer
    }

    private static let keysByType: [String: [String]] = [
        "category": ["codes"], "categories": ["codes", "min", "max"], "ordinal": ["codes"],
        "integer": ["min", "max"], "number": ["min", "max"], "boolean": [], "text": ["max_length"], "span_ref": ["layer"],
    ]

    private func feature(_ node: Node, codeLists: [String: CodeTree], layer: String) -> Feature? {
        let common = ["id", "type", "required", "label", "description"]
        guard let entries = reader.mapping(node, allowed: common + ["codes", "min", "max", "max_length", "layer"], what: "a feature") else { return nil }
        let id = required("id", in: entries, at: node).flatMap { reader.identifier($0, what: "feature id") }
        let type = required("type", in: entries, at: node).flatMap {
            reader.choice($0, what: "type", choices: ["category", "categories", "ordinal", "integer", "number", "boolean", "text", "span_ref"])
        }
        guard let id, let type, let allowed = Self.keysByType[type] else { return nil }
        for (key, entry) in entries where !common.contains(key) && !allowed.contains(key) {
            reader.report("'\(key)' does not apply to feature '\(id)', which is \(type)\(allowed.isEmpty ? "" : "; it takes \(allowed.joined(separator: ", "))")", at: entry.key)
        }
        func tree() -> CodeTree? {
            guard let node = entries["codes"]?.value else {
                reader.report("feature '\(id)' is \(type) and needs codes: a list of codes, or the id of a code list", at: entries["type"]?.value)
                return nil
            }
            if case .scalar = node {
                guard let name = reader.identifier(node, what: "code list id") else { return nil }
                guard let tree = codeLists[name] else {
                    reader.report("feature '\(id)' uses code list '\(name)', which code_lists does not define; code lists: \(codeLists.keys.sorted().joined(separator: ", "))", at: node)
                    return nil
                }
                return tree
            }
            return codeTree(node, what: "the codes of feature \(id)")
        }
        let minimum = entries["min"], maximum = entries["max"]
        let kind: Feature.Kind
        switch type {
        case "category":
            guard let codes = tree() else { return nil }
            kind = .category(codes)
        case "categories":
            guard let codes = tree() else { return nil }
            let low = minimum.flatMap { reader.integer($0.value, what: "min", minimum: 0) }
            let high = maximum.flatMap { reader.integer($0.value, what: "max", minimum: 1) }
            if let low, let high, low > high { reader.report("min (\(low)) is greater than max (\(high))", at: maximum?.value) }
            kind = .categories(codes, minimum: low, maximum: high)
        case "ordinal":
            guard let codes = tree() else { return nil }
            if codes.roots.contains(where: { !$0.children.isEmpty }) {
                reader.report("ordinal feature '\(id)' needs a flat list of codes, lowest first; nested codes have no place on a scale", at: entries["codes"]?.value)
            }
            kind = .ordinal(codes)
        case "integer":
            let low = minimum.flatMap { reader.integer($0.value, what: "min") }
            let high = maximum.flatMap { reader.integer($0.value, what: "max") }
            if let low, let high, low > high { reader.report("min (\(low)) is greater than max (\(high))", at: maximum?.value) }
            kind = .integer(minimum: low, maximum: high)
        case "number":
            let low = minimum.flatMap { reader.number($0.value, what: "min") }
            let high = maximum.flatMap { reader.number($0.value, what: "max") }
            if let low, let high, low > high { reader.report("min (\(low)) is greater than max (\(high))", at: maximum?.value) }
            kind = .number(minimum: low, maximum: high)
        case "boolean":
            kind = .boolean
        case "text":
            kind = .text(maximumLength: entries["max_length"].flatMap { reader.integer($0.value, what: "max_length", minimum: 1) })
        default:
            guard let target = required("layer", in: entries, at: node).flatMap({ reader.identifier($0, what: "layer id") }) else { return nil }
            kind = .spanReference(layer: target)
        }
        return Feature(id: id, label: entries["label"].flatMap { reader.text($0.value, what: "label") },
                       description: entries["description"].flatMap { reader.text($0.value, what: "description") },
                       kind: kind, isRequired: entries["required"].flatMap { reader.boolean($0.value, what: "required") } ?? false)
    }

    // MARK: Rules

    private func rule(_ node: Node, layer: Layer) -> Rule? {
        guard let entries = reader.mapping(node, allowed: ["id", "message", "when", "require", "forbid", "check"], what: "a rule") else { return nil }
        let kinds = ["require", "forbid", "check"].filter { entries[$0] != nil }
        guard kinds.count == 1, let kindName = kinds.first, let kindEntry = entries[kindName] else {
            reader.report("a rule needs exactly one of require, forbid or check\(kinds.isEmpty ? "" : " (found \(kinds.joined(separator: " and ")))")", at: node)
            return nil
        }
        let condition = entries["when"].flatMap { expression($0.value, in: layer) }
        let conditionFailed = entries["when"] != nil && condition == nil  // reported; the rest is still checked
        let requirement: Rule.Requirement
        switch kindName {
        case "check":
            guard let expression = expression(kindEntry.value, in: layer) else { return nil }
            requirement = .check(expression)
        default:
            let names = reader.identifiers(kindEntry.value, what: "feature id")
            if names.isEmpty { reader.report("\(kindName) names no feature; list the features it concerns", at: kindEntry.value) }
            for (name, item) in names where layer.feature(name) == nil {
                reader.report("\(kindName) names '\(name)', which is not a feature of layer '\(layer.id)'; features: \(layer.features.map(\.id).joined(separator: ", "))", at: item)
            }
            requirement = kindName == "require" ? .require(names.map(\.0)) : .forbid(names.map(\.0))
        }
        if conditionFailed { return nil }
        func rendered(_ node: Node) -> String? {
            if let text = node.scalar?.string { return text }
            if case .sequence(let items) = node { return "[" + items.compactMap { $0.scalar?.string }.joined(separator: ", ") + "]" }
            return nil
        }
        let source = ["when", kindName].compactMap { key in entries[key].flatMap { rendered($0.value) }.map { "\(key): \($0)" } }.joined(separator: ", ")
        return Rule(id: entries["id"].flatMap { reader.identifier($0.value, what: "rule id") },
                    message: entries["message"].flatMap { reader.text($0.value, what: "message") },
                    condition: condition, requirement: requirement, source: source.isEmpty ? kindName : source)
    }

    private func expression(_ node: Node, in layer: Layer) -> Expression? {
        guard let source = reader.text(node, what: "an expression") else { return nil }
        let expression: Expression
        do throws(ExpressionParser.Failure) {
            expression = try ExpressionParser.parse(source, features: Set(layer.features.map(\.id)))
        } catch {
            let place = reader.location(in: node, offset: error.offset)
            reader.report("in the expression: \(error.message)", line: place.line, column: place.column)
            return nil
        }
        let problems = expression.problems(in: layer)
        for problem in problems { reader.report("in the expression: \(problem)", at: node) }
        return problems.isEmpty ? expression : nil
    }

    // MARK: Migrations

    private func migration(_ node: Node, layers: [Layer]) -> Migration? {
        guard let entries = reader.mapping(node, allowed: ["layer", "feature", "rename", "merge", "split"], what: "a migration") else { return nil }
        guard let layerID = required("layer", in: entries, at: node).flatMap({ reader.identifier($0, what: "layer id") }),
              let featureID = required("feature", in: entries, at: node).flatMap({ reader.identifier($0, what: "feature id") }) else { return nil }
        guard let layer = layers.first(where: { $0.id == layerID }) else {
            reader.report("migration names layer '\(layerID)', which this version does not define", at: entries["layer"]?.value)
            return nil
        }
        guard let tree = layer.feature(featureID)?.codes else {
            reader.report("migration names '\(featureID)', which is not a category, categories or ordinal feature of layer '\(layerID)'", at: entries["feature"]?.value)
            return nil
        }
        let kinds = ["rename", "merge", "split"].filter { entries[$0] != nil }
        guard kinds.count == 1, let kind = kinds.first, let entry = entries[kind], case .mapping(let pairs) = entry.value else {
            reader.report("a migration needs exactly one of rename, merge or split, mapping codes to codes", at: node)
            return nil
        }
        func checkNew(_ code: String, _ at: Node) {
            if tree.code(code) == nil { reader.report("'\(code)' is not a code of \(featureID) in this version; the codes migrated to must exist", at: at) }
        }
        func checkOld(_ code: String, _ at: Node) {
            if tree.code(code) != nil { reader.report("'\(code)' is still a code of \(featureID) in this version; a code that is \(kind)d away must be removed", at: at) }
        }
        switch kind {
        case "rename":
            var renames: [(old: String, new: String)] = []
            for (key, value) in pairs {
                guard let old = reader.identifier(key, what: "code id"), let new = reader.identifier(value, what: "code id") else { continue }
                checkOld(old, key)
                checkNew(new, value)
                renames.append((old, new))
            }
            return Migration(layer: layerID, feature: featureID, change: .rename(renames))
        case "merge":
            var merges: [(new: String, old: [String])] = []
            var merged: Set<String> = []
            for (key, value) in pairs {
                guard let new = reader.identifier(key, what: "code id") else { continue }
                checkNew(new, key)
                let olds = reader.identifiers(value, what: "code id")
                for (old, item) in olds where old != new { checkOld(old, item) }
                for (old, item) in olds where !merged.insert(old).inserted {
                    reader.report("'\(old)' is merged twice; a code can merge into one code only", at: item)
                }
                merges.append((new, olds.map(\.0)))
            }
            return Migration(layer: layerID, feature: featureID, change: .merge(merges))
        default:
            var splits: [(old: String, new: [String])] = []
            for (key, value) in pairs {
                guard let old = reader.identifier(key, what: "code id") else { continue }
                let news = reader.identifiers(value, what: "code id")
                for (new, item) in news { checkNew(new, item) }
                splits.append((old, news.map(\.0)))
            }
            return Migration(layer: layerID, feature: featureID, change: .split(splits))
        }
    }
}
