import GlossAgreement
import GlossCore
import GlossService
import GlossStore
import GlossWorkflow
import Hummingbird

/// The team workflow: assignments, the project's status, validation and adjudication into a gold standard.
struct WorkflowRoutes {
    let access: StoreAccess

    func add(to group: APIGroup) {
        group.get("assignments", use: assignments)
        group.post("assignments", use: assign)
        group.get("status") { _, context in
            try Self.checkSeesTeam(try context.policy(), "the team's status")
            let status = try await access.read { try ProjectStatus.of($0) }
            return JSONResponse.make(try ResultJSON.encode(status))
        }
        group.get("validation", use: validation)
        group.get("adjudication/conflicts", use: conflicts)
        group.post("adjudication", use: adjudicate)
        group.post("adjudication/accept", use: accept)
        group.post("adjudication/reject", use: reject)
    }

    /// A coder's own assignments; everyone's (or `?coder=`'s) for adjudicators and admins.
    @Sendable func assignments(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        var coder = try request.query("coder")
        if policy.token.role == .coder {
            if let coder, !coder.isIdentical(to: policy.token.coder) {
                throw APIError(.forbidden, code: "forbidden", "a coder sees only their own assignments")
            }
            coder = policy.token.coder
        }
        let assignments = try await access.read { [coder] in try $0.assignments(coder: coder) }
        return JSONResponse.list("assignments", assignments.map(\.json.canonicalJSON))
    }

    /// Plans and stores assignments (admin): `{"coders": [...], "overlap": 0.2, "reliability_coders": 2,
    /// "documents": [...], "seed": 1, "dry_run": false}`, as `gloss assign`. 201 when stored.
    @Sendable func assign(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        try policy.checkAdministration("assign documents")
        let fields = try await Self.fields(of: request, context,
                                           ["coders", "overlap", "reliability_coders", "documents", "seed", "dry_run"])
        let planRequest = AssignmentPlanner.Request(
            coders: try fields.optionalStrings("coders") ?? [], overlap: try fields.optionalNumber("overlap") ?? 0,
            reliabilityCoders: try fields.optionalInteger("reliability_coders"),
            documents: try fields.optionalStrings("documents"),
            seed: UInt64(try Self.seed(fields)))
        let dryRun = try fields.optionalBool("dry_run") ?? false
        if let problem = planRequest.problem { throw APIError(.unprocessableContent, code: "invalid", problem) }
        let changeContext = request.changeContext(policy)
        let plan = try await access.run { store in
            try AssignmentPlanner.assign(planRequest, store: store, context: changeContext, dryRun: dryRun)
        }
        return JSONResponse.make(try ResultJSON.encode(plan), status: plan.stored ? .created : .ok)
    }

    /// Violations of the codebooks: a coder's own annotations only; all for adjudicators and admins.
    @Sendable func validation(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        let findings = try await access.run { try ProjectValidator(store: $0).findings() }
        let visible = findings.filter { policy.mayRead($0.annotation) }
        return JSONResponse.make(JSONValue.object(["violations": .array(visible.map(\.json))]).canonicalJSON)
    }

    @Sendable func conflicts(_ request: Request, context: GlossRequestContext) async throws -> Response {
        try Self.checkSeesTeam(try context.policy(), "adjudication")
        let gold = try request.query("gold"), layer = try request.query("layer")
        let includingDecided = try request.queryFlag("all")
        let conflicts = try await access.run { store in
            try Adjudicator.conflicts(gold: gold, layer: layer, includingDecided: includingDecided, store: store)
        }
        return JSONResponse.make(try ResultJSON.encode(conflicts))
    }

    /// Merges the coders' agreeing spans into gold: `{"layer", "gold", "strategy", "match", "documents"}`.
    @Sendable func adjudicate(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        try Self.checkSeesTeam(policy, "adjudication")
        let fields = try await Self.fields(of: request, context, ["layer", "gold", "strategy", "match", "documents"])
        guard let layer = try fields.optionalString("layer"), let gold = try fields.optionalString("gold") else {
            throw APIError(.badRequest, code: "usage", "give \"layer\" and \"gold\" (the gold coder's name)")
        }
        let strategyName = try fields.optionalString("strategy") ?? "unanimous"
        guard let strategy = Adjudicator.Strategy(rawValue: strategyName) else {
            throw APIError(.badRequest, code: "usage", "\"strategy\" is unanimous or majority, not \(strategyName)")
        }
        let matchName = try fields.optionalString("match") ?? "exact"
        guard let match = SpanMatch(argument: matchName) else {
            throw APIError(.badRequest, code: "usage", "\"match\" is exact or overlap:RATIO, not \(matchName)")
        }
        if let problem = Name.problem(with: gold, as: .coder) { throw APIError(.badRequest, code: "usage", problem) }
        let adjudication = Adjudicator.Request(layer: layer, gold: gold, strategy: strategy, match: match,
                                               matchName: matchName, documents: try fields.optionalStrings("documents"))
        let changeContext = request.changeContext(policy)
        let outcome = try await access.run { try Adjudicator.run(adjudication, store: $0, context: changeContext) }
        return JSONResponse.make(try ResultJSON.encode(outcome))
    }

    /// Accepts one candidate of an open conflict into gold: `{"annotation": ID, "gold": NAME}`.
    @Sendable func accept(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        try Self.checkSeesTeam(policy, "adjudication")
        let fields = try await Self.fields(of: request, context, ["annotation", "gold"])
        guard let annotation = try fields.optionalInteger("annotation"),
              let gold = try fields.optionalString("gold") else {
            throw APIError(.badRequest, code: "usage", "give \"annotation\" (a candidate's id) and \"gold\"")
        }
        let changeContext = request.changeContext(policy)
        let conflict = try await access.run { store in
            try Adjudicator.accept(annotationID: Int64(annotation), gold: gold, store: store, context: changeContext)
        }
        return JSONResponse.make(try ResultJSON.encode(conflict))
    }

    /// Closes an open conflict without a gold annotation: `{"conflict": ID}`.
    @Sendable func reject(_ request: Request, context: GlossRequestContext) async throws -> Response {
        let policy = try context.policy()
        try Self.checkSeesTeam(policy, "adjudication")
        let fields = try await Self.fields(of: request, context, ["conflict"])
        guard let conflictID = try fields.optionalInteger("conflict") else {
            throw APIError(.badRequest, code: "usage", "give \"conflict\" (the conflict's id)")
        }
        let changeContext = request.changeContext(policy)
        let conflict = try await access.run { store in
            try Adjudicator.reject(conflictID: Int64(conflictID), store: store, context: changeContext)
        }
        return JSONResponse.make(try ResultJSON.encode(conflict))
    }

    /// The body's fields, any but `allowed` refused; a field of the wrong type is a `RecordError` (400).
    static func fields(of request: Request, _ context: GlossRequestContext,
                       _ allowed: Set<String>) async throws -> RecordFields {
        try RecordFields(.object(try await request.jsonObject(context: context)), allowedKeys: allowed)
    }

    static func seed(_ fields: RecordFields) throws -> Int {
        let seed = try fields.optionalInteger("seed") ?? 1
        guard seed >= 0 else { throw APIError(.badRequest, code: "usage", "\"seed\" must be 0 or more") }
        return seed
    }

    /// Refuses a coder what shows other coders' work (blind coding).
    static func checkSeesTeam(_ policy: AccessPolicy, _ what: String) throws {
        guard policy.token.role != .coder else {
            throw APIError(.forbidden, code: "forbidden",
                           "\(what) shows other coders' work; it is for adjudicators and admins (blind coding)")
        }
    }
}
