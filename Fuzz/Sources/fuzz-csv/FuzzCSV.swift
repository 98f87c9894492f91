import FuzzSupport
import GlossAgreement

/// The CSV readers of `gloss agree --data` and `--spans-data`, and the statistics on what they read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: bytes(data, size), as: UTF8.self)
    if let parsed = try? ReliabilityData.csv(text, file: "fuzz.csv") {
        _ = parsed.data.krippendorffAlpha(metric: .nominal)
        _ = parsed.data.fleissKappa()
    }
    if let spans = try? Continuum.csv(text, file: "fuzz.csv", length: 1000) {
        _ = spans.continuum.unitizingAlpha(category: nil)
        _ = spans.continuum.bestAlignmentDisorder(GammaSettings(search: .beam(width: 4)))
    }
    return 0
}

@_cdecl("fuzz_csv_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzzCSV) }
