import CLibXML2

/// Process-wide libxml2 setup, done once before any use.
///
/// libxml2 initialises lazily, and parallel tests then race in that initialisation; so Gloss initialises
/// it once, and installs an external entity loader that refuses everything, so that no document can make
/// libxml2 read a file or reach the network.
public enum XMLLibrary {
    private static let initialized: Bool = {
        xmlInitParser()
        xmlRelaxNGInitTypes()
        xmlSetExternalEntityLoader { _, _, _ in nil }
        return true
    }()

    public static func initialize() { _ = initialized }
}

/// libxml2's strings are UTF-8 bytes (`xmlChar`); these convert at the boundary.
extension String {
    /// Calls `body` with the string as a NUL-terminated `xmlChar` pointer.
    public func withXMLChars<T>(_ body: (UnsafePointer<xmlChar>) throws -> T) rethrows -> T {
        try withCString { try body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
    }

    /// A string from an `xmlChar` pointer that the caller still owns.
    public init?(xmlChars pointer: UnsafePointer<xmlChar>?) {
        guard let pointer else { return nil }
        self = String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    }

    /// A string from an `xmlChar` pointer that libxml2 allocated, which is freed.
    public init?(ownedXMLChars pointer: UnsafeMutablePointer<xmlChar>?) {
        guard let pointer else { return nil }
        defer { cxml_free(pointer) }
        self.init(xmlChars: pointer)
    }
}
