import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Testing
import TestSupport

/// Associations over TLS (PS3.15 Annex B) with certificates made at test time.
@Suite("TLS", .enabled(if: ExternalTools.shouldRun(needing: "openssl")))
struct TLSTests {
    @Test("ours ↔ ours: the client verifies the server's certificate")
    func serverVerified() async throws {
        let certificates = try TestCertificates.make()
        let server = try await Entities.scp().startServer(
            host: "127.0.0.1", port: 0,
            tls: .server(certificateChainPath: certificates.serverCertificate, privateKeyPath: certificates.serverKey))
        defer { Task { await server.shutdown() } }
        let association = try await Entities.scu().associate(
            host: "127.0.0.1", port: server.port, tls: .client(trustRootsPath: certificates.caCertificate))
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    @Test("a certificate, key or CA file that cannot be read is named in the error")
    func unreadableFilesAreNamed() async throws {
        let certificates = try TestCertificates.make()
        let missing = "/nonexistent/netdicom-tls/server.pem"
        for (options, named) in [
            (TLSOptions.server(certificateChainPath: missing, privateKeyPath: certificates.serverKey), missing),
            (TLSOptions.server(certificateChainPath: certificates.serverCertificate, privateKeyPath: missing), missing),
            (TLSOptions.server(certificateChainPath: certificates.serverCertificate, privateKeyPath: certificates.serverKey, trustRootsPath: missing, verifiesPeer: true), missing),
        ] {
            do {
                let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0, tls: options)
                await server.shutdown()
                Issue.record("a server started with \(named) unreadable")
            } catch {
                #expect("\(error)".contains(named), "\(error)")
            }
        }
    }

    @Test("ours ↔ ours: the server requires and verifies a client certificate")
    func clientVerified() async throws {
        let certificates = try TestCertificates.make()
        let server = try await Entities.scp().startServer(
            host: "127.0.0.1", port: 0,
            tls: .server(certificateChainPath: certificates.serverCertificate, privateKeyPath: certificates.serverKey,
                         trustRootsPath: certificates.caCertificate, verifiesPeer: true))
        defer { Task { await server.shutdown() } }
        let withCertificate = try await Entities.scu().associate(
            host: "127.0.0.1", port: server.port,
            tls: .client(trustRootsPath: certificates.caCertificate, certificateChainPath: certificates.clientCertificate,
                         privateKeyPath: certificates.clientKey))
        #expect(try await withCertificate.echo() == .success)
        try await withCertificate.release()

        let scu = try Entities.scu()
        await #expect(throws: AssociationError.self) {
            _ = try await scu.associate(host: "127.0.0.1", port: server.port, tls: .client(trustRootsPath: certificates.caCertificate))
        }
    }

    @Test("a client refuses a server whose certificate it does not trust")
    func untrustedServer() async throws {
        let certificates = try TestCertificates.make()
        let server = try await Entities.scp().startServer(
            host: "127.0.0.1", port: 0,
            tls: .server(certificateChainPath: certificates.serverCertificate, privateKeyPath: certificates.serverKey))
        defer { Task { await server.shutdown() } }
        let scu = try Entities.scu()
        // No trust roots given: the system's roots do not include the test CA.
        await #expect(throws: AssociationError.self) {
            _ = try await scu.associate(host: "127.0.0.1", port: server.port, tls: .client())
        }
    }

    @Test("DCMTK echoscu over TLS → our TLS echoscp", .tags(.interop), .enabled(if: ExternalTools.shouldRun(needing: "echoscu")))
    func dcmtkToOurs() async throws {
        let certificates = try TestCertificates.make()
        let server = try await Entities.scp().startServer(
            host: "127.0.0.1", port: 0,
            tls: .server(certificateChainPath: certificates.serverCertificate, privateKeyPath: certificates.serverKey,
                         trustRootsPath: certificates.caCertificate, verifiesPeer: true))
        defer { Task { await server.shutdown() } }
        let output = try await PeerProcess.run(ExternalTools.require("echoscu"), [
            "-v", "+tls", certificates.clientKey, certificates.clientCertificate, "-pem", "+cf", certificates.caCertificate,
            "-aec", "TEST-SCP", "127.0.0.1", String(server.port)])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("Received Echo Response (Success)"), "\(output.stderr)")
    }

    @Test("our TLS echoscu → DCMTK storescp over TLS", .tags(.interop), .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func oursToDCMTK() async throws {
        let certificates = try TestCertificates.make()
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("storescp"), [
            "+tls", certificates.serverKey, certificates.serverCertificate, "-pem", "+cf", certificates.caCertificate,
            String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let association = try await Entities.scu().associate(
            host: "127.0.0.1", port: port,
            tls: .client(trustRootsPath: certificates.caCertificate, certificateChainPath: certificates.clientCertificate,
                         privateKeyPath: certificates.clientKey))
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    @Test("netdicom storescp with DCMTK's +tls KEY CERT +cf CA -rc ← DCMTK storescu +tls: stored; a DCMTK storescu without a certificate is refused",
          .tags(.interop), .enabled(if: ExternalTools.shouldRun(needing: "storescu")))
    func dcmtkOptionsOnOurStorescp() async throws {
        let certificates = try TestCertificates.make()
        let output = try TestInstances.temporaryDirectory("tls-dcmtk-options")
        let port = PeerProcess.freePort()
        let scp = try await PeerProcess.listening(ExternalTools.netdicom(), [
            "storescp", "--bind", "127.0.0.1", "+tls", certificates.serverKey, certificates.serverCertificate, "-pem",
            "+cf", certificates.caCertificate, "-rc", "-od", output, String(port)], on: port)
        defer { scp.stop() }
        let file = try TestInstances.files(1, label: "tls-dcmtk-options-sent")[0]
        let stored = try await PeerProcess.run(ExternalTools.require("storescu"), [
            "+tls", certificates.clientKey, certificates.clientCertificate, "-pem", "+cf", certificates.caCertificate,
            "127.0.0.1", String(port), file])
        #expect(stored.status == 0, "\(stored.stderr)\nstorescp:\n\(scp.log)")
        #expect(TestInstances.contents(of: output).count == 1, "\(scp.log)")
        // -rc: a client without a certificate does not get through.
        let anonymous = try await PeerProcess.run(ExternalTools.require("storescu"), [
            "+tla", "+cf", certificates.caCertificate, "127.0.0.1", String(port), file])
        #expect(anonymous.status != 0, "\(anonymous.stderr)\nstorescp:\n\(scp.log)")
    }

    @Test("netdicom echoscu with DCMTK's +tla -ic → DCMTK storescp +tls -ic: anonymous TLS, the server's certificate not checked",
          .tags(.interop), .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func dcmtkOptionsOnOurEchoscu() async throws {
        let certificates = try TestCertificates.make()
        let port = PeerProcess.freePort()
        let peer = try await PeerProcess.listening(ExternalTools.require("storescp"), [
            "+tls", certificates.serverKey, certificates.serverCertificate, "-pem", "-ic", String(port)], on: port)
        defer { peer.stop() }
        let echo = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu", "+tla", "-ic", "127.0.0.1", String(port)])
        #expect(echo.status == 0, "\(echo.stderr)\nstorescp:\n\(peer.log)")
        // Without -ic our echoscu verifies the certificate, which no trusted CA signed.
        let verifying = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu", "+tla", "127.0.0.1", String(port)])
        #expect(verifying.status != 0, "\(verifying.stderr)")
    }
}
