import GlossService
import Hummingbird

/// What needs no token: the health check and the OpenAPI document. And who the token's holder is.
struct MetaRoutes {
    let resources: ServerResources

    func addPublic(to group: APIGroup) {
        group.get("health") { _, _ in
            JSONResponse.make(#"{"status":"ok"}"#)
        }
        group.get("openapi.yaml") { _, context in
            let body = try await FileIO().loadFile(path: resources.path("openapi.yaml"), context: context)
            return Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: body)
        }
    }

    func add(to group: APIGroup) {
        group.get("me") { _, context in
            let token = try context.policy().token
            return JSONResponse.make(token.auditJSON.canonicalJSON)
        }
    }
}
