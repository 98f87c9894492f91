extension StringProtocol {
    /// Whether both strings have the same UTF-8 bytes.
    ///
    /// Swift's `==` treats canonically equivalent strings as equal ("é" and "e" + U+0301), but Gloss stores
    /// text exactly, and SQLite compares bytes: ids, names and quotes are compared with this instead.
    public func isIdentical(to other: some StringProtocol) -> Bool {
        utf8.elementsEqual(other.utf8)
    }
}
