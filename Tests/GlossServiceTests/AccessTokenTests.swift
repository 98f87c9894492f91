import Foundation
import GlossCore
import GlossService
import GlossStore
import GlossTestSupport
import GlossWorkflow
import Testing

@Suite("Access tokens and what they permit")
struct AccessTokenTests {
    static let context = ChangeContext(actor: "pi", time: "2026-12-03T12:00:00.000Z", source: "test")

    /// Two documents, one assigned to alice and one to bob, each with one annotation by its coder.
    func project() throws -> (folder: TemporaryDirectory, store: SQLiteStore) {
        let folder = try TemporaryDirectory()
        let store = try SQLiteStore(path: folder.path("gloss.sqlite"), creating: true)
        let documents = try folder.write("docs.jsonl", #"{"id":"a","text":"Kabul 😀 talks"}"# + "\n"
                                          + #"{"id":"b","text":"Moscow talks"}"# + "\n")
        try DocumentImporter(store: store, options: ImportOptions(context: Self.context))
            .importDocuments(from: [documents])
        try store.write { writer in
            try writer.insert([Assignment(documentID: "a", coder: "alice", role: .single, assignedAt: Self.context.time),
                               Assignment(documentID: "b", coder: "bob", role: .single, assignedAt: Self.context.time)],
                              context: Self.context)
            let ingest = try AnnotationIngest(writer: writer, context: Self.context, allowsUncodedLayers: true)
            _ = try ingest.add(AnnotationRecord(documentID: "a", coder: "alice", layer: "actor", start: 0, end: 5))
            _ = try ingest.add(AnnotationRecord(documentID: "b", coder: "bob", layer: "actor", start: 0, end: 6))
        }
        return (folder, store)
    }

    @Test func onlyTheHashIsStoredAndARevokedTokenStopsWorking() throws {
        let (folder, store) = try project()
        defer { withExtendedLifetime(folder) {} }
        let (token, secret) = try AccessTokens.create(coder: "alice", role: .coder, store: store, context: Self.context)
        // gloss_ and 32 random bytes in hexadecimal.
        #expect(secret.utf8.count == 70 && secret.hasPrefix("gloss_"))
        #expect(secret.dropFirst(6).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(!(try databaseDump(at: store.path)).contains(String(secret.dropFirst(6))))
        #expect(try store.read { try AccessTokens.authenticate(secret, reader: $0) } == token)
        #expect(try store.read { try AccessTokens.authenticate(secret + "0", reader: $0) } == nil)
        let zeros = "gloss_" + String(repeating: "0", count: 64)
        #expect(try store.read { try AccessTokens.authenticate(zeros, reader: $0) } == nil)
        let other = try AccessTokens.create(coder: "alice", role: .coder, store: store, context: Self.context).secret
        #expect(other != secret)
        _ = try store.write { try $0.revokeAccessToken(id: token.id, context: Self.context) }
        #expect(try store.read { try AccessTokens.authenticate(secret, reader: $0) } == nil)
        #expect(throws: GlossError.self) {
            try store.write { try $0.revokeAccessToken(id: token.id, context: Self.context) }
        }
        let audited = try store.read { try $0.auditEntries(limit: nil) }.filter { $0.entity == .token }
        #expect(audited.count == 3 && audited.allSatisfy { !($0.after ?? "").contains(token.sha256) })
    }

    @Test(arguments: AccessToken.Role.allCases)
    func eachRoleSeesAndWritesWhatItShould(role: AccessToken.Role) throws {
        let (folder, store) = try project()
        defer { withExtendedLifetime(folder) {} }
        let token = try AccessTokens.create(coder: "alice", role: role, store: store, context: Self.context).token
        let policy = try store.read { try AccessPolicy(token: token, reader: $0) }
        let annotations = try store.read { try $0.annotations() }
        let visible = annotations.filter(policy.mayRead).map(\.coder)
        let documents = ["a", "b"].filter { policy.mayRead(documentID: $0) }
        switch role {
        case .coder:
            #expect(visible == ["alice"] && documents == ["a"])
            #expect(throws: GlossError.self) { try policy.checkWrite(as: "bob", documentID: "a") }
            #expect(throws: GlossError.self) { try policy.checkWrite(as: "alice", documentID: "b") }
            #expect(throws: GlossError.self) { try policy.checkAdministration("assign documents") }
            try policy.checkWrite(as: "alice", documentID: "a")
        case .adjudicator:
            #expect(visible == ["alice", "bob"] && documents == ["a", "b"])
            #expect(throws: GlossError.self) { try policy.checkWrite(as: "bob", documentID: "b") }
            #expect(throws: GlossError.self) { try policy.checkAdministration("assign documents") }
        case .admin:
            #expect(visible == ["alice", "bob"] && documents == ["a", "b"])
            try policy.checkWrite(as: "bob", documentID: "b")
            try policy.checkAdministration("assign documents")
        }
    }
}
