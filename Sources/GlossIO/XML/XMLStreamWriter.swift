import CLibXML2
import Foundation
import GlossCore

/// Writes XML as a stream with libxml2's `xmlTextWriter` into a memory buffer that the caller drains into a
/// file as it goes, so that memory stays flat however long the output.
///
/// Text and attribute values are escaped by libxml2: `<`, `>`, `&`, and CR as `&#13;` (in attributes also
/// tab and line feed), so that the text comes back exactly. Characters XML 1.0 cannot carry must be refused
/// by the caller before writing (`XMLCharacters.firstInvalid(in:)`).
public final class XMLStreamWriter {
    private let buffer: xmlBufferPtr
    private let writer: xmlTextWriterPtr

    /// A writer; with `indent`, elements without text are indented by one space per level.
    public init(indent: Bool) throws {
        XMLLibrary.initialize()
        guard let buffer = xmlBufferCreate() else { throw GlossError(.ioFailure, "cannot allocate the XML buffer") }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else {
            xmlBufferFree(buffer)
            throw GlossError(.ioFailure, "cannot start the XML writer")
        }
        self.buffer = buffer
        self.writer = writer
        if indent {
            xmlTextWriterSetIndent(writer, 1)
            " ".withXMLChars { _ = xmlTextWriterSetIndentString(writer, $0) }
        }
    }

    deinit {
        xmlFreeTextWriter(writer)
        xmlBufferFree(buffer)
    }

    private func check(_ result: Int32, _ what: @autoclosure () -> String) throws {
        if result < 0 { throw GlossError(.ioFailure, "libxml2 could not write \(what())") }
    }

    public func startDocument() throws {
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "the XML declaration")
    }

    public func endDocument() throws {
        try check(xmlTextWriterEndDocument(writer), "the end of the document")
    }

    public func start(_ name: String) throws {
        try check(name.withXMLChars { xmlTextWriterStartElement(writer, $0) }, "<\(name)>")
    }

    public func attribute(_ name: String, _ value: String) throws {
        try check(name.withXMLChars { name in value.withXMLChars { xmlTextWriterWriteAttribute(writer, name, $0) } }, "attribute \(name)")
    }

    public func text(_ value: String) throws {
        try check(value.withXMLChars { xmlTextWriterWriteString(writer, $0) }, "text")
    }

    public func end() throws {
        try check(xmlTextWriterEndElement(writer), "an end tag")
    }

    /// Writes `<name a="v"…>text</name>`, or an empty element without text.
    public func element(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil) throws {
        try start(name)
        for (key, value) in attributes { try attribute(key, value) }
        if let text { try self.text(text) }
        try end()
    }

    /// Writes an element with its attributes and the content `body` writes.
    public func element(_ name: String, _ attributes: [(String, String)] = [], _ body: () throws -> Void) throws {
        try start(name)
        for (key, value) in attributes { try attribute(key, value) }
        try body()
        try end()
    }

    /// Moves what has been written so far into `handle` (`path` names it in errors).
    public func drain(into handle: FileHandle, path: String) throws {
        try check(xmlTextWriterFlush(writer), "to its buffer")
        let length = Int(xmlBufferLength(buffer))
        guard length > 0, let content = xmlBufferContent(buffer) else { return }
        do {
            try handle.write(contentsOf: UnsafeBufferPointer(start: content, count: length))
        } catch {
            throw GlossError(.ioFailure, "cannot write: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
        xmlBufferEmpty(buffer)
    }

    /// Everything written so far, as a string (for small documents written in memory).
    public func contents() throws -> String {
        try check(xmlTextWriterFlush(writer), "to its buffer")
        return String(xmlChars: xmlBufferContent(buffer)) ?? ""
    }
}

/// The characters XML 1.0 allows (§2.2): tab, line feed, carriage return, U+0020–U+D7FF, U+E000–U+FFFD and
/// U+10000–U+10FFFF.
public enum XMLCharacters {
    /// The code-point offset of the first character XML 1.0 cannot carry, or nil.
    public static func firstInvalid(in text: String) -> Int? {
        var offset = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x20 ? !(value == 0x9 || value == 0xA || value == 0xD) : (value == 0xFFFE || value == 0xFFFF) { return offset }
            offset += 1
        }
        return nil
    }
}
