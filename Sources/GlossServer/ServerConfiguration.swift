import Foundation

/// Where `gloss serve` listens and how much one request may ask of it.
public struct ServerConfiguration: Sendable {
    /// The address to bind; loopback unless the administrator chooses otherwise.
    public var host: String
    public var port: Int
    public var limits: RequestLimits
    /// The folder holding `openapi.yaml` (see `ServerResources`).
    public var resources: ServerResources

    public init(host: String = "127.0.0.1", port: Int = 8080, limits: RequestLimits = RequestLimits(),
                resources: ServerResources) {
        self.host = host
        self.port = port
        self.limits = limits
        self.resources = resources
    }
}

/// The limits on one request; beyond them the server answers 413 or 503 instead of working.
public struct RequestLimits: Sendable, Equatable {
    /// The largest request body read, in bytes (413 beyond it). 16 MiB holds a long article with its metadata.
    public var maximumBodyBytes: Int
    /// How long a connection may stay silent (a client that stops sending its request, or an idle keep-alive
    /// connection) before the server closes it.
    public var idleTimeout: Duration
    /// How many requests are worked on at once; one more is answered 503 (`busy`) at once, with `Retry-After: 1`.
    public var maximumConcurrentRequests: Int

    public init(maximumBodyBytes: Int = 16 << 20, idleTimeout: Duration = .seconds(30),
                maximumConcurrentRequests: Int = 64) {
        self.maximumBodyBytes = maximumBodyBytes
        self.idleTimeout = idleTimeout
        self.maximumConcurrentRequests = maximumConcurrentRequests
    }
}

/// The files the server serves besides its API: the OpenAPI document (and, later, the annotator).
///
/// An installed `gloss` finds them in `PREFIX/share/gloss` beside its `bin` folder (`make install` copies them);
/// a build in a checkout finds them in `Sources/GlossServer/Resources`; `GLOSS_SHARE` overrides both.
public struct ServerResources: Sendable, Equatable {
    public let folder: String

    public init(folder: String) { self.folder = folder }

    /// The first folder that holds `openapi.yaml`: `GLOSS_SHARE`, `../share/gloss` from the executable, or this
    /// checkout's resources; nil when none does.
    public static func locate(executable: String? = Bundle.main.executablePath) -> ServerResources? {
        var candidates: [String] = []
        if let shared = ProcessInfo.processInfo.environment["GLOSS_SHARE"], !shared.isEmpty {
            candidates.append(shared)
        }
        if let executable {
            let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            candidates.append(binary.deletingLastPathComponent().appendingPathComponent("share/gloss").path)
        }
        candidates.append(checkout)
        return candidates
            .first { FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("openapi.yaml")) }
            .map(ServerResources.init(folder:))
    }

    /// This source checkout's `Sources/GlossServer/Resources`.
    public static var checkout: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources").path
    }

    /// The path of `name` within the folder.
    public func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
}
