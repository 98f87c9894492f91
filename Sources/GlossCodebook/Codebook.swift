import GlossCore

/// A codebook: the measuring instrument of a content analysis.
///
/// For each layer (a kind of span, or the document as a whole) it names the features coders fill in,
/// the codes allowed for each, and the rules a valid annotation obeys. Read from YAML by
/// `Codebook.parse(_:file:)`; the format is documented in `Codebooks/README.md`.
public struct Codebook: Sendable {
    public var id: String
    public var version: Int
    public var title: String
    public var description: String?
    public var layers: [Layer]
    /// How annotations made under version `version - 1` move to this version.
    public var migrations: [Migration]

    /// The layer with this id, or nil.
    public func layer(_ id: String) -> Layer? { layers.first { $0.id.isIdentical(to: id) } }
}

/// A kind of annotation: a span layer, or a document layer whose annotations cover the whole text.
public struct Layer: Sendable {
    public enum Scope: String, Sendable { case span, document }
    public enum Boundary: String, Sendable { case paragraph, sentence }

    public var id: String
    public var label: String?
    public var description: String?
    public var scope: Scope
    /// Whether one coder's annotations of this layer in one document may overlap.
    public var allowsOverlap: Bool
    /// Inclusive bounds on a span's length in code points.
    public var minimumLength: Int?
    public var maximumLength: Int?
    /// A boundary a span may not cross.
    public var within: Boundary?
    public var features: [Feature]
    public var rules: [Rule]

    /// The feature with this id, or nil.
    public func feature(_ id: String) -> Feature? { features.first { $0.id.isIdentical(to: id) } }
}

/// A feature a coder fills in on an annotation.
public struct Feature: Sendable {
    public enum Kind: Sendable {
        /// One code from the tree.
        case category(CodeTree)
        /// A set of codes, with optional bounds on how many.
        case categories(CodeTree, minimum: Int?, maximum: Int?)
        /// One code from an ordered scale (the tree is flat; the order is the scale).
        case ordinal(CodeTree)
        case integer(minimum: Int?, maximum: Int?)
        case number(minimum: Double?, maximum: Double?)
        case boolean
        case text(maximumLength: Int?)
        /// The id of another annotation of `layer`, in the same document, by the same coder.
        case spanReference(layer: String)
    }

    public var id: String
    public var label: String?
    public var description: String?
    public var kind: Kind
    public var isRequired: Bool

    /// The code tree of a category, categories or ordinal feature.
    public var codes: CodeTree? {
        switch kind {
        case .category(let tree), .categories(let tree, _, _), .ordinal(let tree): tree
        default: nil
        }
    }

    /// The type's name as written in a codebook.
    public var typeName: String {
        switch kind {
        case .category: "category"
        case .categories: "categories"
        case .ordinal: "ordinal"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .text: "text"
        case .spanReference: "span_ref"
        }
    }
}

/// One code of a code tree.
public struct Code: Sendable {
    public var id: String
    public var label: String
    public var definition: String?
    public var include: String?
    public var exclude: String?
    public var examples: [String]
    /// False for a grouping node that cannot be assigned.
    public var isCodable: Bool
    /// A display colour, `#RRGGBB` or `#RGB`, as QDA tools show it.
    public var color: String?
    /// A stable identifier for exchange with QDA tools (REFI-QDA `guid`).
    public var guid: String?
    public var children: [Code]

    public init(id: String, label: String, definition: String? = nil, include: String? = nil, exclude: String? = nil,
                examples: [String] = [], isCodable: Bool = true, color: String? = nil, guid: String? = nil, children: [Code] = []) {
        self.id = id
        self.label = label
        self.definition = definition
        self.include = include
        self.exclude = exclude
        self.examples = examples
        self.isCodable = isCodable
        self.color = color
        self.guid = guid
        self.children = children
    }
}

/// A tree of codes, with lookups by id.
///
/// A codebook's code trees nest at most `maximumCodeDepth` levels (`Codebook.parse(_:file:)` refuses deeper
/// ones), so code that walks a parsed tree recursively, as the exports do, stays shallow.
public struct CodeTree: Sendable {
    /// The most levels of nested codes a codebook's tree may have: its roots are level 1.
    public static let maximumCodeDepth = 64

    public let roots: [Code]
    /// Depth-first order of every code, with its parent's id.
    public let flattened: [(code: Code, parent: String?)]
    /// Keyed by the ids' UTF-8 bytes: Swift's `==` would merge canonically equivalent ids (K and the Kelvin
    /// sign), which the rules, comparing bytes, keep apart.
    private let indexByID: [[UInt8]: Int]

    public init(_ roots: [Code]) {
        self.roots = roots
        // Depth first with an explicit stack (children pushed in reverse), so a tree built in code, deeper than
        // a codebook allows, still cannot exhaust the call stack here.
        var flattened: [(code: Code, parent: String?)] = []
        var pending: [(code: Code, parent: String?)] = roots.reversed().map { ($0, nil) }
        while let (code, parent) = pending.popLast() {
            flattened.append((code, parent))
            pending.append(contentsOf: code.children.reversed().map { ($0, code.id) })
        }
        self.flattened = flattened
        var index: [[UInt8]: Int] = [:]
        for (offset, entry) in flattened.enumerated() where index[Array(entry.code.id.utf8)] == nil { index[Array(entry.code.id.utf8)] = offset }
        self.indexByID = index
    }

    /// The code with this id, or nil.
    public func code(_ id: String) -> Code? { indexByID[Array(id.utf8)].map { flattened[$0].code } }

    /// The position of a code in depth-first order: for an ordinal scale, its rank from 0.
    public func position(of id: String) -> Int? { indexByID[Array(id.utf8)] }

    /// Whether `id` is `ancestor` or lies below it.
    public func code(_ id: String, isUnder ancestor: String) -> Bool {
        var current: String? = id
        while let id = current, let index = indexByID[Array(id.utf8)] {
            if id.isIdentical(to: ancestor) { return true }
            current = flattened[index].parent
        }
        return false
    }

    /// The ids of the codes that may be assigned.
    public var codableIDs: [String] { flattened.filter(\.code.isCodable).map(\.code.id) }
}

/// A constraint on every annotation of a layer.
public struct Rule: Sendable {
    public enum Requirement: Sendable {
        /// These features must be set.
        case require([String])
        /// These features must not be set.
        case forbid([String])
        /// This expression must be true.
        case check(Expression)
    }

    public var id: String?
    public var message: String?
    /// When the rule applies; nil means always.
    public var condition: Expression?
    public var requirement: Requirement
    /// The rule as written, for messages.
    public var source: String
}

/// How codes of one feature change from the previous codebook version to this one.
public struct Migration: Sendable {
    public enum Change: Sendable {
        /// Old code → new code, applied automatically.
        case rename([(old: String, new: String)])
        /// Old codes → one new code, applied automatically.
        case merge([(new: String, old: [String])])
        /// One old code → several new ones: annotations with it must be recoded by a person.
        case split([(old: String, new: [String])])
    }

    public var layer: String
    public var feature: String
    public var change: Change
}
