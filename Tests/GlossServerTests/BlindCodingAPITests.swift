import Foundation
import GlossCore
import GlossServer
import GlossService
import GlossStore
import GlossTestSupport
import Hummingbird
import Testing

@Suite("Blind coding and roles through every endpoint")
struct BlindCodingAPITests {
    @Test(arguments: StoreKind.testable)
    func aCoderNeverSeesAnotherCodersWork(_ store: StoreKind) async throws {
        let fixture = try ServerFixture(store)
        try await fixture.test { api in
            let token = fixture.alice
            let documents = try await api.call(.get, "/documents", token: token)
            #expect(documents.items("documents").map { $0["id"]?.string } == ["a"])
            #expect(documents.items("documents").first?["annotations"]?.integer == 1)
            #expect(documents.items("documents").first?["state"]?.string == "in_progress")
            #expect(try await api.call(.get, "/documents/b", token: token).status == .forbidden)
            #expect(try await api.call(.get, "/documents/b/annotations", token: token).status == .forbidden)
            #expect(try await api.call(.get, "/documents/a/annotations?coder=bob", token: token).status == .forbidden)
            #expect(try await api.call(.post, "/documents/b/done", token: token).status == .forbidden)
            #expect(try await api.call(.post, "/documents/nowhere/done", token: token).status == .forbidden)
            let annotations = try await api.call(.get, "/documents/a/annotations", token: token)
            #expect(annotations.items("annotations").map { $0["id"]?.integer } == [Int(fixture.aliceOnA)])
            #expect(try await api.call(.get, "/annotations/\(fixture.bobOnA)", token: token).status == .notFound)
            let patch = try await api.call(.patch, "/annotations/\(fixture.bobOnA)", token: token,
                                           body: #"{"features":{"kind":"place"}}"#, headers: [.ifMatch: "\"1\""])
            #expect(patch.status == .notFound)
            #expect(try await api.call(.delete, "/annotations/\(fixture.bobOnA)", token: token).status == .notFound)
            let forBob = try await api.call(.post, "/documents/a/annotations", token: token,
                                            body: #"{"coder":"bob","layer":"actor","start":0,"end":1}"#)
            #expect(forBob.status == .forbidden)
            let onB = try await api.call(.post, "/documents/b/annotations", token: token,
                                         body: #"{"layer":"actor","start":0,"end":1}"#)
            #expect(onB.status == .forbidden)
            for path in ["/agreement?layer=actor&feature=kind", "/status", "/adjudication/conflicts", "/tokens"] {
                #expect(try await api.call(.get, path, token: token).status == .forbidden, "\(path)")
            }
            let asBob = try await api.call(.get, "/assignments?coder=bob", token: token)
            #expect(asBob.status == .forbidden)
            let assignments = try await api.call(.get, "/assignments", token: token)
            #expect(assignments.items("assignments").map { $0["document"]?.string } == ["a"])
            let jsonl = try await api.call(.get, "/export/annotations.jsonl", token: token)
            #expect(jsonl.status == .ok && jsonl.headers[.contentType]?.hasPrefix("application/jsonl") == true)
            #expect(jsonl.text.split(separator: "\n").count == 1 && jsonl.text.contains("\"coder\":\"alice\""))
            #expect(!jsonl.text.contains("bob"))
            let docs = try await api.call(.get, "/export/documents.jsonl", token: token)
            #expect(docs.text.split(separator: "\n").count == 1 && !docs.text.contains("Moscow"))
            let csv = try await api.call(.get, "/export/annotations.csv", token: token)
            #expect(csv.status == .ok && !csv.text.contains("bob") && csv.text.contains("alice"))
            let tei = try await api.call(.get, "/export/tei", token: token)
            #expect(tei.status == .ok && tei.text.contains("Kabul") && !tei.text.contains("bob")
                    && !tei.text.contains("Moscow"))
            #expect(try await api.call(.get, "/export/tei?doc=b", token: token).status == .forbidden)
            #expect(try await api.call(.get, "/export/annotations.jsonl?coder=bob", token: token).status == .forbidden)
        }
    }

    @Test(arguments: StoreKind.testable)
    func anAdjudicatorSeesEveryoneAndWritesGold(_ store: StoreKind) async throws {
        let fixture = try ServerFixture(store)
        try await fixture.test { api in
            let token = fixture.adjudicator
            let annotations = try await api.call(.get, "/documents/a/annotations", token: token)
            #expect(Set(annotations.items("annotations").compactMap { $0["coder"]?.string }) == ["alice", "bob"])
            let jsonl = try await api.call(.get, "/export/annotations.jsonl", token: token)
            #expect(jsonl.text.split(separator: "\n").count == 3)
            // alice coded "place" and bob "person" on the same span: one open conflict, no gold annotation.
            let outcome = try await api.call(.post, "/adjudication", token: token,
                                             body: #"{"layer":"actor","gold":"gold"}"#)
            #expect(outcome.status == .ok && outcome["merged"]?.integer == 0)
            let conflicts = try await api.call(.get, "/adjudication/conflicts?gold=gold", token: token)
            guard case .array(let open)? = conflicts.json, case .object(let conflict)? = open.first else {
                Issue.record("no conflict: \(conflicts.text)"); return
            }
            #expect(open.count == 1)
            let accepted = try await api.call(.post, "/adjudication/accept", token: token,
                                              body: #"{"annotation":\#(fixture.aliceOnA),"gold":"gold"}"#)
            #expect(accepted.status == .ok && accepted["state"]?.string == "accepted", "\(accepted.text) \(conflict)")
            let gold = try fixture.store.read { try $0.annotations(matching: AnnotationFilter(coder: "gold")) }
            #expect(gold.count == 1 && gold.first?.features["kind"] == .string("place"))
            // Gold annotations are the adjudicator's to write; a coder's are not.
            let forAlice = try await api.call(.post, "/documents/a/annotations", token: token,
                                              body: #"{"coder":"alice","layer":"actor","start":0,"end":1}"#)
            #expect(forAlice.status == .forbidden)
            let assign = try await api.call(.post, "/assignments", token: token,
                                            body: #"{"coders":["alice"],"overlap":0}"#)
            #expect(assign.status == .forbidden)
            // alice, even after adjudication, sees only her own annotation.
            let seen = try await api.call(.get, "/documents/a/annotations", token: fixture.alice)
            #expect(seen.items("annotations").map { $0["coder"]?.string } == ["alice"])
        }
    }

    /// The API answers the same JSON as `gloss agree --format json`: both print `AgreementReport.json`.
    @Test(arguments: StoreKind.testable)
    func agreementIsTheSameReportAsTheCommandLine(_ store: StoreKind) async throws {
        let fixture = try ServerFixture(store)
        let request = AgreementRequest(
            source: .project(layer: "actor", feature: "kind", unit: .document, coders: nil, documents: nil,
                             presence: false),
            coefficients: [.krippendorffAlpha, .percentAgreement])
        let expected = try AgreementService.run(request, store: { fixture.store }).json.canonicalJSON
        try await fixture.test { api in
            let response = try await api.call(
                .get, "/agreement?layer=actor&feature=kind&coefficient=krippendorff_alpha,percent_agreement",
                token: fixture.adjudicator)
            #expect(response.status == .ok && response.text == expected)
            let typo = try await api.call(.get, "/agreement?layer=actor&feature=kind&coefficients=all",
                                          token: fixture.adjudicator)
            #expect(typo.status == .badRequest && typo.errorCode == "usage")
            // Refused as `gloss agree` refuses it (AgreementRequest.problem), naming the query parameters.
            let unanswerable = try await api.call(
                .get, "/agreement?layer=actor&feature=kind&against=gold&bootstrap=1000", token: fixture.adjudicator)
            #expect(unanswerable.status == .unprocessableContent && unanswerable.errorCode == "invalid"
                    && unanswerable.text.contains("against goes without diagnostics and bootstrap"))
        }
    }

    @Test(arguments: StoreKind.testable)
    func adminsAssignAndManageTokensAndCodersMarkTheirWorkDone(_ store: StoreKind) async throws {
        let fixture = try ServerFixture(store)
        try await fixture.test { api in
            let created = try await api.call(.post, "/tokens", token: fixture.admin,
                                             body: #"{"coder":"chen","role":"coder"}"#)
            #expect(created.status == .created)
            let secret = try #require(created["secret"]?.string)
            #expect(try await api.call(.get, "/me", token: secret)["coder"]?.string == "chen")
            let tokenID = try #require({ () -> Int? in
                guard case .object(let token)? = created["token"] else { return nil }
                return token["id"]?.integer
            }())
            #expect(try await api.call(.get, "/tokens", token: fixture.alice).status == .forbidden)
            #expect(try await api.call(.delete, "/tokens/\(tokenID)", token: fixture.admin).status == .ok)
            #expect(try await api.call(.get, "/me", token: secret).status == .unauthorized)

            let plan = try await api.call(.post, "/assignments", token: fixture.admin,
                                          body: #"{"coders":["alice","bob"],"overlap":0,"documents":["b"]}"#)
            #expect(plan.status == .created || plan.status == .ok, "\(plan.text)")
            let typo = try await api.call(.post, "/assignments", token: fixture.admin,
                                          body: #"{"coders":["alice"],"overlap":0,"dryrun":true}"#)
            #expect(typo.status == .badRequest && typo.errorCode == "usage")

            let done = try await api.call(.post, "/documents/a/done", token: fixture.alice)
            #expect(done.status == .ok && done["state"]?.string == "done")
            let afterDone = try await api.call(.post, "/documents/a/annotations", token: fixture.alice,
                                               body: #"{"layer":"actor","start":0,"end":1}"#)
            #expect(afterDone.status == .forbidden)
            #expect(try await api.call(.post, "/documents/a/reopen", token: fixture.alice)["state"]?.string != "done")
            let forBob = try await api.call(.post, "/documents/a/done?coder=bob", token: fixture.alice)
            #expect(forBob.status == .forbidden)
            let status = try await api.call(.get, "/status", token: fixture.admin)
            #expect(status.status == .ok && status["totals"] != nil)
        }
    }
}
