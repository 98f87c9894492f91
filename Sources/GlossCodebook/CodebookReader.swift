import GlossCore
import Yams

/// Reads a codebook's YAML node tree into the model, collecting every problem instead of stopping at the first.
final class CodebookReader {
    private let file: String
    private(set) var problems: [CodebookProblem] = []

    init(file: String) { self.file = file }

    // MARK: Problems

    func report(_ message: String, at node: Node?) {
        report(message, line: node?.mark?.line, column: node?.mark?.column)
    }

    func report(_ message: String, line: Int?, column: Int?) {
        problems.append(CodebookProblem(location: SourceLocation(file: file, line: line, column: column), message: message))
    }

    // MARK: Nodes

    /// The entries of a mapping, keyed by their (string) keys; reports unknown keys and non-mappings.
    func mapping(_ node: Node, allowed: [String], what: String) -> [String: (key: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            report("\(what) must be a mapping of keys to values", at: node)
            return nil
        }
        var entries: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                report("keys in \(what) must be plain words", at: key)
                continue
            }
            guard allowed.contains(name) else {
                report("unknown key '\(name)' in \(what); allowed keys: \(allowed.joined(separator: ", "))", at: key)
                continue
            }
            if entries[name] != nil {
                report("'\(name)' appears twice in \(what)", at: key)
                continue
            }
            entries[name] = (key, value)
        }
        return entries
    }

    /// Refuses a tree too large to be a codebook before anything else reads it. Aliases are resolved by
    /// copying the anchored node, so a few nested aliases ("billion laughs") make a small file an
    /// exponentially large tree; counting nodes up to a budget stops that. Returns false when refused.
    func refuseOversizedTree(_ root: Node, budget: Int = 200_000) -> Bool {
        var pending = [root]
        var visited = 0
        while let node = pending.popLast() {
            visited += 1
            guard visited <= budget else {
                report("the file expands to more than \(budget) YAML values, which no codebook needs; check its aliases (*)", line: nil, column: nil)
                return false
            }
            switch node {
            case .mapping(let mapping): for (key, value) in mapping { pending.append(key); pending.append(value) }
            case .sequence(let sequence): pending.append(contentsOf: sequence)
            case .scalar, .alias: break
            }
        }
        return true
    }

    func sequence(_ node: Node, what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report("\(what) must be a list", at: node)
            return nil
        }
        return Array(sequence)
    }

    /// A scalar's text exactly as written (no YAML 1.1 conversion of yes/no/on/off). Text may not be empty,
    /// nor hold control characters other than tab and line breaks (no QDA tool or XML file can carry them).
    func text(_ node: Node, what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report("\(what) must be text, not a list or mapping", at: node)
            return nil
        }
        if scalar.string.isEmpty {
            report("\(what) is empty; write the text, or leave the key out where it is optional", at: node)
            return nil
        }
        if let bad = scalar.string.unicodeScalars.first(where: { ($0.value < 0x20 && !["\t", "\n", "\r"].contains($0)) || (0x7F...0x9F).contains($0.value) || $0.value == 0xFFFE || $0.value == 0xFFFF }) {
            report("\(what) contains the control character U+\(String(bad.value, radix: 16, uppercase: true)); remove it", at: node)
            return nil
        }
        return scalar.string
    }

    func identifier(_ node: Node, what: String) -> String? {
        guard let text = text(node, what: what) else { return nil }
        if let problem = Name.problem(with: text, as: .layer) {
            report(problem.replacingOccurrences(of: "layer id", with: what), at: node)
            return nil
        }
        return text
    }

    func integer(_ node: Node, what: String, minimum: Int? = nil, maximum: Int? = nil) -> Int? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, scalar.tag.description != Tag.Name.str.rawValue, let value = Int(scalar.string) else {
            report("\(what) must be a whole number", at: node)
            return nil
        }
        if let minimum, value < minimum {
            report("\(what) must be \(minimum) or more", at: node)
            return nil
        }
        if let maximum, value > maximum {
            report("\(what) must be \(maximum) or less", at: node)
            return nil
        }
        return value
    }

    func number(_ node: Node, what: String) -> Double? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, scalar.tag.description != Tag.Name.str.rawValue,
              scalar.string.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }),
              let value = Double(scalar.string), value.isFinite else {
            report("\(what) must be a number", at: node)
            return nil
        }
        return value
    }

    func boolean(_ node: Node, what: String) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
            report("\(what) must be true or false", at: node)
            return nil
        }
        return scalar.string == "true"
    }

    /// One of `choices`, reporting the choices otherwise.
    func choice(_ node: Node, what: String, choices: [String]) -> String? {
        guard let value = text(node, what: what) else { return nil }
        guard choices.contains(value) else {
            report("\(what) is '\(value)'; use \(choices.joined(separator: " or "))", at: node)
            return nil
        }
        return value
    }

    enum Pattern {
        /// `#RRGGBB` or `#RGB`.
        case color
        /// A GUID, with or without braces: `5215cc69-b628-4e02-afb9-9beeaee55808`.
        case guid

        func matches(_ text: String) -> Bool {
            let isHex: (UInt8) -> Bool = { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0 | 0x20) }
            var bytes = Array(text.utf8)
            switch self {
            case .color:
                return bytes.first == UInt8(ascii: "#") && [4, 7].contains(bytes.count) && bytes.dropFirst().allSatisfy(isHex)
            case .guid:
                if bytes.first == UInt8(ascii: "{") && bytes.last == UInt8(ascii: "}") { bytes = Array(bytes.dropFirst().dropLast()) }
                let groups = bytes.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false).map(\.count)
                return groups == [8, 4, 4, 4, 12] && bytes.allSatisfy { $0 == UInt8(ascii: "-") || isHex($0) }
            }
        }

        var example: String { self == .color ? "#RRGGBB, e.g. #33cc33" : "a GUID such as 5215cc69-b628-4e02-afb9-9beeaee55808" }
    }

    /// A text that must match a pattern.
    func matching(_ node: Node, what: String, pattern: Pattern) -> String? {
        guard let value = text(node, what: what) else { return nil }
        guard pattern.matches(value) else {
            report("\(what) is '\(value)'; write \(pattern.example)", at: node)
            return nil
        }
        return value
    }

    /// A list of identifiers (a YAML list, or one identifier).
    func identifiers(_ node: Node, what: String) -> [(String, Node)] {
        let nodes: [Node]
        if case .sequence(let sequence) = node { nodes = Array(sequence) } else { nodes = [node] }
        return nodes.compactMap { item in identifier(item, what: what).map { ($0, item) } }
    }

    /// The column of the `offset`-th code point of a scalar's text, for errors inside expressions.
    func location(in node: Node, offset: Int) -> (line: Int?, column: Int?) {
        guard let mark = node.mark else { return (nil, nil) }
        var column = mark.column + offset
        if case .scalar(let scalar) = node, scalar.style == .singleQuoted || scalar.style == .doubleQuoted { column += 1 }
        return (mark.line, column)
    }
}
