import Hummingbird
import Synchronization

/// The API's routes by method and path, so that a known path called with a method it lacks is answered 405 with
/// `Allow`, not 404.
final class RouteTable: Sendable {
    private let routes = Mutex<[(method: HTTPRequest.Method, segments: [Substring])]>([])

    func add(_ method: HTTPRequest.Method, _ path: String) {
        routes.withLock { $0.append((method, path.split(separator: "/"))) }
    }

    /// The methods of the routes whose pattern matches `path` (`:name` matches any one segment).
    func methods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/")
        return routes.withLock { routes in
            routes.filter { route in
                route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
            }.map(\.method)
        }
    }
}

/// A group of API routes under one path prefix that records every route in the table as it registers it.
struct APIGroup {
    let group: RouterGroup<GlossRequestContext>
    let prefix: String
    let table: RouteTable

    typealias Handler<Output> = @Sendable (Request, GlossRequestContext) async throws -> Output

    func get(_ path: String, use handler: @escaping Handler<some ResponseGenerator>) { on(.get, path, handler) }
    func post(_ path: String, use handler: @escaping Handler<some ResponseGenerator>) { on(.post, path, handler) }
    func patch(_ path: String, use handler: @escaping Handler<some ResponseGenerator>) { on(.patch, path, handler) }
    func delete(_ path: String, use handler: @escaping Handler<some ResponseGenerator>) { on(.delete, path, handler) }

    private func on(_ method: HTTPRequest.Method, _ path: String,
                    _ handler: @escaping Handler<some ResponseGenerator>) {
        table.add(method, prefix + "/" + path)
        group.on(RouterPath(path), method: method, use: handler)
    }
}
