import Foundation
import GlossCore
import GlossService
import GlossStore
import Hummingbird
import NIOCore

extension Request {
    /// The body parsed as JSON by the project's parser (nesting bounded), read up to the server's body limit (413).
    func jsonBody(context: GlossRequestContext) async throws -> JSONValue {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        let bytes = Array(buffer.readableBytesView)
        do {
            return try bytes.withUnsafeBufferPointer { pointer throws(JSONParser.Failure) in
                try JSONParser.parse(pointer)
            }
        } catch {
            throw APIError(.badRequest, code: "bad_json", "the body is not JSON: \(error.message)",
                           location: SourceLocation(file: "body", line: 1, column: error.byteOffset + 1))
        }
    }

    /// The body's JSON object; 400 for any other JSON value.
    func jsonObject(context: GlossRequestContext) async throws -> [String: JSONValue] {
        guard case .object(let object) = try await jsonBody(context: context) else {
            throw APIError(.badRequest, code: "usage", "the body must be a JSON object")
        }
        return object
    }

    /// The body as UTF-8 text, read up to the server's body limit.
    func textBody(context: GlossRequestContext) async throws -> String {
        let buffer = try await body.collect(upTo: context.maxUploadSize)
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw APIError(.badRequest, code: "usage", "the body is not UTF-8 text")
        }
        return text
    }

    /// A query parameter, percent-decoded; nil when absent, 400 when given empty or more than once.
    func query(_ name: String) throws -> String? {
        let values = uri.queryParameters[values: name[...]]
        guard let value = values.first else { return nil }
        guard values.count == 1 else {
            throw APIError(.badRequest, code: "usage", "\(name) is given \(values.count) times")
        }
        guard !value.isEmpty else {
            throw APIError(.badRequest, code: "usage", "\(name) is empty; give a value or leave it out")
        }
        return String(value)
    }

    /// A comma-separated query parameter; 400 when it names an empty item.
    func queryList(_ name: String) throws -> [String]? {
        guard let items = try query(name)?.split(separator: ",", omittingEmptySubsequences: false)
                .map(String.init) else {
            return nil
        }
        if items.contains("") { throw APIError(.badRequest, code: "usage", "\(name) names an empty item") }
        return items
    }

    /// An integer query parameter; 400 when it is not one.
    func queryInteger(_ name: String) throws -> Int? {
        guard let text = try query(name) else { return nil }
        guard let value = Int(text) else {
            throw APIError(.badRequest, code: "usage", "\(name) must be an integer, not \(text)")
        }
        return value
    }

    /// A boolean query parameter (`true` or `false`).
    func queryFlag(_ name: String) throws -> Bool {
        switch try query(name) {
        case nil, "false": return false
        case "true": return true
        case let other?: throw APIError(.badRequest, code: "usage", "\(name) is true or false, not \(other)")
        }
    }

    /// Who changes what, for the audit log: the token's coder, now, and the endpoint.
    func changeContext(_ policy: AccessPolicy) -> ChangeContext {
        ChangeContext(actor: policy.token.coder, time: Timestamp.now(), source: "api \(method) \(uri.path)")
    }
}

extension GlossRequestContext {
    /// A path parameter, percent-decoded (document ids may hold any printable character).
    func pathParameter(_ name: String) throws -> String {
        let raw = try parameters.require(name)
        return raw.removingPercentEncoding ?? raw
    }

    /// The integer id in the path (of an annotation, or a token); 404 when it is not one.
    func idParameter(of what: String = "annotation") throws -> Int64 {
        let raw = try parameters.require("id")
        guard let id = Int64(raw), id > 0 else {
            throw APIError(.notFound, code: "not_found", "no \(what) with id \(raw)")
        }
        return id
    }
}
