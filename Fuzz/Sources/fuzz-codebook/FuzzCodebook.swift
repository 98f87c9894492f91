import FuzzSupport
import GlossCodebook

/// Codebook YAML: Yams, then Gloss's structural checks and rule language.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCodebook(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? Codebook.parse(String(decoding: bytes(data, size), as: UTF8.self), file: "fuzz.yaml")
    return 0
}

@_cdecl("fuzz_codebook_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzzCodebook) }
