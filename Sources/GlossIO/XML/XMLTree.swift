import CLibXML2
import Foundation
import GlossCore

/// A parsed XML document from outside, read with safe options, to walk on one task.
///
/// Never loads DTDs, external entities or XIncludes and never touches the network (`XML_PARSE_NONET`, and
/// the refusing entity loader); refuses a document that has a DOCTYPE at all, so that no entity can be
/// declared; keeps libxml2's default size limits.
public final class XMLTree {
    public let document: xmlDocPtr

    /// Parses `bytes`, reporting a syntax error with its line and column in `file`.
    public init(bytes: [UInt8], file: String) throws {
        XMLLibrary.initialize()
        guard bytes.count < Int(Int32.max) else {
            throw GlossError(.badData, "the file is larger than 2 GiB, more than an XML file Gloss reads", at: SourceLocation(file: file))
        }
        guard let context = xmlNewParserCtxt() else { throw GlossError(.ioFailure, "cannot start the XML parser", at: SourceLocation(file: file)) }
        defer { xmlFreeParserCtxt(context) }
        let options = Int32(XML_PARSE_NONET.rawValue)
        // The first error is the informative one (later ones follow from it); libxml2 2.9 keeps the handler
        // per thread, and it is removed again right after parsing.
        let firstError = FirstError()
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(firstError).toOpaque()) { userData, error in
            guard let userData, let error else { return }
            let collector = Unmanaged<FirstError>.fromOpaque(userData).takeUnretainedValue()
            guard collector.message == nil else { return }
            collector.message = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines)
            collector.line = Int(error.pointee.line)
            collector.column = Int(error.pointee.int2)
        }
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let parsed = withExtendedLifetime(firstError) {
            bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { base in
                    UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                        xmlCtxtReadMemory(context, $0, Int32(buffer.count), nil, nil, options)
                    }
                } ?? nil
            }
        }
        guard let parsed else {
            throw GlossError(.badData, "malformed XML: \(firstError.message ?? "not well-formed")",
                             at: SourceLocation(file: file, line: firstError.line, column: (firstError.column ?? 0) > 0 ? firstError.column : nil))
        }
        if parsed.pointee.intSubset != nil || parsed.pointee.extSubset != nil {
            xmlFreeDoc(parsed)
            throw GlossError(.badData, "the document has a DOCTYPE declaration; Gloss does not read DTDs or entities from files it imports", at: SourceLocation(file: file, line: 1))
        }
        document = parsed
    }

    deinit { xmlFreeDoc(document) }

    public var root: xmlNodePtr? { xmlDocGetRootElement(document) }
}

/// The first error libxml2 reports while parsing.
private final class FirstError {
    var message: String?
    var line: Int?
    var column: Int?
}

extension UnsafeMutablePointer where Pointee == xmlNode {
    /// The element's local name.
    public var name: String { String(xmlChars: pointee.name) ?? "" }

    /// The element's namespace URI, or nil.
    public var namespace: String? { pointee.ns.flatMap { String(xmlChars: $0.pointee.href) } }

    /// The child elements, in order.
    public var elements: [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = pointee.children
        while let node = child {
            if node.pointee.type == XML_ELEMENT_NODE { result.append(node) }
            child = node.pointee.next
        }
        return result
    }

    /// The value of an attribute without namespace, or nil.
    public func attribute(_ name: String) -> String? {
        name.withXMLChars { String(ownedXMLChars: xmlGetNoNsProp(self, $0)) }
    }

    /// The value of an attribute in the XML namespace (`xml:id`, `xml:space`), or nil.
    public func xmlAttribute(_ name: String) -> String? {
        name.withXMLChars { name in "http://www.w3.org/XML/1998/namespace".withXMLChars { String(ownedXMLChars: xmlGetNsProp(self, name, $0)) } }
    }

    /// The child nodes (elements, text and others), in order.
    public var children: [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = pointee.children
        while let node = child {
            result.append(node)
            child = node.pointee.next
        }
        return result
    }

    /// The first child element with this local name, or nil.
    public func element(_ name: String) -> xmlNodePtr? { elements.first { $0.name == name } }

    /// All text inside the element.
    public var text: String { String(ownedXMLChars: xmlNodeGetContent(self)) ?? "" }

    /// The element's line in its file.
    public var line: Int { Int(xmlGetLineNo(self)) }
}
