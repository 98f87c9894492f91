import GlossCore
import GlossStore
import NIOPosix

/// Runs the store's blocking calls on NIO's thread pool, so that the server's event loops and Swift's cooperative
/// threads never wait on SQLite or a lock.
struct StoreAccess: Sendable {
    let store: any ProjectStore
    var threadPool = NIOThreadPool.singleton

    /// Reads in one transaction.
    func read<T: Sendable>(_ body: @escaping @Sendable (any ProjectReader) throws -> T) async throws -> T {
        let store = store
        return try await threadPool.runIfActive { try store.read(body) }
    }

    /// Writes in one transaction: all of `body` or nothing.
    func write<T: Sendable>(_ body: @escaping @Sendable (any ProjectWriter) throws -> T) async throws -> T {
        let store = store
        return try await threadPool.runIfActive { try store.write(body) }
    }

    /// Runs a library operation that opens its own transactions on the store.
    func run<T: Sendable>(_ body: @escaping @Sendable (any ProjectStore) throws -> T) async throws -> T {
        let store = store
        return try await threadPool.runIfActive { try body(store) }
    }
}
