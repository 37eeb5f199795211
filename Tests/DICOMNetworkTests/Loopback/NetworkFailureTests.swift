import DICOMNetwork
import Foundation
import NIOCore
import Testing
import TestSupport

/// Why a connect or a listen failed, as the commands print it: in words, with the address, not
/// NIO's error types.
@Suite("Connection and listening failures in words")
struct NetworkFailureTests {
    @Test("an errno is its message; a connect timeout its duration")
    func reasons() {
        #expect(NetworkFailure.reason(IOError(errnoCode: ECONNREFUSED, reason: "connect")) == "connection refused")
        #expect(NetworkFailure.reason(IOError(errnoCode: EADDRINUSE, reason: "bind")) == "address already in use")
        #expect(NetworkFailure.reason(ChannelError.connectTimeout(.seconds(2))) == "no connection within 2.0 s")
    }

    @Test("echoscu to a port nobody listens on says 'connection refused'; echoscp on a port in use names it and says why",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func commandsSayWhy() async throws {
        let closed = PeerProcess.freePort()
        let refused = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu", "127.0.0.1", String(closed)])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("cannot connect to 127.0.0.1:\(closed): connection refused"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("SingleConnectionFailure"), "\(refused.stderr)")

        let port = PeerProcess.freePort()
        let dcmtk = try await PeerProcess.listening(ExternalTools.require("storescp"), [String(port)], on: port)
        defer { dcmtk.stop() }
        let inUse = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscp", "--bind", "127.0.0.1", String(port)])
        #expect(inUse.status != 0)
        #expect(inUse.stderr.contains("echoscp: cannot listen on 127.0.0.1:\(port): address already in use"), "\(inUse.stderr)")
    }
}
