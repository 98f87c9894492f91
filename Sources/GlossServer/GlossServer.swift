import GlossCore
import GlossStore
import Hummingbird
import Logging
import NIOCore

/// `gloss serve`: the JSON API under `/api/v1` over a project store, with token authentication, blind coding
/// enforced per request, the request limits of `RequestLimits` and one JSON error format; and at `/` the browser
/// annotator, whose files are in `Resources/annotator`.
public enum GlossServer {
    /// The routes and middleware, without a listening socket (what the tests drive).
    public static func router(store: any ProjectStore, limits: RequestLimits = RequestLimits(),
                              resources: ServerResources, inputLimits: InputLimits = .default,
                              applicationVersion: String) -> Router<GlossRequestContext> {
        let access = StoreAccess(store: store)
        let router = Router(context: GlossRequestContext.self)
        let table = RouteTable()
        router.add(middleware: ErrorMiddleware(routes: table))
        router.add(middleware: RequestLimitsMiddleware(limits: limits))
        // The browser annotator: static files, served for paths that no route answers (`/` is its index.html).
        router.add(middleware: FileMiddleware<GlossRequestContext, LocalFileSystem>(
            resources.path("annotator"), searchForIndexHtml: true, logger: Logger(label: "gloss.files")))
        let api = APIGroup(group: router.group("api/v1"), prefix: "/api/v1", table: table)
        MetaRoutes(resources: resources).addPublic(to: api)
        let authenticated = APIGroup(group: api.group.group().add(middleware: TokenAuthenticator(access: access)),
                                     prefix: api.prefix, table: table)
        MetaRoutes(resources: resources).add(to: authenticated)
        DocumentRoutes(access: access, limits: inputLimits).add(to: authenticated)
        AnnotationRoutes(access: access, limits: inputLimits).add(to: authenticated)
        CodebookRoutes(access: access).add(to: authenticated)
        WorkflowRoutes(access: access).add(to: authenticated)
        AgreementRoutes(access: access).add(to: authenticated)
        ExportRoutes(access: access, applicationVersion: applicationVersion).add(to: authenticated)
        TokenRoutes(access: access).add(to: authenticated)
        return router
    }

    /// The server: binds `configuration.host:port`, closes connections silent for longer than the idle timeout,
    /// and on SIGTERM or SIGINT stops accepting, lets requests in flight finish, then returns.
    public static func application(store: any ProjectStore, configuration: ServerConfiguration,
                                   inputLimits: InputLimits = .default, applicationVersion: String,
                                   logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
    -> some ApplicationProtocol {
        let router = router(store: store, limits: configuration.limits, resources: configuration.resources,
                            inputLimits: inputLimits, applicationVersion: applicationVersion)
        let timeout = configuration.limits.idleTimeout.components
        let idle = TimeAmount.nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000)
        return Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: idle)),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "gloss/\(applicationVersion)"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }
}
