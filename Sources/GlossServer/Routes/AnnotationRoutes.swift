import GlossCore
import GlossService
import GlossStore
import Hummingbird

/// Annotations in the native JSON shape: listed per document, added by the token's coder, changed only with the
/// revision last seen (`If-Match`), deleted.
struct AnnotationRoutes {
    let access: StoreAccess
    let limits: InputLimits

    func add(to group: APIGroup) {
        group.get("documents/:id/annotations", use: list)
        group.post("documents/:id/annotations", use: create)
        group.get("annotations/:id", use: show)
        group.patch("annotations/:id", use: update)
        group.delete("annotations/:id", use: delete)
    }

    /// The document's annotations the holder may see (a coder: their own), optionally of one `layer` or `coder`.
    @Sendable func list(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        let documentID = try context.pathParameter("id")
        try DocumentRoutes.checkReadable(documentID, policy)
        let coder = try request.query("coder")
        if policy.token.role == .coder, let coder, !coder.isIdentical(to: policy.token.coder) {
            throw APIError(.forbidden, code: "forbidden", "a coder sees only their own annotations")
        }
        let filter = AnnotationFilter(documentID: documentID, coder: coder, layer: try request.query("layer"))
        let lines = try await access.read { reader -> [String]? in
            guard try reader.document(externalID: documentID) != nil else { return nil }
            var lines: [String] = []
            try reader.forEachAnnotation(matching: filter) { annotation in
                if policy.mayRead(annotation) { lines.append(annotation.nativeJSONLine) }
            }
            return lines
        }
        guard let lines else { throw DocumentRoutes.missing(documentID) }
        return JSONResponse.list("annotations", lines)
    }

    /// Adds an annotation: `layer`, `start`, `end`, optional `unit` (`codepoint`, `utf16` or `utf8`, converted here),
    /// `features` and `text` (checked against the covered text). The coder is the token's unless an adjudicator or
    /// admin names one. 201 with the annotation and its revision as `ETag`; 200 when the same annotation exists.
    @Sendable func create(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        let documentID = try context.pathParameter("id")
        var fields = try await request.jsonObject(context: context)
        for name in ["id", "document", "revision", "created", "updated", "provenance", "codebook", "needs_recoding"]
        where fields[name] != nil {
            throw APIError(.badRequest, code: "usage", "\"\(name)\" is set by the server; leave it out")
        }
        fields["document"] = .string(documentID)
        if fields["coder"] == nil { fields["coder"] = .string(policy.token.coder) }
        let record: AnnotationRecord
        do {
            record = try AnnotationRecord(json: .object(fields))
        } catch {
            throw APIError(.unprocessableContent, code: "invalid", error.message)
        }
        try policy.checkWrite(as: record.coder, documentID: documentID)
        let changeContext = request.changeContext(policy)
        let limits = limits
        let annotation = try await access.write { writer -> (Annotation, isNew: Bool) in
            guard try writer.document(externalID: documentID) != nil else { throw DocumentRoutes.missing(documentID) }
            let outcome = try AnnotationIngest(writer: writer, context: changeContext, limits: limits).add(record)
            switch outcome {
            case .inserted(let annotation):
                return (annotation, true)
            case .alreadyPresent(let id):
                guard let stored = try writer.annotation(id: id) else { throw Self.missing(id) }
                return (stored, false)
            }
        }
        return Self.response(annotation.0, status: annotation.isNew ? .created : .ok, location: true)
    }

    @Sendable func show(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        let id = try context.idParameter()
        let annotation = try await access.read { reader in try reader.annotation(id: id) }
        guard let annotation, policy.mayRead(annotation) else { throw Self.missing(id) }
        return Self.response(annotation)
    }

    /// Changes features (`"features": {"name": value}`, null removes one) and/or the span (`start`, `end`, `unit`),
    /// only with `If-Match: "REVISION"` (428 without it, 412 when the annotation has moved on).
    @Sendable func update(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        let id = try context.idParameter()
        guard let expected = try Self.revision(in: request) else {
            throw APIError(.preconditionRequired, code: "precondition_required",
                           "send If-Match: \"REVISION\" with the revision you last saw "
                           + "(the ETag of GET /annotations/\(id))")
        }
        let changes = try Self.changes(from: try await request.jsonObject(context: context))
        let changeContext = request.changeContext(policy)
        let limits = limits
        let updated = try await access.write { writer in
            let current = try Self.writable(id, policy: policy, expected: expected, writer: writer)
            return try AnnotationIngest(writer: writer, context: changeContext, limits: limits)
                .update(id: id, changes: changes, ifRevision: current.revision)
        }
        return Self.response(updated)
    }

    /// Deletes the annotation (the audit log keeps it); `If-Match` is checked when sent. 204.
    @Sendable func delete(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        let id = try context.idParameter()
        let expected = try Self.revision(in: request)
        let changeContext = request.changeContext(policy)
        _ = try await access.write { writer in
            _ = try Self.writable(id, policy: policy, expected: expected, writer: writer)
            return try AnnotationIngest(writer: writer, context: changeContext).delete(id: id)
        }
        return Response(status: .noContent)
    }

    /// The stored annotation, if the holder may change it and it is still at `expected` (when given).
    private static func writable(_ id: Int64, policy: AccessPolicy, expected: Int?,
                                 writer: any ProjectWriter) throws -> Annotation {
        guard let annotation = try writer.annotation(id: id), policy.mayRead(annotation) else { throw missing(id) }
        try policy.checkWrite(as: annotation.coder, documentID: annotation.documentID)
        if let expected, expected != annotation.revision {
            throw APIError(.preconditionFailed, code: "precondition_failed",
                           "annotation \(id) is at revision \(annotation.revision), not \(expected): "
                           + "someone changed it since you read it; read it again and retry",
                           headers: [.eTag: "\"\(annotation.revision)\""])
        }
        return annotation
    }

    /// The revision of `If-Match: "N"` (or `W/"N"`); nil when the header is absent.
    static func revision(in request: Request) throws -> Int? {
        guard var value = request.headers[.ifMatch]?.trimmingPrefix("W/") else { return nil }
        value = value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2
            ? value.dropFirst().dropLast() : value
        guard let revision = Int(value), revision >= 1 else {
            throw APIError(.badRequest, code: "usage", "If-Match must be an annotation's ETag, such as \"3\"")
        }
        return revision
    }

    /// The changes a PATCH body asks for.
    static func changes(from fields: [String: JSONValue]) throws -> AnnotationIngest.Changes {
        var changes = AnnotationIngest.Changes()
        for key in fields.keys where !["features", "start", "end", "unit"].contains(key) {
            throw APIError(.badRequest, code: "usage", "PATCH changes features, start, end and unit, not \"\(key)\"")
        }
        if let features = fields["features"] {
            guard case .object(let values) = features else {
                throw APIError(.badRequest, code: "usage", "\"features\" must be an object; null removes a feature")
            }
            for (name, value) in values {
                if value == .null { changes.unset.append(name) } else { changes.set[name] = value }
            }
        }
        switch (fields["start"], fields["end"]) {
        case (nil, nil):
            guard fields["unit"] == nil else {
                throw APIError(.badRequest, code: "usage", "\"unit\" goes with start and end")
            }
        case (let start?, let end?) where start.integerValue != nil && end.integerValue != nil:
            let (start, end) = (start.integerValue ?? 0, end.integerValue ?? 0)
            guard start >= 0, end >= start else {
                throw APIError(.unprocessableContent, code: "invalid", "start must be 0 or more and end not before it")
            }
            var unit = OffsetUnit.codepoint
            if let given = fields["unit"] {
                guard case .string(let name) = given, let known = OffsetUnit(rawValue: name) else {
                    throw APIError(.badRequest, code: "usage", "\"unit\" is codepoint, utf16 or utf8")
                }
                unit = known
            }
            changes.span = (start, end, unit)
        default:
            throw APIError(.badRequest, code: "usage", "give \"start\" and \"end\" together, as integers")
        }
        if changes.set.isEmpty && changes.unset.isEmpty && changes.span == nil {
            throw APIError(.badRequest, code: "usage", "nothing to change: give features, or start and end")
        }
        return changes
    }

    static func response(_ annotation: Annotation, status: HTTPResponse.Status = .ok,
                         location: Bool = false) -> Response {
        var headers: HTTPFields = [.eTag: "\"\(annotation.revision)\""]
        if location { headers[.location] = "/api/v1/annotations/\(annotation.id)" }
        return JSONResponse.make(annotation.nativeJSONLine, status: status, headers: headers)
    }

    static func missing(_ id: Int64) -> APIError {
        APIError(.notFound, code: "not_found", "no annotation with id \(id)")
    }
}
