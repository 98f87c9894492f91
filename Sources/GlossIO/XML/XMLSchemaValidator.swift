import CLibXML2
import Foundation
import GlossCore

/// Validates XML documents against a W3C XML Schema (XSD) with libxml2.
///
/// The schema is compiled once; each validation reports every error with its line.
public final class XMLSchemaValidator {
    private let schema: xmlSchemaPtr

    /// Compiles the schema in `bytes` (`file` names it in messages).
    public init(schema bytes: [UInt8], file: String) throws {
        XMLLibrary.initialize()
        guard bytes.count < Int(Int32.max) else { throw GlossError(.badData, "the schema is larger than 2 GiB", at: SourceLocation(file: file)) }
        // libxml2 keeps a pointer to the buffer until the schema is parsed: parse while it is alive.
        let collector = XMLErrorCollector()
        let parsed: xmlSchemaPtr?? = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .none }
            return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer -> xmlSchemaPtr?? in
                guard let parserContext = xmlSchemaNewMemParserCtxt(pointer, Int32(buffer.count)) else { return .none }
                defer { xmlSchemaFreeParserCtxt(parserContext) }
                xmlSchemaSetParserStructuredErrors(parserContext, XMLErrorCollector.callback, Unmanaged.passUnretained(collector).toOpaque())
                return .some(withExtendedLifetime(collector) { xmlSchemaParse(parserContext) })
            }
        }
        guard case .some(let compiled) = parsed else { throw GlossError(.badData, "cannot read the schema", at: SourceLocation(file: file)) }
        guard let schema = compiled else {
            // Includes and imports of other files are refused like any external entity.
            throw GlossError(.badData, "the schema does not compile: \(collector.errors.first ?? "unknown error") (schemas that include or import other files are not read)", at: SourceLocation(file: file))
        }
        self.schema = schema
    }

    deinit { xmlSchemaFree(schema) }

    /// The validation errors of `tree`, each as `line: message`; empty when it is valid.
    public func errors(in tree: XMLTree) -> [String] {
        guard let context = xmlSchemaNewValidCtxt(schema) else { return ["cannot start the schema validator"] }
        defer { xmlSchemaFreeValidCtxt(context) }
        let collector = XMLErrorCollector()
        xmlSchemaSetValidStructuredErrors(context, XMLErrorCollector.callback, Unmanaged.passUnretained(collector).toOpaque())
        let result = withExtendedLifetime(collector) { xmlSchemaValidateDoc(context, tree.document) }
        if result != 0 && collector.errors.isEmpty { collector.errors.append("the document is not valid (libxml2 code \(result))") }
        return collector.errors
    }
}
