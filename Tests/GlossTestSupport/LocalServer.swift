import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `gloss serve` started by a test: its port, read from the line it prints on start, and plain HTTP calls to it
/// on loopback.
public struct LocalServer: Sendable {
    public let process: ChildProcess
    public let port: Int

    /// Waits (up to 60 s) for `process` to print `… on http://HOST:PORT/api/v1`; nil when it ends or never does.
    public init?(process: ChildProcess) {
        self.process = process
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let printed = process.standardErrorSoFar
            if let match = printed.firstMatch(of: /on http:\/\/[^ ]*:(\d+)\/api\/v1/), let port = Int(match.1) {
                self.port = port
                return
            }
            if kill(process.pid, 0) != 0 { return nil }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    /// `GET path` (under /api/v1) with an optional token: the status and the body.
    public func get(_ path: String, token: String? = nil) throws -> (status: Int, body: String) {
        guard let url = URL(string: "http://127.0.0.1:\(port)/api/v1\(path)") else { throw URLError(.badURL) }
        var request = URLRequest(url: url, timeoutInterval: 30)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let result = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            result.value = (data, response as? HTTPURLResponse, error)
            done.signal()
        }.resume()
        done.wait()
        if let error = result.value?.2 { throw error }
        guard let response = result.value?.1 else { throw URLError(.badServerResponse) }
        return (response.statusCode, String(decoding: result.value?.0 ?? Data(), as: UTF8.self))
    }

    private final class Box: @unchecked Sendable {
        var value: (Data?, HTTPURLResponse?, (any Error)?)?
    }
}
