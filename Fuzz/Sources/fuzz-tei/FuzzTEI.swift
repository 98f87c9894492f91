import FuzzSupport
import GlossTEI

/// The TEI reader as `gloss import tei` uses it: safe parsing, then Gloss export, CATMA or plain text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTEI(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? TEIImporter.preview(bytes: bytes(data, size), file: "fuzz.xml")
    return 0
}

@_cdecl("fuzz_tei_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzzTEI) }
