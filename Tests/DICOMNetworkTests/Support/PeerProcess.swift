import Foundation
#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// A third-party peer (DCMTK's storescp, pynetdicom's echoscp…) run by a test on loopback, and
/// stopped when the test is done.
final class PeerProcess: @unchecked Sendable {
    let process: Process
    let output: URL
    let name: String

    /// Starts `executable` with `arguments`; its standard output and error go to a temporary file
    /// that ``log`` reads back for failure messages.
    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        name = URL(fileURLWithPath: executable).lastPathComponent + " " + arguments.joined(separator: " ")
        output = FileManager.default.temporaryDirectory.appendingPathComponent("netdicom-peer-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let handle = try FileHandle(forWritingTo: output)
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // TCP_NODELAY=1 makes DCMTK disable Nagle's algorithm (see TOOLCHAIN.md).
        process.environment = ProcessInfo.processInfo.environment.merging(["TCP_NODELAY": "1"].merging(environment) { $1 }) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// Everything the peer printed so far.
    var log: String {
        (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }

    /// The log once it contains `text`, or, after `timeout`, as it is (for the caller's
    /// expectations to show).
    func waitForLog(containing text: String, timeout: Duration = .seconds(10)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !log.contains(text) { try await Task.sleep(for: .milliseconds(50)) }
        return log
    }

    /// Waits until something accepts TCP connections on 127.0.0.1:`port`, or throws after `timeout`.
    func waitUntilListening(on port: Int, timeout: Duration = .seconds(15)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let status = exitStatus {
                throw PeerError(description: "\(name) exited with status \(status) before listening:\n\(log)")
            }
            if PeerProcess.canConnect(port: port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError(description: "\(name) did not listen on port \(port) within \(timeout):\n\(log)")
    }

    /// Starts `executable` with `arguments` and waits until it listens on `port`; stops it and
    /// throws if it does not.
    static func listening(_ executable: String, _ arguments: [String], on port: Int) async throws -> PeerProcess {
        let peer = try PeerProcess(executable, arguments)
        do {
            try await peer.waitUntilListening(on: port)
        } catch {
            peer.stop()
            throw error
        }
        return peer
    }

    /// Waits for the peer to exit by itself and returns its status.
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let status = exitStatus { return status }
            if clock.now >= deadline {
                stop()
                throw PeerError(description: "\(name) did not finish within \(timeout):\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// The peer's exit status once it has exited; nil while it runs (``Foundation/Process/exitStatus``).
    var exitStatus: Int32? { process.exitStatus }

    /// Stops the peer (SIGTERM, then SIGKILL) and its children.
    ///
    /// Blocking, on whatever thread calls it: kept short (a peer started from a thread that blocks
    /// SIGTERM inherits the mask and ignores it), so that it never holds a concurrency-pool thread
    /// that other tests' servers are waiting for. It waits at most 10 s for the exit, and never on
    /// Foundation alone (see ``Foundation/Process/exitStatus``).
    func stop() {
        // Never started (its executable could not be run): Foundation traps on its status.
        guard process.processIdentifier != 0, exitStatus == nil else { return }
        process.terminate()
        for _ in 0..<10 where exitStatus == nil { usleep(10_000) }
        if exitStatus == nil { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<1_000 where exitStatus == nil { usleep(10_000) }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: output)
    }

    static func canConnect(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now (the kernel's choice).
    static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct PeerError: Error, CustomStringConvertible {
    var description: String
}

extension PeerProcess {
    /// Runs a peer's client program to completion without blocking a thread of the concurrency
    /// pool (which our own server's tasks need meanwhile), and returns what it printed.
    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(60)) async throws -> ExternalTools.Output {
        let peer = try PeerProcess(executable, arguments)
        let status = try await peer.waitForExit(timeout: timeout)
        let log = peer.log
        return ExternalTools.Output(status: status, stdout: log, stderr: log)
    }
}
