import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process run to completion with what it cost: wall time and peak resident memory (from `wait4`'s
/// resource usage of that one child).
public struct MeasuredProcess: Sendable {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String
    public var seconds: Double
    /// Peak resident set size in bytes.
    public var peakMemory: Int

    /// Runs `executable` with `arguments` and `environment` added to this process's.
    ///
    /// Linux carries a process's peak memory across `exec`, and `posix_spawn` children start inside their
    /// parent's memory, so a child of a large test process would report the parent's size. The child is
    /// therefore started by a small Python launcher, whose own children's peak (`RUSAGE_CHILDREN`) is the
    /// child's alone.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], in folder: TemporaryDirectory) throws -> MeasuredProcess {
        let peakFile = folder.path("peak-\(UUID().uuidString)")
        let launcher = """
            import resource, subprocess, sys
            result = subprocess.run(sys.argv[2:])
            open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
            sys.exit(result.returncode if result.returncode >= 0 else 128 - result.returncode)
            """
        var measured = try ChildProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", launcher, peakFile, executable.path] + arguments,
                                        environment: environment, in: folder).wait()
        guard let kilobytes = (try? String(contentsOfFile: peakFile, encoding: .utf8)).flatMap({ Int($0) }) else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the launcher did not report the peak memory: \(measured.standardError)"])
        }
        measured.peakMemory = kilobytes * 1024
        return measured
    }
}

/// A child process started with `posix_spawn`, which can be killed and waited for.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private let outputPath: String
    private let errorPath: String
    private let started: ContinuousClock.Instant

    /// Starts `executable` with `arguments`, `environment` added to this process's; output goes to files in `folder`.
    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:], in folder: TemporaryDirectory) throws {
        outputPath = folder.path("stdout-\(UUID().uuidString)")
        errorPath = folder.path("stderr-\(UUID().uuidString)")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }.map { "\($0)=\($1)" }
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        started = ContinuousClock.now
        let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
        guard spawned == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "posix_spawn failed: \(spawned)"]) }
        self.pid = pid
    }

    /// What the process has written to standard error so far.
    public var standardErrorSoFar: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }

    /// Sends `signal` (e.g. `SIGKILL`).
    public func kill(_ signal: Int32) { _ = Glibc.kill(pid, signal) }

    /// Waits for the process to end; a process ended by a signal has status 128 + the signal.
    public func wait() -> MeasuredProcess {
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let elapsed = ContinuousClock.now - started
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return MeasuredProcess(
            status: exitStatus,
            standardOutput: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "",
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            peakMemory: Int(usage.ru_maxrss) * 1024)
    }
}

/// A TCP listener on a local port that counts the connections made to it, to prove that nothing calls out.
public final class ConnectionCounter: @unchecked Sendable {
    private let socketDescriptor: Int32
    private let lock = NSLock()
    private var accepted = 0
    private var isStopped = false
    private let done = DispatchSemaphore(value: 0)

    /// Listens on 127.0.0.1:`port`; nil when the port cannot be bound (taken, or not allowed).
    public init?(port: UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(descriptor, 16) == 0 else { close(descriptor); return nil }
        socketDescriptor = descriptor
        Thread.detachNewThread { [self] in
            while true {
                lock.lock()
                let stop = isStopped
                lock.unlock()
                // Once stopped, take the connections already waiting, then end.
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, stop ? 0 : 50)
                if stop && ready <= 0 { break }
                guard ready > 0 else { continue }
                let connection = accept(descriptor, nil, nil)
                if connection >= 0 {
                    close(connection)
                    lock.lock(); accepted += 1; lock.unlock()
                }
            }
            done.signal()
        }
    }

    /// Connects to 127.0.0.1:`port` once and closes the connection; true when it connected.
    public static func probe(port: UInt16) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }

    /// Stops listening and returns the number of connections accepted.
    public func stop() -> Int {
        lock.lock(); isStopped = true; lock.unlock()
        done.wait()
        close(socketDescriptor)
        lock.lock(); defer { lock.unlock() }
        return accepted
    }
}
