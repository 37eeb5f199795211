import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A server that runs out of file descriptors (a peer holding many idle connections, a low
/// `ulimit -n`) says so once, waits instead of retrying its listening socket in a busy loop,
/// and accepts again once descriptors are freed.
@Suite("Server out of file descriptors")
struct DescriptorExhaustionTests {
    /// The CPU time (user and system) process `pid` has used, in seconds.
    static func cpuSeconds(of pid: Int32) throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // After the command name's closing parenthesis: state is field 3, utime 14, stime 15.
        let end = try #require(stat.lastIndex(of: ")"))
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        let ticks = try #require(Double(fields[11])) + #require(Double(fields[12]))
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    @Test("echoscp under ulimit -n 64, 100 idle connections: logs once that it has no descriptor left, does not spin, accepts again once they close")
    func exhaustion() async throws {
        let port = PeerProcess.freePort()
        let netdicom = try ExternalTools.netdicom()
        let server = try await PeerProcess.listening(
            "/bin/sh", ["-c", "ulimit -n 64 && exec \"$0\" \"$@\"", netdicom, "echoscp", String(port)], on: port)
        defer { server.stop() }
        var peers: [SilentPeer] = []
        defer { for peer in peers { close(peer.descriptor) } }
        for _ in 0..<100 { peers.append(try SilentPeer(port: port)) }
        let line = "cannot accept connections: this process has no file descriptor left (EMFILE)"
        #expect(try await server.waitForLog(containing: line).contains(line), "\(server.log)")

        // A busy loop on the listening socket would take about a second of CPU per second.
        let pid = server.process.processIdentifier
        let before = try Self.cpuSeconds(of: pid)
        try await Task.sleep(for: .seconds(2))
        let used = try Self.cpuSeconds(of: pid) - before
        #expect(used < 0.5, "\(used) s of CPU in 2 s while out of descriptors")

        for peer in peers { close(peer.descriptor) }
        peers = []
        let association = try await Entities.scu().associate(host: "127.0.0.1", port: port)
        #expect(try await association.echo() == .success)
        try await association.release()
        let again = "accepting connections again, after"
        #expect(try await server.waitForLog(containing: again).contains(again), "\(server.log)")
        #expect(server.log.components(separatedBy: line).count == 2, "logged once per spell: \(server.log)")
    }
}
