import Foundation
import GlossCore
import GlossServer
import GlossStore
import GlossTestSupport
import Hummingbird
import Testing

@Suite("The API's documents and annotations")
struct AnnotationAPITests {
    @Test(arguments: StoreKind.testable)
    func healthNeedsNoTokenAndEverythingElseDoes(_ store: StoreKind) async throws {
        let fixture = try ServerFixture(store)
        try await fixture.test { api in
            let health = try await api.call(.get, "/health")
            #expect(health.status == .ok && health["status"]?.string == "ok")
            let missing = try await api.call(.get, "/documents")
            #expect(missing.status == .unauthorized && missing.errorCode == "unauthenticated")
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            guard case .object(let error)? = missing["error"] else { Issue.record("no error object"); return }
            #expect(error["location"] == .null && error["message"]?.string?.contains("Bearer") == true)
            let unknown = try await api.call(.get, "/documents", token: "gloss_" + String(repeating: "ab", count: 32))
            #expect(unknown.status == .unauthorized)
            let me = try await api.call(.get, "/me", token: fixture.alice)
            #expect(me["coder"]?.string == "alice" && me["role"]?.string == "coder")
            let nowhere = try await api.call(.get, "/nowhere", token: fixture.alice)
            #expect(nowhere.status == .notFound && nowhere.errorCode == "not_found")
        }
    }

    /// "Kabul 😀 talks": the emoji is one code point but two UTF-16 units, so "talks" is [8, 13) in code points and
    /// [9, 14) in UTF-16, and the server stores and answers code points.
    @Test(arguments: StoreKind.testable)
    func addsAnnotationsInUTF16OffsetsAsCodePoints(_ store: StoreKind) async throws {
        let fixture = try ServerFixture(store)
        try await fixture.test { api in
            let created = try await api.call(.post, "/documents/a/annotations", token: fixture.alice,
                                             body: #"{"layer":"actor","start":9,"end":14,"unit":"utf16","#
                                                 + #""text":"talks"}"#)
            #expect(created.status == .created)
            #expect(created["start"]?.integer == 8 && created["end"]?.integer == 13
                    && created["text"]?.string == "talks")
            #expect(created["coder"]?.string == "alice" && created["revision"]?.integer == 1)
            #expect(created.headers[.eTag] == "\"1\"")
            let id = try #require(created["id"]?.integer)
            #expect(created.headers[.location] == "/api/v1/annotations/\(id)")
            // The same annotation again is not stored twice.
            let again = try await api.call(.post, "/documents/a/annotations", token: fixture.alice,
                                           body: #"{"layer":"actor","start":8,"end":13}"#)
            #expect(again.status == .ok && again["id"]?.integer == id)
            // UTF-8: the emoji is bytes [6, 10), so "talks" is [11, 16) and 8 falls inside the emoji.
            let inside = try await api.call(.post, "/documents/a/annotations", token: fixture.alice,
                                            body: #"{"layer":"actor","start":8,"end":16,"unit":"utf8"}"#)
            #expect(inside.status == .unprocessableContent && inside.errorCode == "invalid")
            let mismatch = try await api.call(.post, "/documents/a/annotations", token: fixture.alice,
                                              body: #"{"layer":"actor","start":8,"end":13,"text":"walks"}"#)
            #expect(mismatch.status == .unprocessableContent)
            let setByServer = try await api.call(.post, "/documents/a/annotations", token: fixture.alice,
                                                 body: #"{"layer":"actor","start":0,"end":1,"revision":4}"#)
            #expect(setByServer.status == .badRequest && setByServer.errorCode == "usage")
            let notJSON = try await api.call(.post, "/documents/a/annotations", token: fixture.alice,
                                             body: "{\"layer\":")
            #expect(notJSON.status == .badRequest && notJSON.errorCode == "bad_json")
        }
    }

    @Test(arguments: StoreKind.testable)
    func changesNeedTheRevisionLastSeen(_ store: StoreKind) async throws {
        let fixture = try ServerFixture(store)
        let id = fixture.aliceOnA
        try await fixture.test { api in
            let body = #"{"features":{"kind":"person","note":"checked"}}"#
            let unconditional = try await api.call(.patch, "/annotations/\(id)", token: fixture.alice, body: body)
            #expect(unconditional.status == .preconditionRequired && unconditional.errorCode == "precondition_required")
            let stale = try await api.call(.patch, "/annotations/\(id)", token: fixture.alice, body: body,
                                           headers: [.ifMatch: "\"7\""])
            #expect(stale.status == .preconditionFailed && stale.headers[.eTag] == "\"1\"")
            let changed = try await api.call(.patch, "/annotations/\(id)", token: fixture.alice, body: body,
                                             headers: [.ifMatch: "\"1\""])
            #expect(changed.status == .ok && changed.headers[.eTag] == "\"2\"")
            #expect(changed["features"] == .object(["kind": .string("person"), "note": .string("checked")]))
            // The second writer with the old revision loses; null removes a feature; the span moves in UTF-16.
            let late = try await api.call(.patch, "/annotations/\(id)", token: fixture.alice,
                                          body: #"{"features":{"kind":"place"}}"#, headers: [.ifMatch: "\"1\""])
            #expect(late.status == .preconditionFailed)
            let moved = try await api.call(.patch, "/annotations/\(id)", token: fixture.alice,
                                           body: #"{"features":{"note":null},"start":9,"end":14,"unit":"utf16"}"#,
                                           headers: [.ifMatch: "W/\"2\""])
            #expect(moved.status == .ok && moved["start"]?.integer == 8 && moved["text"]?.string == "talks")
            #expect(moved["features"] == .object(["kind": .string("person")]))
            let stored = try fixture.store.read { try $0.annotation(id: id) }
            #expect(stored?.revision == 3 && stored?.span.start == 8 && stored?.span.end == 13)
            let unknownField = try await api.call(.patch, "/annotations/\(id)", token: fixture.alice,
                                                  body: #"{"layer":"other"}"#, headers: [.ifMatch: "\"3\""])
            #expect(unknownField.status == .badRequest)
            let staleDelete = try await api.call(.delete, "/annotations/\(id)", token: fixture.alice,
                                                 headers: [.ifMatch: "\"2\""])
            #expect(staleDelete.status == .preconditionFailed)
            let deleted = try await api.call(.delete, "/annotations/\(id)", token: fixture.alice,
                                             headers: [.ifMatch: "\"3\""])
            #expect(deleted.status == .noContent)
            #expect(try await api.call(.get, "/annotations/\(id)", token: fixture.alice).status == .notFound)
        }
        let audited = try fixture.store.read { try $0.auditEntries(limit: nil) }
            .filter { $0.entity == .annotation && $0.source.hasPrefix("api ") }
        #expect(audited.count == 3 && audited.allSatisfy { $0.actor == "alice" })
    }

    @Test(arguments: StoreKind.testable)
    func adminsImportDocumentsAndOthersMayNot(_ store: StoreKind) async throws {
        let fixture = try ServerFixture(store)
        try await fixture.test { api in
            let document = #"{"id":"c","title":"Third","text":"Dari: سلام\u200Cها\r\nend"}"#
            let refused = try await api.call(.post, "/documents", token: fixture.adjudicator, body: document)
            #expect(refused.status == .forbidden && refused.errorCode == "forbidden")
            let created = try await api.call(.post, "/documents", token: fixture.admin, body: document)
            #expect(created.status == .created && created["id"]?.string == "c" && created["text"] == nil)
            #expect(created.headers[.location] == "/api/v1/documents/c")
            let stored = try await api.call(.get, "/documents/c", token: fixture.admin)
            #expect(stored["text"]?.string == "Dari: سلام\u{200C}ها\r\nend")
            let same = try await api.call(.post, "/documents", token: fixture.admin, body: document)
            #expect(same.status == .ok)
            let other = try await api.call(.post, "/documents", token: fixture.admin,
                                           body: #"{"id":"c","text":"else"}"#)
            #expect(other.status == .conflict && other.errorCode == "conflict")
            let invalid = try await api.call(.post, "/documents", token: fixture.admin, body: #"{"id":"d"}"#)
            #expect(invalid.status == .unprocessableContent)
        }
        #expect(try fixture.store.read { try $0.documentSummaries().map(\.externalID) } == ["a", "b", "c"])
    }

    @Test(arguments: StoreKind.testable)
    func limitsTheBodyAndTheRequestsAtOnce(_ store: StoreKind) async throws {
        let fixture = try ServerFixture(store)
        let small = RequestLimits(maximumBodyBytes: 1024)
        try await fixture.test(limits: small) { api in
            let large = #"{"layer":"actor","start":0,"end":1,"features":{"note":""#
                + String(repeating: "x", count: 2000)
                + "\"}}"
            let response = try await api.call(.post, "/documents/a/annotations", token: fixture.alice, body: large)
            #expect(response.status == .contentTooLarge && response.errorCode == "too_large")
        }
        try await fixture.test(limits: RequestLimits(maximumConcurrentRequests: 0)) { api in
            let busy = try await api.call(.get, "/health")
            #expect(busy.status == .serviceUnavailable && busy.errorCode == "busy" && busy.headers[.retryAfter] == "1")
        }
    }
}

@Suite("The API's answers to malformed requests")
struct MalformedRequestTests {
    @Test(arguments: StoreKind.testable)
    func aKnownPathWithAnotherMethodIs405AndQueryParametersAreGivenOnce(_ store: StoreKind) async throws {
        let fixture = try ServerFixture(store)
        try await fixture.test { api in
            let trace = try await api.call(.put, "/documents", token: fixture.admin)
            #expect(trace.status == .methodNotAllowed && trace.headers[.allow] == "GET, POST")
            let annotation = try await api.call(.post, "/annotations/\(fixture.aliceOnA)", token: fixture.admin)
            #expect(annotation.status == .methodNotAllowed && annotation.headers[.allow] == "GET, PATCH, DELETE")
            let twice = try await api.call(.get, "/codebooks/x?version=1&version=2", token: fixture.admin)
            #expect(twice.status == .badRequest && twice.errorCode == "usage")
            let empty = try await api.call(.get, "/adjudication/conflicts?all=", token: fixture.admin)
            #expect(empty.status == .badRequest)
            let badName = try await api.call(.post, "/tokens", token: fixture.admin,
                                             body: #"{"coder":"a\u0013b","role":"coder"}"#)
            #expect(badName.status == .unprocessableContent)
        }
    }
}
