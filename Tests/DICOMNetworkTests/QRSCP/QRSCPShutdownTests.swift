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

    /// A pynetdicom requestor that associates, says so, and holds the association until the
    /// other side ends it; then says whether an A-ABORT PDU came, and from which source.
    static let holder = """
        import sys, time
        from pynetdicom import AE, evt
        from pynetdicom.pdu import A_ABORT_RQ
        from pynetdicom.sop_class import Verification
        def received(event):
            if isinstance(event.pdu, A_ABORT_RQ):
                print("A-ABORT source %d reason %d" % (event.pdu.source, event.pdu.reason_diagnostic), flush=True)
        ae = AE(ae_title="HOLDER")
        ae.add_requested_context(Verification)
        association = ae.associate("127.0.0.1", int(sys.argv[1]), ae_title=sys.argv[2], evt_handlers=[(evt.EVT_PDU_RECV, received)])
        print("ESTABLISHED" if association.is_established else "NOT ESTABLISHED", flush=True)
        deadline = time.time() + 40
        while association.is_alive() and time.time() < deadline:
            time.sleep(0.1)
        print("ENDED aborted=%s" % association.is_aborted, flush=True)
        """

    @Test("SIGTERM with a pynetdicom association open: qrscp says it waits and keeps serving it; a second SIGTERM sends it an A-ABORT and exits 0",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func secondSignalAborts() async throws {
        let archive = try await QRSCPProcess(storage: TestInstances.temporaryDirectory("qrscp-second-signal"))
        defer { archive.peer.stop() }
        let holder = try PeerProcess(ExternalTools.require("python"), ["-c", Self.holder, String(archive.port), archive.aeTitle])
        defer { holder.stop() }
        let established = try await holder.waitForLog(containing: "ESTABLISHED", timeout: .seconds(20))
        try #require(established.contains("ESTABLISHED") && !established.contains("NOT ESTABLISHED"), "\(established)\nqrscp:\n\(archive.log)")

        _ = kill(archive.peer.process.processIdentifier, SIGTERM)
        let waiting = "qrscp: SIGTERM: stopping: no new associations; waiting for the 1 open association to end (SIGINT or SIGTERM again aborts them)"
        #expect(try await archive.peer.waitForLog(containing: waiting).contains(waiting), "\(archive.log)")
        // The open association lives on; new connections are refused.
        try await Task.sleep(for: .milliseconds(500))
        #expect(archive.peer.exitStatus == nil && !holder.log.contains("ENDED"), "\(archive.log)\n\(holder.log)")
        #expect(!PeerProcess.canConnect(port: archive.port), "no new connection once stopping")

        _ = kill(archive.peer.process.processIdentifier, SIGTERM)
        let status = try await archive.peer.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "\(archive.log)")
        #expect(archive.log.contains("qrscp: SIGTERM again: aborting the 1 open association"), "\(archive.log)")
        let ended = try await holder.waitForLog(containing: "ENDED", timeout: .seconds(20))
        #expect(ended.contains("A-ABORT source 0 reason 0") && ended.contains("ENDED aborted=True"), "\(ended)")
    }
}
