import GlossCore
import GlossService
import Hummingbird

/// `/tokens` (admin): list, create (the secret is in the answer, once) and revoke.
struct TokenRoutes {
    let access: StoreAccess

    func add(to group: APIGroup) {
        group.get("tokens") { _, context in
            try context.policy().checkAdministration("manage tokens")
            let tokens = try await access.read { try $0.accessTokens() }
            return JSONResponse.list("tokens", tokens.map(\.auditJSON.canonicalJSON))
        }
        group.post("tokens") { request, context in
            let policy = try context.policy()
            try policy.checkAdministration("manage tokens")
            let fields = try await request.jsonObject(context: context)
            guard case .string(let coder)? = fields["coder"], case .string(let roleName)? = fields["role"],
                  let role = AccessToken.Role(rawValue: roleName), fields.count == 2 else {
                throw APIError(.badRequest, code: "usage",
                               "send {\"coder\": NAME, \"role\": \"coder\"|\"adjudicator\"|\"admin\"}")
            }
            if let problem = Name.problem(with: coder, as: .coder) {
                throw APIError(.unprocessableContent, code: "invalid", problem)
            }
            let changeContext = request.changeContext(policy)
            let created = try await access.run { store in
                try AccessTokens.create(coder: coder, role: role, store: store, context: changeContext)
            }
            let json = JSONValue.object(["token": created.token.auditJSON, "secret": .string(created.secret)])
            return JSONResponse.make(json.canonicalJSON, status: .created)
        }
        group.delete("tokens/:id") { request, context in
            let policy = try context.policy()
            try policy.checkAdministration("manage tokens")
            let id = try context.idParameter(of: "token")
            let changeContext = request.changeContext(policy)
            let token = try await access.write { try $0.revokeAccessToken(id: id, context: changeContext) }
            return JSONResponse.make(token.auditJSON.canonicalJSON)
        }
    }
}
