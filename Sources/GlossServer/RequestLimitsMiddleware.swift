import Hummingbird
import Synchronization

/// Applies `RequestLimits`: the body size every route reads up to, and the number of requests worked on at once
/// (one more is answered 503 `busy` with `Retry-After: 1`, at once, instead of queueing without bound).
struct RequestLimitsMiddleware: RouterMiddleware {
    typealias Context = GlossRequestContext
    let limits: RequestLimits
    private let inFlight = InFlight()

    init(limits: RequestLimits) { self.limits = limits }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        guard inFlight.enter(limit: limits.maximumConcurrentRequests) else {
            throw APIError(.serviceUnavailable, code: "busy",
                           "the server is working on \(limits.maximumConcurrentRequests) requests; retry in a moment",
                           headers: [.retryAfter: "1"])
        }
        defer { inFlight.leave() }
        var context = context
        context.maxUploadSize = limits.maximumBodyBytes
        return try await next(request, context)
    }

    /// The number of requests being worked on.
    final class InFlight: Sendable {
        private let count = Mutex(0)

        func enter(limit: Int) -> Bool {
            count.withLock { count in
                guard count < limit else { return false }
                count += 1
                return true
            }
        }

        func leave() { count.withLock { $0 -= 1 } }
    }
}
