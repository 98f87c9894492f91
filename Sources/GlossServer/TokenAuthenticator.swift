import GlossService
import Hummingbird
import HummingbirdAuth

/// Reads `Authorization: Bearer SECRET`, checks the secret against the stored tokens' SHA-256 and attaches the
/// holder's `AccessPolicy`; a missing, unknown or revoked token is answered 401 before any route runs.
struct TokenAuthenticator: AuthenticatorMiddleware {
    typealias Context = GlossRequestContext
    let access: StoreAccess

    func authenticate(request: Request, context: Context) async throws -> AccessPolicy? {
        guard let secret = request.headers.bearer?.token else {
            throw APIError(.unauthorized, code: "unauthenticated",
                           "this endpoint needs `Authorization: Bearer gloss_…`; `gloss tokens create` makes a token",
                           headers: [.wwwAuthenticate: "Bearer"])
        }
        let policy = try await access.read { reader -> AccessPolicy? in
            guard let token = try AccessTokens.authenticate(secret, reader: reader) else { return nil }
            return try AccessPolicy(token: token, reader: reader)
        }
        guard let policy else {
            throw APIError(.unauthorized, code: "unauthenticated", "the token is unknown or revoked",
                           headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
        return policy
    }
}
