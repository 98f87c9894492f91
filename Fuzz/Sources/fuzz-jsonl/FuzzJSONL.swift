import FuzzSupport
import GlossCore

/// Native JSON Lines: every line through the strict JSON parser and both record readers; a value that parses
/// must come back equal from its canonical text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONL(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    for line in bytes(data, size).split(separator: 0x0A, omittingEmptySubsequences: false) {
        let value: JSONValue
        do { value = try line.withUnsafeBufferPointer { try JSONParser.parse($0) } } catch { continue }
        guard let again = try? JSONParser.parse(value.canonicalJSON), again == value else {
            fatalError("the canonical JSON of a parsed value does not parse back to it: \(value.canonicalJSON)")
        }
        _ = try? DocumentRecord(json: value)
        _ = try? AnnotationRecord(json: value)
    }
    return 0
}

@_cdecl("fuzz_jsonl_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzzJSONL) }
