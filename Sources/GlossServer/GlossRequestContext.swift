import GlossService
import Hummingbird
import HummingbirdAuth

/// The context of one API request: who holds the token (`identity`, set by `TokenAuthenticator`) and how large a
/// body the request may send (set by `RequestLimitsMiddleware` from the server's limits).
public struct GlossRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: AccessPolicy?
    public var maxUploadSize: Int

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        identity = nil
        maxUploadSize = RequestLimits().maximumBodyBytes
    }

    /// The token holder's policy; 401 when the request carries no valid token.
    func policy() throws -> AccessPolicy {
        guard let identity else {
            throw APIError(.unauthorized, code: "unauthenticated",
                           "send a token as `Authorization: Bearer gloss_…`; `gloss tokens create` makes one")
        }
        return identity
    }
}
