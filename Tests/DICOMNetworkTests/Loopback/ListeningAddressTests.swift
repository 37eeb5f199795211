import DICOMCore
@testable import DICOMNetwork
import DICOMNetworkCore
import NIOCore
import Synchronization
import Testing

/// How servers name where they listen and who calls.
@Suite("Listening addresses and peers' addresses")
struct ListeningAddressTests {
    @Test("an IPv4 peer of a dual-stack server reads as its IPv4 address; others as they are")
    func peerHosts() throws {
        #expect(ListeningAddress.host(of: try SocketAddress(ipAddress: "::ffff:127.0.0.1", port: 104)) == "127.0.0.1")
        #expect(ListeningAddress.host(of: try SocketAddress(ipAddress: "::1", port: 104)) == "::1")
        #expect(ListeningAddress.host(of: try SocketAddress(ipAddress: "127.0.0.1", port: 104)) == "127.0.0.1")
        #expect(ListeningAddress.host(of: try SocketAddress(ipAddress: "fe80::ffff:1", port: 104)) == "fe80::ffff:1")
    }

    @Test("host:port, an IPv6 host in brackets")
    func display() {
        #expect(ListeningAddress.display(host: "::", port: 11112) == "[::]:11112")
        #expect(ListeningAddress.display(host: "0.0.0.0", port: 104) == "0.0.0.0:104")
    }

    @Test("a server on :: takes IPv4 and IPv6 peers, and sees the IPv4 one as 127.0.0.1")
    func dualStack() async throws {
        var scp = ApplicationEntity(aeTitle: "DUAL-SCP")
        try scp.addSupportedContext(.verification)
        let callers = Mutex<[String]>([])
        var handlers = ServiceHandlers()
        handlers.associationAccepted = { info in
            callers.withLock { $0.append(info.request.callingPresentationAddress?.host ?? "none") }
        }
        let server = try await scp.startServer(host: ListeningAddress.everyAddress, port: 0, handlers: handlers)
        defer { Task { await server.shutdown() } }
        var scu = ApplicationEntity(aeTitle: "DUAL-SCU")
        try scu.addRequestedContext(.verification)
        for host in ["127.0.0.1", "::1"] {
            let association = try await scu.associate(host: host, port: server.port, calledAETitle: "DUAL-SCP")
            #expect(try await association.echo() == .success, "\(host)")
            try await association.release()
        }
        #expect(callers.withLock { $0 } == ["127.0.0.1", "::1"])
    }
}
