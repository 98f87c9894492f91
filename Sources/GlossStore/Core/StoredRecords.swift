import GlossCore

/// A value as a store keeps it in a column: every Gloss column holds an integer, text or NULL.
enum StoredValue: Sendable, Hashable {
    case integer(Int64)
    case text(String)
    case null

    init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    init(_ integer: Int64?) { self = integer.map { .integer($0) } ?? .null }
    init(_ integer: Int?) { self = integer.map { .integer(Int64($0)) } ?? .null }
}

/// How both stores turn stored columns into domain values and write the audit log's JSON, so that a project reads
/// and audits the same in SQLite and PostgreSQL.
enum StoredRecords {
    /// An annotation from its stored columns; refuses unreadable features, provenance or offsets (exit 65).
    static func annotation(id: Int64, documentID: String, coder: String, layer: String, start: Int, end: Int,
                           quote: String, features featuresText: String, createdAt: String, updatedAt: String,
                           revision: Int, codebookID: String?, codebookVersion: Int?, needsRecoding: String?,
                           provenance provenanceText: String?) throws -> Annotation {
        guard case .object(let features) = try? JSONParser.parse(featuresText) else {
            throw GlossError(.badData, "annotation \(id) has unreadable features in the database: \(featuresText)")
        }
        guard let span = try? TextSpan(start: start, end: end) else {
            throw GlossError(.badData, "annotation \(id) has invalid offsets in the database: \(start), \(end)")
        }
        var provenance: JSONValue?
        if let provenanceText {
            guard let parsed = try? JSONParser.parse(provenanceText) else {
                throw GlossError(.badData, "annotation \(id) has an unreadable provenance in the database: "
                                 + provenanceText)
            }
            provenance = parsed
        }
        return Annotation(id: id, documentID: documentID, coder: coder, layer: layer, span: span, quote: quote,
                          features: features, createdAt: createdAt, updatedAt: updatedAt, revision: revision,
                          codebook: codebookID.flatMap { id in
                              codebookVersion.map { CodebookReference(id: id, version: $0) }
                          },
                          needsRecoding: needsRecoding, provenance: provenance)
    }

    /// An adjudication record from its stored columns; its candidates are a JSON array of annotation ids.
    static func adjudication(id: Int64, gold: String, documentID: String, layer: String,
                             candidates candidatesText: String, state stateName: String, reason: String?,
                             decidedBy: String?, decidedAt: String?, goldAnnotationID: Int64?,
                             createdAt: String) throws -> Adjudication {
        guard let state = Adjudication.State(rawValue: stateName),
              case .array(let items)? = try? JSONParser.parse(candidatesText) else {
            throw GlossError(.badData, "adjudication \(id) in the database has an unknown state "
                             + "or unreadable candidates")
        }
        let candidates: [Int64] = items.compactMap {
            if case .integer(let value) = $0 { Int64(value) } else { nil }
        }
        return Adjudication(id: id, gold: gold, documentID: documentID, layer: layer, candidates: candidates,
                            state: state, reason: reason, decidedBy: decidedBy, decidedAt: decidedAt,
                            goldAnnotationID: goldAnnotationID, createdAt: createdAt)
    }

    /// The stored form of an adjudication's candidates.
    static func candidatesJSON(_ adjudication: Adjudication) -> String {
        JSONValue.array(adjudication.candidates.map { .integer(Int($0)) }).canonicalJSON
    }

    static func assignmentRole(_ name: String) throws -> Assignment.Role {
        guard let role = Assignment.Role(rawValue: name) else {
            throw GlossError(.badData, "an assignment in the database has the unknown role \(name)")
        }
        return role
    }

    static func tokenRole(_ name: String, id: Int64) throws -> AccessToken.Role {
        guard let role = AccessToken.Role(rawValue: name) else {
            throw GlossError(.badData, "token \(id) in the database has the unknown role \(name)")
        }
        return role
    }

    /// The token `before` (the stored token with this id, if any) revoked at `time`; refuses an unknown id (exit 65)
    /// and a token already revoked (exit 75).
    static func revoked(_ before: AccessToken?, id: Int64, at time: String) throws -> AccessToken {
        guard var token = before else { throw GlossError(.badData, "no token \(id); see `gloss tokens list`") }
        if let revokedAt = token.revokedAt {
            throw GlossError(.conflict, "token \(id) was already revoked at \(revokedAt)")
        }
        token.revokedAt = time
        return token
    }

    static func auditEntry(id: Int64, at: String, actor: String, action actionName: String, entity entityName: String,
                           entityID: String, source: String, before: String?, after: String?) throws -> AuditEntry {
        guard let action = AuditEntry.Action(rawValue: actionName),
              let entity = AuditEntry.Entity(rawValue: entityName) else {
            throw GlossError(.badData, "audit entry \(id) has an unknown action or entity")
        }
        return AuditEntry(id: id, at: at, actor: actor, action: action, entity: entity, entityID: entityID,
                          source: source, before: before, after: after)
    }

    // MARK: The audit log's JSON

    /// The audit record of a new coder.
    static func coderJSON(name: String, createdAt time: String) -> String {
        var after = "{\"name\":"
        JSONValue.writeString(name, to: &after)
        after += ",\"created\":\"\(time)\"}"
        return after
    }

    /// The audit record of a registered codebook version (without its source, which the codebook table keeps).
    static func codebookJSON(_ codebook: RegisteredCodebook) -> String {
        var after = "{\"id\":"
        JSONValue.writeString(codebook.id, to: &after)
        after += ",\"version\":\(codebook.version),\"sha256\":\"\(codebook.sha256)\",\"file\":"
        JSONValue.writeString(codebook.file, to: &after)
        after += "}"
        return after
    }

    /// The audit record of new assignments: `[[document, coder, role], …]`.
    static func assignmentsJSON(_ assignments: [Assignment]) -> String {
        JSONValue.array(assignments.map {
            .array([.string($0.documentID), .string($0.coder), .string($0.role.rawValue)])
        }).canonicalJSON
    }

    /// The audit entity id of new assignments.
    static func assignmentsEntityID(_ assignments: [Assignment]) -> String {
        "\(assignments.count) assignment\(assignments.count == 1 ? "" : "s")"
    }

    /// The audit record of several annotations created at once: their count and ids as ranges.
    static func createdAnnotationsJSON(_ ids: [Int64]) -> String {
        #"{"count":\#(ids.count),"ids":"\#(ranges(of: ids))"}"#
    }

    /// Ids written as ranges in their order: `[1, 2, 3, 7, 9, 10]` → `1-3,7,9-10`.
    static func ranges(of ids: [Int64]) -> String {
        var parts: [String] = []
        var index = 0
        while index < ids.count {
            var end = index
            while end + 1 < ids.count && ids[end + 1] &- 1 == ids[end] { end += 1 }
            parts.append(end == index ? String(ids[index]) : "\(ids[index])-\(ids[end])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}
