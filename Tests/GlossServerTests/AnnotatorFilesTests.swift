import Foundation
import GlossCore
import GlossStore
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// What the browser annotator needs from the server: its files at `/`, and the codebook's layers as JSON.
/// (`make ui-check` drives the annotator itself in Chromium.)
@Suite("The annotator's files and codebook")
struct AnnotatorFilesTests {
    @Test func servesTheAnnotatorAtTheRootAndNothingOutsideItsFolder() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { api in
            let page = try await api.client.execute(uri: "/", method: .get)
            #expect(page.status == .ok && page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(String(buffer: page.body).contains(#"<script type="module" src="app.js">"#))
            let script = try await api.client.execute(uri: "/app.js", method: .get)
            #expect(script.status == .ok && String(buffer: script.body).contains("unit: \"utf16\""))
            for outside in ["/../openapi.yaml", "/%2e%2e/openapi.yaml", "/openapi.yaml"] {
                let response = try await api.client.execute(uri: outside, method: .get)
                #expect(response.status == .badRequest || response.status == .notFound, "\(outside)")
            }
        }
    }

    @Test func aCodebookComesWithItsLayersFeaturesAndCodes() async throws {
        let fixture = try ServerFixture()
        let file = TestPaths.packageRoot.appendingPathComponent("Codebooks/example-minimal.yaml").path
        _ = try CodebookRegistration(store: fixture.store).register(file: file, context: ServerFixture.context)
        try await fixture.test { api in
            let codebook = try await api.call(.get, "/codebooks/ceasefire-claims", token: fixture.alice)
            guard case .array(let layers)? = codebook["layers"] else {
                Issue.record("no layers: \(codebook.text)")
                return
            }
            // example-minimal.yaml declares the span layers source and claim.
            let ids = layers.compactMap { layer -> String? in
                if case .object(let fields) = layer, case .string(let id)? = fields["id"] { id } else { nil }
            }
            #expect(ids.contains("source") && ids.contains("claim"))
            #expect(codebook.text.contains(#""id":"party""#) && codebook.text.contains(#""required":"#))
            let listed = try await api.call(.get, "/codebooks", token: fixture.alice)
            #expect(!listed.text.contains(#""layers""#))
        }
    }
}
