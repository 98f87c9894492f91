import GlossAgreement
import GlossCore
import GlossService
import GlossStore
import Testing

/// The questions both fronts refuse, with the message each gives.
@Suite("Agreement questions that cannot be answered")
struct AgreementRequestTests {
    static let project = AgreementRequest.Source.project(layer: "statement", feature: "stance", unit: .document,
                                                         coders: nil, documents: nil, presence: false)
    static let spans = AgreementRequest.Source.spansCSV(text: "", file: "s.csv", length: 100)
    static let data = AgreementRequest.Source.reliabilityCSV(text: "", file: "codes.csv", order: nil)
    static let overlap = (how: SpanMatch.overlap(minimumRatio: 0.5), name: "overlap:0.5")

    static let cases: [(AgreementRequest, String?)] = [
        (AgreementRequest(source: project, coefficients: [.krippendorffAlpha]), nil),
        (AgreementRequest(source: project, coefficients: [.krippendorffAlpha], bootstrap: 99),
         "bootstrap takes 100 to 1000000 samples"),
        (AgreementRequest(source: project, coefficients: [.fleissKappa], bootstrap: 1000),
         "bootstrap gives krippendorff_alpha's interval; add krippendorff_alpha to coefficient"),
        (AgreementRequest(source: project, coefficients: [.krippendorffAlpha], minimumAlpha: 1.5),
         "alpha_min takes a value from -1 to 1"),
        (AgreementRequest(source: project, coefficients: [.gamma], gammaSamples: 0), "samples takes 1 to 100000"),
        (AgreementRequest(source: .project(layer: "l", feature: "f", unit: .document, coders: ["a", "b", "a"],
                                           documents: nil, presence: false), coefficients: [.krippendorffAlpha]),
         "coders names a twice"),
        (AgreementRequest(source: .project(layer: "l", feature: nil, unit: .document, coders: nil, documents: nil,
                                           presence: false), coefficients: [.krippendorffAlpha]),
         "give feature (codes per unit), or match to pair the coders' spans"),
        (AgreementRequest(source: project, coefficients: [.krippendorffAlpha], bootstrap: 1000, match: overlap),
         "bootstrap does not apply to match"),
        (AgreementRequest(source: spans, coefficients: [.krippendorffAlpha]),
         "spans_data takes coefficient alpha_u and/or gamma, or match"),
        (AgreementRequest(source: spans, coefficients: [.alphaU], diagnostics: true),
         "diagnostics does not apply to spans_data"),
        (AgreementRequest(source: data, coefficients: [.gamma]),
         "alpha_u and gamma need spans, not the codes per unit of data"),
        (AgreementRequest(source: project, coefficients: [.krippendorffAlpha], bootstrap: 1000, against: "gold"),
         "against goes without diagnostics and bootstrap"),
        (AgreementRequest(source: project, coefficients: [.alphaU], against: "gold"),
         "against takes coding coefficients, not alpha_u or gamma"),
        (AgreementRequest(source: spans, coefficients: [.alphaU], against: "gold"),
         "against compares the project's codes: give the layer and feature, without match"),
    ]

    @Test(arguments: cases)
    func refusesWhatCannotBeAnswered(_ request: AgreementRequest, _ message: String?) {
        #expect(request.problem(naming: \.rawValue) == message)
    }

    @Test func theCommandLineNamesItsOptions() {
        let request = AgreementRequest(source: Self.project, coefficients: [.krippendorffAlpha], minimumAlpha: -2)
        #expect(request.problem { "--" + $0.rawValue.replacingOccurrences(of: "_", with: "-") }
                == "--alpha-min takes a value from -1 to 1")
        #expect { try AgreementService.run(request, store: { throw GlossError(.ioFailure, "not opened") }) } throws: {
            ($0 as? GlossError)?.code == .usage
        }
    }
}
