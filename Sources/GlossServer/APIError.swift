import GlossCodebook
import GlossCore
import Hummingbird

/// An error as the API reports it: `{"error": {"code": "…", "message": "…", "location": …}}` with its status.
///
/// `GlossError`s map by their exit status: 64 → 400 `usage`, 65 → 422 `invalid`, 66 → 404 `not_found`,
/// 73 and 75 → 409 `conflict`, 77 → 403 `forbidden`, 74 → 500 `io_failure`. `location` is the place in the
/// input (`file`, `line`, `column`) when the error has one, else null.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var location: SourceLocation?
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, location: SourceLocation? = nil,
                headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.location = location
        self.headers = headers
    }

    public init(_ error: GlossError) {
        let (status, code): (HTTPResponse.Status, String) = switch error.code {
        case .usage: (.badRequest, "usage")
        case .badData: (.unprocessableContent, "invalid")
        case .missingInput: (.notFound, "not_found")
        case .cannotCreate, .conflict: (.conflict, "conflict")
        case .notPermitted: (.forbidden, "forbidden")
        case .ioFailure: (.internalServerError, "io_failure")
        }
        self.init(status, code: code, error.message, location: error.location)
    }

    /// The body: one object under `error`.
    public var json: JSONValue {
        var location: JSONValue = .null
        if let place = self.location {
            var fields: [String: JSONValue] = ["file": .string(place.file)]
            if let line = place.line { fields["line"] = .integer(line) }
            if let column = place.column { fields["column"] = .integer(column) }
            location = .object(fields)
        }
        return .object(["error": .object(["code": .string(code), "message": .string(message), "location": location])])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(json.canonicalJSON, status: status, headers: headers)
    }
}

/// Turns every error a route throws into the API's error body, so that no client sees Hummingbird's own format or
/// a bare 500 (an unexpected error is logged and reported as `internal`), and logs one line per request with its
/// method, path, status and duration.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = GlossRequestContext
    let routes: RouteTable

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await respond(request, context: context, next: next)
        let elapsed = (ContinuousClock.now - started).components
        let milliseconds = Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15
        context.logger.info("request", metadata: [
            "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
            "ms": "\(Int(milliseconds.rounded()))",
        ])
        return response
    }

    private func respond(_ request: Request, context: Context,
                         next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as GlossError {
            return try APIError(error).response(from: request, context: context)
        } catch let error as RecordError {
            // A request body's field of the wrong type or name (the routes map a stored record's own errors to 422).
            return try APIError(.badRequest, code: "usage", error.message).response(from: request, context: context)
        } catch let error as CodebookError {
            let message = error.problems.map(\.message).joined(separator: "; ")
            return try APIError(.unprocessableContent, code: "invalid", message,
                                location: error.problems.first?.location)
                .response(from: request, context: context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil
                    && isOtherMethod(request) {
            let allowed = routes.methods(for: request.uri.path).map(\.rawValue)
            return try APIError(.methodNotAllowed, code: "method_not_allowed",
                                "\(request.uri.path) answers \(allowed.joined(separator: ", ")), not \(request.method)",
                                headers: [.allow: allowed.joined(separator: ", ")])
                .response(from: request, context: context)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound
                ? "no such endpoint: \(request.method) \(request.uri.path); see /api/v1/openapi.yaml"
                : error.status.reasonPhrase)
            return try APIError(error.status, code: Self.code(for: error.status), message, headers: error.headers)
                .response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            // NIO's NIOTooManyBytesError (a body over the limit) among them.
            let message = error.status == .contentTooLarge
                ? "the body is larger than the server's limit of \(context.maxUploadSize) bytes"
                : error.status.reasonPhrase
            return try APIError(error.status, code: Self.code(for: error.status), message)
                .response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return try APIError(.internalServerError, code: "internal", "the server failed: \(error)")
                .response(from: request, context: context)
        }
    }
}

extension ErrorMiddleware {
    /// Whether the request's path is a route of other methods than the request's (405, not 404).
    func isOtherMethod(_ request: Request) -> Bool {
        let methods = routes.methods(for: request.uri.path)
        return !methods.isEmpty && !methods.contains(request.method)
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .contentTooLarge: "too_large"
        case .methodNotAllowed: "method_not_allowed"
        case .unauthorized: "unauthenticated"
        default: status.code < 500 ? "bad_request" : "internal"
        }
    }
}

/// JSON responses from text the project already serialises (native JSON lines, canonical JSON).
enum JSONResponse {
    static func make(_ json: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }

    /// `{"NAME": [line, line, …]}` from JSON texts.
    static func list(_ name: String, _ items: [String]) -> Response {
        var json = "{\"\(name)\":["
        json += items.joined(separator: ",")
        json += "]}"
        return make(json)
    }
}
