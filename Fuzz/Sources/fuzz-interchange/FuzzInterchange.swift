import FuzzSupport
import GlossCore
import GlossIO
import GlossInterchange
import GlossStore

/// The other tools' readers of `gloss import annotations --format`: the input as doccano JSON Lines, a Label
/// Studio export and labeling config, WebAnno TSV, UIMA XMI and type systems, a brat `.ann` on a fixed text, and a
/// REFI-QDA archive.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInterchange(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = bytes(data, size)
    if let file = try? InputFile(path: "fuzz", bytes: input) {
        _ = try? DoccanoFormat.read(file, offsets: .utf16)
        _ = try? LabelStudioFormat.read(file)
        _ = try? WebAnnoTSVFormat.read(file)
        _ = try? UIMAXMIFormat.read(file)
        _ = try? BratFormat.read(text: "Ahmad 😀 said cafe\u{301}: «نمی\u{200C}خواهم» and more text to point into.", id: "fuzz", annotations: file)
        if let document = try? WebAnnoTSVFormat.read(file) { _ = try? WebAnnoTSVFormat.export(document) }
        _ = try? LabelStudioFormat.vocabulary(config: file)
        _ = UIMAXMIFormat.isTypeSystem(file)
    }
    _ = try? REFIProject.read(archive: input, path: "/nonexistent/fuzz.qdpx")
    return 0
}

@_cdecl("fuzz_interchange_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzzInterchange) }
