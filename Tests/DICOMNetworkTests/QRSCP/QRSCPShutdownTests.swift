import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `netdicom qrscp` stopped (SIGTERM) just as peers connect: it must exit cleanly. Connections
/// accepted as the server closed used to be dropped unserved, and NIO traps on those ("Deinited
/// NIOAsyncWriter without calling finish()", swift-nio #2637): about one stop in seven crashed.
@Suite("netdicom qrscp stopped while peers connect", .tags(.interop))
struct QRSCPShutdownTests {
    @Test("20 times: five connections, then SIGTERM at once; qrscp exits 0 every time, without a crash")
    func stopWhileConnecting() async throws {
        for round in 1...20 {
            let storage = try TestInstances.temporaryDirectory("qrscp-stop-\(round)")
            // A crash ends at once instead of waiting for the backtracer.
            let archive = try await QRSCPProcess(storage: storage, environment: ["SWIFT_BACKTRACE": "enable=no"])
            // Its startup line comes just before its signal handlers: a SIGTERM sooner kills it.
            try await Task.sleep(for: .milliseconds(100))
            let peers = try (0..<5).map { _ in try SilentPeer(port: archive.port) }
            _ = kill(archive.peer.process.processIdentifier, SIGTERM)
            // Closed: a graceful shutdown waits for open connections (up to their ARTIM).
            for peer in peers { Glibc.close(peer.descriptor) }
            let status = try await archive.peer.waitForExit(timeout: .seconds(20))
            try #require(status == 0 && !archive.log.contains("Fatal error"), "round \(round): status \(status)\n\(archive.log)")
        }
    }
}
