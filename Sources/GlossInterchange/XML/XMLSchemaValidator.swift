import CLibXML2
import Foundation
import GlossCore

/// Validates XML documents against a W3C XML Schema (XSD) with libxml2.
///
/// The schema is compiled once; each validation reports every error with its line.
final class XMLSchemaValidator {
    private let schema: xmlSchemaPtr

    /// Compiles the schema in `bytes` (`file` names it in messages).
    init(schema bytes: [UInt8], file: String) throws {
        XMLLibrary.initialize()
        let parserContext = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: buffer.count) { xmlSchemaNewMemParserCtxt($0, Int32(buffer.count)) }
            } ?? nil
        }
        guard let parserContext else { throw GlossError(.badData, "cannot read the schema", at: SourceLocation(file: file)) }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        guard let schema = xmlSchemaParse(parserContext) else { throw GlossError(.badData, "the schema does not compile", at: SourceLocation(file: file)) }
        self.schema = schema
    }

    deinit { xmlSchemaFree(schema) }

    /// The validation errors of `tree`, each as `line: message`; empty when it is valid.
    func errors(in tree: XMLTree) -> [String] {
        guard let context = xmlSchemaNewValidCtxt(schema) else { return ["cannot start the schema validator"] }
        defer { xmlSchemaFreeValidCtxt(context) }
        let collector = ErrorCollector()
        xmlSchemaSetValidStructuredErrors(context, { userData, error in
            guard let userData, let error else { return }
            let collector = Unmanaged<ErrorCollector>.fromOpaque(userData).takeUnretainedValue()
            let message = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "invalid"
            collector.errors.append("\(error.pointee.line): \(message)")
        }, Unmanaged.passUnretained(collector).toOpaque())
        let result = xmlSchemaValidateDoc(context, tree.document)
        if result != 0 && collector.errors.isEmpty { collector.errors.append("the document is not valid (libxml2 code \(result))") }
        return collector.errors
    }

    private final class ErrorCollector {
        var errors: [String] = []
    }
}
