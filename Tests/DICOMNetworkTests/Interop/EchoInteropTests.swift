import DICOMCore
import DICOMNetwork
import DICOMNetworkCore
import Foundation
import Testing
import TestSupport

/// C-ECHO and association negotiation against DCMTK and pynetdicom, both directions. Under
/// `CI=true` a missing peer fails these tests; elsewhere they are skipped.
@Suite("C-ECHO interop with DCMTK and pynetdicom", .tags(.interop))
struct EchoInteropTests {
    // MARK: - Ours as requestor

    @Test("our echoscu → DCMTK storescp", .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func oursToDCMTK() async throws {
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("storescp"), ["--aetitle", "DCMTK-SCP", String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let association = try await Entities.scu().associate(host: "127.0.0.1", port: port, calledAETitle: "DCMTK-SCP")
        #expect(association.peerMaximumPDUSize == 16384, "DCMTK's default maximum PDU")
        #expect(association.acceptance.implementationVersionName?.hasPrefix("OFFIS_DCMTK") == true)
        for _ in 0..<10 {
            #expect(try await association.echo() == .success)
        }
        try await association.release()
    }

    @Test("our echoscu → pynetdicom echoscp", .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func oursToPynetdicom() async throws {
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("python"), ["-m", "pynetdicom", "echoscp", String(port), "--bind-address", "127.0.0.1"])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let association = try await Entities.scu().associate(host: "127.0.0.1", port: port)
        #expect(association.acceptance.implementationVersionName?.hasPrefix("PYNETDICOM") == true)
        #expect(try await association.echo() == .success)
        try await association.release()
    }

    @Test("pynetdicom echoscp's rejection of a wrong called AE title reaches us in words",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomRejects() async throws {
        let port = PeerProcess.freePort()
        // pynetdicom's echoscp app has no flag for this; its AE API has.
        let script = """
            import sys
            from pynetdicom import AE
            ae = AE(ae_title="PYNET")
            ae.require_called_aet = True
            ae.add_supported_context("1.2.840.10008.1.1")
            ae.start_server(("127.0.0.1", int(sys.argv[1])))
            """
        let peer = try PeerProcess(ExternalTools.require("python"), ["-c", script, String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let scu = try Entities.scu()
        do {
            _ = try await scu.associate(host: "127.0.0.1", port: port, calledAETitle: "SOMEONE-ELSE")
            Issue.record("pynetdicom should have rejected the called AE title")
        } catch {
            #expect(error.code == .rejected)
            #expect(error.rejection?.reason == .calledAETitleNotRecognized)
            #expect(error.description.contains("alled AE"), "\(error)")
        }
    }

    // MARK: - Ours as acceptor

    @Test("DCMTK echoscu → our echoscp", .enabled(if: ExternalTools.shouldRun(needing: "echoscu")))
    func dcmtkToOurs() async throws {
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let output = try await PeerProcess.run(ExternalTools.require("echoscu"), [
            "-v", "--repeat", "5", "-aec", "TEST-SCP", "127.0.0.1", String(server.port)])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.components(separatedBy: "Received Echo Response (Success)").count - 1 == 5, "\(output.stderr)")
    }

    @Test("pynetdicom echoscu → our echoscp", .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func pynetdicomToOurs() async throws {
        let server = try await Entities.scp().startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let events = server.events.subscribe()
        let output = try await PeerProcess.run(ExternalTools.require("python"), [
            "-m", "pynetdicom", "echoscu", "127.0.0.1", String(server.port), "-aec", "TEST-SCP", "-v"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("Received Echo Response (Status: 0x0000 - Success)"), "\(output.stderr)")
        // pynetdicom's exit status hides failures; count what our side saw.
        var echoes = 0
        for await event in events {
            if case .dimseSent("C-ECHO-RSP") = event.kind { echoes += 1 }
            if case .connectionClosed = event.kind { break }
        }
        #expect(echoes == 1)
    }

    @Test("netdicom echoscp without --bind answers pynetdicom on ::1 and DCMTK on 127.0.0.1, logging the IPv4 peer as such",
          .enabled(if: ExternalTools.shouldRun(needing: "echoscu") && ExternalTools.shouldRun(needing: "python")))
    func cliListensOnEveryAddress() async throws {
        let port = PeerProcess.freePort()
        let server = try await PeerProcess.listening(ExternalTools.netdicom(), ["echoscp", "-v", String(port)], on: port)
        defer { server.stop() }
        let overIPv6 = try await PeerProcess.run(ExternalTools.require("python"), ["-m", "pynetdicom", "echoscu", "::1", String(port), "-v"])
        #expect(overIPv6.stderr.contains("Received Echo Response (Status: 0x0000 - Success)"), "\(overIPv6.stderr)")
        let overIPv4 = try await PeerProcess.run(ExternalTools.require("echoscu"), ["-v", "127.0.0.1", String(port)])
        #expect(overIPv4.status == 0, "\(overIPv4.stderr)")
        #expect(overIPv4.stderr.contains("Received Echo Response (Success)"), "\(overIPv4.stderr)")
        // Matched by address, not by association number: the probe that found the server
        // listening took a number too.
        let log = try await server.waitForLog(containing: " 127.0.0.1:")
        #expect(log.contains("listening on [::]:\(port)"), "\(log)")
        #expect(log.contains("peer=[::1]:"), "\(log)")
        #expect(log.contains("peer=127.0.0.1:"), "\(log)")
        #expect(!log.contains("::ffff:"), "\(log)")
    }

    @Test("DCMTK echoscu sees our rejections with the right result, source and reason",
          .enabled(if: ExternalTools.shouldRun(needing: "echoscu")),
          arguments: [
              (["-aec", "WRONG"], "Called AE Title Not Recognized"),
              (["-aet", "STRANGER", "-aec", "TEST-SCP"], "Calling AE Title Not Recognized"),
          ])
    func dcmtkSeesRejection(_ arguments: [String], _ reason: String) async throws {
        var scp = try Entities.scp()
        scp.requireCalledAETitle = true
        scp.requireCallingAETitle = ["ECHOSCU", "TEST-SCU"]
        let server = try await scp.startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let output = try await PeerProcess.run(ExternalTools.require("echoscu"), arguments + ["127.0.0.1", String(server.port)])
        #expect(output.status != 0)
        #expect(output.stderr.contains("Association Rejected"), "\(output.stderr)")
        #expect(output.stderr.contains("Rejected Permanent"), "\(output.stderr)")
        #expect(output.stderr.contains("Service User"), "\(output.stderr)")
        #expect(output.stderr.contains(reason), "\(output.stderr)")
    }

    @Test("DCMTK echoscu sees 'local limit exceeded' past our maximum associations",
          .enabled(if: ExternalTools.shouldRun(needing: "echoscu")))
    func dcmtkSeesLocalLimit() async throws {
        var scp = try Entities.scp()
        scp.maximumAssociations = 1
        let server = try await scp.startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let holder = try await Entities.scu().associate(host: "127.0.0.1", port: server.port)
        let output = try await PeerProcess.run(ExternalTools.require("echoscu"), ["-aec", "TEST-SCP", "127.0.0.1", String(server.port)])
        #expect(output.status != 0)
        #expect(output.stderr.contains("Rejected Transient"), "\(output.stderr)")
        #expect(output.stderr.contains("Service Provider (Presentation)") || output.stderr.contains("Presentation"), "\(output.stderr)")
        #expect(output.stderr.contains("Local Limit Exceeded"), "\(output.stderr)")
        try await holder.release()
    }

    // MARK: - The CLI

    @Test("netdicom echoscu -pts 6 -ppc 3 → DCMTK storescp: three Verification contexts of six transfer syntaxes each are proposed, and accepted",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func cliProposals() async throws {
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("storescp"), ["-d", "--aetitle", "DCMTK-SCP", String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu", "-aec", "DCMTK-SCP", "-pts", "6", "-ppc", "3", "127.0.0.1", String(port)])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(await eventually { peer.log.components(separatedBy: "(Accepted)").count - 1 == 3 }, "\(peer.log)")
        let lines = peer.log.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasSuffix("(Proposed)") }.count == 3, "\(peer.log)")
        // DCMTK's debug dump lists each context's proposed syntaxes under this line.
        var proposed: [Int] = []
        for (index, line) in lines.enumerated() where line.hasSuffix("Proposed Transfer Syntax(es):") {
            proposed.append(lines[(index + 1)...].prefix { $0.hasPrefix("D:       ") }.count)
        }
        #expect(proposed == [6, 6, 6], "\(peer.log)")
        let refused = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu", "-ppc", "129", "127.0.0.1", String(port)])
        #expect(refused.status != 0 && refused.stderr.contains("--propose-pc must be 1–128"), "\(refused.stderr)")
    }

    @Test("netdicom echoscu exits 0 against DCMTK and 1, saying why, when rejected",
          .enabled(if: ExternalTools.shouldRun(needing: "storescp")))
    func cliExitStatus() async throws {
        let netdicom = try ExternalTools.netdicom()
        let port = PeerProcess.freePort()
        let peer = try PeerProcess(ExternalTools.require("storescp"), ["--aetitle", "DCMTK-SCP", String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let good = try await PeerProcess.run(netdicom, ["echoscu", "-aec", "DCMTK-SCP", "--repeat", "3", "127.0.0.1", String(port)])
        #expect(good.status == 0, "\(good.stderr)")

        var scp = try Entities.scp()
        scp.requireCalledAETitle = true
        let server = try await scp.startServer(host: "127.0.0.1", port: 0)
        defer { Task { await server.shutdown() } }
        let rejected = try await PeerProcess.run(netdicom, ["echoscu", "-aec", "WRONG", "127.0.0.1", String(server.port)])
        #expect(rejected.status == 1)
        #expect(rejected.stderr.contains("rejected"), "\(rejected.stderr)")
        #expect(rejected.stderr.lowercased().contains("called ae title"), "\(rejected.stderr)")
    }

    @Test("netdicom echoscu → a pynetdicom SCP that accepts no Verification context: exit 1, saying why, and the association released, not dropped",
          .enabled(if: ExternalTools.shouldRun(needing: "python")))
    func cliReleasesWithoutVerification() async throws {
        let port = PeerProcess.freePort()
        // Accepts associations, but only CT Image Storage: the Verification context is refused.
        let script = """
            import sys
            from pynetdicom import AE, evt
            def report(event, what):
                print(what, flush=True)
            ae = AE(ae_title="PYNET")
            ae.add_supported_context("1.2.840.10008.5.1.4.1.1.2")
            ae.start_server(("127.0.0.1", int(sys.argv[1])), evt_handlers=[
                (evt.EVT_RELEASED, report, ["released"]), (evt.EVT_ABORTED, report, ["aborted"]),
                (evt.EVT_CONN_CLOSE, report, ["closed"])])
            """
        let peer = try PeerProcess(ExternalTools.require("python"), ["-c", script, String(port)])
        defer { peer.stop() }
        try await peer.waitUntilListening(on: port)
        let result = try await PeerProcess.run(ExternalTools.netdicom(), ["echoscu", "-aec", "PYNET", "127.0.0.1", String(port)])
        #expect(result.status == 1)
        #expect(result.stderr.contains("Verification"), "\(result.stderr)")
        for _ in 0..<100 where !peer.log.contains("closed") { try await Task.sleep(for: .milliseconds(50)) }
        #expect(peer.log.contains("released") && !peer.log.contains("aborted"), "pynetdicom saw: \(peer.log)")
    }
}
