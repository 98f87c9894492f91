/// Reliability data: units × coders, each cell a category or missing (Krippendorff 2004, ch. 11).
///
/// Values are stored as indices into `categories`, the ordered list of categories, so that every
/// coefficient runs on small integers; `-1` marks a missing value.
public struct ReliabilityData: Sendable {
    /// The categories in order (lowest first for ordinal use), with their numeric values when they have any.
    public let categories: [Category]
    /// Whether the categories have a meaningful order: all numeric, or ordered by the user or a codebook.
    /// Without one, ordinal, interval and ratio α and weighted coefficients are undefined.
    public let isOrdered: Bool
    public let unitCount: Int
    public let coderCount: Int
    /// Row-major: the value of coder `c` for unit `u` is at `u * coderCount + c`; -1 when missing.
    public let cells: [Int32]

    /// A category label, and its number when the label is numeric (for interval and ratio metrics, and
    /// for weights taken from values).
    public struct Category: Sendable, Hashable {
        public var label: String
        public var value: Double?

        public init(label: String, value: Double? = nil) {
            self.label = label
            self.value = value
        }

        /// The number a label spells, when it is a plain finite decimal (`3`, `-2.5`, `1e3`); nil otherwise
        /// (labels such as `nan`, `inf` or `0x1p3` are labels, not numbers).
        public static func number(_ label: String) -> Double? {
            guard !label.isEmpty, label.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }),
                  let value = Double(label), value.isFinite else { return nil }
            return value
        }
    }

    /// Whether every category is a number: then values, not ranks, give distances and weights.
    public var isNumeric: Bool { categories.allSatisfy { $0.value != nil } }

    /// Reliability data from category indices (`nil` for missing), one row per unit. `isOrdered` defaults to
    /// whether every category is numeric.
    public init(categories: [Category], units: [[Int?]], isOrdered: Bool? = nil) throws(AgreementError) {
        let coders = units.map(\.count).max() ?? 0
        guard units.allSatisfy({ $0.count == coders }) else { throw .malformed("every unit needs one value or a gap for each of the \(coders) coders") }
        var cells: [Int32] = []
        cells.reserveCapacity(units.count * coders)
        for unit in units {
            for value in unit {
                if let value {
                    guard categories.indices.contains(value) else { throw .malformed("category index \(value) is outside 0..<\(categories.count)") }
                    cells.append(Int32(value))
                } else {
                    cells.append(-1)
                }
            }
        }
        self.categories = categories
        self.isOrdered = isOrdered ?? categories.allSatisfy { $0.value != nil }
        self.unitCount = units.count
        self.coderCount = coders
        self.cells = cells
    }

    /// Reliability data from raw values, one row per unit (`nil` for missing).
    ///
    /// The categories are `order` when given (every value must be in it, none twice), or else the distinct
    /// values: numbers sorted by value, then labels sorted. Numbers that spell the same value (`1`, `1.0`)
    /// are one category. Categories are ordered when `order` is given (and `ordered` is not false) or when
    /// all are numbers.
    public init(values: [[String?]], order: [String]? = nil, ordered: Bool? = nil) throws(AgreementError) {
        var categories: [Category]
        if let order {
            var seen: Set<String> = []
            for label in order where !seen.insert(label).inserted { throw .malformed("the order names \(label) twice") }
            categories = order.map { Category(label: $0, value: Category.number($0)) }
        } else {
            var distinct: [String] = []
            var numbers: Set<Double> = [], labels: Set<String> = []
            for label in values.flatMap({ $0.compactMap { $0 } }) {
                if let number = Category.number(label) {
                    if numbers.insert(number).inserted { distinct.append(label) }
                } else if labels.insert(label).inserted {
                    distinct.append(label)
                }
            }
            categories = distinct.map { Category(label: $0, value: Category.number($0)) }
            categories.sort { a, b in
                switch (a.value, b.value) {
                case let (x?, y?): return x != y ? x < y : a.label < b.label
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return a.label < b.label
                }
            }
        }
        var index: [String: Int] = [:]
        var byNumber: [Double: Int] = [:]
        for (position, category) in categories.enumerated() {
            index[category.label] = position
            if let value = category.value, byNumber[value] == nil { byNumber[value] = position }
        }
        var rows: [[Int?]] = []
        rows.reserveCapacity(values.count)
        for (unit, row) in values.enumerated() {
            rows.append(try row.map { value throws(AgreementError) -> Int? in
                guard let value else { return nil }
                guard let position = index[value] ?? Category.number(value).flatMap({ byNumber[$0] }) else {
                    throw .malformed("unit \(unit + 1) has the value \"\(value)\", which is not in the category order \(order?.joined(separator: ",") ?? "")")
                }
                return position
            })
        }
        try self.init(categories: categories, units: rows, isOrdered: ordered ?? (order != nil || categories.allSatisfy { $0.value != nil }))
    }

    /// The value of `coder` for `unit`, or nil when missing.
    public func value(unit: Int, coder: Int) -> Int? {
        let cell = cells[unit * coderCount + coder]
        return cell < 0 ? nil : Int(cell)
    }
}

/// Why agreement cannot be computed as asked.
public enum AgreementError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(String)

    public var description: String {
        switch self {
        case .malformed(let message): message
        }
    }
}
