import CLibXML2
import Foundation
import GlossCore

/// Validates XML documents against a RELAX NG schema with libxml2, such as TEI's `tei_all.rng`.
///
/// The schema is compiled once (tei_all takes 15–25 s); each validation uses a context of its own and reports
/// errors as `line: message`. The schema is read from bytes: the refusing entity loader keeps libxml2 from
/// opening files, and a schema that includes others cannot compile. The compiled schema is only read after
/// compilation and each validation has its own context, so one validator serves several tasks.
public final class RelaxNGValidator: @unchecked Sendable {
    private let schema: xmlRelaxNGPtr

    /// The bytes of `path`, compiled.
    public convenience init(path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw GlossError(.missingInput, "cannot read the schema: \(error.localizedDescription)", at: SourceLocation(file: path))
        }
        try self.init(schema: bytes, file: path)
    }

    public init(schema bytes: [UInt8], file: String) throws {
        XMLLibrary.initialize()
        guard bytes.count < Int(Int32.max) else { throw GlossError(.badData, "the schema is larger than 2 GiB", at: SourceLocation(file: file)) }
        // libxml2 keeps a pointer to the buffer until the schema is parsed: parse while it is alive.
        let collector = XMLErrorCollector()
        let parsed: xmlRelaxNGPtr?? = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return .none }
            return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer -> xmlRelaxNGPtr?? in
                guard let parserContext = xmlRelaxNGNewMemParserCtxt(pointer, Int32(buffer.count)) else { return .none }
                defer { xmlRelaxNGFreeParserCtxt(parserContext) }
                xmlRelaxNGSetParserStructuredErrors(parserContext, XMLErrorCollector.callback, Unmanaged.passUnretained(collector).toOpaque())
                return .some(withExtendedLifetime(collector) { xmlRelaxNGParse(parserContext) })
            }
        }
        guard case .some(let compiled) = parsed else { throw GlossError(.badData, "cannot read the schema", at: SourceLocation(file: file)) }
        guard let schema = compiled else {
            throw GlossError(.badData, "the RELAX NG schema does not compile: \(collector.errors.first ?? "unknown error")", at: SourceLocation(file: file))
        }
        self.schema = schema
    }

    deinit { xmlRelaxNGFree(schema) }

    /// The validation errors of `tree`, each as `line: message`; empty when it is valid.
    public func errors(in tree: XMLTree) -> [String] {
        guard let context = xmlRelaxNGNewValidCtxt(schema) else { return ["cannot start the RELAX NG validator"] }
        defer { xmlRelaxNGFreeValidCtxt(context) }
        let collector = XMLErrorCollector()
        xmlRelaxNGSetValidStructuredErrors(context, XMLErrorCollector.callback, Unmanaged.passUnretained(collector).toOpaque())
        let result = withExtendedLifetime(collector) { xmlRelaxNGValidateDoc(context, tree.document) }
        if result != 0 && collector.errors.isEmpty { collector.errors.append("the document is not valid (libxml2 code \(result))") }
        return collector.errors
    }
}

/// Collects libxml2's errors (not its warnings) as `line: message`.
final class XMLErrorCollector {
    var errors: [String] = []

    static let callback: xmlStructuredErrorFunc = { userData, error in
        guard let userData, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let collector = Unmanaged<XMLErrorCollector>.fromOpaque(userData).takeUnretainedValue()
        guard collector.errors.count < 100 else { return }
        let message = error.pointee.message.map { String(cString: $0) }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "invalid"
        collector.errors.append(error.pointee.line > 0 ? "\(error.pointee.line): \(message)" : message)
    }
}
